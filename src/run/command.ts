import type { ResultPromise } from 'execa';

/**
 * One way to start az, kubectl, helm and bash for `apply`: execa, loaded on first use so that
 * generating a folder never pays for it. Nothing here throws for a program that fails or is missing:
 * the caller gets a result and decides what it means.
 */

export interface CommandResult {
  /** Exit code 0. */
  ok: boolean;
  exitCode: number | undefined;
  /** The program is not installed (not on the PATH). */
  missing: boolean;
  /** A signal ended it (Ctrl-C, or our own kill). */
  signal: string | undefined;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Milliseconds before the program is stopped; none by default. */
  timeoutMs?: number;
  /**
   * A process group of its own: Ctrl-C at the terminal does not reach it, so a change in flight
   * (kubectl apply) is never cut off half-way; `apply` decides when to stop it.
   */
  detached?: boolean;
  /** Called with the running process, to stop it early. */
  started?: (stop: (signal: NodeJS.Signals) => void) => void;
}

type Execa = typeof import('execa').execa;
let loaded: Promise<Execa> | undefined;

/** execa, imported once, on first use. */
export function loadExeca(): Promise<Execa> {
  loaded ??= import('execa').then((module) => module.execa);
  return loaded;
}

/** A program's run to its end; stdin is closed, so nothing it starts can read the user's input. */
export async function runCommand(file: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const execa = await loadExeca();
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    detached: options.detached === true,
    windowsHide: true,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
  options.started?.((signal) => stopProcess(subprocess, signal, options.detached === true));
  return resultOf(await subprocess);
}

export function resultOf(result: {
  exitCode?: number;
  failed: boolean;
  signal?: string;
  timedOut: boolean;
  stdout?: unknown;
  stderr?: unknown;
  code?: string;
}): CommandResult {
  return {
    ok: !result.failed && result.exitCode === 0,
    exitCode: result.exitCode,
    missing: result.code === 'ENOENT',
    signal: result.signal,
    timedOut: result.timedOut,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
  };
}

/** Sends `signal` to a process, or to its whole group when it has one of its own. */
export function stopProcess(subprocess: ResultPromise | { pid?: number | undefined; kill: (signal: NodeJS.Signals) => boolean }, signal: NodeJS.Signals, group: boolean): void {
  const { pid } = subprocess;
  try {
    if (group && pid !== undefined && process.platform !== 'win32') process.kill(-pid, signal);
    else subprocess.kill(signal);
  } catch {
    // Already gone.
  }
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A command line as a POSIX shell would read it back, for messages and --dry-run. */
export function commandLine(file: string, args: string[]): string {
  return [file, ...args].map((word) => (SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
