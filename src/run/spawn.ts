import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { windowsCommand } from './windows-command.js';

/**
 * Starts one program and reports how it ended: the one place that az, kubectl, helm and bash are
 * started from. It replaced execa, which was a quarter of the package, and keeps what of execa's
 * behaviour the callers rely on:
 *
 * - It never throws and `finished` never rejects: a program that is missing (code 'ENOENT') or that
 *   spawn() refuses outright is a failed result, like one that exits 1.
 * - `finished` settles once the program has exited AND its stdout and stderr have closed (the
 *   'close' event): a program it started that keeps the pipes open is waited for too.
 * - Output is read as utf8 and either collected, with one final newline (`\n` or `\r\n`) removed, or
 *   handed to `onOutput` as it comes.
 * - A timeout sends SIGTERM to the program (to its whole group when it is detached), and SIGKILL
 *   `forceKillAfterMs` later if it has not ended by then; both timers end when `finished` settles.
 * - On Windows, a program that is not an .exe (az is az.cmd) runs through cmd.exe (windows-command.ts).
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
  /** The running program, to stop it early; undefined when spawn() refused the arguments outright. */
  child: ChildProcess | undefined;
  finished: Promise<Finished>;
}

/** Removes one final newline, `\n` or `\r\n` (execa's stripFinalNewline); a shell's `$(...)` would remove them all. */
export function stripFinalNewline(text: string): string {
  if (!text.endsWith('\n')) return text;
  return text.slice(0, text.endsWith('\r\n') ? -2 : -1);
}

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

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

export function startProgram(file: string, args: string[], options: StartOptions): Started {
  const command = process.platform === 'win32' ? windowsCommand(file, args, options.env, options.cwd) : { file, args, verbatim: false };
  let child: ChildProcess;
  try {
    child = spawn(command.file, command.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.stdin, 'pipe', 'pipe'],
      detached: options.detached === true,
      windowsHide: true,
      windowsVerbatimArguments: command.verbatim,
    });
  } catch (error) {
    // Arguments spawn() rejects before starting anything (a NUL byte in them, say): a failed run all the same.
    const finished: Finished = { exitCode: undefined, signal: undefined, failed: true, timedOut: false, code: codeOf(error), stdout: '', stderr: '' };
    return { child: undefined, finished: Promise.resolve(finished) };
  }

  const collected = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const) {
    // Reading always, so that a program never blocks on a full pipe; absent only when spawn ran out of file descriptors.
    const stream = child[name];
    stream?.setEncoding('utf8');
    stream?.on('data', options.onOutput?.[name] ?? ((text: string) => (collected[name] += text)));
  }

  let exited = false;
  let exitCode: number | undefined;
  let signal: NodeJS.Signals | undefined;
  let code: string | undefined;
  let errored = false;
  let timedOut = false;
  let timeout: NodeJS.Timeout | undefined;
  let forceKill: NodeJS.Timeout | undefined;

  // 'error': it could not be started (then no 'exit' comes, only 'close'), or a kill failed.
  child.on('error', (error) => {
    errored = true;
    code ??= codeOf(error);
  });
  child.on('exit', (exitedWith, signalName) => {
    exited = true;
    exitCode = exitedWith ?? undefined;
    signal = signalName ?? undefined;
  });

  // A program with a group of its own is stopped with all it started: az's Python, say, which would
  // otherwise hold the output pipes open, and `finished` would wait for it long after the timeout.
  const signalIt = (name: NodeJS.Signals) => stopProcess(child, name, options.detached === true);
  if (options.timeoutMs) {
    timeout = setTimeout(() => {
      // As in execa: a program that has failed already (its pipes still open) failed for that reason, not the timeout.
      timedOut = !errored && !(exited && (exitCode !== 0 || signal !== undefined));
      if (signalIt('SIGTERM')) forceKill = setTimeout(() => signalIt('SIGKILL'), options.forceKillAfterMs ?? FORCE_KILL_AFTER_MS);
    }, options.timeoutMs);
  }

  const finished = new Promise<Finished>((resolve) => {
    child.on('close', () => {
      clearTimeout(timeout);
      clearTimeout(forceKill);
      resolve({
        exitCode,
        signal,
        failed: errored || timedOut || !exited || exitCode !== 0 || signal !== undefined,
        timedOut,
        code,
        stdout: stripFinalNewline(collected.stdout),
        stderr: stripFinalNewline(collected.stderr),
      });
    });
  });
  return { child, finished };
}
