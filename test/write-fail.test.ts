/**
 * A file system that fails midway, through the writer's seam (WriterFs; the tests run as root, for whom
 * chmod takes nothing away): every call of a write fails in turn, as a passing fault, a full disk
 * (calls that need space fail from then on) or a dead or read-only disk (every call fails from then on),
 * with ENOSPC, EIO, EACCES or EROFS. Property, for a new folder and for an existing one with an older
 * version and the user's files:
 * - writeFiles returns, and the folder holds exactly the new set (working folders aside); or
 * - it throws TargetError, or WriteError with changed=false, and the folder is exactly as before (its
 *   working folders aside, which a disk gone bad may keep from being removed); or
 * - it throws WriteError with changed=true (the rollback itself failed);
 * and in every case, once the disk is well again, the next run (recovery alone: nothing to write) leaves
 * exactly the old or the new set, with no working folder left.
 *
 * Runs: every call of the realistic plan × 3 modes for each of 2 scenarios (~1000 cases), plus 300
 * random cases over generated scenarios.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { TargetError, WriteError, inspectTarget, writeFiles } from '../src/write/index.js';
import type { OutputFile } from '../src/write/index.js';
import { faultyFs } from './support/write-faulty-fs.js';
import type { FaultMode } from './support/write-faulty-fs.js';
import { USER_FILES, comparable, expectedAfter, olderVersion, realPlan, removeTempRoots, seedExisting, snapshot, tempRoot, workFolders } from './support/write-fixtures.js';

afterAll(removeTempRoots);
/** Thousands of synced writes: on a memory file system where there is one (fsync is free there). */
const FAST_TMP = existsSync('/dev/shm') ? '/dev/shm' : undefined;
const plan = realPlan();
const MODES: FaultMode[] = ['once', 'disk-full', 'everything'];
const CODE_OF: Record<FaultMode, string[]> = { once: ['EIO', 'ENOSPC'], 'disk-full': ['ENOSPC'], everything: ['EROFS', 'EACCES', 'EIO'] };

interface Scenario {
  /** Existing folder: older versions of these files; null: the folder is new. */
  older: OutputFile[] | null;
  /** The user's own files in an existing folder (USER_FILES unless given). */
  user?: Record<string, string>;
  files: OutputFile[];
}

function setUp(scenario: Scenario): { parent: string; root: string } {
  const parent = tempRoot('fail', FAST_TMP);
  const root = join(parent, 'out');
  if (scenario.older) seedExisting(root, scenario.older, scenario.user ?? USER_FILES);
  return { parent, root };
}

/** How many mutating calls a healthy write of the scenario makes. */
function callsOf(scenario: Scenario): number {
  const { root } = setUp(scenario);
  const counting = faultyFs(null);
  writeFiles(root, scenario.files, { force: true, fs: counting.fs });
  return counting.calls();
}

const stats = { cases: 0, succeeded: 0, unchangedError: 0, changedError: 0 };
afterAll(() => console.info(`write-fail: ${JSON.stringify(stats)}`));

function check(scenario: Scenario, failAt: number, mode: FaultMode, code: string): void {
  stats.cases += 1;
  const { parent, root } = setUp(scenario);
  const before = snapshot(root);
  const after = expectedAfter(before, scenario.files);
  const faulty = faultyFs({ failAt, code, mode });
  const context = `fault ${mode} ${code} at call ${failAt}:\n${faulty.log.join('\n')}`;
  let outcome: 'written' | 'unchanged' | 'changed';
  try {
    writeFiles(root, scenario.files, { force: true, fs: faulty.fs });
    outcome = 'written';
  } catch (error) {
    if (error instanceof TargetError) {
      expect(['EACCES', 'EROFS'], context).toContain(code);
      outcome = 'unchanged';
    } else if (error instanceof WriteError) {
      outcome = error.changed ? 'changed' : 'unchanged';
      expect(error.message).toMatch(error.changed ? /run the command again|cannot be rolled back/ : /nothing was changed/);
    } else {
      throw error;
    }
  }
  stats[outcome === 'written' ? 'succeeded' : outcome === 'unchanged' ? 'unchangedError' : 'changedError'] += 1;
  if (outcome === 'written') expect(comparable(snapshot(root, { skipWork: true })), context).toEqual(comparable(after));
  if (outcome === 'unchanged') expect(snapshot(root, { skipWork: true }), context).toEqual(before);
  if (mode === 'once' && outcome !== 'written') {
    expect(outcome, context).toBe('unchanged');
    expect(workFolders(root).concat(workFolders(parent)), context).toEqual([]);
  }
  // The disk is well again: a dry run already sees the recovered state, then recovery alone.
  const dryRun = inspectTarget(root, scenario.files);
  writeFiles(root, [], { force: false });
  const recovered = snapshot(root);
  expect(workFolders(root).concat(workFolders(parent)), context).toEqual([]);
  if (outcome === 'written') expect(comparable(recovered), context).toEqual(comparable(after));
  else expect(recovered, context).toEqual(before);
  expect(inspectTarget(root, scenario.files), context).toEqual(dryRun);
}

describe('every call of a write fails in turn', () => {
  const scenarios: [string, Scenario][] = [
    ['a new folder', { older: null, files: plan }],
    ['an existing folder with an older version of some files and the user files', { older: olderVersion(plan).filter((_, i) => i % 3 !== 0), files: plan }],
  ];
  for (const [label, scenario] of scenarios) {
    test(label, () => {
      const total = callsOf(scenario);
      expect(total).toBeGreaterThan(plan.length * 3);
      for (let failAt = 0; failAt < total; failAt += 1) {
        for (const mode of MODES) for (const code of CODE_OF[mode]) check(scenario, failAt, mode, code);
      }
    }, 60_000);
  }
});

test('random scenarios: which files exist, which folders, and where it fails', () => {
  const scenario = fc.record({
    fresh: fc.boolean(),
    existing: fc.subarray(plan.map((f) => f.path)),
    unchanged: fc.subarray(plan.map((f) => f.path)),
    userFiles: fc.boolean(),
  });
  fc.assert(
    fc.property(scenario, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(...MODES), fc.nat(2), (s, where, mode, c) => {
      const older = s.fresh ? null : plan.filter((f) => s.existing.includes(f.path)).map((f) => (s.unchanged.includes(f.path) ? f : olderVersion([f])[0]!));
      const current: Scenario = { older, files: plan, user: s.userFiles ? USER_FILES : {} };
      const total = callsOf(current);
      if (total === 0) return;
      const codes = CODE_OF[mode];
      check(current, Math.floor(where * total), mode, codes[c % codes.length]!);
    }),
    { numRuns: 300 },
  );
});

test('a read-only target (EROFS on the first call) is a TargetError and changes nothing', () => {
  const { root } = setUp({ older: olderVersion(plan), files: plan });
  const before = snapshot(root);
  expect(() => writeFiles(root, plan, { force: true, fs: faultyFs({ failAt: 0, code: 'EROFS', mode: 'everything' }).fs })).toThrow(/cannot be written \(read-only file system\)/);
  expect(snapshot(root)).toEqual(before);
  expect(Object.keys(USER_FILES).every((p) => before!.has(p))).toBe(true);
});
