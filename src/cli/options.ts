import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { FIELDS, closestName } from '../spec/index.js';
import type { SpecInput, SpecKey } from '../spec/index.js';
import { ourCommand } from './command-name.js';
import { UsageError } from './errors.js';
import { LIST_FIELDS, removeFlag } from './list-flags.js';

/** Options of the command itself, beside the setup's fields; help and parsing read this table. */
export const COMMAND_OPTIONS = [
  { flag: 'config', valueName: 'FILE', help: 'Read answers from a kv-secrets.yaml (one app, or several under apps:); flags override it' },
  { flag: 'out', valueName: 'DIR', help: 'Folder to generate into (same as the positional dir; default ./<app>-kv-secrets)' },
  { flag: 'yes', short: 'y', help: 'Never prompt; take defaults for what is not given' },
  { flag: 'force', help: 'Also overwrite generated files you edited, keeping your version of each as <file>.orig' },
  { flag: 'dry-run', help: 'List what would be created, changed, left unchanged or refused (your edits); write nothing; exit as the real run would' },
  { flag: 'diff', help: 'Show the unified diff of every file that would change (your edits against the new version); write nothing' },
  { flag: 'apply', help: 'Then run the folder: azure/setup.sh, kubectl apply, checks (see apply --help)' },
  { flag: 'stdout', help: 'Print every file as a Markdown section instead of writing' },
  { flag: 'json', help: 'Print a machine-readable summary' },
  { flag: 'raw', help: 'snippet: print the file bare, without the Markdown fence' },
  { flag: 'list', help: 'snippet: list the snippet names' },
  { flag: 'help', short: 'h', help: 'Show this help' },
  { flag: 'version', short: 'v', help: 'Show the version' },
] as const;

export interface CommandOptions {
  config?: string;
  out?: string;
  yes: boolean;
  force: boolean;
  dryRun: boolean;
  diff: boolean;
  apply: boolean;
  stdout: boolean;
  json: boolean;
  raw: boolean;
  list: boolean;
  help: boolean;
  version: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  options: CommandOptions;
  /** Only what the flags gave; absent fields stay absent so a config file or prompt can fill them. */
  input: SpecInput;
  /** `--remove-<flag> NAME` of each list field: entries to take out of the config's list. */
  removals: Partial<Record<SpecKey, string[]>>;
}

function parseConfig(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const field of FIELDS) {
    if (field.kind === 'boolean') {
      options[field.flag] = { type: 'boolean' };
      options[`no-${field.flag}`] = { type: 'boolean' };
    } else {
      options[field.flag] = { type: 'string', multiple: field.kind === 'list' };
    }
  }
  for (const field of LIST_FIELDS) options[removeFlag(field)] = { type: 'string', multiple: true };
  for (const option of COMMAND_OPTIONS) {
    options[option.flag] = 'valueName' in option ? { type: 'string' } : { type: 'boolean' };
    if ('short' in option) options[option.flag]!.short = option.short;
  }
  return options;
}

/** parseArgs's complaint as ours: without its hint about `--`, and with the closest flag to one it does not know. */
function usageError(error: unknown, options: NonNullable<ParseArgsConfig['options']>): UsageError {
  const message = (error instanceof Error ? error.message : String(error)).replace(/ To specify a positional argument starting with a '-'.*$/s, '').replace(/\.$/, '');
  const unknown = (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(message)?.[1] : undefined;
  if (unknown === undefined) return new UsageError(`${message}; see --help`);
  const meant = closestName(unknown, Object.keys(options).map((name) => `--${name}`));
  return new UsageError(meant ? `${message}: did you mean ${meant}? (see --help)` : `${message}; see --help`, [], { flag: unknown, value: '' });
}

export function parseArgv(argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  const options = parseConfig();
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(error, options);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const input: SpecInput = {};
  for (const field of FIELDS) {
    const on = values[field.flag];
    const off = values[`no-${field.flag}`];
    if (field.kind === 'boolean') {
      if (on && off) throw new UsageError(`--${field.flag} and --no-${field.flag} contradict each other; give one`);
      if (on !== undefined || off !== undefined) input[field.key] = on === true;
    } else if (on !== undefined) {
      input[field.key] = on;
    }
  }
  const removals: Partial<Record<SpecKey, string[]>> = {};
  for (const field of LIST_FIELDS) {
    const names = values[removeFlag(field)];
    if (Array.isArray(names)) removals[field.key] = names;
  }
  const flag = (name: string) => values[name] === true;
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const command: CommandOptions = {
    yes: flag('yes'),
    force: flag('force'),
    dryRun: flag('dry-run'),
    diff: flag('diff'),
    apply: flag('apply'),
    stdout: flag('stdout'),
    json: flag('json'),
    raw: flag('raw'),
    list: flag('list'),
    help: flag('help'),
    version: flag('version'),
  };
  const config = text('config');
  const out = text('out');
  if (config !== undefined) command.config = config;
  if (out !== undefined) command.out = out;
  const applyConflicts = [['dry-run', command.dryRun], ['diff', command.diff], ['stdout', command.stdout], ['json', command.json]].filter(([, on]) => on).map(([name]) => `--${name}`);
  if (command.apply && applyConflicts.length > 0) {
    throw new UsageError(`--apply runs what it generates, so it does not go with ${applyConflicts.join(', ')}; generate first, then: ${ourCommand('apply DIR --dry-run')}`);
  }
  return { positionals: parsed.positionals, options: command, input, removals };
}
