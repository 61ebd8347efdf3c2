/**
 * The launcher (src/launch, built to dist/launch.cjs) as a user meets it: the built command, run as a
 * process. It keeps a V8 code cache in the user's cache folder; these tests hold it to what it promises:
 * the cache is the user's own (0700 folder, 0600 file), a cache it cannot trust or use is never run and
 * is replaced, a cache folder it cannot write costs nothing but speed, NODE_DISABLE_COMPILE_CACHE turns
 * it off. And a generation loads of the libraries kept in dist/vendor/ the YAML library only.
 * `npm test` builds dist/ first.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'create-kv-secrets.cjs');
const FLAGS = ['--yes', '--app', 'web', '--namespace', 'web', '--resource-group', 'rg-web', '--cluster', 'aks1', '--secret', 'db-password'];
const scratch = mkdtempSync(join(tmpdir(), 'kv-launch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let runs = 0;
/** Generates a folder with the cache under `cacheHome`; returns the run and the folder it wrote. */
function generate(cacheHome: string, extraEnv: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []) {
  const out = join(scratch, `out-${++runs}`);
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome };
  delete env['NODE_DISABLE_COMPILE_CACHE'];
  Object.assign(env, extraEnv);
  const result = spawnSync(process.execPath, [...nodeArgs, BIN, ...FLAGS, '--out', out], { cwd: scratch, env, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  expect(readdirSync(join(out, 'k8s')).sort()).toEqual(['deployment.yaml', 'kustomization.yaml', 'secretproviderclass.yaml', 'serviceaccount.yaml']);
  return { result, out };
}

const cacheFiles = (cacheHome: string) => readdirSync(join(cacheHome, 'create-kv-secrets')).filter((name) => name.endsWith('.cache'));

describe('the compile cache', () => {
  it('is written by the first run, private to the user, and used as it is by the next', () => {
    const home = mkdtempSync(join(scratch, 'cache-'));
    generate(home);
    const [file, ...others] = cacheFiles(home);
    expect(others).toEqual([]);
    expect(file).toMatch(new RegExp(`^[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.cache$`));
    const path = join(home, 'create-kv-secrets', file!);
    expect(statSync(join(home, 'create-kv-secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const first = statSync(path);
    generate(home);
    const second = statSync(path);
    // Accepted by V8, so not written again.
    expect([second.ino, second.mtimeMs]).toEqual([first.ino, first.mtimeMs]);
  });

  it('a cache V8 cannot use (garbage, another Node) is not run, and is replaced', () => {
    const home = mkdtempSync(join(scratch, 'cache-'));
    generate(home);
    const [file] = cacheFiles(home);
    const path = join(home, 'create-kv-secrets', file!);
    const garbage = Buffer.alloc(4096, 0x5a);
    writeFileSync(path, garbage, { mode: 0o600 });
    generate(home);
    expect(readFileSync(path).equals(garbage)).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('a cache others could have written is never read, and is replaced by a private one', () => {
    const home = mkdtempSync(join(scratch, 'cache-'));
    generate(home);
    const [file] = cacheFiles(home);
    const path = join(home, 'create-kv-secrets', file!);
    const before = statSync(path);
    chmodSync(path, 0o666);
    generate(home);
    const after = statSync(path);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
  });

  it('drops the caches of other versions when it writes its own', () => {
    const home = mkdtempSync(join(scratch, 'cache-'));
    mkdirSync(join(home, 'create-kv-secrets'), { mode: 0o700 });
    writeFileSync(join(home, 'create-kv-secrets', '0000000000000000-v20.0.0-x64.cache'), 'old', { mode: 0o600 });
    writeFileSync(join(home, 'create-kv-secrets', 'notes.txt'), 'not ours to remove');
    generate(home);
    expect(cacheFiles(home)).toHaveLength(1);
    expect(cacheFiles(home)[0]).not.toMatch(/^0{16}/);
    expect(readdirSync(join(home, 'create-kv-secrets'))).toContain('notes.txt');
  });

  it('a cache folder that cannot be made costs nothing but speed', () => {
    const blocker = join(scratch, 'a-file');
    writeFileSync(blocker, '');
    const { result } = generate(blocker);
    expect(result.stderr).toBe('');
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 turns it off', () => {
    const home = mkdtempSync(join(scratch, 'cache-'));
    generate(home, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('what a run loads', () => {
  // Records every file the process requires, through Node's own CommonJS loader.
  const hook = join(scratch, 'record-requires.cjs');
  writeFileSync(
    hook,
    `const Module = require('node:module'); const { appendFileSync } = require('node:fs');
const load = Module._load;
Module._load = function (request, parent, isMain) { appendFileSync(process.env.KV_REQUIRES_LOG, request + '\\n'); return load.apply(this, arguments); };`,
  );
  /** The files a run of `args` requires; `env` on top of this process's. */
  const requiresOfRun = (args: string[], status = 0, env: NodeJS.ProcessEnv = {}) => {
    const log = join(scratch, `requires-${++runs}.log`);
    writeFileSync(log, '');
    const result = spawnSync(process.execPath, ['--require', hook, BIN, ...args], {
      cwd: scratch,
      env: { ...process.env, KV_REQUIRES_LOG: log, NODE_DISABLE_COMPILE_CACHE: '1', ...env },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(status);
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  };
  const requiresOf = (extraArgs: string[]) => {
    const out = join(scratch, `out-${++runs}`);
    return { requires: requiresOfRun([...FLAGS, ...extraArgs, '--out', out]), out };
  };
  const vendored = (requires: string[]) => [...new Set(requires.filter((r) => r.includes('vendor/')))].sort();

  it('a generation, from flags or --config, loads the YAML library (the check of what it writes), not the prompts nor execa', () => {
    const { requires, out } = requiresOf([]);
    expect(vendored(requires)).toEqual(['./vendor/yaml.cjs']);
    expect(requires).toContain('../dist/launch.cjs');
    expect(vendored(requiresOf(['--config', join(out, 'kv-secrets.yaml'), '--force']).requires)).toEqual(['./vendor/yaml.cjs']);
  });

  it('apply loads execa to start its programs (here: no az on the PATH, so its first check fails)', () => {
    const { out } = requiresOf([]);
    const requires = requiresOfRun(['apply', out, '--dry-run', '--yes'], 1, { PATH: '/nonexistent' });
    expect(vendored(requires)).toEqual(['./vendor/execa.cjs', './vendor/yaml.cjs']);
  });

  it('dist/vendor/yaml.cjs has every name src/ imports from yaml, and reads YAML with it', async () => {
    const { yamlImportNames } = (await import('../scripts/yaml-imports.mjs' as string)) as { yamlImportNames: (root: string) => string[] };
    const imported = yamlImportNames(ROOT);
    expect(imported.length).toBeGreaterThan(3);
    const vendor = createRequire(import.meta.url)(join(ROOT, 'dist', 'vendor', 'yaml.cjs')) as Record<string, unknown>;
    expect(Object.keys(vendor).sort()).toEqual(imported);
    const { parseAllDocuments } = vendor as { parseAllDocuments: (text: string) => { toJS(): unknown }[] };
    expect(parseAllDocuments('a: 1\n---\n- b\n').map((d) => d.toJS())).toEqual([{ a: 1 }, ['b']]);
  });
});
