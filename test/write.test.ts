/**
 * The writer on a real file system, in process: targets that are files or links, links inside the
 * target (a linked sub-folder, a link at a file's path, dangling links), links planted while writing,
 * leftovers of crashed runs (cleaned, or ignored while their process runs), and --force overwriting only
 * generated files. Failures of the file system itself: write-fail.test.ts; crashes: write-crash.test.ts.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConflictError, TargetError, WriteError, inspectTarget, writeFiles } from '../src/write/index.js';
import type { OutputFile } from '../src/write/index.js';
import { faultyFs } from './support/write-faulty-fs.js';
import { USER_FILES, comparable, expectedAfter, olderVersion, realPlan, removeTempRoots, seedExisting, snapshot, tempRoot, workFolders, writeTree } from './support/write-fixtures.js';

afterAll(removeTempRoots);
const plan = realPlan();

/** A folder outside the target, with a file the writer must never touch. */
function elsewhere(): { dir: string; victim: string; before: ReturnType<typeof snapshot> } {
  const dir = join(tempRoot('elsewhere'), 'outside');
  mkdirSync(dir);
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  writeFileSync(join(dir, 'deployment.yaml'), 'mine\n');
  return { dir, victim, before: snapshot(dir) };
}

describe('a new folder', () => {
  test('is written whole, with modes, and nothing is left beside it', () => {
    const parent = tempRoot();
    const target = join(parent, 'a', 'b', 'out');
    const reports = writeFiles(target, plan, { force: false });
    expect(reports.every((r) => r.status === 'create')).toBe(true);
    expect(comparable(snapshot(target))).toEqual(comparable(expectedAfter(null, plan)));
    expect(workFolders(join(parent, 'a', 'b'))).toEqual([]);
    // Again: every file unchanged, nothing touched.
    const mtimes = plan.map((f) => lstatSync(join(target, f.path)).mtimeMs);
    expect(writeFiles(target, plan, { force: false }).every((r) => r.status === 'unchanged')).toBe(true);
    expect(plan.map((f) => lstatSync(join(target, f.path)).mtimeMs)).toEqual(mtimes);
  });

  test('a target that is a file, or under a file, is refused and left alone', () => {
    const parent = tempRoot();
    const file = join(parent, 'file.txt');
    writeFileSync(file, 'x');
    for (const target of [file, join(file, 'out')]) {
      expect(() => inspectTarget(target, plan)).toThrow(TargetError);
      expect(() => writeFiles(target, plan, { force: true })).toThrow(TargetError);
    }
    expect(readFileSync(file, 'utf8')).toBe('x');
    expect(readdirSync(parent)).toEqual(['file.txt']);
  });

  test('a target that is a symbolic link is refused, whatever it points at', () => {
    const outside = elsewhere();
    const parent = tempRoot();
    const link = join(parent, 'out');
    symlinkSync(outside.dir, link);
    expect(() => writeFiles(link, plan, { force: true })).toThrow(/symbolic link/);
    symlinkSync(join(parent, 'missing'), join(parent, 'dangling'));
    expect(() => writeFiles(join(parent, 'dangling'), plan, { force: true })).toThrow(TargetError);
    expect(snapshot(outside.dir)).toEqual(outside.before);
    expect(existsSync(join(parent, 'missing'))).toBe(false);
  });
});

describe('links inside an existing folder are never followed', () => {
  const cases: [string, (root: string, outside: string, victim: string) => void][] = [
    ['a linked sub-folder (k8s -> elsewhere)', (root, outside) => symlinkSync(outside, join(root, 'k8s'))],
    ['a link at a file path (README.md -> a file elsewhere)', (root, _outside, victim) => (rmSync(join(root, 'README.md')), symlinkSync(victim, join(root, 'README.md')))],
    ['a dangling link at a file path', (root, outside) => symlinkSync(join(outside, 'new-file'), join(root, 'k8s', 'deployment.yaml'))],
    ['a link to a file inside the folder', (root) => symlinkSync(join(root, 'notes.txt'), join(root, 'azure', 'setup.sh'))],
    ['a linked folder deeper down (azure -> elsewhere)', (root, outside) => symlinkSync(outside, join(root, 'azure'))],
  ];
  for (const [label, plant] of cases) {
    test(label, () => {
      const outside = elsewhere();
      const root = tempRoot();
      // The user's files put k8s/ and azure/ there; the link replaces one of them where it is a folder.
      seedExisting(root, olderVersion(plan).filter((f) => !f.path.startsWith('k8s/') && !f.path.startsWith('azure/')));
      if (label.includes('k8s ->')) rmSync(join(root, 'k8s'), { recursive: true });
      if (label.includes('azure ->')) rmSync(join(root, 'azure'), { recursive: true });
      plant(root, outside.dir, outside.victim);
      const before = snapshot(root);
      expect(() => inspectTarget(root, plan)).toThrow(TargetError);
      for (const force of [false, true]) expect(() => writeFiles(root, plan, { force })).toThrow(/symbolic link/);
      expect(snapshot(root)).toEqual(before);
      expect(snapshot(outside.dir)).toEqual(outside.before);
    });
  }

  test('a link planted while the new files are prepared is caught before any rename', () => {
    const outside = elsewhere();
    const root = tempRoot();
    seedExisting(root, olderVersion(plan));
    const before = snapshot(root);
    // The link is planted at the first hard link of an original: after every check of the first pass,
    // before the switch.
    let planted = false;
    const real = faultyFs(null).fs;
    const planting = {
      ...real,
      linkSync: (a: string, b: string) => {
        if (!planted) {
          planted = true;
          renameSync(join(root, 'k8s'), join(root, 'k8s-moved'));
          symlinkSync(outside.dir, join(root, 'k8s'));
        }
        real.linkSync(a, b);
      },
    };
    expect(() => writeFiles(root, plan, { force: true, fs: planting })).toThrow(/symbolic link/);
    expect(planted).toBe(true);
    expect(snapshot(outside.dir)).toEqual(outside.before);
    // Undo the planting: the rest of the folder is exactly as it was.
    rmSync(join(root, 'k8s'));
    renameSync(join(root, 'k8s-moved'), join(root, 'k8s'));
    expect(snapshot(root)).toEqual(before);
  });
});

describe('an existing folder', () => {
  test('a file another program creates at a generated path while we write is kept, and nothing changes', () => {
    const root = tempRoot();
    seedExisting(root, olderVersion(plan).filter((f) => f.path !== 'README.md'));
    const before = snapshot(root);
    const real = faultyFs(null).fs;
    let created = false;
    const racing = {
      ...real,
      linkSync: (a: string, b: string) => {
        if (!created) {
          created = true;
          writeFileSync(join(root, 'README.md'), 'theirs\n');
        }
        real.linkSync(a, b);
      },
    };
    expect(() => writeFiles(root, plan, { force: true, fs: racing })).toThrow(/appeared while writing/);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe('theirs\n');
    rmSync(join(root, 'README.md'));
    expect(snapshot(root)).toEqual(before);
  });

  test('without --force, a changed file is a conflict and nothing is written', () => {
    const root = tempRoot();
    seedExisting(root, olderVersion(plan).slice(0, 3));
    const before = snapshot(root);
    expect(() => writeFiles(root, plan, { force: false })).toThrow(ConflictError);
    expect(snapshot(root)).toEqual(before);
  });

  test('--force overwrites the generated files and nothing else', () => {
    const root = tempRoot();
    const older = olderVersion(plan).slice(0, 4);
    seedExisting(root, older);
    const before = snapshot(root);
    const reports = writeFiles(root, plan, { force: true });
    expect(reports.filter((r) => r.status === 'change').map((r) => r.path)).toEqual(older.map((f) => f.path));
    expect(comparable(snapshot(root))).toEqual(comparable(expectedAfter(before, plan)));
    for (const [path, content] of Object.entries(USER_FILES)) {
      expect(readFileSync(join(root, path), 'utf8')).toBe(content);
      expect(lstatSync(join(root, path)).mode & 0o777).toBe(0o600);
    }
    expect(workFolders(root)).toEqual([]);
  });

  test('a generated path that is a folder, or whose parent is a file, is refused', () => {
    for (const blocker of ['README.md/', 'k8s']) {
      const root = tempRoot();
      seedExisting(root, [], {});
      if (blocker.endsWith('/')) mkdirSync(join(root, blocker));
      else writeFileSync(join(root, blocker), 'a file where a folder goes\n');
      const before = snapshot(root);
      expect(() => writeFiles(root, plan, { force: true })).toThrow(TargetError);
      expect(snapshot(root)).toEqual(before);
    }
  });

  test('identical content with other bytes (invalid UTF-8) is a change, not unchanged', () => {
    const root = tempRoot();
    const file: OutputFile = { path: 'a.txt', content: 'x\uFFFDy', mode: 0o644 };
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'a.txt'), Buffer.from([0x78, 0xff, 0x79]));
    expect(inspectTarget(root, [file])).toEqual([{ path: 'a.txt', status: 'change' }]);
  });
});

describe('leftovers of crashed runs', () => {
  /** A transaction as a run killed during its switch leaves it: originals linked to old/, some files renamed in. */
  function crashedTransaction(root: string, pid: number, files: OutputFile[], older: OutputFile[], switched: number): string {
    const tx = join(root, `.create-kv-secrets-tx-${pid}-deadbeef`);
    const entries = files.map((f) => ({ path: f.path, existed: older.some((o) => o.path === f.path), sha256: sha(f.content) }));
    writeTree(join(tx, 'new'), files);
    for (const entry of entries.filter((e) => e.existed)) {
      mkdirSync(join(tx, 'old', ...entry.path.split('/').slice(0, -1)), { recursive: true });
      writeFileSync(join(tx, 'old', entry.path), readFileSync(join(root, entry.path)));
      chmodSync(join(tx, 'old', entry.path), lstatSync(join(root, entry.path)).mode & 0o777);
    }
    writeFileSync(join(tx, 'journal.json'), JSON.stringify({ version: 1, files: entries, folders: [] }));
    for (const file of files.slice(0, switched)) renameSync(join(tx, 'new', file.path), join(root, file.path));
    return tx;
  }
  const sha = (s: string) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

  test('an uncommitted transaction of a dead process is rolled back before anything else', () => {
    const root = tempRoot();
    const older = olderVersion(plan);
    seedExisting(root, older);
    const before = snapshot(root);
    crashedTransaction(root, 2 ** 22 + 12345, plan, older, 4);
    expect(snapshot(root, { skipWork: true })).not.toEqual(before);
    // A dry run already reports against the rolled-back state.
    expect(inspectTarget(root, plan).every((r) => r.status === 'change')).toBe(true);
    // Recovery alone (nothing to write): the folder is exactly as before the crashed run.
    writeFiles(root, [], { force: false });
    expect(snapshot(root)).toEqual(before);
  });

  test('a committed transaction is only removed; a build folder beside the target too', () => {
    const parent = tempRoot();
    const root = join(parent, 'out');
    seedExisting(root, plan);
    const tx = join(root, '.create-kv-secrets-tx-4194999-cafe');
    mkdirSync(join(tx, 'old'), { recursive: true });
    writeFileSync(join(tx, 'committed.json'), '{}');
    const staging = join(parent, '.create-kv-secrets-staging-4194999-cafe');
    writeTree(staging, plan.slice(0, 2));
    const legacy = join(root, '.create-kv-secrets-staging-4194999-1700000000000-1');
    writeTree(legacy, plan.slice(0, 1));
    const before = snapshot(root, { skipWork: true });
    expect(writeFiles(root, plan, { force: false }).every((r) => r.status === 'unchanged')).toBe(true);
    expect(snapshot(root)).toEqual(before);
    expect(workFolders(parent)).toEqual([]);
  });

  test("a running write's folders are left alone, until they are far too old", async () => {
    const parent = tempRoot();
    const root = join(parent, 'out');
    seedExisting(root, plan);
    const sleeper = spawn('sleep', ['30']);
    try {
      const live = join(root, `.create-kv-secrets-tx-${sleeper.pid}-feed`);
      writeTree(live, [{ path: 'journal.json', content: '{"version":1,"files":[],"folders":[]}' }]);
      const liveStaging = join(parent, `.create-kv-secrets-staging-${sleeper.pid}-feed`);
      mkdirSync(liveStaging);
      writeFiles(root, plan, { force: false });
      expect(existsSync(live) && existsSync(liveStaging)).toBe(true);
      const old = new Date(Date.now() - 60 * 60 * 1000);
      utimesSync(live, old, old);
      utimesSync(liveStaging, old, old);
      writeFiles(root, plan, { force: false });
      expect(workFolders(root)).toEqual([]);
      expect(workFolders(parent)).toEqual([]);
    } finally {
      sleeper.kill();
    }
  });

  test('a journal that names a path outside the folder is refused, and nothing is touched', () => {
    const outside = elsewhere();
    const root = tempRoot();
    seedExisting(root, plan);
    const tx = join(root, '.create-kv-secrets-tx-4194998-bad');
    mkdirSync(tx);
    writeFileSync(join(tx, 'journal.json'), JSON.stringify({ version: 1, files: [{ path: '../outside/victim.txt', existed: false, sha256: sha('precious\n') }], folders: [] }));
    const before = snapshot(root);
    expect(() => writeFiles(root, plan, { force: true })).toThrow(WriteError);
    expect(() => inspectTarget(root, plan)).toThrow();
    expect(snapshot(root)).toEqual(before);
    expect(snapshot(outside.dir)).toEqual(outside.before);
  });

  test('a link named like a working folder is not ours: never followed, never removed', () => {
    const outside = elsewhere();
    const parent = tempRoot();
    const root = join(parent, 'out');
    seedExisting(root, plan);
    symlinkSync(outside.dir, join(root, '.create-kv-secrets-tx-4194997-link'));
    symlinkSync(outside.dir, join(parent, '.create-kv-secrets-staging-4194997-link'));
    writeFiles(root, plan, { force: true });
    expect(lstatSync(join(root, '.create-kv-secrets-tx-4194997-link')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(parent, '.create-kv-secrets-staging-4194997-link')).isSymbolicLink()).toBe(true);
    expect(snapshot(outside.dir)).toEqual(outside.before);
  });
});
