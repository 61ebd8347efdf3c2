import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAME, FIELDS, buildSpec } from '../spec/index.js';
import type { Spec } from '../spec/index.js';
import { planMany } from '../plan/index.js';
import { renderArtifacts, renderPlan, shellWord } from '../render/index.js';
import type { RenderedFile } from '../render/index.js';
import { ConflictError, RECORD_FILE, TargetError, planTarget, writeFiles } from '../write/index.js';
import type { FileReport, WriteOptions } from '../write/index.js';
import { EXIT, UsageError, formatProblems } from './errors.js';
import type { Culprit } from './errors.js';
import type { Problem } from '../spec/index.js';
import { helpText } from './help.js';
import { parseArgv } from './options.js';
import type { ParsedArgs } from './options.js';
import { filesAsMarkdown, reportLines, summary } from './output.js';
import { gatherInput, resolvePlan } from './resolve.js';
import type { GatheredInput } from './resolve.js';
import { runSnippet } from './snippet.js';
import { applyFolderAt, runApply } from './apply.js';
import { askMissing, CancelledError, equivalentCommand, shouldPrompt } from './interactive.js';
import type { PromptIo } from './interactive.js';
import { writeOut } from './write-out.js';
import { FOLDER_RECORD } from './record.js';
import { version } from './version.js';

export interface Io extends PromptIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const processIo: Io = {
  stdout: (text) => writeOut(1, text),
  stderr: (text) => writeOut(2, text),
  cwd: process.cwd(),
  // A getter: touching process.stdin opens it, which costs start-up time a flags-only run never needs.
  get isInteractive() {
    return Boolean(process.stdin.isTTY && process.stdout.isTTY);
  },
};

/** The folder given as [dir] or --out, if any. */
function givenDir(args: ParsedArgs): string | undefined {
  const [positional, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`only one folder may be given, got ${args.positionals.map((p) => JSON.stringify(p)).join(', ')}`);
  if (positional !== undefined && args.options.out !== undefined && positional !== args.options.out) {
    throw new UsageError(`the folder is given twice: ${JSON.stringify(positional)} and --out ${JSON.stringify(args.options.out)}; give one`);
  }
  return positional ?? args.options.out;
}

const defaultDirFor = (app: string) => `${app}-kv-secrets`;

/** What one run generates, whether for one workload or several. */
interface Generated {
  files: RenderedFile[];
  defaultDir: string;
  /** The approach of a single workload, or `several` for a config with `apps`. */
  approach: string;
  title: string;
  nextSteps: string[];
}

/**
 * The Kubernetes step for one k8s/ folder: `kubectl apply -k`, except for `--workload existing`,
 * whose k8s/ is a kustomize component that cannot be applied alone.
 */
function kubernetesStep(k8sDir: string, spec: Pick<Spec, 'workload' | 'deployment'> | undefined): string {
  return spec?.workload === 'existing'
    ? `add ${k8sDir}/ to the kustomization of Deployment ${spec.deployment} as a component (or pass ${k8sDir}/helm-values.yaml to its chart)`
    : `kubectl apply -k ${k8sDir}/`;
}

function generateOne(gathered: GatheredInput): Generated {
  const { spec, plan } = resolvePlan(gathered);
  return {
    files: renderPlan(plan),
    defaultDir: defaultDirFor(spec.app),
    approach: plan.decision.approach,
    title: plan.decision.outcome.title,
    nextSteps: ['bash azure/setup.sh', kubernetesStep('k8s', spec)],
  };
}

function generateMany(args: ParsedArgs, gathered: GatheredInput & { apps: GatheredInput[] }, configName: string): Generated {
  const perApp = FIELDS.filter((f) => !f.shared && (f.key in args.input || f.key in args.removals));
  if (perApp.length > 0) {
    throw new UsageError(
      `${perApp.map((f) => `--${f.flag}`).join(', ')}: ${configName} lists several apps, so only flags for what they share apply (${FIELDS.filter((f) => f.shared).map((f) => `--${f.flag}`).join(', ')}); change an app in the file`,
    );
  }
  const specs = gathered.apps.map((app) => buildSpec({ ...app.input, ...args.input }, app.describe));
  const problems = specs.flatMap((built) => (built.ok ? [] : built.problems));
  if (problems.length > 0) throw new UsageError('invalid input, nothing written:', problems);
  const resolved = specs.map((built) => (built as { ok: true; spec: Spec }).spec);
  const plan = planMany(resolved, gathered.topKeys ?? new Set(), configName);
  if (plan.problems.length > 0) throw new UsageError('invalid input, nothing written:', plan.problems);
  return {
    files: renderArtifacts(plan.files),
    defaultDir: `${resolved[0]!.vault.toLowerCase()}-kv-secrets`,
    approach: 'several',
    title: `${resolved.length} workloads sharing Key Vault ${resolved[0]!.vault}`,
    nextSteps: [
      'bash azure/setup.sh',
      ...plan.setup.apps.map((a) => kubernetesStep(a.k8sDir, a.isShared ? undefined : resolved.find((s) => s.app === a.app && s.namespace === a.namespace))),
    ],
  };
}

async function generate(args: ParsedArgs, io: Io): Promise<number> {
  let gathered = await gatherInput(args, io.cwd);
  // On a terminal, the walk asks for what flags and config left open before anything is built.
  const walked = !gathered.apps && shouldPrompt(args, io)
    ? await askMissing({ args, ...gathered, dir: givenDir(args), defaultDir: defaultDirFor, io })
    : undefined;
  if (walked) gathered = { ...gathered, input: walked.input };
  const generated = gathered.apps
    ? generateMany(args, { ...gathered, apps: gathered.apps }, args.options.config ?? CONFIG_FILE_NAME)
    : generateOne(gathered);
  const { files } = generated;
  const dir = walked?.dir ?? givenDir(args) ?? generated.defaultDir;
  const target = resolve(io.cwd, dir);
  const shownDir = relative(io.cwd, target) || '.';
  const { options } = args;
  const json = (reports: FileReport[] | undefined, written: boolean, withContent: boolean) =>
    io.stdout(`${JSON.stringify(summary(shownDir, generated.approach, files, reports, written, withContent), null, 2)}\n`);

  if (options.stdout) {
    if (options.json) json(undefined, false, true);
    else io.stdout(filesAsMarkdown(files));
    return EXIT.ok;
  }
  // The record makes regeneration safe: files the tool wrote (IDs filled in by setup.sh included) are its own.
  const writeOptions: WriteOptions = { force: options.force, record: { ...FOLDER_RECORD, inputs: inputsIn(target, args, io.cwd) } };
  if (options.dryRun || options.diff) {
    const { reports, conflicts, unrecorded } = planTarget(target, files, writeOptions);
    if (options.diff) io.stdout(await diffsOf(target, files, reports));
    if (options.json) json(reports, false, false);
    else if (!options.diff) io.stdout(`Would generate ${shownDir} (${generated.title}); nothing written (--dry-run):\n${reportLines(reports, true)}\n`);
    // Ends as the real run would: refused files make it exit 2, with the same message.
    if (conflicts.length > 0 && !options.force) throw new ConflictError(shownDir, conflicts, unrecorded);
    return EXIT.ok;
  }
  const reports = writeAs(shownDir, target, files, writeOptions);
  if (options.json) {
    json(reports, true, false);
    return EXIT.ok;
  }
  const next = [`cd ${shellWord(shownDir)}`, ...generated.nextSteps].map((line) => `  ${line}`).join('\n');
  io.stdout(`Generated ${shownDir}: ${generated.title}\n${reportLines(reports, false)}\n\nNext:\n${next}\n\nREADME.md explains each step and why.\n`);
  if (walked?.asked) io.stdout(`\nThe same without questions:\n${equivalentCommand(gathered.input, target, io.cwd, options)}\n`);
  if (options.apply) return applyFolderAt(target, shownDir, args, io);
  return EXIT.ok;
}

/** writeFiles, with refusals naming the folder as the user gave it. */
function writeAs(shownDir: string, target: string, files: RenderedFile[], options: WriteOptions): FileReport[] {
  try {
    return writeFiles(target, files, options);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(shownDir, error.paths, error.unrecorded);
    throw error;
  }
}

/** The --config file, when it is one of the folder's own files: this run's input, not an edit to refuse. */
function inputsIn(target: string, args: ParsedArgs, cwd: string): string[] {
  if (args.options.config === undefined) return [];
  const path = relative(target, resolve(cwd, args.options.config));
  return path.startsWith('..') || isAbsolute(path) ? [] : [path.split(sep).join('/')];
}

/** Unified diffs of every file that would change: what is there (the user's edits included) against the new version. */
async function diffsOf(target: string, files: RenderedFile[], reports: FileReport[]): Promise<string> {
  const changing = files.filter((_, i) => reports[i]!.status !== 'unchanged');
  if (changing.length === 0) return '';
  // Loaded here: only --diff needs the diff library.
  const { unifiedDiff } = await import('./diff.js');
  return changing.map((file) => unifiedDiff(file.path, readIfThere(join(target, file.path)), file.content)).join('');
}

function readIfThere(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function conflictMessage(error: ConflictError): string {
  const list = error.paths.map((p) => `  ${p}`).join('\n');
  const why = error.unrecorded
    ? `${error.dir} holds files that differ from what would be generated, and no record of what was generated there (${RECORD_FILE}; folders generated before it existed have none), so they may hold your edits; nothing written:`
    : `${error.dir} holds files you edited since they were generated; nothing written:`;
  return `create-kv-secrets: ${why}\n${list}\nSee the differences with --diff. Keep your changes (generate elsewhere with --out), or overwrite these files with --force: each is kept as <file>.orig first.\n`;
}

/** --json was asked for: read from argv itself, since the error may be that argv does not parse. */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * An error for scripts, on stdout with --json: `{"error":{"flag","value","message"}}`, flag and value
 * null when it is about no one flag, and every problem when there are several.
 */
function errorJson(message: string, culprit: Culprit | undefined, problems: Problem[]): string {
  const about = culprit ?? (problems[0] ? { flag: problems[0].field, value: problems[0].value } : undefined);
  const text = message.replace(/:$/, '');
  const only = problems.length === 1 ? problems[0] : undefined;
  const error = {
    flag: about?.flag ?? null,
    value: about?.value ?? null,
    message: only ? `${text}: ${formatProblems([only]).trim()}` : text,
    ...(problems.length > 1 ? { problems: problems.map((p) => ({ flag: p.field, value: p.value, message: p.rule })) } : {}),
  };
  return `${JSON.stringify({ error }, null, 2)}\n`;
}

/** Runs the command and returns its exit code; never throws for anything the user can cause. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const json = wantsJson(argv);
  // Whether stdout has its JSON document already (--dry-run's summary, which then ends as the real run).
  let printed = false;
  const print = io.stdout;
  // Over io, not a copy of it: a copy would read processIo's isInteractive getter, which opens stdin.
  io = Object.assign(Object.create(io) as Io, { stdout: (text: string) => ((printed = true), print(text)) });
  /** The message for people on stderr; with --json, the same as JSON on stdout unless it holds a document already. */
  const fail = (exitCode: number, text: string, message: string, culprit?: Culprit, problems: Problem[] = []) => {
    io.stderr(text);
    if (json && !printed) io.stdout(errorJson(message, culprit, problems));
    return exitCode;
  };
  try {
    if (argv[0] === 'audit') return await (await import('./audit.js')).runAudit(argv.slice(1), io, version());
    const args = parseArgv(argv);
    if (args.positionals[0] === 'apply') return await runApply(args, io);
    if (args.positionals[0] === 'doctor') return await (await import('./doctor.js')).runDoctor(args, io);
    if (args.positionals[0] === 'teardown') return await (await import('./teardown.js')).runTeardown(args, io);
    if (args.options.help) {
      io.stdout(helpText());
      return EXIT.ok;
    }
    if (args.options.version) {
      io.stdout(`${version()}\n`);
      return EXIT.ok;
    }
    if (args.positionals[0] === 'snippet') return await runSnippet(args, io);
    return await generate(args, io);
  } catch (error) {
    if (error instanceof CancelledError) return fail(EXIT.cancelled, `\ncreate-kv-secrets: ${error.message}\n`, error.message);
    if (error instanceof UsageError) {
      const text = `create-kv-secrets: ${error.message}\n${error.problems.length > 0 ? `${formatProblems(error.problems)}\n` : ''}`;
      return fail(EXIT.usage, text, error.message, error.culprit, error.problems);
    }
    if (error instanceof ConflictError) {
      const text = conflictMessage(error);
      return fail(EXIT.usage, text, `${text.split('\n')[0]!.replace(/^create-kv-secrets: /, '')} ${error.paths.join(', ')}`);
    }
    if (error instanceof TargetError) return fail(EXIT.usage, `create-kv-secrets: ${error.message}; nothing written.\n`, `${error.message}; nothing written`);
    const message = `failed: ${error instanceof Error ? error.message : String(error)}`;
    return fail(EXIT.failure, `create-kv-secrets: ${message}\n`, message);
  }
}
