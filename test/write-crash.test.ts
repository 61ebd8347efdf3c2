/**
 * A write killed midway (SIGKILL: nothing of ours runs afterwards). A child process writes a plan with
 * --force into a temporary target, on the real file system:
 * - killed right before each of its file-system calls in turn, from the first to the last (every point
 *   between two calls, exactly);
 * - killed from outside at random moments while it writes a large plan (120 files, up to 24 KiB each).
 * Right after the kill: a new target is absent or complete; in an existing folder every user file is as
 * it was, and every generated file is whole, old or new (never partly written). Then the next run
 * (recovery alone) leaves exactly the old set or the new set, with no working folder left, as a dry run
 * had already reported; and a write after it gives the new set.
 *
 * Runs: every call of the guide's folder (new and existing target, ~100 kills), plus KILL_RUNS random
 * kills (default 40) of the large plan, half into an existing folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { inspectTarget, writeFiles } from '../src/write/index.js';
import type { OutputFile } from '../src/write/index.js';
import { WriterChild } from './support/write-child.js';
import { USER_FILES, comparable, expectedAfter, largePlan, olderVersion, realPlan, removeTempRoots, seedExisting, snapshot, tempRoot, workFolders } from './support/write-fixtures.js';
import type { Entry } from './support/write-fixtures.js';

const KILL_RUNS = Number(process.env['KILL_RUNS'] ?? 40);
const child = new WriterChild();
afterAll(() => {
  child.close();
  removeTempRoots();
});

interface Scenario {
  older: OutputFile[] | null;
  files: OutputFile[];
}

/**
 * Targets live on a memory file system when there is one (KV_WRITE_TMP to choose another): a SIGKILL
 * loses nothing the kernel already has, so the page cache behaves as a disk would, and the ~2000 synced
 * writes take seconds instead of a minute.
 */
const TMP = process.env['KV_WRITE_TMP'] ?? (existsSync('/dev/shm') ? '/dev/shm' : undefined);

function setUp(scenario: Scenario) {
  const parent = tempRoot('crash', TMP);
  const root = join(parent, 'out');
  if (scenario.older) seedExisting(root, scenario.older);
  const before = snapshot(root);
  return { parent, root, before, after: expectedAfter(before, scenario.files) };
}

const stats = { kills: 0, old: 0, new: 0, absent: 0 };
afterAll(() => console.info(`write-crash: ${JSON.stringify(stats)}`));

/** What must hold right after the kill, and after the next run recovers. */
function checkAfterKill(scenario: Scenario, at: ReturnType<typeof setUp>, label: string): void {
  stats.kills += 1;
  const { parent, root, before, after } = at;
  const now = snapshot(root, { skipWork: true });
  if (!scenario.older) {
    // A new folder appears in one rename: absent or complete.
    if (now !== null) expect(comparable(now), label).toEqual(comparable(after));
  } else {
    for (const [path, content] of Object.entries(USER_FILES)) expect(now!.get(path), `${label}: user file ${path}`).toEqual(before!.get(path));
    for (const [path, entry] of now!) {
      const allowed: (Entry | undefined)[] = [before!.get(path), after.get(path)];
      if (entry.type === 'dir') expect(allowed.some((a) => a?.type === 'dir'), `${label}: ${path}`).toBe(true);
      else expect(allowed, `${label}: ${path} is neither old nor new`).toContainEqual(entry);
    }
  }

  const dryRun = inspectTarget(root, scenario.files);
  writeFiles(root, [], { force: false });
  const recovered = snapshot(root);
  expect(workFolders(root).concat(workFolders(parent)), label).toEqual([]);
  const isOld = recovered === null ? before === null : before !== null && comparable(recovered)!.length === comparable(before)!.length && JSON.stringify(comparable(recovered)) === JSON.stringify(comparable(before));
  const isNew = recovered !== null && JSON.stringify(comparable(recovered)) === JSON.stringify(comparable(after));
  expect(isOld || isNew, `${label}: after recovery the folder is neither the old nor the new set`).toBe(true);
  stats[recovered === null ? 'absent' : isNew ? 'new' : 'old'] += 1;
  if (recovered !== null) expect(inspectTarget(root, scenario.files), `${label}: the dry run before recovery`).toEqual(dryRun);

  writeFiles(root, scenario.files, { force: true });
  expect(comparable(snapshot(root)), label).toEqual(comparable(after));
}

describe('killed right before each file-system call in turn', () => {
  const plan = realPlan();
  const scenarios: [string, Scenario][] = [
    ['a new folder', { older: null, files: plan }],
    ['an existing folder with an older version and the user files', { older: olderVersion(plan).filter((_, i) => i % 3 !== 1), files: plan }],
  ];
  for (const [label, scenario] of scenarios) {
    test(label, async () => {
      const planPath = child.planFile(scenario.files);
      const dry = setUp(scenario);
      const full = await child.run(planPath, dry.root);
      const total = Number(/^done (\d+)$/m.exec(full.output)?.[1]);
      expect(total, full.output).toBeGreaterThan(scenario.files.length * 3);
      for (let killAt = 0; killAt <= total; killAt += 1) {
        const at = setUp(scenario);
        const result = await child.run(planPath, at.root, killAt);
        if (killAt < total) expect(result.signal, result.output).toBe('SIGKILL');
        else expect(result.code, result.output).toBe(0);
        checkAfterKill(scenario, at, `${label}, killed before call ${killAt} of ${total}`);
      }
    }, 120_000);
  }
});

describe('killed from outside at random moments', () => {
  const plan = largePlan();
  const scenarios: [string, Scenario][] = [
    ['a new folder', { older: null, files: plan }],
    ['an existing folder', { older: olderVersion(plan).filter((_, i) => i % 4 !== 3), files: plan }],
  ];
  for (const [label, scenario] of scenarios) {
    test(`${label}: ${KILL_RUNS / 2} kills`, async () => {
      const planPath = child.planFile(scenario.files);
      const timing = setUp(scenario);
      const run = child.start(planPath, timing.root);
      await run.started;
      const writeStart = Date.now();
      expect((await run.exit).code).toBe(0);
      const duration = Math.max(5, Date.now() - writeStart);
      let seed = 12345;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let i = 0; i < KILL_RUNS / 2; i += 1) {
        const at = setUp(scenario);
        const attempt = child.start(planPath, at.root);
        await attempt.started;
        const delay = random() * duration * 1.2;
        await new Promise((r) => setTimeout(r, delay));
        attempt.child.kill('SIGKILL');
        await attempt.exit;
        checkAfterKill(scenario, at, `${label}, killed ${delay.toFixed(1)} ms into a ${duration} ms write (run ${i})`);
      }
    }, 120_000);
  }
});
