import type { Finished } from './spawn.js';
import { startProgram, stopProcess } from './spawn.js';

/**
 * One way to run az, kubectl, helm and bash for `apply`. Nothing here throws for a program that fails
 * or is missing: the caller gets a result and decides what it means.
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

/** A program's run to its end; stdin is closed, so nothing it starts can read the user's input. */
export async function runCommand(file: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const { child, finished } = startProgram(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdin: 'ignore',
    detached: options.detached === true,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  options.started?.((signal) => stopProcess(child, signal, options.detached === true));
  return resultOf(await finished);
}

export function resultOf(result: Finished): CommandResult {
  return {
    ok: !result.failed && result.exitCode === 0,
    exitCode: result.exitCode,
    missing: result.code === 'ENOENT',
    signal: result.signal,
    timedOut: result.timedOut,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}


const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A command line as a POSIX shell would read it back, for messages and --dry-run. */
export function commandLine(file: string, args: string[]): string {
  return [file, ...args].map((word) => (SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
