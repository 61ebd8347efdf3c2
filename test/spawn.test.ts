/**
 * src/run/spawn.ts, the one way az, kubectl, helm and bash are started: how a run ends (exit code,
 * missing program, signal, timeout), what is collected, and what the program is given (environment,
 * working directory, stdin). Real programs: `sh -c` and this Node. No assertion on how fast anything
 * is; a test that waits on a timeout keeps it short.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FORCE_KILL_AFTER_MS, startProgram, stopProcess } from '../src/run/spawn.js';
import type { StartOptions } from '../src/run/spawn.js';

const ENV = { PATH: process.env['PATH'] };
const OPTIONS: StartOptions = { env: ENV, stdin: 'ignore' };

const sh = (script: string, options: Partial<StartOptions> = {}) => startProgram('sh', ['-c', script], { ...OPTIONS, ...options });
const node = (code: string, options: Partial<StartOptions> = {}) => startProgram(process.execPath, ['-e', code], { ...OPTIONS, ...options });

/**
 * The timers started with one of `delays` (values no other code here uses): `started` counts them,
 * `pending` holds those neither fired nor cleared. The wrapper must leave none pending once a run has
 * settled: a forgotten timer would keep the CLI alive for up to its delay.
 */
function watchTimers(delays: number[]) {
  const watched = { started: 0, pending: new Set<unknown>() };
  const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = realSet(() => {
      watched.pending.delete(handle);
      callback(...args);
    }, ms);
    if (ms !== undefined && delays.includes(ms)) {
      watched.started += 1;
      watched.pending.add(handle);
    }
    return handle;
  }) as unknown as typeof setTimeout);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
    watched.pending.delete(handle);
    realClear(handle);
  });
  return watched;
}

afterEach(() => {
  vi.restoreAllMocks();
});

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('how a run ends', () => {
  it('exit 0 is success; any other code is a failure with that code', async () => {
    expect(await sh('exit 0').finished).toEqual({ exitCode: 0, signal: undefined, failed: false, timedOut: false, code: undefined, stdout: '', stderr: '' });
    expect(await sh('echo out; echo err >&2; exit 3').finished).toEqual({
      exitCode: 3, signal: undefined, failed: true, timedOut: false, code: undefined, stdout: 'out', stderr: 'err',
    });
  });

  it('a missing program is ENOENT, reported, never thrown', async () => {
    const byPath = startProgram('/nonexistent/no-such-program', [], OPTIONS);
    expect(byPath.child?.pid).toBeUndefined();
    expect(await byPath.finished).toEqual({ exitCode: undefined, signal: undefined, failed: true, timedOut: false, code: 'ENOENT', stdout: '', stderr: '' });
    const byName = startProgram('no-such-program-on-the-path', ['--version'], OPTIONS);
    expect(await byName.finished).toMatchObject({ exitCode: undefined, failed: true, code: 'ENOENT' });
    // A working directory that does not exist is ENOENT from spawn() too (execa said the same).
    expect(await sh('exit 0', { cwd: '/nonexistent/directory' }).finished).toMatchObject({ exitCode: undefined, failed: true, code: 'ENOENT' });
  });

  it('arguments spawn() refuses outright are a failed run, not an exception', async () => {
    const refused = startProgram('sh', ['-c', 'echo \0'], OPTIONS);
    expect(refused.child).toBeUndefined();
    expect(await refused.finished).toMatchObject({ exitCode: undefined, failed: true, stderr: expect.stringMatching(/null bytes/) });
    expect(() => stopProcess(refused.child, 'SIGINT', true)).not.toThrow();
  });

  it('a signal that ends it is named, with no exit code', async () => {
    expect(await sh('kill -TERM $$').finished).toMatchObject({ exitCode: undefined, signal: 'SIGTERM', failed: true, timedOut: false });
  });

  it('settles only once the pipes have closed: output of a program it started is kept', async () => {
    // sh exits at once; the background subshell still holds stdout and writes to it later.
    const { stdout } = await sh('(sleep 0.2; echo late) & echo early').finished;
    expect(stdout).toBe('early\nlate');
  });
});

describe('output', () => {
  it('strips one final newline, \\n or \\r\\n, and nothing else', async () => {
    expect(await sh(`printf 'x\\n\\n'; printf ' y\\r\\n' >&2`).finished).toMatchObject({ stdout: 'x\n', stderr: ' y' });
  });

  it('is otherwise kept exactly, as utf8, across chunk boundaries', async () => {
    // A character split between two writes, trailing spaces, a lone \r, and 1 MB in many chunks.
    const code = `
      const euro = Buffer.from('€');
      process.stdout.write(euro.subarray(0, 1));
      setTimeout(() => {
        process.stdout.write(Buffer.concat([euro.subarray(1), Buffer.from('  \\r\\ttail  ')]));
        process.stderr.write('x'.repeat(1 << 20) + 'ü');
      }, 50);`;
    const result = await node(code).finished;
    expect(result.stdout).toBe('€  \r\ttail  ');
    expect(result.stderr).toBe(`${'x'.repeat(1 << 20)}ü`);
    expect(result.failed).toBe(false);
  });

  it('goes to onOutput as text when given, and is then not collected', async () => {
    const seen = { stdout: '', stderr: '' };
    const code = `
      const euro = Buffer.from('€\\n');
      process.stdout.write(euro.subarray(0, 2));
      setTimeout(() => { process.stdout.write(euro.subarray(2)); process.stderr.write('e\\n'); }, 50);`;
    const result = await node(code, { onOutput: { stdout: (text) => (seen.stdout += text), stderr: (text) => (seen.stderr += text) } }).finished;
    expect(seen).toEqual({ stdout: '€\n', stderr: 'e\n' });
    expect(result).toMatchObject({ exitCode: 0, failed: false, stdout: '', stderr: '' });
  });
});

describe('what the program is given', () => {
  it('exactly the environment passed, nothing of this process', async () => {
    const { stdout } = await sh('echo "$ONLY"; echo "${HOME-unset}"', { env: { ...ENV, ONLY: 'this' } }).finished;
    expect(process.env['HOME']).toBeDefined();
    expect(stdout).toBe('this\nunset');
  });

  it('the working directory passed', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kv-spawn-')));
    try {
      expect((await sh('pwd -P', { cwd: dir }).finished).stdout).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stdin 'ignore': a program reading it sees end-of-file at once", async () => {
    expect((await sh('cat; echo "read: $?"').finished).stdout).toBe('read: 0');
    expect((await node("process.stdin.on('data', () => {}).on('end', () => console.log('end'))").finished).stdout).toBe('end');
  });
});

describe('timeout', () => {
  it('SIGTERM first; SIGKILL after the grace period for a program that ignores it', async () => {
    expect(FORCE_KILL_AFTER_MS).toBe(5000);
    const timers = watchTimers([1013, 211]);
    // The trap prints once SIGTERM came; the loop goes on until SIGKILL.
    const result = await sh(`trap 'echo got TERM' TERM; echo ready; while :; do sleep 0.05; done`, { timeoutMs: 1013, forceKillAfterMs: 211 }).finished;
    expect(result).toEqual({ exitCode: undefined, signal: 'SIGKILL', failed: true, timedOut: true, code: undefined, stdout: 'ready\ngot TERM', stderr: '' });
    expect(timers.started).toBe(2);
    expect(timers.pending.size).toBe(0);
  });

  it('a program that ends on SIGTERM is not sent SIGKILL, and no timer is left behind', async () => {
    const timers = watchTimers([307, 60_013]);
    const result = await sh('exec sleep 30', { timeoutMs: 307, forceKillAfterMs: 60_013 }).finished;
    expect(result).toMatchObject({ exitCode: undefined, signal: 'SIGTERM', timedOut: true, failed: true });
    expect(timers.started).toBe(2);
    expect(timers.pending.size).toBe(0);
  });

  it('a program that ends first is no timeout, and its timer goes with it', async () => {
    const timers = watchTimers([60_017]);
    expect(await sh('exit 0', { timeoutMs: 60_017 }).finished).toMatchObject({ exitCode: 0, failed: false, timedOut: false });
    expect(timers.started).toBe(1);
    expect(timers.pending.size).toBe(0);
  });
});

describe('a process group of its own', () => {
  it('detached: stopping the group ends the program and what it started, which hold its output pipe', async () => {
    let announced = '';
    let announce: (pids: number[]) => void = () => undefined;
    const pids = new Promise<number[]>((resolve) => (announce = resolve));
    const run = sh('sleep 30 & echo "$$ $!"; wait', {
      detached: true,
      onOutput: {
        stdout: (text) => {
          announced += text;
          if (announced.endsWith('\n')) announce(announced.trim().split(' ').map(Number));
        },
        stderr: () => undefined,
      },
    });
    const [shell, sleeper] = await pids;
    expect(shell).toBe(run.child?.pid);
    expect(isRunning(sleeper!)).toBe(true);
    stopProcess(run.child, 'SIGKILL', true);
    // Settling at all shows that the sleep is gone too: it held the stdout pipe for 30 s.
    expect(await run.finished).toMatchObject({ exitCode: undefined, signal: 'SIGKILL', failed: true, timedOut: false });
  });

  it('detached: a timeout stops the whole group, so what the program started cannot hold it past the timeout', async () => {
    // The shell ends on SIGTERM; the sleep it started holds stdout for 30 s unless the group is signalled.
    const result = await sh('sleep 30 & wait', { detached: true, timeoutMs: 257, forceKillAfterMs: 60_000 }).finished;
    expect(result).toMatchObject({ exitCode: undefined, signal: 'SIGTERM', failed: true, timedOut: true });
  }, 10_000);
});
