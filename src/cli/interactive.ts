import { posix, relative, resolve } from 'node:path';
import { buildSpec, FIELDS, formatSecretFlag } from '../spec/index.js';
import type { Describe, FieldDef, KeyVaultObject, Problem, Spec, SpecInput } from '../spec/index.js';
import { planSetup, secretKeyFor, tlsSecretName } from '../plan/index.js';
import { renderPlan, shellWord } from '../render/index.js';
import { inspectTarget, TargetError } from '../write/index.js';
import type { AzureLookups, DeliveryPreview, Terminal, WalkChecks } from '../prompt/index.js';
import { ourCommandLines } from './command-name.js';
import { UsageError } from './errors.js';
import { FOLDER_RECORD } from './record.js';
import type { CommandOptions, ParsedArgs } from './options.js';

/** The user cancelled the walk (Ctrl-C, Esc, or "Cancel"): exit 130, nothing written. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('cancelled; nothing written.');
  }
}

/** What the CLI needs to know to decide whether to prompt, and what the walk runs on. */
export interface PromptIo {
  /** Whether a person can answer prompts: stdin and stdout are terminals. Absent: never prompt. */
  isInteractive?: boolean;
  /** The environment, read for `CI`. Absent: process.env. */
  env?: Record<string, string | undefined>;
  /** Keys and screen of the walk; absent: stdin and stdout. */
  terminal?: Terminal;
  /** What az can see; absent: the real az, looked up with short timeouts. */
  azure?: AzureLookups;
}

function isCi(env: Record<string, string | undefined>): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Prompts only for a person at a terminal: never with --yes, in CI, or when stdin or stdout is not a TTY. */
export function shouldPrompt(args: ParsedArgs, io: PromptIo): boolean {
  return !args.options.yes && io.isInteractive === true && !isCi(io.env ?? process.env);
}

/** `~/x` as a shell would read it: a folder typed at the prompt means what it would on the command line. */
function expandHome(dir: string): string {
  return dir === '~' || dir.startsWith('~/') ? process.getBuiltinModule('node:os').homedir() + dir.slice(1) : dir;
}

/** Problems of values the flags or the config file gave: reported at once, before any question. */
function givenValueProblems(input: SpecInput, describe: Describe): Problem[] {
  const built = buildSpec(input, describe);
  if (built.ok) return [];
  const where = new Set<string>();
  for (const field of FIELDS) {
    const value = input[field.key];
    if (value === undefined) continue;
    where.add(describe(field));
    if (Array.isArray(value)) value.forEach((_, i) => where.add(describe(field, i)));
  }
  // Missing values and names derived from the app are for the walk to ask or show, not errors yet.
  return built.problems.filter((p) => where.has(p.field) || [...where].some((w) => p.field.startsWith(`${w}.`)));
}

function deliveries(spec: Spec): DeliveryPreview[] {
  const plan = planSetup(spec);
  if (plan.decision.approach === 'sdk') {
    // No alias: the app asks Key Vault for each object by its own name.
    return spec.secrets.map((o) => ({ text: `read by the app from ${plan.view.vaultUrl} as ${o.name}` }));
  }
  if (plan.decision.approach === 'csi') {
    return spec.secrets.map((o) => ({
      as: o.alias ?? o.name,
      asQuestion: `File name under ${spec.mountPath}`,
      text: `file ${posix.join(spec.mountPath, o.alias ?? o.name)}`,
    }));
  }
  const readsEnv = spec.legacyReads === 'env';
  return spec.secrets.map((o: KeyVaultObject) => {
    if (o.type === 'cert') return { text: `TLS Secret ${tlsSecretName(spec.app, o.name)}` };
    const key = secretKeyFor(o, readsEnv);
    return readsEnv
      ? { as: key, asQuestion: 'Env var name', text: `env var ${key} from Secret ${spec.targetSecret}` }
      : { as: key, asQuestion: `Key in Secret ${spec.targetSecret}`, text: `key ${key} of Secret ${spec.targetSecret}` };
  });
}

function checksFor(options: CommandOptions, cwd: string): WalkChecks {
  return {
    problems(input) {
      const built = buildSpec(input);
      return built.ok ? planSetup(built.spec).problems : built.problems;
    },
    folderProblem(dir, input) {
      // Nothing is written with --stdout, --dry-run or --diff, and --force overwrites: no folder is in the way.
      if (options.stdout || options.dryRun || options.diff || options.force) return null;
      const built = buildSpec(input);
      if (!built.ok) return null;
      const plan = planSetup(built.spec);
      if (plan.problems.length > 0) return null;
      try {
        const edited = inspectTarget(resolve(cwd, expandHome(dir)), renderPlan(plan), { force: false, record: FOLDER_RECORD }).filter((r) => r.status === 'edited');
        if (edited.length === 0) return null;
        return `holds files you edited, or that differ with no record of what was generated (${edited.map((r) => r.path).join(', ')}); choose another folder, or run again with --force to overwrite them (each kept as <file>.orig)`;
      } catch (error) {
        if (error instanceof TargetError) return error.message;
        throw error;
      }
    },
    deliveries(input) {
      const built = buildSpec(input);
      return built.ok ? deliveries(built.spec) : undefined;
    },
  };
}

export interface AskMissing {
  args: ParsedArgs;
  input: SpecInput;
  describe: Describe;
  /** The folder given as [dir] or --out. */
  dir: string | undefined;
  defaultDir(app: string): string;
  io: PromptIo & { stdout: (text: string) => void; cwd: string };
}

/**
 * Runs the walk for what flags and config left open. Loads the prompts and az lookups only now, so
 * that runs without a terminal never load them.
 */
export async function askMissing({ args, input, describe, dir, defaultDir, io }: AskMissing): Promise<{ input: SpecInput; dir: string | undefined; asked: boolean }> {
  const problems = givenValueProblems(input, describe);
  if (problems.length > 0) throw new UsageError('invalid input, nothing written:', problems);
  const { walk, loadPrompts, WalkCancelled } = await import('../prompt/index.js');
  const azure = io.azure ?? (await import('../run/az.js')).azLookups();
  // Ctrl-C between questions (while az is asked) is a signal, not a key: it cancels the walk the
  // same way, and stops the lookups, whose process groups would not get it.
  const interrupted = new AbortController();
  const closeLookups = () => {
    if ('close' in azure && typeof azure.close === 'function') azure.close();
  };
  const onSigint = () => {
    interrupted.abort();
    closeLookups();
  };
  process.once('SIGINT', onSigint);
  try {
    const result = await walk({
      input,
      dir,
      defaultDir,
      prompts: await loadPrompts(),
      ...(io.terminal ? { terminal: io.terminal } : {}),
      print: io.stdout,
      azure,
      checks: checksFor(args.options, io.cwd),
      signal: interrupted.signal,
    });
    return { ...result, dir: result.dir === undefined ? undefined : expandHome(result.dir) };
  } catch (error) {
    if (error instanceof WalkCancelled) throw new CancelledError();
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
    closeLookups();
  }
}

function defaultOf(field: FieldDef, spec: Spec): unknown {
  return typeof field.defaultValue === 'function' ? field.defaultValue({ app: spec.app }) : field.defaultValue;
}

/** The command that makes the same folder without questions (every answer that is not a default), ready to paste. */
export function equivalentCommand(input: SpecInput, target: string, cwd: string, options: CommandOptions): string {
  const built = buildSpec(input);
  if (!built.ok) throw new Error('equivalentCommand: the answers do not build');
  const { spec } = built;
  const shown = relative(cwd, target) || '.';
  const dir = shown.startsWith('-') ? `./${shown}` : shown;
  const groups = [[shellWord(dir), '--yes']];
  for (const field of FIELDS) {
    const value = spec[field.key];
    if (value === undefined) continue;
    if (field.kind === 'list') {
      for (const object of value as KeyVaultObject[]) groups.push([`--${field.flag}`, shellWord(formatSecretFlag(object))]);
    } else if (value !== defaultOf(field, spec)) {
      if (typeof value === 'boolean') groups.push([value ? `--${field.flag}` : `--no-${field.flag}`]);
      else groups.push([`--${field.flag}`, shellWord(String(value))]);
    }
  }
  if (options.force) groups.push(['--force']);
  return ourCommandLines(groups);
}
