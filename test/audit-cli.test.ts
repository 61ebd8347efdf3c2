/**
 * `create-kv-secrets audit` as users run it: the BUILT command (npm test builds first) in temporary
 * folders: exit codes, output formats, --ignore, and the folder walk (skipped folders, links out of the
 * tree, binary, huge and malformed files).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/create-kv-secrets.cjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'kvs-audit-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function tree(files: Record<string, string | Buffer>): string {
  const dir = join(scratch, `t${++counter}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function audit(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, 'audit', ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Tr0ub4dor-and-3\n';
const ENV = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      envFrom:\n        - secretRef:\n            name: db\n';

describe('audit: exit codes and formats', () => {
  test('a clean tree: exit 0', () => {
    const dir = tree({ 'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n', 'setup.sh': 'az keyvault create -n kv -g rg --enable-purge-protection\n' });
    const run = audit([], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('No findings in 2 files scanned.\n');
  });

  test('findings: exit 1, one line each, then the fix of each rule found; the value never shown', () => {
    const dir = tree({ 'k8s/secret.yaml': SECRET, 'k8s/pod.yaml': ENV });
    const run = audit([], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('k8s/pod.yaml:7: KVS006 envFrom turns a whole Secret into env vars');
    expect(run.stdout).toContain('k8s/secret.yaml:5: KVS001 Kubernetes Secret "db" holds stringData');
    expect(run.stdout).toContain('k8s/secret.yaml:6: KVS005');
    expect(run.stdout).toMatch(/KVS006 A secret delivered as an environment variable \(1\)[^\n]*\n\s+Fix: [^\n]*create-kv-secrets --app-kind new/);
    expect(run.stdout).not.toContain('Tr0ub4dor');
  });

  test('--format json: every finding with its rule, place, message, title and fix', () => {
    const dir = tree({ 'secret.yaml': SECRET });
    const run = audit(['--format', 'json'], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { files: number; findings: Array<Record<string, unknown>> };
    expect(report.files).toBe(1);
    expect(report.findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual(['KVS001 secret.yaml:5', 'KVS005 secret.yaml:6']);
    expect(report.findings[0]).toMatchObject({ title: 'Kubernetes Secret with data', fix: expect.stringContaining('--app-kind legacy the External Secrets Operator setup') });
    expect(run.stdout).not.toContain('Tr0ub4dor');
  });

  test('--ignore leaves rules out (repeatable, comma separated, any case); a comment suppresses one finding', () => {
    const dir = tree({ 'secret.yaml': SECRET, 'pod.yaml': ENV.replace('        - secretRef:', '        # kvs-audit: ignore KVS006 the vendor image reads env only\n        - secretRef:') });
    expect(audit(['--ignore', 'KVS001', '--ignore', 'kvs005'], dir).code).toBe(0);
    expect(audit(['--ignore', 'KVS001,KVS005'], dir).stdout).toBe('No findings in 2 files scanned.\n');
  });

  test('bad usage: exit 2 with the flag and value named', () => {
    const dir = tree({ 'a.yaml': 'a: b\n' });
    const format = audit(['--format', 'xml'], dir);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format "xml" is not a format; allowed: text, json');
    const ignore = audit(['--ignore', 'KVS9'], dir);
    expect(ignore.code).toBe(2);
    expect(ignore.stderr).toContain('--ignore "KVS9" is not a rule id; allowed: KVS001');
    const path = audit(['nowhere'], dir);
    expect(path.code).toBe(2);
    expect(path.stderr).toContain('"nowhere": no such file or folder');
    // A missing target among files with findings: still bad usage, and no report at all.
    const secretTree = tree({ 's.yaml': SECRET });
    const among = audit(['s.yaml', 'gone/a.yaml', '.', 'nowhere'], secretTree);
    expect(among).toMatchObject({ code: 2, stdout: '' });
    expect(among.stderr).toBe('create-kv-secrets: audit: "gone/a.yaml", "nowhere": no such file or folder\n');
    const flag = audit(['--fix'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--fix'");
  });

  test('--help', () => {
    const run = audit(['--help'], scratch);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('create-kv-secrets audit [path...]');
  });
});

describe('audit: the folder walk', () => {
  test('skips .git, node_modules and vendor; reads files given by name (as pre-commit passes them)', () => {
    const dir = tree({ '.git/x.yaml': SECRET, 'node_modules/p/s.yaml': SECRET, 'vendor/s.yaml': SECRET, 'app/s.yaml': SECRET, 'app/pod.yaml': ENV });
    const all = JSON.parse(audit(['--format', 'json'], dir).stdout) as { files: number; findings: Array<{ file: string }> };
    expect(all.files).toBe(2);
    expect(new Set(all.findings.map((f) => f.file))).toEqual(new Set(['app/s.yaml', 'app/pod.yaml']));
    const named = JSON.parse(audit(['--format', 'json', 'app/pod.yaml'], dir).stdout) as { findings: Array<{ file: string }> };
    expect(named.findings.map((f) => f.file)).toEqual(['app/pod.yaml']);
    // From another folder: targets above it, a file and the folder it is in, by a relative and an
    // absolute path, each file shown relative to where the audit runs, and read once.
    mkdirSync(join(dir, 'docs'));
    const fromBelow = JSON.parse(audit(['--format', 'json', '../app/pod.yaml', join(dir, 'app')], join(dir, 'docs')).stdout) as { files: number; findings: Array<{ file: string; rule: string }> };
    expect(fromBelow.files).toBe(2);
    expect(fromBelow.findings.map((f) => `${f.file} ${f.rule}`)).toEqual(['../app/pod.yaml KVS006', '../app/s.yaml KVS001', '../app/s.yaml KVS005']);
  });

  test('never follows a link out of the tree, and reads a linked folder inside it once', () => {
    const outside = tree({ 'secret.yaml': SECRET });
    const dir = tree({ 'app/pod.yaml': ENV });
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'app', 'linked.yaml'));
    symlinkSync(outside, join(dir, 'outside'));
    symlinkSync(join(dir, 'app'), join(dir, 'again'));
    const run = audit(['--format', 'json'], dir);
    const report = JSON.parse(run.stdout) as { files: number; findings: Array<{ file: string }>; skipped: Array<{ path: string; reason: string }> };
    expect(report.findings.map((f) => f.file)).toEqual(['app/pod.yaml']);
    expect(report.skipped).toEqual(expect.arrayContaining([{ path: 'app/linked.yaml', reason: 'a link out of the scanned tree, not followed' }, { path: 'outside', reason: 'a link out of the scanned tree, not followed' }]));
  });

  test('binary and huge files are skipped with a note; malformed ones are read without crashing', () => {
    const huge = `# ${'x'.repeat(100)}\n`.repeat(12_000);
    const dir = tree({
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]),
      'data.bin': Buffer.from([1, 2, 0, 3]),
      'big.yaml': huge + SECRET,
      'broken.yaml': 'kind: Secret\ndata: {a: [b, {c: \n  "unterminated\n\t- : : -\n[[[[\n',
      'broken.json': '{"kind": "Secret", "data": {"a": "YWJjZGVmZ2g=", ',
      'broken.tf': 'resource "azurerm_key_vault" "x" {\n  name = "${unclosed\n',
      'deep.json': `{"kind": "Secret", "data": ${'['.repeat(5000)}`,
      'crlf.yaml': SECRET.replace(/\n/g, '\r\n'),
      // A NUL past the first 8,000 characters is not a sign of a binary file.
      'late-nul.yaml': `${SECRET}#${'-'.repeat(9000)}\0\n`,
    });
    const run = audit([], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('audit: skipped big.yaml: larger than 1 MB');
    expect(run.stderr).toContain('audit: skipped 2 binary files');
    expect(run.stderr).toContain('audit: skipped deep.json: not audited: nested more than 200 levels deep');
    expect(run.stdout).toContain('crlf.yaml:5: KVS001');
    expect(run.stdout).toContain('late-nul.yaml:5: KVS001');
    expect(run.stdout).toContain('broken.tf:1: KVS004');
    expect(run.stdout).toMatch(/findings in \d+ of 6 files scanned/);
  });
});

test('.pre-commit-hooks.yaml offers the audit as a pre-commit hook that npm can install', async () => {
  const { parse } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
  expect(hooks).toEqual([expect.objectContaining({ id: 'create-kv-secrets-audit', entry: 'create-kv-secrets audit', language: 'node', types: ['text'] })]);
  // pre-commit's node hooks: npm install (dev dependencies too), then npm pack, whose prepack builds dist/.
  expect(Object.keys(pkg.bin)).toContain('create-kv-secrets');
  expect(pkg.scripts.prepack).toBe('npm run build');
  // pre-commit takes npm pack's whole stdout for the tarball's name: the build's banners must not be
  // on it (.npmrc). Tried with pre-commit 3.0.4 and npm 11: `pre-commit try-repo` installs and runs it.
  const config = spawnSync('npm', ['config', 'list'], { cwd: root, encoding: 'utf8' }).stdout;
  const project = config.split(/^; "/m).find((section) => section.startsWith('project" config from'));
  expect(project, config).toMatch(/^foreground-scripts = false$/m);
});

test('what create-kv-secrets generates passes the audit: the golden folders, and an env-reading legacy app with its reason', () => {
  const golden = fileURLToPath(new URL('./golden/', import.meta.url));
  expect(audit([golden], scratch)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^No findings in \d+ files scanned/) });
  const dir = tree({});
  const generate = spawnSync(process.execPath, [BIN, '--yes', '--app', 'legacy', '--namespace', 'legacy', '--resource-group', 'rg', '--cluster', 'aks', '--app-kind', 'legacy', '--legacy-reads', 'env', '--secret', 'db-password', '--out', 'out'], { cwd: dir, encoding: 'utf8' });
  expect(generate.status, generate.stderr).toBe(0);
  expect(audit(['out'], dir)).toMatchObject({ code: 0 });
  expect(audit(['out', '--format', 'json'], dir).stdout).toContain('"findings": []');
});
