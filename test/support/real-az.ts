/**
 * Runs az command lines through the real Azure CLI (Debian's azure-cli, /usr/bin/az), signed out, to
 * learn whether az's parser accepts them: each call in a fresh config folder of its own, stdin
 * closed, an environment made here (nothing inherited: no secret, no proxy, no subscription), and the
 * error recommendations that would ask a web service turned off. A signed-out az parses the whole
 * command line (and runs its validators) before it asks for a login, so "Please run 'az login'"
 * means the line was accepted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real az, or undefined when none is installed. */
export function realAz(): { path: string; version: string } | undefined {
  const found = spawnSync('sh', ['-c', 'command -v az'], { encoding: 'utf8' }).stdout.trim();
  if (!found) return undefined;
  const home = mkdtempSync(join(tmpdir(), 'kv-real-az-'));
  try {
    const shown = spawnSync(found, ['version', '--output', 'tsv', '--query', '"azure-cli"'], { encoding: 'utf8', env: cleanEnv(home), stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    return { path: found, version: shown.stdout.trim() };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function cleanEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AZURE_CONFIG_DIR: join(home, '.azure'),
    AZURE_CORE_ERROR_RECOMMENDATION: 'off',
    AZURE_CORE_COLLECT_TELEMETRY: 'false',
    AZURE_CORE_NO_COLOR: 'true',
    AZURE_CORE_SURVEY_MESSAGE: 'false',
  };
}

export type Verdict =
  /** az read the whole line (it then wanted a login, or failed later for another reason). */
  | { kind: 'parsed'; detail: string }
  /** az refused the line itself: exit 2, or a usage message. */
  | { kind: 'parse-error'; detail: string }
  /**
   * az crashed while it loaded the command's arguments, before it parsed anything: nothing about the
   * line can be learned. `detail` is az's one-line message (test/az-real-parse.test.ts knows which).
   */
  | { kind: 'not-checkable'; detail: string }
  /** az crashed somewhere else: whether it had parsed the line is not known. */
  | { kind: 'crashed'; detail: string };

const CRASH = 'ERROR: The command failed with an unexpected error. Here is the traceback:';
/** The frame of a crash while az loads a command's arguments (azure/cli/core/__init__.py), before parsing. */
const LOADING_ARGUMENTS = /, in load_arguments\n/;

/** az's usage errors (argparse's and az's own), in case one comes without exit code 2. */
const USAGE = /unrecognized arguments|expected one argument|expected at least one argument|is not a valid value|the following arguments are required|invalid choice|is misspelled or not recognized|usage error|ignored explicit argument|jmespath/i;

export function verdictOf(code: number | null, stderr: string): Verdict {
  const errors = stderr.split('\n').filter((l) => l.startsWith('ERROR:')).map((l) => l.trim());
  if (errors[0] === CRASH) {
    const message = errors[1] ?? '(no message)';
    return LOADING_ARGUMENTS.test(stderr) ? { kind: 'not-checkable', detail: message } : { kind: 'crashed', detail: message };
  }
  const first = errors[0] ?? stderr.trim().split('\n')[0] ?? '';
  if (code === 2 || USAGE.test(first)) return { kind: 'parse-error', detail: stderr.trim() };
  return { kind: 'parsed', detail: code === 0 ? 'exit 0' : first };
}

/** A config folder az has filled once (its command index built), copied for each call. */
export class RealAzRunner {
  private readonly root = mkdtempSync(join(tmpdir(), 'kv-real-az-'));
  private readonly template = join(this.root, 'template');
  private count = 0;

  private constructor(readonly az: string) {}

  static async start(az: string): Promise<RealAzRunner> {
    const runner = new RealAzRunner(az);
    const warm = await runner.spawn(['account', 'show'], runner.template);
    if (!/az login/.test(warm.stderr)) throw new Error(`real az did not start signed out as expected: exit ${warm.code}\n${warm.stderr}`);
    return runner;
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** One call in a fresh copy of the warmed-up home. */
  async check(argv: string[]): Promise<Verdict & { code: number | null; stderr: string }> {
    const home = join(this.root, `call-${++this.count}`);
    cpSync(this.template, home, { recursive: true });
    try {
      const { code, stderr } = await this.spawn(argv, home);
      return { ...verdictOf(code, stderr), code, stderr };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  private spawn(argv: string[], home: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      // stdin closed (not even /dev/null): nothing to read, nothing to ask on.
      const child = spawn('bash', ['-c', 'exec "$0" "$@" <&-', this.az, ...argv], { env: cleanEnv(home), stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, stderr: signal ? `${stderr}\n(killed by ${signal})` : stderr }));
    });
  }
}

/** Runs `work` over `items`, `limit` at a time, keeping their order. */
export async function pooled<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  }));
  return results;
}
