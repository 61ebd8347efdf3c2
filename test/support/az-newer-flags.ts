/**
 * The az commands and flags the tool emits that are newer than the az the tests check against
 * (Debian's azure-cli 2.45, which CI installs): each with the az version that added it, read from
 * upstream's release history, Azure/azure-cli src/azure-cli/HISTORY.rst (read at commit
 * 003f1aee663ba62e4aede0d179a914fb2c529ee9; the line is quoted under its version's heading).
 *
 * test/az-real-parse.test.ts strips these flags (skips these commands) before it asks az 2.45 to
 * parse a command line, and fails on any other flag az 2.45 does not know. generated setup.sh
 * scripts require az `MIN_AZ_VERSION` or later; the test holds that to at least every `since` here
 * that the script's calls use. test/az-cli.test.ts holds src/spec/az-cli.ts (where the scripts'
 * minimum comes from) to this table, and each golden setup.sh's minimum to the newest `since` it calls.
 */

export interface NewerThanCiAz {
  /** The command (its words, as `aks update`); with no flag, every command that starts with these words. */
  command: string;
  /** The long flag, or undefined for a whole command group. */
  flag?: string;
  /** The az version that added it. */
  since: string;
  /** Where that was read: HISTORY.rst's version heading and its line. */
  source: string;
}

export { compareVersions } from '../../src/spec/az-cli.js';

const HISTORY = 'Azure/azure-cli src/azure-cli/HISTORY.rst';

export const NEWER_THAN_CI_AZ: readonly NewerThanCiAz[] = [
  {
    command: 'aks update',
    flag: '--enable-workload-identity',
    since: '2.47.0',
    source: `${HISTORY}, 2.47.0, **AKS**: "\`az aks create/update\`: Add new parameter \`--enable-workload-identity\` to support enabling workload identity addon (#25966)"`,
  },
  {
    command: 'aks approuting',
    since: '2.59.0',
    source: `${HISTORY}, 2.59.0, **ACS**: "\`az aks approuting\`: Add command group to handle enable/disable/update of the app routing addon (#28463)"`,
  },
];

/** The az the tests check against. */
export const CI_AZ_VERSION = '2.45.0';

/** The command words of an az argv (everything before the first option). */
export function commandOf(argv: readonly string[]): string {
  const firstOption = argv.findIndex((w) => w.startsWith('-'));
  return (firstOption === -1 ? argv : argv.slice(0, firstOption)).join(' ');
}

const optionName = (word: string): string => word.slice(0, word.includes('=') ? word.indexOf('=') : undefined);

/** The entries an argv uses: its command group, or a flag of its command. */
export function newerUsedBy(argv: readonly string[]): NewerThanCiAz[] {
  const command = commandOf(argv);
  return NEWER_THAN_CI_AZ.filter((e) =>
    e.flag === undefined
      ? command === e.command || command.startsWith(`${e.command} `)
      : command === e.command && argv.some((w) => w.startsWith('--') && optionName(w) === e.flag));
}

/** The argv without the table's flags for its command (a flag's glued value goes with it). */
export function withoutNewerFlags(argv: readonly string[]): string[] {
  const flags = new Set(newerUsedBy(argv).flatMap((e) => (e.flag ? [e.flag] : [])));
  return argv.filter((w) => !(w.startsWith('--') && flags.has(optionName(w))));
}
