import { FIELDS, describeAsFlag } from '../spec/index.js';
import type { Describe, FieldDef, SpecInput, SpecKey } from '../spec/index.js';
import { UsageError } from './errors.js';

/**
 * The one rule of every list flag (`--secret`), shown in --help: alone, the flags are the whole list;
 * over a config, each adds to the file's list or replaces its entry of the same name, and
 * `--remove-<flag> NAME` takes an entry out. A flag never silently drops what the file lists.
 */
export const LIST_RULE =
  'List flags (--secret): without --config they make the whole list. With --config each one adds to the\n' +
  "file's list, or replaces the entry of the same name there; --remove-secret NAME takes one out.";

export const LIST_FIELDS: readonly FieldDef[] = FIELDS.filter((f) => f.kind === 'list');
export const removeFlag = (field: FieldDef): string => `remove-${field.flag}`;

/** The name a list entry goes by: `NAME[:…]` as a flag gives it, or `{name: …}` in a file. */
function entryName(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.split(':')[0];
  if (raw !== null && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string') return (raw as { name: string }).name;
  return undefined;
}

// Key Vault object names are case-insensitive.
const sameName = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** `--remove-<flag>` given without a config to remove from. */
export function refuseRemovalsWithoutConfig(removals: Partial<Record<SpecKey, string[]>>): void {
  const given = LIST_FIELDS.filter((f) => (removals[f.key]?.length ?? 0) > 0);
  if (given.length > 0) {
    throw new UsageError(`--${removeFlag(given[0]!)} ${JSON.stringify(removals[given[0]!.key]![0])}: takes an entry out of the list of a --config file, and none was given`);
  }
}

/**
 * The answers of a config file with the flags over them: single values replace, lists follow LIST_RULE.
 * Problems name each entry where it came from: its line in the file, or its flag.
 */
export function flagsOverFile(file: SpecInput, fileDescribe: Describe, flags: SpecInput, removals: Partial<Record<SpecKey, string[]>>, configName: string): { input: SpecInput; describe: Describe } {
  const input: SpecInput = { ...file, ...flags };
  /** For each list, where each entry came from: its index in the file, or the flags. */
  const origins = new Map<SpecKey, (number | 'flag')[]>();
  for (const field of LIST_FIELDS) {
    const fromFile = Array.isArray(file[field.key]) ? (file[field.key] as unknown[]) : [];
    const fromFlags = Array.isArray(flags[field.key]) ? (flags[field.key] as string[]) : [];
    const removed = removals[field.key] ?? [];
    const twice = fromFlags.find((raw, i) => fromFlags.findIndex((other) => sameName(entryName(other), entryName(raw))) !== i);
    if (twice !== undefined) throw new UsageError(`--${field.flag} ${JSON.stringify(twice)}: ${entryName(twice)} is given twice; give each name once`);
    for (const name of removed) {
      const flag = `--${removeFlag(field)} ${JSON.stringify(name)}`;
      if (fromFlags.some((raw) => sameName(entryName(raw), name))) throw new UsageError(`${flag}: --${field.flag} also gives ${name}; give one of them`);
      if (!fromFile.some((raw) => sameName(entryName(raw), name))) {
        const names = fromFile.map(entryName).filter(Boolean).join(', ') || 'none';
        throw new UsageError(`${flag}: ${configName} lists no ${field.key} entry named ${name} (it lists: ${names})`);
      }
    }
    if (fromFlags.length === 0 && removed.length === 0) continue;
    const entries: unknown[] = [];
    const from: (number | 'flag')[] = [];
    fromFile.forEach((raw, i) => {
      const name = entryName(raw);
      if (removed.some((r) => sameName(r, name))) return;
      const replacement = fromFlags.find((flag) => sameName(entryName(flag), name));
      entries.push(replacement ?? raw);
      from.push(replacement === undefined ? i : 'flag');
    });
    for (const raw of fromFlags) {
      if (fromFile.some((entry) => sameName(entryName(entry), entryName(raw)))) continue;
      entries.push(raw);
      from.push('flag');
    }
    input[field.key] = entries as SpecInput[SpecKey];
    origins.set(field.key, from);
  }
  const describe: Describe = (field, index) => {
    const from = origins.get(field.key);
    if (from && index !== undefined) return from[index] === 'flag' || from[index] === undefined ? describeAsFlag(field) : fileDescribe(field, from[index] as number);
    return field.key in flags ? describeAsFlag(field) : fileDescribe(field, index);
  };
  return { input, describe };
}
