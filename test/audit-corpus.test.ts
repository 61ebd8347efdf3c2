/**
 * Precision and recall of every rule over the corpus (test/fixtures/audit/): realistic files (AKS
 * tutorial shapes, Terraform in several styles, Bicep, ARM with comments, Helm, ESO stores, scripts,
 * Markdown) with close true negatives beside them. expected.txt lists every finding it must give;
 * anything else found is a false positive. Each rule must keep both at 0.95 or more.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { RULES, RULE_IDS, TRIGGERS, auditText, familyOf, mayHaveFindings } from '../src/audit/index.js';
import type { Finding } from '../src/audit/index.js';
import { walkTree } from '../src/walk/index.js';
import { FAKES, materializeCorpus, readExpectations } from './support/audit-corpus.js';

const dir = materializeCorpus();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const found: Finding[] = [];
const walked = walkTree(['.'], dir, ({ path, text }) => {
  for (const hit of auditText(path, text)) found.push({ ...hit, file: path });
});
const expected = readExpectations();
const id = (f: { rule: string; file: string; line: number }) => `${f.rule} ${f.file}:${f.line}`;

describe('the audit corpus', () => {
  test('every expectation names a file of the corpus and a line it has', () => {
    for (const e of expected) {
      const lines = readFileSync(join(dir, e.file), 'utf8').split('\n');
      expect(e.line, id(e)).toBeLessThanOrEqual(lines.length);
    }
    expect(walked.files).toBeGreaterThan(60);
  });

  test('precision and recall of every rule are 0.95 or more', () => {
    const foundIds = new Set(found.map(id));
    const expectedIds = new Set(expected.map(id));
    const rows = RULE_IDS.map((rule) => {
      const mine = (ids: Set<string>) => [...ids].filter((x) => x.startsWith(`${rule} `));
      const tp = mine(foundIds).filter((x) => expectedIds.has(x)).length;
      const fp = mine(foundIds).filter((x) => !expectedIds.has(x));
      const fn = mine(expectedIds).filter((x) => !foundIds.has(x));
      const precision = tp + fp.length === 0 ? 1 : tp / (tp + fp.length);
      const recall = tp + fn.length === 0 ? 1 : tp / (tp + fn.length);
      return { rule, expected: mine(expectedIds).length, tp, fp, fn, precision, recall };
    });
    console.log(
      ['rule    expected  precision  recall', ...rows.map((r) => `${r.rule}  ${String(r.expected).padStart(8)}  ${r.precision.toFixed(3).padStart(9)}  ${r.recall.toFixed(3).padStart(6)}`)].join('\n'),
    );
    for (const row of rows) {
      expect(row.expected, `${row.rule} has cases in the corpus`).toBeGreaterThanOrEqual(5);
      expect(row.precision, `${row.rule} false positives: ${row.fp.join(', ')}`).toBeGreaterThanOrEqual(0.95);
      expect(row.recall, `${row.rule} missed: ${row.fn.join(', ')}`).toBeGreaterThanOrEqual(0.95);
    }
  });

  test('no finding shows a secret value', () => {
    const values = Object.values(FAKES).map((make) => make());
    const texts = found.map((f) => f.message);
    for (const value of [...values, 'Tr0ub4dor-and-3', 'Spring2025-orders!', 'Orders-Pa55-real', 'Dev-Only-Secret-Value-2024', 'Hunter22-prod']) {
      for (const text of texts) expect(text).not.toContain(value);
    }
  });
});

describe('the first look (mayHaveFindings) loses no finding', () => {
  const texts = new Map<string, string>();
  walkTree(['.'], dir, ({ path, text }) => void texts.set(path, text));

  test('every corpus file with an expected finding passes it', () => {
    const stopped = [...new Set(expected.map((e) => e.file))].filter((file) => !mayHaveFindings(familyOf(file, texts.get(file)!), texts.get(file)!));
    expect(stopped).toEqual([]);
  });

  test('auditing every corpus file without it finds the same', () => {
    for (const [path, text] of texts) expect(auditText(path, text), path).toEqual(auditText(path, text, { firstLook: false }));
  });

  test('nor in files made of corpus lines, cut and shuffled, in every family', () => {
    const lines = [...texts.values()].flatMap((text) => text.split('\n'));
    const names = ['a.yaml', 'a.json', 'main.tf', 'main.bicep', 'run.sh', 'notes.txt', 'Dockerfile', 'app.ts'];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(fc.nat(lines.length - 1), { minLength: 1, maxLength: 40 }), (name, picks) => {
        const text = picks.map((i) => lines[i]!).join('\n');
        expect(auditText(name, text)).toEqual(auditText(name, text, { firstLook: false }));
      }),
      { numRuns: 400, seed: 14 },
    );
  });

  test('each look keeps no state from one text to the next (no g or y flag, whose test() starts at lastIndex)', () => {
    for (const trigger of TRIGGERS) expect(trigger.flags, String(trigger)).not.toMatch(/[gy]/);
  });
});

test('the README rules table lists every rule, in order', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const rows = [...readme.matchAll(/^\| `(KVS\d{3})` \| ([^|:]+):/gm)].map((m) => [m[1], m[2]!.trim()]);
  expect(rows).toEqual(RULES.map((r) => [r.id, r.title]));
});
