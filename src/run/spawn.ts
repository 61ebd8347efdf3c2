import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';

/**
 * Starts one program and reports how it ended: the one place that az, kubectl, helm and bash are
 * started from. execa starts it (on Windows through cross-spawn, which finds az.cmd and quotes its
 * arguments for cmd.exe); this file fixes the options every caller relies on:
 *
 * - It never throws and `finished` never rejects: a program that is missing (code 'ENOENT') or that
 *   spawn() refuses outright is a failed result, like one that exits 1.
 * - `finished` settles once the program has exited AND its stdout and stderr have ended: a program
 *   it started that keeps the pipes open is waited for too.
 * - Output is read as utf8 and either collected, with one final newline (`\n` or `\r\n`) removed, or
 *   handed to `onOutput` as it comes.
 * - A timeout sends SIGTERM to the program (to its whole group when it is detached, which execa's own
 *   `timeout` does not do), and SIGKILL `forceKillAfterMs` later if it has not ended by then; both
 *   timers end when `finished` settles.
 */

/** How long a program may take to end after the timeout's SIGTERM before it gets SIGKILL (execa's default). */
export const FORCE_KILL_AFTER_MS = 5000;

export interface StartOptions {
  /** The program's whole environment: nothing of process.env is added. */
  env: NodeJS.ProcessEnv;
  /** Where it runs; this process's working directory by default. */
  cwd?: string;
  /** 'ignore': the program reads end-of-file at once, so it can never wait for input; 'inherit': it reads this process's stdin. */
  stdin: 'ignore' | 'inherit';
  /** Receives the output as it comes, as text, instead of it being collected into the result. */
  onOutput?: { stdout: (text: string) => void; stderr: (text: string) => void };
  /** A process group (and session) of its own: the terminal's Ctrl-C does not reach it. */
  detached?: boolean;
  /** Milliseconds before the program is sent SIGTERM; none by default. */
  timeoutMs?: number;
  /** Milliseconds from that SIGTERM to SIGKILL, when the program is still running; FORCE_KILL_AFTER_MS by default. */
  forceKillAfterMs?: number;
}

export interface Finished {
  /** undefined when the program never ran, or a signal ended it. */
  exitCode: number | undefined;
  /** The signal that ended it. */
  signal: NodeJS.Signals | undefined;
  /** Anything but a start, an exit with code 0 and no timeout. */
  failed: boolean;
  timedOut: boolean;
  /** Why it could not be started, from spawn: 'ENOENT' when the program (or the cwd) does not exist. */
  code: string | undefined;
  /** The collected output; empty when it went to `onOutput`. */
  stdout: string;
  stderr: string;
}

export interface Started {
  /** The running program, to stop it early; undefined when it could not be started. */
  child: ChildProcess | undefined;
  finished: Promise<Finished>;
}

/**
 * Sends `signal` to a program, or to its whole group when it has one of its own (Windows has no
 * groups: the program alone). False when there was nothing to signal: it never started, or is gone.
 */
export function stopProcess(child: Pick<ChildProcess, 'pid' | 'kill'> | undefined, signal: NodeJS.Signals, group: boolean): boolean {
  if (child?.pid === undefined) return false;
  try {
    if (!group || process.platform === 'win32') return child.kill(signal);
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

const text = (output: unknown): string => (typeof output === 'string' ? output : '');

/** A run that never started; `why` goes where a program's complaint would, to be shown with it. */
const notStarted = (why: unknown, code: string | undefined = undefined): Finished => ({
  exitCode: undefined, signal: undefined, failed: true, timedOut: false, code, stdout: '', stderr: why instanceof Error ? why.message : String(why),
});

export function startProgram(file: string, args: string[], options: StartOptions): Started {
  try {
    return start(file, args, options);
  } catch (error) {
    // Arguments execa refuses before starting anything (a NUL byte in them, say): a failed run all the same.
    return { child: undefined, finished: Promise.resolve(notStarted(error)) };
  }
}

function start(file: string, args: string[], options: StartOptions): Started {
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdin: options.stdin,
    stdout: 'pipe',
    stderr: 'pipe',
    encoding: 'utf8',
    stripFinalNewline: true,
    // Streamed output is not also kept.
    buffer: options.onOutput === undefined,
    reject: false,
    detached: options.detached === true,
    windowsHide: true,
    // The timeout below sends SIGKILL itself, to the group when there is one.
    forceKillAfterDelay: false,
  });
  const { onOutput } = options;
  if (onOutput) {
    for (const name of ['stdout', 'stderr'] as const) {
      subprocess[name].setEncoding('utf8');
      subprocess[name].on('data', (chunk: string) => onOutput[name](chunk));
    }
  }

  let timedOut = false;
  let timeout: NodeJS.Timeout | undefined;
  let forceKill: NodeJS.Timeout | undefined;
  // A program with a group of its own is stopped with all it started: az's Python, say, which would
  // otherwise hold the output pipes open, and `finished` would wait for it long after the timeout.
  const signalIt = (name: NodeJS.Signals) => stopProcess(subprocess, name, options.detached === true);
  if (options.timeoutMs) {
    timeout = setTimeout(() => {
      // As in execa: a program that has failed already (its pipes still open) failed for that reason, not the timeout.
      const failedAlready = subprocess.signalCode !== null || (subprocess.exitCode !== null && subprocess.exitCode !== 0);
      timedOut = subprocess.pid !== undefined && !failedAlready;
      if (signalIt('SIGTERM')) forceKill = setTimeout(() => signalIt('SIGKILL'), options.forceKillAfterMs ?? FORCE_KILL_AFTER_MS);
    }, options.timeoutMs);
  }

  const finished = subprocess.then(
    (result): Finished => ({
      exitCode: result.exitCode,
      signal: result.signal,
      failed: result.failed || timedOut,
      timedOut,
      code: 'code' in result && typeof result.code === 'string' ? result.code : undefined,
      stdout: text(result.stdout),
      stderr: text(result.stderr),
    }),
    // reject: false means execa resolves with every failure; this is for one it did not foresee.
    (error: unknown): Finished => ({ ...notStarted(error), timedOut }),
  ).finally(() => {
    clearTimeout(timeout);
    clearTimeout(forceKill);
  });
  return { child: subprocess.pid === undefined ? undefined : subprocess, finished };
}
