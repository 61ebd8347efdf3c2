import { aksClusterName, azureLocation, keyVaultName, resourceGroup, uuid } from '../spec/index.js';
import type { Rule } from '../spec/index.js';
import { azArgv } from '../spec/az-argv.js';
import type { AzOption } from '../spec/az-argv.js';
import { startProgram, stopProcess } from './spawn.js';
import { checkVaultName } from './vault-name.js';

/**
 * Read-only `az` lookups that let the walk offer what the signed-in user can see, and check a new
 * vault's name (src/run/vault-name.ts, as apply's preflight does). Each call is bounded by a short
 * timeout and every failure (no az, signed out, no network, odd output) is an empty list or an
 * unchecked name: suggestions are a convenience, never a step the walk waits on for long.
 *
 * The shapes match src/prompt's AzureLookups; they are not imported, because src/run may import
 * spec only.
 */
export interface Subscription {
  id: string;
  name: string;
  tenantId: string;
  isDefault: boolean;
}

export interface Resource {
  name: string;
  resourceGroup?: string;
  location?: string;
}

/** What az says of a name for a new vault: usable (free, or a vault of the user's), taken, or not known. */
export type VaultNameAnswer =
  | { status: 'usable'; note: string }
  | { status: 'taken'; reason: string; variant: string | null }
  | { status: 'unchecked' };

export interface AzLookupOptions {
  /** Per command, in milliseconds. */
  timeoutMs?: number;
  /** The program to run; tests point it at a stand-in. */
  command?: string;
  env?: NodeJS.ProcessEnv;
}

export const AZ_TIMEOUT_MS = 3000;

export interface AzLookups {
  subscriptions(): Promise<Subscription[]>;
  resourceGroups(subscription?: string): Promise<Resource[]>;
  clusters(subscription?: string): Promise<Resource[]>;
  vaults(subscription?: string): Promise<Resource[]>;
  /** Whether a new vault may take this name (src/run/vault-name.ts); unchecked when az is missing or signed out. */
  vaultName(name: string, subscription?: string): Promise<VaultNameAnswer>;
  /** Stops every lookup still running (the walk ended or was cancelled). */
  close(): void;
}

const RESOURCE_QUERY = '[].{name:name,resourceGroup:resourceGroup,location:location}';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const valid = (rule: Rule, value: unknown): value is string => typeof value === 'string' && rule(value) === null;

/** Keeps only entries whose name the matching flag would accept: a suggestion is never refused. */
function resources(output: unknown, nameRule: Rule): Resource[] {
  if (!Array.isArray(output)) return [];
  const list: Resource[] = [];
  for (const entry of output) {
    if (!isRecord(entry) || !valid(nameRule, entry['name'])) continue;
    const resource: Resource = { name: entry['name'] };
    if (valid(resourceGroup, entry['resourceGroup'])) resource.resourceGroup = entry['resourceGroup'];
    if (valid(azureLocation, entry['location'])) resource.location = entry['location'];
    list.push(resource);
  }
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

function subscriptions(output: unknown): Subscription[] {
  if (!Array.isArray(output)) return [];
  return output.flatMap((entry) => {
    if (!isRecord(entry) || !valid(uuid, entry['id']) || !valid(uuid, entry['tenantId']) || typeof entry['name'] !== 'string') return [];
    return [{ id: entry['id'], name: entry['name'], tenantId: entry['tenantId'], isDefault: entry['isDefault'] === true }];
  });
}

interface AzAnswer {
  ok: boolean;
  stdout: string;
}

const NO_ANSWER: AzAnswer = { ok: false, stdout: '' };

/**
 * az is a script that starts Python, which keeps the output pipe open after the script is killed:
 * so az runs in a process group of its own, and a timeout or close() ends the whole group.
 */
async function runAz(command: string, args: string[], timeoutMs: number, stop: AbortSignal, env: NodeJS.ProcessEnv | undefined): Promise<AzAnswer> {
  if (stop.aborted) return NO_ANSWER;
  const { child, finished } = startProgram(command, args, {
    detached: process.platform !== 'win32',
    // az must never ask anything: it has no terminal to ask on.
    stdin: 'ignore',
    // This process's environment, with the caller's and these on top.
    env: { ...process.env, ...env, AZURE_CORE_NO_COLOR: 'true', AZURE_CORE_ONLY_SHOW_ERRORS: 'true' },
  });
  const end = () => stopProcess(child, 'SIGKILL', true);
  const timer = setTimeout(end, timeoutMs);
  stop.addEventListener('abort', end, { once: true });
  try {
    const result = await finished;
    return { ok: !result.failed && result.exitCode === 0, stdout: result.stdout };
  } catch {
    return NO_ANSWER;
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', end);
  }
}

function parseJson(answer: AzAnswer): unknown {
  if (!answer.ok) return undefined;
  try {
    return JSON.parse(answer.stdout) as unknown;
  } catch {
    return undefined;
  }
}

export function azLookups(options: AzLookupOptions = {}): AzLookups {
  const { timeoutMs = AZ_TIMEOUT_MS, command: program = 'az', env } = options;
  const stop = new AbortController();
  const cache = new Map<string, Promise<AzAnswer>>();

  /** Runs az once per distinct argv; a failure of any kind is an answer that is not ok. */
  function run(args: string[]): Promise<AzAnswer> {
    const key = args.join('\0');
    let result = cache.get(key);
    if (!result) {
      result = runAz(program, args, timeoutMs, stop.signal, env).catch(() => NO_ANSWER);
      cache.set(key, result);
    }
    return result;
  }

  /** A lookup as JSON (errors only); undefined when it fails in any way. */
  async function az(command: string, options: Record<string, AzOption>): Promise<unknown> {
    return parseJson(await run(azArgv(command, { ...options, output: 'json', 'only-show-errors': true })));
  }

  const listSubscriptions = async () =>
    subscriptions(await az('account list', { query: "[?state=='Enabled'].{id:id,name:name,tenantId:tenantId,isDefault:isDefault}" }));
  // Signed out (or no az at all) shows as no subscription: skip the slower calls then.
  const signedIn = async () => (await listSubscriptions()).length > 0;

  return {
    subscriptions: listSubscriptions,
    resourceGroups: async (subscription) =>
      (await signedIn()) ? resources(await az('group list', { subscription: subscription || undefined, query: RESOURCE_QUERY }), resourceGroup) : [],
    clusters: async (subscription) =>
      (await signedIn()) ? resources(await az('aks list', { subscription: subscription || undefined, query: RESOURCE_QUERY }), aksClusterName) : [],
    vaults: async (subscription) =>
      (await signedIn())
        ? resources(await az('keyvault list', { 'resource-type': 'vault', subscription: subscription || undefined, query: RESOURCE_QUERY }), keyVaultName)
        : [],
    vaultName: async (name, subscription) => {
      if (!(await signedIn())) return { status: 'unchecked' };
      const facts = await checkVaultName(run, name, subscription || undefined);
      if (facts.taken) return { status: 'taken', reason: facts.taken.message, variant: facts.taken.variant };
      return facts.known ? { status: 'usable', note: facts.found } : { status: 'unchecked' };
    },
    close: () => stop.abort(),
  };
}
