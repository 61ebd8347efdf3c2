/**
 * The published package works on its own: `npm pack`, then in an empty folder with no network and an
 * empty npm cache, `npx ./create-kv-secrets-*.tgz` generates exactly what the repo build generates.
 * `npm test` builds dist/ first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTree } from './support/golden.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FLAGS = ['--yes', '--app', 'web', '--namespace', 'web', '--resource-group', 'rg-web', '--cluster', 'aks1', '--secret', 'db-password', '--secret', 'tls-cert:cert'];

describe('the packed tarball', () => {
  const work = mkdtempSync(join(tmpdir(), 'kv-pack-'));
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  ) as { filename: string; files: { path: string }[] }[];

  it('ships the launcher and the bundle only, with no runtime dependencies', () => {
    const paths = packed!.files.map((f) => f.path).sort();
    expect(paths).toContain('bin/create-kv-secrets.cjs');
    expect(paths).toContain('dist/create-kv-secrets.cjs');
    expect(paths.filter((p) => !/^(bin\/|dist\/|package\.json$|README\.md$|LICENSE$)/.test(p))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: object };
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('generates, offline from an empty cache, the same folder as the repo build', () => {
    const empty = mkdtempSync(join(tmpdir(), 'kv-npx-'));
    const env = { ...process.env, npm_config_cache: join(empty, '.npm-cache'), npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    // A relative path (./ or ../) is what makes npx read the argument as a package, not a command.
    const tarball = relative(empty, join(work, packed!.filename));
    const fromTarball = spawnSync('npx', ['--yes', tarball, ...FLAGS, '--out', 'from-tarball'], { cwd: empty, env, encoding: 'utf8' });
    expect(fromTarball.status, fromTarball.stderr).toBe(0);
    const fromRepo = spawnSync(process.execPath, [join(root, 'bin', 'create-kv-secrets.cjs'), ...FLAGS, '--out', 'from-repo'], { cwd: empty, encoding: 'utf8' });
    expect(fromRepo.status, fromRepo.stderr).toBe(0);
    const expected = readTree(join(empty, 'from-repo'));
    expect(expected.size).toBe(10); // nine files and the record of them
    expect(readTree(join(empty, 'from-tarball'))).toEqual(expected);
  }, 120_000);

  it('prints commands of ours as the user started it: npx, a global install of the tarball, a clone', () => {
    const empty = mkdtempSync(join(tmpdir(), 'kv-name-'));
    const env = { ...process.env, npm_config_cache: join(empty, '.npm-cache'), npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    const tarball = relative(empty, join(work, packed!.filename));
    // --apply with --dry-run is a usage error whose message tells the command to run instead.
    const hint = (run: { status: number | null; stderr: string }) => {
      expect(run.status, run.stderr).toBe(2);
      return /then: (.*) apply DIR --dry-run/.exec(run.stderr)?.[1];
    };
    expect(hint(spawnSync('npx', ['--yes', tarball, '--apply', '--dry-run'], { cwd: empty, env, encoding: 'utf8' }))).toBe('npx create-kv-secrets');

    // README: `npm pack`, then `npm install -g ./create-kv-secrets-*.tgz` (here into a prefix of its own).
    const prefix = join(empty, 'global');
    const install = spawnSync('npm', ['install', '-g', `./${tarball}`], { cwd: empty, env: { ...env, npm_config_prefix: prefix }, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    expect(hint(spawnSync(join(prefix, 'bin', 'create-kv-secrets'), ['--apply', '--dry-run'], { cwd: empty, encoding: 'utf8' }))).toBe('create-kv-secrets');

    expect(hint(spawnSync(process.execPath, [join('bin', 'create-kv-secrets.cjs'), '--apply', '--dry-run'], { cwd: root, encoding: 'utf8' }))).toBe('node bin/create-kv-secrets.cjs');
  }, 120_000);
});
