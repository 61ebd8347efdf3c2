/**
 * The quoting helpers themselves, over arbitrary strings (any code point, lone surrogates, the hostile
 * fragments, YAML 1.1 look-alikes, very long values), not only what validation lets through:
 * - yamlScalar / yamlString / yamlBlock, placed as a mapping value at any indentation, read back as
 *   the same string, without error or warning, under YAML 1.2 and YAML 1.1 (kubectl);
 * - shellWord / shellQuoted, written to a script file, read back by bash as the same string; a value
 *   no shell word can carry (NUL, a lone surrogate) is refused with an error.
 *
 * Runs: 3000 values for YAML; 40 batches of up to 100 values for bash (one bash per batch).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { shellQuoted, shellWord, yamlBlock, yamlScalar, yamlString } from '../src/render/quote.js';
import { HOSTILE_FRAGMENTS, YAML_LOOKALIKES, hostile, image, subscription } from './support/prop-arbitraries.js';

const YAML_RUNS = Number(process.env['KV_QUOTE_RUNS'] ?? 3000);
const SEED = process.env['KV_PROP_SEED'] === undefined ? {} : { seed: Number(process.env['KV_PROP_SEED']) };
const dir = mkdtempSync(join(tmpdir(), 'kv-prop-quote-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constantFrom(...HOSTILE_FRAGMENTS, ...YAML_LOOKALIKES),
  hostile(),
  image,
  subscription,
  // Short words of the characters a plain scalar may hold, where YAML's number, boolean and null
  // forms live: each must be written plain only when every reader reads it as this string.
  fc.string({ unit: fc.constantFrom(...'aeEnNoOyYtTfFlsuxXbBh0123456789._/@:-+~'), maxLength: 8 }),
);

/** Line breaks to libyaml and go-yaml (YAML 1.1), which the yaml package does not model: never raw in output. */
const LINE_BREAK_11 = /[\u0085\u2028\u2029]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function readBack(text: string): unknown {
  const docs12 = parseAllDocuments(text);
  const docs11 = parseAllDocuments(text, { version: '1.1' });
  for (const doc of [...docs12, ...docs11]) {
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    expect(doc.warnings.map((e) => e.message)).toEqual([]);
  }
  expect(docs11.map((d) => d.toJS())).toEqual(docs12.map((d) => d.toJS()));
  expect(docs12).toHaveLength(1);
  return docs12[0]!.toJS();
}

test('YAML helpers: every string reads back the same, under YAML 1.2 and 1.1, at any indentation', () => {
  fc.assert(
    fc.property(anyString, fc.nat(6), (value, depth) => {
      const pad = '  '.repeat(depth);
      const nest = (line: string) => {
        // `a:\n  b:\n    key: <value>\n    other: 1` with the key `depth` levels down.
        const head = Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
        return `${head}${head ? '\n' : ''}${pad}key: ${line}\n${pad}other: 1\n`;
      };
      const wrap = (inner: unknown) => Array.from({ length: depth }).reduceRight<unknown>((acc, _, i) => ({ [`k${i}`]: acc }), inner);
      for (const text of [yamlScalar(value), yamlString(value)]) {
        expect(text).not.toMatch(/[\n\r]/);
        expect(text).not.toMatch(LINE_BREAK_11);
        expect(readBack(nest(text))).toEqual(wrap({ key: value, other: 1 }));
      }
      const block = yamlBlock(value, depth * 2);
      expect(block).not.toMatch(LINE_BREAK_11);
      expect(readBack(nest(block))).toEqual(wrap({ key: value, other: 1 }));
    }),
    { numRuns: YAML_RUNS, ...SEED },
  );
});

test('YAML helpers leave everyday values plain and quote what kubectl would misread', () => {
  for (const plain of ['myapp', 'production', '/mnt/secrets', '2m', '1h30m', 'myregistry.azurecr.io/web:1.2.3', 'db-password', 'a_b']) {
    expect(yamlScalar(plain)).toBe(plain);
  }
  for (const tricky of ['yes', 'y', 'N', 'on', 'Off', '1_000', '1:20', '0B1', '0X1F', '0O7', '09', '2001-12-14', '2001-1-2', '.5', '1.']) {
    expect(yamlScalar(tricky)).toMatch(/^["']/);
  }
});

/** One bash run for a batch: each word printed NUL-terminated from a script file, as azure/setup.sh is read. */
function bashReads(words: string[]): string[] {
  const script = join(dir, 'words.sh');
  writeFileSync(script, `${words.map((w) => `printf '%s\\0' ${w}`).join('\n')}\n`);
  const result = spawnSync('bash', ['--noprofile', '--norc', script], { cwd: dir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' }, encoding: 'buffer' });
  expect(result.stderr.toString('utf8')).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.toString('utf8').split('\0').slice(0, -1);
}

const shellable = anyString.filter((v) => !v.includes('\0') && !LONE_SURROGATE.test(v));

test('shell helpers: bash reads every word back as the same string', () => {
  fc.assert(
    fc.property(fc.array(shellable, { minLength: 1, maxLength: 100 }), (values) => {
      expect(bashReads(values.map(shellWord))).toEqual(values);
      expect(bashReads(values.map(shellQuoted))).toEqual(values);
    }),
    { numRuns: 40, ...SEED },
  );
});

test('shell helpers refuse what no shell word can carry', () => {
  fc.assert(
    fc.property(shellable, shellable, fc.constantFrom('\0', '\ud800', '\udfff', 'a\udc00'), (a, b, bad) => {
      const value = a + bad + b;
      if (!value.includes('\0') && !LONE_SURROGATE.test(value)) return;
      expect(() => shellWord(value)).toThrow();
      expect(() => shellQuoted(value)).toThrow();
    }),
    { numRuns: 200, ...SEED },
  );
});
