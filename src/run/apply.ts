import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PLACEHOLDERS } from '../spec/index.js';
import { PREFLIGHT_AZ_VERSION_ENV } from '../spec/az-cli.js';
import type { CommandResult } from './command.js';
import { commandLine, resultOf, runCommand } from './command.js';
import { PreflightFailure, preflight } from './preflight.js';
import type { PreflightFacts } from './preflight.js';
import { scriptEnvironment } from './script-env.js';
import { ScriptOutputReader, plainProgress, spinnerProgress } from './progress.js';
import type { Progress } from './progress.js';
import { startProgram, stopProcess } from './spawn.js';
import type { ApplyApp, ApplyTarget, FolderRunOptions } from './target.js';

export type { ApplyApp, ApplyTarget, Delivery } from './target.js';

/**
 * `create-kv-secrets apply`: runs a generated folder against the real subscription and cluster.
 *
 *   preflight (read-only) → bash azure/setup.sh → per namespace: create if missing → per folder:
 *   kubectl apply --server-side --dry-run=server → per folder: kubectl apply --server-side → verify
 *
 * Secret values never pass through this process: azure/setup.sh reads them from the terminal (or
 * stdin) that it inherits. Every program runs in a process group of its own, so Ctrl-C reaches only
 * this process, which then decides: azure/setup.sh stops at once (each of its steps is idempotent and
 * its file writes atomic); a `kubectl apply` in flight is let finish, so no folder is left applied in
 * part (a second Ctrl-C stops it anyway); read-only commands stop at once.
 *
 * Server-side apply, with a field manager of its own: the API server merges and validates, so the
 * server-side dry run first runs exactly the request that follows it (admission webhooks included:
 * the Workload Identity webhook, ESO's validators, any policy engine) and nothing is applied unless
 * every folder passes; re-runs are idempotent; and a field that another manager owns (an HPA, a GitOps
 * controller, a hand edit) is reported as a conflict instead of being silently overwritten.
 */

export const APPLY_EXIT = { ok: 0, failed: 1, cancelled: 130 } as const;

export const FIELD_MANAGER = 'create-kv-secrets';
export const ROLLOUT_TIMEOUT = '5m';
export const SYNC_TIMEOUT = '2m';

export interface ApplyOptions extends FolderRunOptions {
  /** stdin is a terminal: values are typed, hidden; otherwise read one line each. */
  stdinIsTerminal: boolean;
  /** The command line of `create-kv-secrets doctor` for this folder, named when a verification fails. */
  doctorCommand?: string;
  /** Subscribes to Ctrl-C (and termination); returns the unsubscribe. Default: this process's signals. */
  onInterrupt?: (handler: () => void) => () => void;
}

/** A step failed: its name, what the failing program said, and advice. */
class StepFailure extends Error {
  constructor(readonly step: string, readonly detail: string[], readonly hints: string[] = []) {
    super(step);
  }
}

class Cancelled extends Error {
  constructor(readonly step: string) {
    super(step);
  }
}

function processSignals(handler: () => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.removeListener(signal, handler);
  };
}

const indentLines = (lines: string[], pad = '    ') => lines.filter((l) => l.trim() !== '').map((l) => `${pad}${l}`).join('\n');
const outputLines = (result: CommandResult) => [...result.stderr.split('\n'), ...result.stdout.split('\n')].map((l) => l.trimEnd()).filter(Boolean);

class Session {
  readonly progress: Progress;
  private interrupts = 0;
  private running: { stop: (signal: NodeJS.Signals) => void; protect: boolean; what: string } | undefined;
  currentStep = 'preflight';
  /** Ctrl-C came while a change was let finish: its own result stands, failed or not. */
  finishedAfterInterrupt = false;
  /** A second Ctrl-C stopped a change in flight: that folder may be applied in part. */
  stoppedInFlight: string | undefined;

  constructor(readonly target: ApplyTarget, readonly options: ApplyOptions) {
    const output = { write: options.stdout, writePrompt: options.stderr, columns: options.columns };
    this.progress = options.spinner ? spinnerProgress(output) : plainProgress(output);
  }

  get interrupted(): boolean {
    return this.interrupts > 0;
  }

  onInterrupt(): void {
    this.interrupts += 1;
    const running = this.running;
    if (!running) return;
    if (running.protect && this.interrupts === 1) {
      this.finishedAfterInterrupt = true;
      this.progress.line(`  Ctrl-C: letting ${running.what} finish, so that no manifest is left applied in part (Ctrl-C again stops it anyway)`);
      return;
    }
    if (running.protect) this.stoppedInFlight = running.what;
    running.stop('SIGINT');
  }

  step(title: string): void {
    if (this.interrupted) throw new Cancelled(this.currentStep);
    this.currentStep = title;
    this.progress.begin(title);
  }

  /** Runs a program to its end, in a process group of its own; `protect`: Ctrl-C lets it finish. */
  async run(file: string, args: string[], options: { timeoutMs?: number; protect?: boolean; what?: string } = {}): Promise<CommandResult> {
    if (this.interrupted) throw new Cancelled(this.currentStep);
    try {
      return await runCommand(file, args, {
        env: this.options.env,
        cwd: this.target.root,
        detached: true,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        started: (stop) => {
          this.running = { stop, protect: options.protect === true, what: options.what ?? file };
        },
      });
    } finally {
      this.running = undefined;
    }
  }

  kubectl(context: string, args: string[], options: { protect?: boolean; what?: string } = {}): Promise<CommandResult> {
    return this.run('kubectl', ['--context', context, ...args], options);
  }

  /** azure/setup.sh, with the terminal (or stdin) handed over and its `==> ` steps shown as ours. */
  async runSetupScript(facts: PreflightFacts): Promise<void> {
    const { progress, options, target } = this;
    let title: string | undefined;
    let log: string[] = [];
    const reader = new ScriptOutputReader({
      step: (next) => {
        title = next;
        this.currentStep = next;
        log = [];
        progress.begin(next);
      },
      line: (text, kind) => {
        if (kind === 'description') return;
        log.push(text);
        // The last step lists the commands that deploy the workloads: apply runs them next.
        if (title === 'Done' && /^(az aks get-credentials|kubectl) /.test(text)) return;
        progress.note(text);
      },
      prompt: (text) => progress.prompt(text),
      promptEnded: () => progress.promptEnded(),
    });
    if (this.interrupted) throw new Cancelled(this.currentStep);
    const { child, finished } = startProgram('bash', [join('azure', 'setup.sh')], {
      cwd: target.root,
      // No inherited shell options, start-up files or functions: see scriptEnvironment. The az version
      // the preflight read spares the script a call (it still compares it with its own minimum).
      env: { ...scriptEnvironment(options.env), [PREFLIGHT_AZ_VERSION_ENV]: facts.azVersion },
      // The values go from this process's stdin (a terminal, or a pipe) straight to the script.
      stdin: 'inherit',
      detached: true,
      onOutput: {
        stderr: (chunk) => reader.push(chunk),
        // Its stdout holds other programs' chatter (helm's release notes): kept for a failure's report.
        stdout: (chunk) => log.push(...chunk.split('\n').filter((l) => l.trim() !== '')),
      },
    });
    this.running = { stop: (signal) => stopProcess(child, signal, true), protect: false, what: 'azure/setup.sh' };
    const result = resultOf(await finished);
    this.running = undefined;
    reader.end();
    if (result.ok) {
      progress.succeed();
      return;
    }
    if (this.interrupted) {
      progress.fail();
      throw new Cancelled(title ?? 'azure/setup.sh');
    }
    progress.fail();
    const hints: string[] = [];
    if (log.some((l) => l.startsWith('error: no value given for')) && !options.stdinIsTerminal) {
      hints.push(`Give each value on a line of its own on stdin, in this order: ${target.uploads.join(', ')} (those Key Vault holds already are not asked for), or run apply at a terminal to type them hidden.`);
    }
    if (result.missing) hints.push('bash is not installed or not on the PATH.');
    const detail = result.signal ? [...log, `(ended by ${result.signal})`] : log;
    throw new StepFailure(title ?? 'azure/setup.sh', detail, hints);
  }
}

/** The IDs azure/setup.sh wrote into kv-secrets.yaml. */
function filledIds(root: string): { clientId: string; tenantId: string } {
  const answers = parse(readFileSync(join(root, 'kv-secrets.yaml'), 'utf8')) as Record<string, unknown>;
  return { clientId: String(answers['clientId'] ?? ''), tenantId: String(answers['tenantId'] ?? '') };
}

const applyArgs = (app: ApplyApp, dryRun: boolean) => [
  'apply', '--kustomize', app.k8sDir, '--server-side', `--field-manager=${FIELD_MANAGER}`, ...(dryRun ? ['--dry-run=server'] : []),
];
const rolloutArgs = (app: ApplyApp) => ['rollout', 'status', `deployment/${app.app}`, '--namespace', app.namespace, `--timeout=${ROLLOUT_TIMEOUT}`];
const listArgs = (app: ApplyApp) => ['exec', `deployment/${app.app}`, '--namespace', app.namespace, '--', 'ls', app.mountPath];
// The app's own ExternalSecrets, by label: `--all` would wait on other teams' in the same namespace too.
const waitArgs = (app: ApplyApp) => [
  'wait', 'externalsecret', '--selector', `app.kubernetes.io/name=${app.app}`, '--namespace', app.namespace, '--for=condition=Ready', `--timeout=${SYNC_TIMEOUT}`,
];

/** Namespaces the manifests use, in the order the folders are applied. */
function namespacesOf(target: ApplyTarget, facts: PreflightFacts): string[] {
  return [...new Set(target.apps.flatMap((app) => (facts.objects.get(app.k8sDir) ?? []).map((o) => o.namespace).filter((n): n is string => n !== undefined)))];
}

function printDryRun(session: Session, facts: PreflightFacts): void {
  const { target, progress } = session;
  const kubectl = (args: string[]) => commandLine('kubectl', ['--context', facts.context, ...args]);
  const lines: string[] = [];
  const valuesFrom = session.options.stdinIsTerminal ? 'typed hidden at the terminal' : 'read from stdin, one line each';
  lines.push(`bash ${join('azure', 'setup.sh')}`);
  if (target.uploads.length > 0) lines.push(`    # values of ${target.uploads.join(', ')} that Key Vault does not hold yet: ${valuesFrom}, sent to az through a pipe: ******`);
  lines.push('    # each of its steps looks before it changes anything; its az commands are in the script');
  for (const namespace of namespacesOf(target, facts)) {
    if (facts.missingNamespaces.has(namespace)) lines.push(`${kubectl(['create', 'namespace', namespace])}    # missing now`);
  }
  for (const app of target.apps) lines.push(kubectl(applyArgs(app, true)));
  for (const app of target.apps) lines.push(kubectl(applyArgs(app, false)));
  for (const app of target.apps) {
    if (app.delivery === 'eso') lines.push(kubectl(waitArgs(app)));
    if (app.delivery !== 'shared') lines.push(kubectl(rolloutArgs(app)));
    if (app.delivery === 'csi' && !facts.noExec.has(app.namespace)) lines.push(`${kubectl(listArgs(app))}    # names only`);
  }
  progress.section(`Would run in ${target.shownRoot}, in this order (--dry-run: nothing was changed):`);
  for (const line of lines) progress.line(`  ${line}`);
}

async function ensureNamespaces(session: Session, facts: PreflightFacts): Promise<void> {
  for (const namespace of namespacesOf(session.target, facts)) {
    session.step(`Namespace ${namespace}`);
    if (facts.unreadableNamespaces.has(namespace)) {
      session.progress.note('taken to exist (you may not read namespaces)');
      session.progress.succeed();
      continue;
    }
    // Missing at the preflight: azure/setup.sh may have made it since (helm --create-namespace).
    const found = facts.missingNamespaces.has(namespace)
      ? await session.kubectl(facts.context, ['get', 'namespace', namespace, '--ignore-not-found', '--output', 'name'])
      : undefined;
    if (found && !found.ok) throw new StepFailure(`Namespace ${namespace}`, outputLines(found));
    if (!found || found.stdout.trim() !== '') {
      session.progress.note('exists');
      session.progress.succeed();
      continue;
    }
    const created = await session.kubectl(facts.context, ['create', 'namespace', namespace], { protect: true, what: `kubectl create namespace ${namespace}` });
    if (!created.ok) throw new StepFailure(`Namespace ${namespace}`, outputLines(created));
    session.progress.note('created');
    session.progress.succeed();
  }
}

async function applyManifests(session: Session, facts: PreflightFacts): Promise<void> {
  const { target, progress } = session;
  for (const app of target.apps) {
    const title = `Server-side dry run of ${app.k8sDir}/`;
    session.step(title);
    const checked = await session.kubectl(facts.context, applyArgs(app, true));
    if (!checked.ok) {
      throw new StepFailure(title, outputLines(checked), ['The API server refused the folder in a dry run: nothing of it (or of the folders after it) was applied.']);
    }
    progress.note(`the API server accepts all ${checked.stdout.trim().split('\n').filter(Boolean).length} objects`);
    progress.succeed();
  }
  for (const app of target.apps) {
    const title = `Applying ${app.k8sDir}/`;
    session.step(title);
    const applied = await session.kubectl(facts.context, applyArgs(app, false), { protect: true, what: `kubectl apply of ${app.k8sDir}/` });
    for (const line of applied.stdout.split('\n').filter(Boolean)) progress.note(line);
    if (!applied.ok) throw new StepFailure(title, outputLines(applied));
    progress.succeed();
  }
}

async function verify(session: Session, facts: PreflightFacts, doctorCommand: string | undefined): Promise<string[]> {
  const { target, progress } = session;
  const results: string[] = [];
  // Several apps in one folder: doctor checks one at a time.
  const several = target.apps.length > 1;
  const findOut = (app: ApplyApp) => (doctorCommand ? [`Find out which link of the chain is broken, and the command that fixes it: ${doctorCommand}${several ? ` --app=${app.app}` : ''}`] : []);
  for (const app of target.apps) {
    if (app.delivery === 'shared') continue;
    if (app.delivery === 'eso') {
      const title = `ExternalSecrets of ${app.app} in ${app.namespace}`;
      session.step(title);
      const synced = await session.kubectl(facts.context, waitArgs(app));
      if (!synced.ok) {
        throw new StepFailure(title, outputLines(synced), [
          `See why: ${commandLine('kubectl', ['--context', facts.context, 'describe', 'externalsecret', '--selector', `app.kubernetes.io/name=${app.app}`, '--namespace', app.namespace])}`,
          'A 403 from Key Vault right after setup is RBAC still propagating (allow up to ten minutes); AADSTS700213 means the federated credential does not match the store\'s service account.',
          ...findOut(app),
        ]);
      }
      for (const line of synced.stdout.split('\n').filter(Boolean)) progress.note(line);
      progress.succeed();
    }
    const rollout = `Rollout of deployment/${app.app} in ${app.namespace}`;
    session.step(rollout);
    const rolled = await session.kubectl(facts.context, rolloutArgs(app));
    if (!rolled.ok) {
      throw new StepFailure(rollout, outputLines(rolled), [
        `See why: ${commandLine('kubectl', ['--context', facts.context, 'describe', 'pods', '--selector', `app.kubernetes.io/name=${app.app}`, '--namespace', app.namespace])}`,
        'A 403 from Key Vault right after setup is RBAC still propagating (allow up to ten minutes); AADSTS700213 means the federated credential does not match the pod\'s service account.',
        ...findOut(app),
      ]);
    }
    progress.note(rolled.stdout.trim().split('\n').at(-1) ?? 'done');
    progress.succeed();
    if (app.delivery === 'sdk') {
      results.push(`${app.app} (${app.namespace}): deployment rolled out (the app reads Key Vault itself)`);
      continue;
    }
    if (app.delivery !== 'csi') {
      results.push(`${app.app} (${app.namespace}): ExternalSecrets Ready, deployment rolled out`);
      continue;
    }
    if (facts.noExec.has(app.namespace)) {
      results.push(`${app.app} (${app.namespace}): deployment rolled out with its volume mounted (files not listed: no exec rights)`);
      continue;
    }
    const title = `Files the pod of ${app.app} sees in ${app.mountPath}`;
    session.step(title);
    const listed = await session.kubectl(facts.context, listArgs(app));
    if (!listed.ok && /executable file not found/.test(listed.stderr)) {
      progress.warn(`${title}: not listed, the image has no \`ls\` (the rollout shows that the volume mounted)`);
      results.push(`${app.app} (${app.namespace}): deployment rolled out with its volume mounted`);
      continue;
    }
    if (!listed.ok) throw new StepFailure(title, outputLines(listed));
    // Names only: the listing is never read beyond them, and file contents are never fetched.
    const names = listed.stdout.split('\n').map((n) => n.trim()).filter(Boolean);
    const missing = app.files.filter((f) => !names.includes(f));
    if (missing.length > 0) throw new StepFailure(title, [`the pod sees ${names.join(', ') || 'nothing'}, but not ${missing.join(', ')}`], findOut(app));
    progress.note(names.join(', '));
    progress.succeed();
    results.push(`${app.app} (${app.namespace}): the pod sees ${names.join(', ')} in ${app.mountPath}`);
  }
  return results;
}

/** Runs the folder; returns the exit code (0 done, 1 failed, 130 cancelled). Never throws for what the user can cause. */
export async function applyFolder(target: ApplyTarget, options: ApplyOptions): Promise<number> {
  const session = new Session(target, options);
  const { progress } = session;
  const unsubscribe = (options.onInterrupt ?? processSignals)(() => session.onInterrupt());
  const resume = `  ${options.resumeCommand}`;
  try {
    progress.line(`${options.dryRun ? 'Dry run of' : 'Applying'} ${target.shownRoot}: ${target.title}; AKS cluster ${target.cluster} (resource group ${target.resourceGroup})`);
    progress.section('Preflight (read-only)');
    let facts: PreflightFacts;
    try {
      facts = await preflight({ target, run: (file, args, o) => session.run(file, args, o ?? {}), progress, dryRun: options.dryRun, ...(options.confirm ? { confirm: options.confirm } : {}) });
    } catch (error) {
      // A check that failed because Ctrl-C stopped it is a cancel, not a finding.
      if (!(error instanceof PreflightFailure) || session.interrupted) throw session.interrupted && !(error instanceof Cancelled) ? new Cancelled('the preflight') : error;
      progress.fail(error.message);
      options.stderr(
        [
          `\ncreate-kv-secrets apply: ${error.message}; nothing was changed.`,
          ...(error.detail ? [indentLines(error.detail.split('\n'))] : []),
          ...(error.fixes.length > 0 ? ['Fix:', ...error.fixes.map((f) => `  ${f}`)] : []),
          'Then run again:',
          resume,
          '',
        ].join('\n'),
      );
      return APPLY_EXIT.failed;
    }
    if (options.dryRun) {
      printDryRun(session, facts);
      return APPLY_EXIT.ok;
    }

    progress.section(`Azure: azure/setup.sh${target.uploads.length > 0 ? ` (secret values: ${options.stdinIsTerminal ? 'typed hidden at the terminal' : 'one line each from stdin'})` : ''}`);
    await session.runSetupScript(facts);
    session.step('IDs in the manifests');
    const unfilled = target.placeholderFiles.filter((file) => {
      const path = join(target.root, file);
      if (!existsSync(path)) return false;
      const content = readFileSync(path, 'utf8');
      return content.includes(PLACEHOLDERS.clientId) || content.includes(PLACEHOLDERS.tenantId);
    });
    if (unfilled.length > 0) throw new StepFailure('IDs in the manifests', [`azure/setup.sh finished, but ${unfilled.join(', ')} still hold an ID placeholder`]);
    const ids = filledIds(target.root);
    progress.note(`client ID ${ids.clientId}, tenant ID ${ids.tenantId}`);
    progress.succeed();

    progress.section(`Kubernetes: context ${facts.context}`);
    await ensureNamespaces(session, facts);
    await applyManifests(session, facts);
    const results = await verify(session, facts, options.doctorCommand);
    if (session.interrupted) throw new Cancelled('the verification');

    options.stdout(`\nDone: ${target.shownRoot} is applied to ${target.cluster}.\n${results.map((r) => `  ${r}\n`).join('')}`);
    return APPLY_EXIT.ok;
  } catch (caught) {
    // A step that failed because Ctrl-C stopped its program was cancelled; a change let finish keeps its own result.
    const stopped = session.stoppedInFlight;
    const error = caught instanceof StepFailure && session.interrupted && (!session.finishedAfterInterrupt || stopped) ? new Cancelled(session.currentStep) : caught;
    if (error instanceof Cancelled) {
      progress.fail();
      const state = stopped
        ? `a second Ctrl-C stopped ${stopped} in flight, so it may be applied in part: the resume applies it whole`
        : 'nothing after it was run, and no manifest was left applied in part';
      options.stderr(`\ncreate-kv-secrets apply: cancelled during "${error.step}"; ${state}.\nResume with:\n${resume}\n`);
      return APPLY_EXIT.cancelled;
    }
    if (error instanceof StepFailure) {
      progress.fail();
      options.stderr(
        [
          `\ncreate-kv-secrets apply: stopped at "${error.step}":`,
          indentLines(error.detail),
          ...error.hints,
          'Nothing after this step was run. Fix the cause, then resume with:',
          resume,
          'Every step looks before it changes anything, so what is done already is left as it is.',
          '',
        ].join('\n'),
      );
      return APPLY_EXIT.failed;
    }
    throw error;
  } finally {
    progress.close();
    unsubscribe();
  }
}
