import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTree } from './golden.js';
import { main } from '../../src/cli/main.js';
import { azArgvProblem } from '../../src/spec/az-argv.js';

/**
 * Runs generated azure/setup.sh scripts against the stand-in `az` in test/stand-ins, each in its
 * own sandbox: a temp dir with the stand-in's state file, the generated folders and the logs.
 */

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const STAND_INS = join(REPO, 'test', 'stand-ins');

/** What setup.sh reads of a vault and of an identity, each in one --query (its VAULT_FIELDS, IDENTITY_FIELDS). */
export const VAULT_FIELDS = '{id:id, rbac:properties.enableRbacAuthorization, purgeProtection:properties.enablePurgeProtection, tenant:properties.tenantId, publicAccess:properties.publicNetworkAccess, defaultAction:properties.networkAcls.defaultAction}';
export const IDENTITY_FIELDS = '{clientId:clientId, principalId:principalId}';

export const ROLE = {
  secretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  certificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
  secretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  certificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985',
  cryptoOfficer: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
} as const;

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** stdin of a child: text, or `closed` (file descriptor 0 not open at all). */
export type Stdin = string | 'closed';

export function exec(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: Stdin }): Promise<Result> {
  const [file, argv] = options.stdin === 'closed' ? ['bash', ['-c', 'exec "$0" "$@" <&-', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({
      code: code ?? (signal ? 128 : 1),
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    }));
    // A script that stops reading early closes the pipe; that is its business, not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(typeof options.stdin === 'string' ? options.stdin : '');
  });
}

/** One az call as logged by the stand-in, with its flags by long name. */
export interface AzCall {
  argv: string[];
  command: string;
  flags: Record<string, string | true>;
}

const ALIASES: Record<string, string> = {
  '-g': '--resource-group', '-n': '--name', '-l': '--location', '-o': '--output', '-a': '--addons',
  '-s': '--subscription', '-f': '--file', '-e': '--encoding', '-y': '--yes',
};

export function parseCall(argv: string[]): AzCall {
  let i = 0;
  const words: string[] = [];
  while (i < argv.length && !argv[i]!.startsWith('-')) words.push(argv[i++]!);
  const flags: Record<string, string | true> = {};
  for (; i < argv.length; i++) {
    const token = argv[i]!;
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = ALIASES[eq === -1 ? token : token.slice(0, eq)] ?? (eq === -1 ? token : token.slice(0, eq));
    if (eq !== -1) {
      flags[name] = token.slice(eq + 1);
      continue;
    }
    const values: string[] = [];
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) values.push(argv[++i]!);
    flags[name] = values.length > 0 ? values.join(' ') : true;
  }
  return { argv, command: words.join(' '), flags };
}

/** Commands that only read. Anything else the script calls counts as a change. */
export const READ_ONLY = new Set([
  'version', 'cloud show', 'account show', 'account list', 'group show', 'aks show', 'keyvault show', 'keyvault show-deleted',
  'keyvault secret list', 'keyvault certificate list', 'keyvault key list', 'ad signed-in-user show', 'ad sp show',
  'role assignment list', 'identity show', 'identity federated-credential list',
  // The vault's network (--vault-network private or firewall).
  'network vnet list', 'network vnet show', 'network public-ip show', 'network private-endpoint show',
  'network private-endpoint dns-zone-group list', 'network private-dns zone show', 'network private-dns link vnet list', 'keyvault network-rule list',
  // Writes only a kubeconfig file of the script's own, removed when it ends; changes nothing in Azure.
  'aks get-credentials',
]);

/** The helm stand-in logs into the same file, its name first; `helm status <release>` only reads. */
const isReadOnly = (c: AzCall): boolean => READ_ONLY.has(c.command) || c.command.startsWith('helm status') || isNameCheck(c);

/** `az rest --method post` to checkNameAvailability asks whether a vault name is free; it creates nothing. */
export const isNameCheck = (c: AzCall): boolean => c.command === 'rest' && /\/checkNameAvailability\?/.test(String(c.flags['--url']));

export const mutating = (calls: AzCall[]): AzCall[] => calls.filter((c) => !isReadOnly(c));
export const callsOf = (calls: AzCall[], command: string): AzCall[] => calls.filter((c) => c.command === command);

/**
 * Every az call a generated script or the CLI makes gives each value glued to its option
 * (src/spec/az-argv.ts), so that no value can be read as an option: a run with one that does not fails.
 */
export function assertGlued(argvs: string[][], what: string): void {
  const problems = argvs.map(azArgvProblem).filter((p): p is string => p !== null);
  if (problems.length > 0) throw new Error(`${what} called az with a value not glued to its option (--opt=value):\n  ${problems.join('\n  ')}`);
}

export interface Run extends Result {
  calls: AzCall[];
  /** The environment of every az call. */
  envs: Record<string, string>[];
}

/** The stand-in's state file, loosely typed: see the header of test/stand-ins/az. */
export type StandInState = Record<string, any>;

export class Sandbox {
  private static readonly all: Sandbox[] = [];
  private runs = 0;

  private constructor(readonly dir: string) {}

  /** Removes every sandbox made so far, unless KEEP_STANDIN_SANDBOXES is set (to look into one). */
  static removeAll(): void {
    if (process.env.KEEP_STANDIN_SANDBOXES) return;
    for (const sandbox of Sandbox.all.splice(0)) rmSync(sandbox.dir, { recursive: true, force: true });
  }

  static async create(edit?: (state: StandInState) => void): Promise<Sandbox> {
    const sandbox = new Sandbox(mkdtempSync(join(tmpdir(), 'kv-setup-')));
    Sandbox.all.push(sandbox);
    // Any call creates the state file with the stand-in's defaults.
    const created = await sandbox.az('version', '--output', 'none');
    if (created.code !== 0) throw new Error(`stand-in az failed to start: ${created.stderr}`);
    if (edit) sandbox.editState(edit);
    return sandbox;
  }

  get statePath(): string {
    return join(this.dir, 'state.json');
  }

  state(): StandInState {
    return JSON.parse(readFileSync(this.statePath, 'utf8')) as StandInState;
  }

  editState(edit: (state: StandInState) => void): void {
    const state = this.state();
    edit(state);
    writeFileSync(this.statePath, `${JSON.stringify(state, null, 2)}\n`);
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.STANDIN_FAIL;
    delete env.OPERATOR_OBJECT_ID;
    // node parses this CA bundle at every start, which makes each az call three times slower; the
    // stand-in opens no TLS connection.
    delete env.NODE_EXTRA_CA_CERTS;
    return {
      ...env,
      PATH: `${STAND_INS}:${process.env.PATH ?? ''}`,
      STANDIN_STATE: this.statePath,
      KV_SECRETS_RETRY_DELAYS: '0 0 0',
      ...extra,
    };
  }

  /** Sets the scene (or follows a printed fix) with the stand-in, outside any script run's logs. */
  az(...args: string[]): Promise<Result> {
    return exec(join(STAND_INS, 'az'), args, { cwd: this.dir, env: this.env({ STANDIN_LOG: join(this.dir, 'scene.log') }) });
  }

  /** Runs a command line the script printed (simple words only), such as a fix it suggests. */
  followPrinted(commandLine: string): Promise<Result> {
    const [first, ...args] = commandLine.trim().split(/\s+/);
    if (first !== 'az') throw new Error(`not an az command: ${commandLine}`);
    return this.az(...args);
  }

  /**
   * Generates a folder as `create-kv-secrets FLAGS --out DIR` would: the CLI's own entry point, called
   * in-process (from src/, so never stale, and some 50 times faster than starting node), never
   * interactive.
   */
  async generate(name: string, flags: string[]): Promise<string> {
    const out = join(this.dir, name);
    const output: string[] = [];
    const print = (text: string): void => { output.push(text); };
    const code = await main([...flags, '--out', out], { stdout: print, stderr: print, cwd: this.dir, isInteractive: false });
    if (code !== 0) throw new Error(`create-kv-secrets ${flags.join(' ')} --out ${out} failed (exit ${code}):\n${output.join('')}`);
    return out;
  }

  /** `bash [bashArgs] FOLDER/azure/setup.sh`, with the stand-ins first on PATH. */
  async runSetup(folder: string, options: { stdin?: Stdin; env?: NodeJS.ProcessEnv; bashArgs?: string[] } = {}): Promise<Run> {
    const n = ++this.runs;
    const log = join(this.dir, `run-${n}.argv.jsonl`);
    const envLog = join(this.dir, `run-${n}.env.jsonl`);
    writeFileSync(log, '');
    writeFileSync(envLog, '');
    const result = await exec('bash', [...(options.bashArgs ?? []), join(folder, 'azure', 'setup.sh')], {
      cwd: this.dir,
      env: this.env({ STANDIN_LOG: log, STANDIN_ENV_LOG: envLog, ...options.env }),
      stdin: options.stdin ?? '',
    });
    const calls = jsonLines<string[]>(log).map(parseCall);
    assertGlued(calls.map((c) => c.argv).filter((argv) => argv[0] !== 'kubectl' && argv[0] !== 'helm'), 'azure/setup.sh');
    return { ...result, calls, envs: jsonLines<Record<string, string>>(envLog) };
  }
}

function jsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
}

/** Every file under a folder (dot files included), by relative path, with its mode. */
export const filesOf = readTree;

export function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= compute());
}

/**
 * A command the script printed, from `prefix` (say `az keyvault update`) to the end of its line, or
 * to a `&&` or a run of spaces that ends it.
 */
export function printedCommand(output: string, prefix: string): string {
  const at = output.indexOf(prefix);
  if (at === -1) throw new Error(`the output names no ${JSON.stringify(prefix)}:\n${output}`);
  return output.slice(at).split('\n')[0]!.split(/\s{2,}|\s&&\s/)[0]!.trim();
}
