/**
 * Runs `create-kv-secrets apply` as a person would, in a process of its own, against the stand-ins
 * for az, kubectl and helm (test/stand-ins) first on the PATH, in a sandbox of test/support/
 * standin-harness.ts: HOME is the sandbox (so ~/.kube/config is its own), and every call of the three
 * programs is logged with its argv and environment.
 *
 * The CLI is bundled from src/ by esbuild (never stale, no build needed) and started with node. Its
 * stdin is a pipe the test writes the secret values to, so they take the real path: through the CLI's
 * inherited stdin straight into azure/setup.sh. A `bash` on the PATH before the real one logs the
 * script's own argv and environment, so no process on the way is left unchecked.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { READ_ONLY, REPO, STAND_INS, Sandbox, assertGlued, parseCall } from './standin-harness.js';
import type { AzCall, StandInState } from './standin-harness.js';


let bundled: string | undefined;

/** Removes the sandboxes and the bundled CLI (unless KEEP_STANDIN_SANDBOXES is set, to look into them). */
export function cleanUp(): void {
  Sandbox.removeAll();
  if (bundled && !process.env.KEEP_STANDIN_SANDBOXES) rmSync(dirname(bundled), { recursive: true, force: true });
  bundled = undefined;
}

/** The CLI, bundled once per test file from src/ (templates included: they are embedded). */
export function cliBundle(): string {
  if (bundled) return bundled;
  const dir = mkdtempSync(join(tmpdir(), 'kv-apply-cli-'));
  buildSync({
    entryPoints: [join(REPO, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(dir, 'cli.mjs'),
    logLevel: 'error',
    // CommonJS dependencies (handlebars) call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  writeFileSync(join(dir, 'main.mjs'), "import { main } from './cli.mjs';\nprocess.exitCode = await main(process.argv.slice(2));\n");
  bundled = join(dir, 'main.mjs');
  return bundled;
}

const REAL_BASH = spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim() || '/bin/bash';

/** One call of a stand-in, or of the bash that runs azure/setup.sh. */
export interface Call {
  program: 'az' | 'kubectl' | 'helm';
  argv: string[];
  /** The command line, program first. */
  line: string;
  /** az only: command and flags by long name. */
  az?: AzCall;
}

export interface ApplyRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  calls: Call[];
  /** The environment of every stand-in call, and of the bash that ran azure/setup.sh. */
  envs: Record<string, string>[];
  /** Each start of bash: its argv. */
  bashArgv: string[][];
}

/** Calls that change something: in Azure, in the cluster, in helm's repositories. */
export function changes(calls: Call[]): Call[] {
  return calls.filter((c) => {
    if (c.program === 'az') return !READ_ONLY.has(c.az!.command) && c.az!.command !== 'rest' && c.az!.command !== 'aks get-credentials';
    if (c.program === 'helm') return c.argv[0] !== 'version' && c.argv[0] !== 'status';
    const words = c.argv.filter((a, i) => !a.startsWith('-') && c.argv[i - 1] !== '--context');
    if (words[0] === 'apply') return !c.argv.includes('--dry-run=server');
    return words[0] === 'create';
  });
}

export const kubectlCalls = (run: ApplyRun, ...words: string[]): Call[] =>
  run.calls.filter((c) => c.program === 'kubectl' && words.every((w) => c.argv.includes(w)));

export interface ApplyOptions {
  /** Written to the CLI's stdin, then closed; `closed`: no stdin at all; default: empty. */
  stdin?: string | 'closed';
  env?: NodeJS.ProcessEnv;
  /** A PATH of its own (the stand-ins' folder is not added). */
  path?: string;
  /** Sends SIGINT to the CLI's process group (as Ctrl-C at a terminal) once stdout holds this text. */
  interruptWhen?: string;
  /** Delay after `interruptWhen` appears, before the signal. */
  interruptDelayMs?: number;
}

export class ApplySandbox {
  private runs = 0;

  private constructor(readonly sb: Sandbox) {}

  /** A sandbox with the stand-in's default world; `credentials`: ~/.kube/config leads to myCluster. */
  static async create(edit?: (state: StandInState) => void, options: { credentials?: boolean } = {}): Promise<ApplySandbox> {
    const sandbox = new ApplySandbox(await Sandbox.create(edit));
    if (options.credentials !== false) {
      const got = await sandbox.scene('aks', 'get-credentials', '--resource-group', 'myRG', '--name', 'myCluster');
      if (got.code !== 0) throw new Error(`az aks get-credentials failed: ${got.stderr}`);
    }
    return sandbox;
  }

  get dir(): string {
    return this.sb.dir;
  }

  state(): StandInState {
    return this.sb.state();
  }

  editState(edit: (state: StandInState) => void): void {
    this.sb.editState(edit);
  }

  /** The cluster's Kubernetes side (test/stand-ins/lib/common.mjs). */
  kube(): StandInState {
    return this.state().kubernetes?.['myRG/myCluster'] ?? { namespaces: [], objects: {}, releases: {}, denied: [] };
  }

  editKube(edit: (kube: StandInState) => void): void {
    this.editState((s) => {
      s.kubernetes ??= {};
      s.kubernetes['myRG/myCluster'] ??= { namespaces: ['default', 'kube-node-lease', 'kube-public', 'kube-system'], objects: {}, releases: {}, denied: [] };
      edit(s.kubernetes['myRG/myCluster']);
    });
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env = this.sb.env({ HOME: this.dir });
    delete env.KUBECONFIG;
    delete env.STANDIN_SLOW;
    delete env.CI;
    return { ...env, ...extra };
  }

  /** A scene-setting call of a stand-in, outside any run's logs. */
  scene(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return this.exec(join(STAND_INS, args[0] === 'kubectl' || args[0] === 'helm' ? args[0] : 'az'), args[0] === 'kubectl' || args[0] === 'helm' ? args.slice(1) : args);
  }

  private exec(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { cwd: this.dir, env: this.env({ STANDIN_LOG: join(this.dir, 'scene.log') }), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  generate(name: string, flags: string[]): Promise<string> {
    return this.sb.generate(name, flags);
  }

  /**
   * The sandbox's own bin folder, first on every run's PATH: a logging bash, and (for a PATH of a
   * run's own, without some program) links to the stand-ins named, or to node.
   */
  binDir(programs: string[] = []): string {
    const bin = join(this.dir, 'bin');
    if (!existsSync(bin)) {
      mkdirSync(bin);
      // Logs its argv (NUL-separated, one call per line) and environment, then becomes the real bash.
      writeFileSync(
        join(bin, 'bash'),
        `#!/bin/sh\n{ for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\n'; } >> "$APPLY_BASH_ARGV"\nenv -0 >> "$APPLY_BASH_ENV"; printf '\\n' >> "$APPLY_BASH_ENV"\nexec ${REAL_BASH} "$@"\n`,
      );
      chmodSync(join(bin, 'bash'), 0o755);
    }
    for (const program of programs) {
      const link = join(bin, program);
      const real = program === 'node' ? process.execPath : join(STAND_INS, program);
      if (!existsSync(link)) writeFileSync(link, `#!/bin/sh\nexec ${real} "$@"\n`, { mode: 0o755 });
    }
    return bin;
  }

  /** `create-kv-secrets ARGS` in a process of its own, cwd the sandbox. */
  run(args: string[], options: ApplyOptions = {}): Promise<ApplyRun> {
    const n = ++this.runs;
    const files = { log: `run-${n}.calls.jsonl`, envs: `run-${n}.env.jsonl`, bashArgv: `run-${n}.bash-argv`, bashEnv: `run-${n}.bash-env` };
    for (const file of Object.values(files)) writeFileSync(join(this.dir, file), '');
    const bin = this.binDir();
    const env = this.env({
      STANDIN_LOG: join(this.dir, files.log),
      STANDIN_ENV_LOG: join(this.dir, files.envs),
      APPLY_BASH_ARGV: join(this.dir, files.bashArgv),
      APPLY_BASH_ENV: join(this.dir, files.bashEnv),
      ...options.env,
    });
    env.PATH = `${bin}:${options.path ?? `${STAND_INS}:${process.env.PATH ?? ''}`}`;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cliBundle(), ...args], {
        cwd: this.dir,
        env,
        // A process group of its own, as a shell gives a command: Ctrl-C is sent to the whole group.
        detached: true,
        stdio: [options.stdin === 'closed' ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let interrupted = false;
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (options.interruptWhen && !interrupted && stdout.includes(options.interruptWhen)) {
          interrupted = true;
          setTimeout(() => process.kill(-child.pid!, 'SIGINT'), options.interruptDelayMs ?? 0);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        const read = (file: string) => readFileSync(join(this.dir, file), 'utf8');
        const calls = read(files.log).split('\n').filter(Boolean).map((line) => {
          const argv = JSON.parse(line) as string[];
          if (argv[0] === 'kubectl' || argv[0] === 'helm') return { program: argv[0], argv: argv.slice(1), line: argv.join(' ') } as Call;
          return { program: 'az', argv, line: ['az', ...argv].join(' '), az: parseCall(argv) } as Call;
        });
        try {
          assertGlued(calls.filter((c) => c.program === 'az').map((c) => c.argv), `create-kv-secrets ${args.join(' ')}`);
        } catch (error) {
          reject(error as Error);
          return;
        }
        const bashEnvs = read(files.bashEnv).split('\0\n').filter(Boolean).map((block) =>
          Object.fromEntries(block.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
        );
        resolve({
          code,
          signal,
          stdout,
          stderr,
          calls,
          envs: [...read(files.envs).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>), ...bashEnvs],
          bashArgv: read(files.bashArgv).split('\n').filter(Boolean).map((l) => l.split('\0').filter(Boolean)),
        });
      });
      if (child.stdin) {
        child.stdin.on('error', () => {});
        child.stdin.end(options.stdin === undefined || options.stdin === 'closed' ? '' : options.stdin);
      }
    });
  }

  /** `create-kv-secrets apply FOLDER ...`. */
  apply(folder: string, options: ApplyOptions & { args?: string[] } = {}): Promise<ApplyRun> {
    return this.run(['apply', folder, ...(options.args ?? [])], options);
  }
}

/** A run's exit and output, for the message of a failed expectation. */
export function ran(run: ApplyRun, code = 0): string {
  return `exit ${run.code}${run.signal ? ` (${run.signal})` : ''} (expected ${code})\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

