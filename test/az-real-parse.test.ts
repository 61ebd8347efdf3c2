/**
 * Every az command line the tool can produce, through the real Azure CLI's parser (issue 16).
 *
 * The lines are recorded, not listed: generated setup.sh scripts of every kind, `apply` (its
 * preflight), `doctor`, `teardown` and the walk's lookups run against the stand-ins
 * (test/support/az-recording.ts), and one line of each shape goes to the real az (Debian's
 * azure-cli 2.45, which CI installs), signed out, in a config folder of its own, stdin closed
 * (test/support/real-az.ts). az parses a whole line before it asks for a login: "Please run 'az
 * login'" means accepted; a usage error fails the test, naming the line.
 *
 * What az 2.45 cannot tell:
 * - flags and commands newer than 2.45 (test/support/az-newer-flags.ts, each with the version that
 *   added it): stripped (or, for a command group, skipped); any other flag 2.45 does not know fails;
 * - commands whose arguments Debian's az cannot even load (KNOWN_CRASHES below): listed as not
 *   checkable, and only those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp } from './support/apply-harness.js';
import { distinctShapes, recordAzCalls } from './support/az-recording.js';
import type { Recording } from './support/az-recording.js';
import { CI_AZ_VERSION, NEWER_THAN_CI_AZ, commandOf, compareVersions, newerUsedBy, withoutNewerFlags } from './support/az-newer-flags.js';
import { RealAzRunner, pooled, realAz } from './support/real-az.js';
import type { Verdict } from './support/real-az.js';

/**
 * Crashes of Debian's azure-cli 2.45 while it loads a command's arguments, before it parses the line:
 * its packaged Python libraries are not the ones that az release was built with.
 */
const KNOWN_CRASHES = [
  {
    commands: /^keyvault (secret|key|certificate) /,
    message: "ERROR: No module named 'azure.keyvault.v7_0'",
    why: 'the azure-keyvault data-plane library is not packaged',
  },
  {
    commands: /^network /,
    message: "ERROR: 'NoneType' object has no attribute 'standard_medium'",
    why: "the packaged azure-mgmt-network lacks the models az 2.45's network/_params.py loads its arguments with",
  },
];

const az = realAz();
const IN_CI = process.env.CI === 'true';
if (!az && !IN_CI) console.warn('test/az-real-parse.test.ts skipped: no az on the PATH (install Debian\'s azure-cli to run it; in CI, with CI=true, it fails instead)');
/** Real az starts Python each call (about a second of CPU): a few at a time, on two cores shared with the other test files. */
const PARALLEL = 3;

interface Checked {
  shape: string;
  argv: string[];
  sources: string[];
  /** What az 2.45 was asked: the argv without the flags newer than it; undefined: a newer command group, skipped. */
  asked?: string[];
  verdict?: Verdict;
}

const line = (argv: readonly string[]): string => `az ${argv.join(' ')}`;
const listed = (items: Checked[], detail: (c: Checked) => string): string =>
  items.map((c) => `  ${line(c.argv)}\n      ${detail(c)}\n      from ${c.sources.join(', ')}`).join('\n');

describe.skipIf(!az && !IN_CI)('az command lines through the real Azure CLI parser', { timeout: 900_000 }, () => {
  let recording: Recording;
  let checked: Checked[] = [];
  /** For each table flag: az 2.45's answer to a line that uses it, unstripped. */
  const refusals = new Map<string, Verdict>();

  beforeAll(async () => {
    if (!az) return;
    const started = Date.now();
    recording = await recordAzCalls();
    const recorded = Date.now();
    checked = distinctShapes(recording.calls).map((s) => {
      const skipped = newerUsedBy(s.argv).some((e) => e.flag === undefined);
      return { ...s, asked: skipped ? undefined : withoutNewerFlags(s.argv) };
    });
    const runner = await RealAzRunner.start(az.path);
    try {
      const flagged = NEWER_THAN_CI_AZ.filter((e) => e.flag).map((e) => ({ e, c: checked.find((c) => c.asked && newerUsedBy(c.argv).includes(e)) }));
      // A known crash happens while az loads the command's arguments, before it reads any option: one
      // line per command shows it; the command's other lines go to az only if that one did not crash.
      const crashProne = (c: Checked) => KNOWN_CRASHES.some((k) => k.commands.test(`${commandOf(c.argv)} `));
      const first = checked.filter((c) => c.asked && (!crashProne(c) || checked.find((o) => o.asked && commandOf(o.argv) === commandOf(c.argv)) === c));
      await Promise.all([
        pooled(first, PARALLEL, async (c) => { c.verdict = await runner.check(c.asked!); }),
        ...flagged.map(async ({ e, c }) => { if (c) refusals.set(e.flag!, await runner.check(c.argv)); }),
      ]);
      const rest = checked.filter((c) => c.asked && !c.verdict);
      for (const c of rest) {
        const shown = first.find((o) => commandOf(o.argv) === commandOf(c.argv))!;
        if (shown.verdict!.kind === 'not-checkable') c.verdict = { kind: 'not-checkable', detail: `${shown.verdict!.detail} (shown by ${line(shown.asked!)})` };
      }
      await pooled(rest.filter((c) => !c.verdict), PARALLEL, async (c) => { c.verdict = await runner.check(c.asked!); });
    } finally {
      runner.close();
    }
    const notCheckable = checked.filter((c) => c.verdict?.kind === 'not-checkable');
    const skipped = checked.filter((c) => !c.asked);
    console.log([
      `az ${az.version}: ${checked.length} distinct az command line shapes from ${recording.calls.length} recorded calls`,
      `  recorded in ${((recorded - started) / 1000).toFixed(0)} s, checked by the real az in ${((Date.now() - recorded) / 1000).toFixed(0)} s`,
      `  parsed: ${checked.filter((c) => c.verdict?.kind === 'parsed').length}`,
      `  newer than az ${CI_AZ_VERSION}, not checked here (${skipped.length}):`,
      ...skipped.map((c) => `    ${line(c.argv)}   (${newerUsedBy(c.argv).map((e) => `${e.command}: az ${e.since}`).join(', ')})`),
      `  not checkable here, az ${az.version} crashes loading their arguments (${notCheckable.length}):`,
      ...notCheckable.map((c) => `    ${line(c.argv)}   (${c.verdict!.detail})`),
    ].join('\n'));
  }, 900_000);

  afterAll(() => cleanUp());

  it('az is installed (CI installs Debian\'s azure-cli in .ci/run), and is the version the table of newer flags is relative to', () => {
    expect(az, 'no az on the PATH: CI must install azure-cli (.ci/run)').toBeDefined();
    expect(az!.version, `test/support/az-newer-flags.ts lists what is newer than az ${CI_AZ_VERSION}; with another az, review it`).toBe(CI_AZ_VERSION);
  });

  it('the recording ran every scene to its end, and holds calls of setup.sh, apply, doctor, teardown and the walk', () => {
    expect(recording.failures).toEqual([]);
    const sources = new Set(recording.calls.map((c) => c.source.replace(/^[^:]*: /, '').split(' ')[0]));
    for (const kind of ['setup.sh', 'apply', 'doctor', 'teardown', 'lookups']) expect(sources, kind).toContain(kind);
  });

  it('az 2.45 parses every line (flags newer than it stripped)', () => {
    const refused = checked.filter((c) => c.verdict?.kind === 'parse-error');
    const unknownFlag = (c: Checked) => /unrecognized arguments: (--[a-z0-9-]+)/.exec(c.verdict!.detail)?.[1];
    expect(refused, `az ${CI_AZ_VERSION} refused these command lines:\n${listed(refused, (c) =>
      `${c.verdict!.detail.split('\n')[0]}${unknownFlag(c) ? `  (if ${unknownFlag(c)} is newer than az ${CI_AZ_VERSION}, list it in test/support/az-newer-flags.ts with the version that added it)` : ''}`)}`).toEqual([]);
  });

  it('az crashed only where Debian\'s az cannot load the arguments of a command at all, with the known message', () => {
    const unknown = checked.filter((c) => (c.verdict?.kind === 'not-checkable' || c.verdict?.kind === 'crashed')
      && !KNOWN_CRASHES.some((k) => k.commands.test(`${commandOf(c.argv)} `) && c.verdict!.kind === 'not-checkable' && c.verdict!.detail.startsWith(k.message)));
    expect(unknown, `az crashed unexpectedly on:\n${listed(unknown, (c) => `${c.verdict!.kind}: ${c.verdict!.detail}`)}`).toEqual([]);
    // Only the data-plane and network command groups are beyond this check.
    const notCheckable = new Set(checked.filter((c) => c.verdict?.kind === 'not-checkable').map((c) => commandOf(c.argv).split(' ').slice(0, 2).join(' ')));
    for (const group of notCheckable) expect(group).toMatch(/^(keyvault (secret|key|certificate)|network [a-z-]+)$/);
  });

  it('the table of newer flags: each is used, az 2.45 indeed refuses each flag, and each setup.sh requires the az its calls need', () => {
    for (const entry of NEWER_THAN_CI_AZ) {
      expect(checked.some((c) => newerUsedBy(c.argv).includes(entry)), `${entry.command} ${entry.flag ?? ''}: no recorded call uses it`).toBe(true);
      expect(compareVersions(entry.since, CI_AZ_VERSION), `${entry.command} ${entry.flag ?? ''}`).toBeGreaterThan(0);
      if (entry.flag) expect(refusals.get(entry.flag)?.detail, entry.flag).toMatch(new RegExp(`unrecognized arguments: .*${entry.flag}`));
    }
    for (const call of recording.calls.filter((c) => / (setup\.sh|apply)/.test(c.source))) {
      const scene = call.source.split(':')[0]!;
      for (const entry of newerUsedBy(call.argv)) {
        expect(compareVersions(recording.minAzVersion[scene]!, entry.since), `${scene}'s setup.sh requires az ${recording.minAzVersion[scene]}, but calls ${line(call.argv)} (az ${entry.since})`)
          .toBeGreaterThanOrEqual(0);
      }
    }
  });
});
