/**
 * The az generated scripts require (src/spec/az-cli.ts), held to two records it does not come from:
 * the table of az commands and flags newer than CI's az, each with the release that added it as
 * HISTORY.rst says (test/support/az-newer-flags.ts), and the az calls each golden setup.sh holds.
 * Needs no az; test/az-real-parse.test.ts checks the same table against the real parser where az is installed.
 */
import { describe, expect, it } from 'vitest';
import { AZ_FEATURES, BASE_MIN_AZ_VERSION, compareVersions, minAzVersionFor } from '../src/spec/az-cli.js';
import { CI_AZ_VERSION, NEWER_THAN_CI_AZ, newerUsedBy } from './support/az-newer-flags.js';
import type { NewerThanCiAz } from './support/az-newer-flags.js';
import { fileText, generate } from './support/generate.js';
import { GOLDEN_SPECS } from './support/golden.js';

const FEATURES = Object.values(AZ_FEATURES);
const named = (f: { command: string; flag?: string | null }) => `az ${f.command}${f.flag ? ` ${f.flag}` : ''}`;

/** The argv of every az call in a script: comments left out, continued lines joined, each call up to the end of its line. */
function azCalls(script: string): string[][] {
  return script
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .flatMap((line) => [...line.matchAll(/(?:^|[\s($])az ([^\n]*)/g)].map((m) => m[1]!.trim().split(/\s+/)));
}

const newest = (versions: string[]) => [...versions].sort(compareVersions).at(-1);

describe('the az versions generated scripts require', () => {
  it('each feature is the table\'s entry for its command and flag, with the release HISTORY.rst names', () => {
    for (const feature of FEATURES) {
      const entry = NEWER_THAN_CI_AZ.find((e) => e.command === feature.command && (e.flag ?? null) === feature.flag);
      if (compareVersions(feature.since, CI_AZ_VERSION) > 0) expect(entry?.since, named(feature)).toBe(feature.since);
    }
    for (const entry of NEWER_THAN_CI_AZ) {
      const feature = FEATURES.find((f) => f.command === entry.command && f.flag === (entry.flag ?? null));
      expect(feature?.since, `${named(entry)} is newer than az ${CI_AZ_VERSION}: src/spec/az-cli.ts must name it, with the release that added it`).toBe(entry.since);
    }
  });

  it('a script needs the newest release among what it uses, and never less than the base', () => {
    expect(minAzVersionFor([])).toBe(BASE_MIN_AZ_VERSION);
    expect(minAzVersionFor([AZ_FEATURES.appRouting, AZ_FEATURES.workloadIdentity])).toBe(AZ_FEATURES.appRouting.since);
    expect(compareVersions('2.100.0', '2.59.0')).toBeGreaterThan(0);
    expect(compareVersions('2.59', '2.59.0')).toBe(0);
  });

  it.each(Object.entries(GOLDEN_SPECS))('%s: setup.sh requires exactly the newest az its calls need', (_name, golden) => {
    const script = fileText(generate(golden.flags).files, 'azure/setup.sh');
    const required = /^readonly MIN_AZ_VERSION=(\S+)$/m.exec(script)?.[1];
    const used = new Set<NewerThanCiAz>(azCalls(script).flatMap((argv) => newerUsedBy(argv)));
    // Every script turns workload identity on, which is what sets the base.
    expect([...used].map(named)).toContain(named(AZ_FEATURES.workloadIdentity));
    expect(required, [...used].map((e) => `${named(e)}: az ${e.since}`).join(', ')).toBe(newest([...used].map((e) => e.since)));
  });

  it.each(Object.entries(GOLDEN_SPECS))('%s: the README asks for the az its setup.sh requires', (_name, golden) => {
    const { files } = generate(golden.flags);
    const required = /^readonly MIN_AZ_VERSION=(\d+\.\d+)\.\d+$/m.exec(fileText(files, 'azure/setup.sh'))?.[1];
    const asked = [...fileText(files, 'README.md').matchAll(/needs az (\S+) or later/g)].map((m) => m[1]);
    expect(asked).toEqual([required]);
  });
});
