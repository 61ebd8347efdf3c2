/**
 * The writer against real file-system limits, where the machine allows mounting (root and `unshare -m`,
 * so the mount is private to one child process and goes away with it; skipped otherwise):
 * - a read-only tmpfs: writing into an existing folder there is a TargetError and changes nothing;
 * - a tiny tmpfs (a real full disk, ENOSPC) of several sizes: the write either completes, or fails with
 *   the folder exactly as it was and no working folder left; once space is freed the next run writes it.
 * The same failures are simulated call by call through the writer's seam in write-fail.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { WriterChild } from './support/write-child.js';
import { USER_FILES, comparable, expectedAfter, largePlan, olderVersion, removeTempRoots, tempRoot } from './support/write-fixtures.js';
import type { Entry } from './support/write-fixtures.js';

const MOUNT_CHILD = `
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { writeFiles } from './writer.mjs';
const [mountPoint, seedPath, planPath, mode, bigger] = process.argv.slice(2);
const target = join(mountPoint, 'out');
function snapshot(root) {
  const out = [];
  const walk = (at) => {
    for (const name of readdirSync(at).sort()) {
      const full = join(at, name);
      const s = lstatSync(full);
      const path = relative(root, full);
      if (s.isDirectory()) { out.push([path, { type: 'dir', mode: 0 }]); walk(full); }
      else out.push([path, { type: 'file', mode: s.mode & 0o777, content: readFileSync(full, 'utf8') }]);
    }
  };
  walk(root);
  return out;
}
for (const file of JSON.parse(readFileSync(seedPath, 'utf8'))) {
  const full = join(target, file.path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, file.content);
  chmodSync(full, file.mode);
}
const before = snapshot(target);
if (mode === 'ro') execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
const files = JSON.parse(readFileSync(planPath, 'utf8'));
let error = null;
try { writeFiles(target, files, { force: true }); } catch (e) { error = { name: e.name, message: e.message, changed: e.changed ?? null }; }
const after = snapshot(target);
const leftovers = readdirSync(target).filter((n) => n.startsWith('.create-kv-secrets-')).concat(readdirSync(mountPoint).filter((n) => n.startsWith('.create-kv-secrets-')));
let retried = null;
if (bigger) {
  execFileSync('mount', ['-o', 'remount,size=' + bigger, mountPoint]);
  writeFiles(target, files, { force: true });
  retried = snapshot(target);
}
process.stdout.write(JSON.stringify({ before, after, error, leftovers, retried }));
`;

const child = new WriterChild();
afterAll(() => {
  child.close();
  removeTempRoots();
});

function canMount(): boolean {
  const dir = tempRoot('mount-probe');
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$1"', 'sh', dir], { encoding: 'utf8' });
  return probe.status === 0;
}
const MOUNTABLE = canMount();

interface Result {
  before: [string, Entry][];
  after: [string, Entry][];
  error: { name: string; message: string; changed: boolean | null } | null;
  leftovers: string[];
  retried: [string, Entry][] | null;
}

function runMounted(size: string, mode: 'ro' | 'full', seed: { path: string; content: string; mode: number }[], plan: ReturnType<typeof largePlan>, bigger = ''): Result {
  const mountPoint = join(tempRoot('mount'), 'mnt');
  mkdirSync(mountPoint);
  const script = child.script('mount-child.mjs', MOUNT_CHILD);
  const result = spawnSync(
    'unshare',
    ['-m', 'sh', '-c', `mount -t tmpfs -o size=${size} tmpfs "$1" && exec "$2" "$3" "$1" "$4" "$5" "$6" "$7"`, 'sh', mountPoint, process.execPath, script, child.planFile(seed as never), child.planFile(plan), mode, bigger],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Result;
}

const seedFiles = (plan: ReturnType<typeof largePlan>) => [
  ...olderVersion(plan).filter((_, i) => i % 2 === 0),
  ...Object.entries(USER_FILES).map(([path, content]) => ({ path, content, mode: 0o600 })),
];
const sorted = (entries: [string, Entry][]) => comparable(new Map(entries));

describe.skipIf(!MOUNTABLE)('real limits: a private tmpfs (unshare -m)', () => {
  test('a read-only file system: TargetError, nothing changed', () => {
    const plan = largePlan(20, 1024);
    const result = runMounted('4m', 'ro', seedFiles(plan), plan);
    expect(result.error?.name).toBe('TargetError');
    expect(result.error?.message).toMatch(/read-only file system/);
    expect(result.after).toEqual(result.before);
  });

  test('a full disk at several sizes: complete, or exactly as before; and complete once there is room', () => {
    const plan = largePlan(60, 16 * 1024);
    const seed = seedFiles(plan);
    const outcomes: string[] = [];
    for (const size of ['400k', '520k', '640k', '760k', '880k', '1m', '1200k', '4m']) {
      const result = runMounted(size, 'full', seed, plan, '16m');
      const expected = sorted([...expectedAfter(new Map(result.before), plan).entries()]);
      if (result.error) {
        expect(result.error.name, `${size}: ${result.error.message}`).toBe('WriteError');
        expect(result.error.changed, size).toBe(false);
        expect(result.error.message, size).toMatch(/ENOSPC|no space left/i);
        expect(result.after, size).toEqual(result.before);
        expect(result.leftovers, size).toEqual([]);
      } else {
        expect(sorted(result.after), size).toEqual(expected);
      }
      expect(sorted(result.retried!), size).toEqual(expected);
      outcomes.push(`${size}: ${result.error ? 'ENOSPC, unchanged' : 'written'}`);
    }
    console.info(`write-mount: ${outcomes.join('; ')}`);
    expect(outcomes.some((o) => o.includes('ENOSPC'))).toBe(true);
    expect(outcomes.some((o) => o.includes('written'))).toBe(true);
  });
});

test('mounting is available here, or the tests above say they were skipped', () => {
  if (!MOUNTABLE) console.warn('write-mount: unshare/mount not permitted here; the real read-only and full-disk cases were skipped');
  expect(typeof MOUNTABLE).toBe('boolean');
});
