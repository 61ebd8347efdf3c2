import { azArgv } from '../spec/az-argv.js';
import type { AzOption } from '../spec/az-argv.js';
import { commandLine, runCommand } from './command.js';
import type { CommandResult } from './command.js';

/**
 * The reads of `doctor`: az and kubectl, read-only, in parallel where one does not need another's
 * answer. Nothing here judges: every read is found (its JSON), missing (the thing does not exist) or
 * unknown (why it could not be read), and src/doctor reasons about them. Secret values are never
 * read: vault objects are listed by name only.
 */

export type RawRead = { state: 'found'; value: unknown } | { state: 'missing' } | { state: 'unknown'; reason: string };
type Collection = 'secrets' | 'keys' | 'certificates';

export interface DoctorReadTarget {
  app: string;
  namespace: string;
  resourceGroup: string;
  cluster: string;
  vault: string;
  identity: string;
  subscription?: string;
  /** undefined: read the resources of both the CSI driver and the External Secrets Operator. */
  approach?: 'csi' | 'eso' | 'sdk';
  /** Service accounts to read, as namespace/name. */
  serviceAccounts: string[];
  /** Objects known before reading (kv-secrets.yaml); the others are learned from the cluster. */
  objects: { name: string; collection: Collection }[];
  /** Objects named by the cluster's SecretProviderClass or ExternalSecrets, once read (src/doctor knows how). */
  objectsFromCluster: (reads: { spcs: RawRead; externalSecrets: RawRead }) => { name: string; collection: Collection }[];
}

export interface RawWorld {
  now: number;
  cluster: RawRead;
  identity: RawRead;
  credentials: RawRead;
  vault: RawRead;
  vaultRoles: RawRead;
  objectRoles: Record<string, RawRead>;
  vaultObjects: Record<Collection, RawRead>;
  deployment: RawRead;
  serviceAccounts: Record<string, RawRead>;
  spcs: RawRead;
  spcsAllNamespaces: RawRead;
  events: RawRead;
  externalSecrets: RawRead;
  stores: RawRead;
  /** How many programs were started. */
  calls: number;
}

export interface DoctorReadOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Per call; a read that takes longer is unknown. */
  timeoutMs?: number;
}

const READ_TIMEOUT_MS = 60_000;

function reasonOf(result: CommandResult, program: string): string {
  if (result.missing) return `${program} is not installed`;
  if (result.timedOut) return `${program} did not answer in time`;
  return result.stderr.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? `${program} exited ${result.exitCode}`;
}

function parsed(result: CommandResult, program: string): RawRead {
  if (!result.ok) return { state: 'unknown', reason: reasonOf(result, program) };
  if (result.stdout.trim() === '') return { state: 'missing' };
  try {
    return { state: 'found', value: JSON.parse(result.stdout) as unknown };
  } catch {
    return { state: 'unknown', reason: `${program} printed something that is not JSON` };
  }
}

/** az says "not found" with exit code 3 (ResourceNotFound and its kind). */
const AZ_NOT_FOUND = /\b(ResourceNotFound|ResourceGroupNotFound|NotFound)\b|not found within subscription|was not found/;

/** kubectl has no such kind at all (the CRD is not installed): none of them exist. */
const NO_SUCH_KIND = /the server doesn't have a resource type/;

/** Why kubectl's current context is not the cluster (its API server is another host), or undefined. */
function otherCluster(config: CommandResult, cluster: RawRead, target: DoctorReadTarget): string | undefined {
  if (!config.ok || cluster.state !== 'found') return undefined;
  const value = cluster.value as { fqdn?: unknown; privateFqdn?: unknown };
  const hosts = [value.fqdn, value.privateFqdn].filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase());
  let host: string;
  try {
    const kubeconfig = JSON.parse(config.stdout) as { clusters?: { cluster?: { server?: string } }[] };
    host = new URL(kubeconfig.clusters?.[0]?.cluster?.server ?? '').hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (hosts.length === 0 || hosts.includes(host)) return undefined;
  return `kubectl's current context leads to ${host}, not to cluster ${target.cluster} (${hosts[0]}); point it there: ${commandLine('az', azArgv('aks get-credentials', { 'resource-group': target.resourceGroup, name: target.cluster }))}`;
}

export async function readWorld(target: DoctorReadTarget, options: DoctorReadOptions): Promise<RawWorld> {
  let calls = 0;
  const run = (program: string, args: string[]) => {
    calls += 1;
    // az runs in a group of its own, so that a timeout ends its Python too.
    return runCommand(program, args, { env: options.env, cwd: options.cwd, timeoutMs: options.timeoutMs ?? READ_TIMEOUT_MS, detached: process.platform !== 'win32' });
  };
  const az = async (command: string, options: Record<string, AzOption>): Promise<RawRead> => {
    const result = await run('az', azArgv(command, { ...options, subscription: target.subscription, output: 'json', 'only-show-errors': true }));
    if (!result.ok && (result.exitCode === 3 || AZ_NOT_FOUND.test(result.stderr))) return { state: 'missing' };
    return parsed(result, 'az');
  };
  const kubectl = async (args: string[]): Promise<RawRead> => {
    const result = await run('kubectl', [...args, '--output=json']);
    if (!result.ok && NO_SUCH_KIND.test(result.stderr)) return { state: 'found', value: { items: [] } };
    return parsed(result, 'kubectl');
  };
  // A named get with --ignore-not-found prints nothing, or an empty List, when there is no such object.
  const one = async (args: string[]): Promise<RawRead> => {
    const read = await kubectl([...args, '--ignore-not-found']);
    const list = read.state === 'found' ? (read.value as { kind?: unknown; items?: unknown[] }) : undefined;
    return list?.kind === 'List' && (list.items ?? []).length === 0 ? { state: 'missing' } : read;
  };
  const items = (read: RawRead): RawRead => {
    if (read.state !== 'found') return read;
    const value = read.value as { items?: unknown };
    return { state: 'found', value: Array.isArray(value.items) ? value.items : [] };
  };
  const inNamespace = ['--namespace', target.namespace];
  const csi = target.approach === undefined || target.approach === 'csi';
  const eso = target.approach === undefined || target.approach === 'eso';
  const none: RawRead = { state: 'found', value: [] };
  const names = (collection: Collection) =>
    az(`keyvault ${collection === 'secrets' ? 'secret' : collection === 'keys' ? 'key' : 'certificate'} list`,
      { 'vault-name': target.vault, 'include-managed': collection === 'secrets' ? 'true' : undefined, query: '[].name' });

  const now = Date.now();
  const knownCollections = new Set(target.objects.map((o) => o.collection));
  const listed = Object.fromEntries([...knownCollections].map((c) => [c, names(c)])) as Partial<Record<Collection, Promise<RawRead>>>;
  const context = run('kubectl', ['config', 'view', '--minify', '--output=json']);
  const [cluster, identity, credentials, vault, deployment, spcs, spcsAll, events, externalSecrets, secretStores, clusterStores, ...accounts] = await Promise.all([
    az('aks show', { 'resource-group': target.resourceGroup, name: target.cluster }),
    az('identity show', { 'resource-group': target.resourceGroup, name: target.identity }),
    az('identity federated-credential list', { 'resource-group': target.resourceGroup, 'identity-name': target.identity }),
    az('keyvault show', { name: target.vault }),
    one(['get', 'deployment', target.app, ...inNamespace]),
    csi ? kubectl(['get', 'secretproviderclasses', ...inNamespace]).then(items) : none,
    csi ? kubectl(['get', 'secretproviderclasses', '--all-namespaces']).then(items) : none,
    kubectl(['get', 'events', ...inNamespace]).then(items),
    eso ? kubectl(['get', 'externalsecrets', ...inNamespace]).then(items) : none,
    eso ? kubectl(['get', 'secretstores', ...inNamespace]).then(items) : none,
    eso ? kubectl(['get', 'clustersecretstores']).then(items) : none,
    ...target.serviceAccounts.map((key) => {
      const [namespace, name] = key.split('/') as [string, string];
      return one(['get', 'serviceaccount', name, '--namespace', namespace]);
    }),
  ]);

  // kubectl's current context must lead to this cluster, or every cluster read describes another one.
  const elsewhere = otherCluster(await context, cluster, target);
  const kube = (read: RawRead): RawRead => (elsewhere ? { state: 'unknown', reason: elsewhere } : read);

  // What the cluster names adds objects, and the vault's ID the role scopes: the second round.
  const objects = [...target.objects];
  for (const o of target.objectsFromCluster({ spcs, externalSecrets })) {
    if (!objects.some((x) => x.name === o.name && x.collection === o.collection)) objects.push(o);
  }
  for (const c of new Set(objects.map((o) => o.collection))) listed[c] ??= names(c);
  const vaultId = vault.state === 'found' ? (vault.value as { id?: unknown }).id : undefined;
  const scoped = typeof vaultId === 'string';
  const objectScopes = scoped ? objects.map((o) => `${o.collection}/${o.name}`) : [];
  const [vaultRoles, ...objectRoleReads] = await Promise.all([
    scoped ? az('role assignment list', { scope: vaultId, 'include-inherited': true }) : Promise.resolve<RawRead>({ state: 'unknown', reason: 'the vault could not be read' }),
    ...objectScopes.map((s) => az('role assignment list', { scope: `${vaultId}/${s}` })),
  ]);
  const notNeeded: RawRead = { state: 'found', value: [] };
  const stores: RawRead = secretStores.state !== 'found' ? secretStores : clusterStores.state !== 'found' ? clusterStores
    : { state: 'found', value: [...(secretStores.value as unknown[]), ...(clusterStores.value as unknown[])] };
  return {
    now,
    cluster, identity, credentials, vault, vaultRoles,
    objectRoles: Object.fromEntries(objectScopes.map((s, i) => [s, objectRoleReads[i]!])),
    vaultObjects: {
      secrets: (await listed.secrets) ?? notNeeded,
      keys: (await listed.keys) ?? notNeeded,
      certificates: (await listed.certificates) ?? notNeeded,
    },
    deployment: kube(deployment),
    serviceAccounts: Object.fromEntries(target.serviceAccounts.map((key, i) => [key, kube(accounts[i]!)])),
    spcs: kube(spcs), spcsAllNamespaces: kube(spcsAll), events: kube(events), externalSecrets: kube(externalSecrets), stores: kube(stores),
    calls,
  };
}
