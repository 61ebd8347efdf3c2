/**
 * `audit --format sarif` against the official SARIF 2.1.0 schema (the OASIS schema as
 * @microsoft/jest-sarif ships it, draft-04, hence Ajv's draft-04 class), over the whole corpus, plus
 * what GitHub code scanning adds: relative paths under %SRCROOT%, a rule for each result, and a
 * security-severity on each rule.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, expect, test } from 'vitest';
import { RULES } from '../src/audit/index.js';
import { materializeCorpus, readExpectations } from './support/audit-corpus.js';

const BIN = fileURLToPath(new URL('../bin/create-kv-secrets.cjs', import.meta.url));
const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const dir = materializeCorpus();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function audit(format: string) {
  const run = spawnSync(process.execPath, [BIN, 'audit', '--format', format], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(run.status).toBe(1);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }>;
}

test('the SARIF log is valid SARIF 2.1.0 and holds every finding of the JSON report', () => {
  const log = audit('sarif');
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }) // the schema's language pattern is not valid with the u flag;
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  expect(validate(log) ? [] : validate.errors).toEqual([]);
  expect(validate({ ...log, version: '2.0.0' }), 'the validator rejects what the schema does').toBe(false);

  const run = (log.runs as Array<{ tool: { driver: { version: string; rules: Array<{ id: string; properties: Record<string, unknown> }> } }; results: SarifResult[] }>)[0]!;
  // bin/ starts the audit from its own bundle, which carries the package's version too.
  expect(run.tool.driver.version).toBe((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
  for (const rule of run.tool.driver.rules) expect(rule.properties['security-severity']).toMatch(/^\d+\.\d$/);
  for (const result of run.results) {
    expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    const { artifactLocation } = result.locations[0]!.physicalLocation;
    expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(artifactLocation.uri).not.toMatch(/^(?:\/|[a-z]+:)/);
  }
  const json = audit('json') as { findings: Array<{ rule: string; file: string; line: number }> };
  const sarifIds = run.results.map((r) => `${r.ruleId} ${decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri)}:${r.locations[0]!.physicalLocation.region.startLine}`);
  expect(sarifIds).toEqual(json.findings.map((f) => `${f.rule} ${f.file}:${f.line}`));
  expect(sarifIds.length).toBe(readExpectations().length);
});
