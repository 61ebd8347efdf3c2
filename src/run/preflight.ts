import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CommandResult } from './command.js';
import { commandLine } from './command.js';
import { azArgv } from '../spec/az-argv.js';
import { BASE_MIN_AZ_VERSION, compareVersions } from '../spec/az-cli.js';
import type { Progress } from './progress.js';
import type { ApplyTarget } from './target.js';
import { checkVaultName } from './vault-name.js';

/**
 * Everything `apply` checks before it changes anything; each check only reads. A failure names what
 * is wrong and the command that fixes it, and stops the run before its first change.
 */

export interface Run {
  (file: string, args: string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
}

export interface PreflightContext {
  target: ApplyTarget;
  run: Run;
  progress: Progress;
  dryRun: boolean;
  /** Asks a yes/no question on a terminal; absent: never asks. */
  confirm?: (question: string) => Promise<boolean>;
}

/** One object of a kustomization, as `kubectl kustomize` builds it. */
export interface ManifestObject {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string | undefined;
}

export interface PreflightFacts {
  /** What `az version` printed as azure-cli's version, checked against azure/setup.sh's minimum. */
  azVersion: string;
  account: { user: string; subscriptionId: string; subscriptionName: string; tenantId: string };
  /** The kubeconfig context every kubectl call names, checked to reach the target cluster. */
  context: string;
  /** By k8s folder. */
  objects: Map<string, ManifestObject[]>;
  /** Namespaces that do not exist yet; `apply` creates them. */
  missingNamespaces: Set<string>;
  /** Namespaces the user may not read: assumed to exist. */
  unreadableNamespaces: Set<string>;
  /** Namespaces where the user may not exec into pods: the mounted files are not listed there. */
  noExec: Set<string>;
}

/** A check failed: what is wrong, the commands that fix it, and what the failing program said. */
export class PreflightFailure extends Error {
  override name = 'PreflightFailure';
  constructor(message: string, readonly fixes: string[], readonly detail = '') {
    super(message);
  }
}

const AZ_TIMEOUT_MS = 60_000;
const KUBECTL_TIMEOUT_MS = 60_000;

/**
 * The az version azure/setup.sh itself requires (its MIN_AZ_VERSION), so that the two never disagree;
 * the one every script requires when it cannot be read.
 */
function minAzVersion(root: string): string {
  try {
    return /^readonly MIN_AZ_VERSION=([0-9.]+)$/m.exec(readFileSync(join(root, 'azure', 'setup.sh'), 'utf8'))?.[1] ?? BASE_MIN_AZ_VERSION;
  } catch {
    return BASE_MIN_AZ_VERSION;
  }
}

const firstLines = (text: string, count = 6) => text.trim().split('\n').slice(0, count).join('\n');

function parseJson(result: CommandResult, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(result.stdout) as unknown;
    if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new PreflightFailure(`${what} printed something other than JSON`, [], firstLines(result.stdout));
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Plural, lower case: the resource name `kubectl auth can-i` takes (Deployment → deployments). */
function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** `deployments.apps`, `serviceaccounts`: a kind with its API group, as RBAC rules name it. */
export function resourceName(object: ManifestObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return group ? `${plural(object.kind)}.${group}` : plural(object.kind);
}

export async function preflight(ctx: PreflightContext): Promise<PreflightFacts> {
  const { azVersion, account: facts, hosts } = await checkAzureAndCluster(ctx);

  await checkAzurePermissions(ctx, facts);
  if (!ctx.target.existingVault) await checkNewVaultName(ctx);

  // ---- kubectl and its context ----
  const context = await checkContext(ctx, hosts);

  return preflightRest(ctx, azVersion, facts, context);
}

/** az (recent enough, signed in, the right cloud and subscription) and the AKS cluster; only reads. */
export async function checkAzureAndCluster(ctx: PreflightContext): Promise<{ azVersion: string; account: PreflightFacts['account']; hosts: string[] }> {
  const { target, progress } = ctx;
  const az = (args: string[]) => ctx.run('az', args, { timeoutMs: AZ_TIMEOUT_MS });

  // ---- Azure CLI, sign-in, subscription ----
  progress.begin('Azure CLI', { quick: true });
  const version = await az(azArgv('version', { output: 'json' }));
  if (version.missing) throw new PreflightFailure('the Azure CLI (az) is not installed', ['https://learn.microsoft.com/cli/azure/install-azure-cli']);
  // az older than 2.11 has no `az version`.
  if (!version.ok) throw new PreflightFailure('`az version` failed', ['az upgrade'], firstLines(version.stderr));
  const azVersion = text(parseJson(version, 'az version')['azure-cli']);
  const minimum = minAzVersion(target.root);
  if (compareVersions(azVersion, minimum) < 0) throw new PreflightFailure(`az ${azVersion} is too old; azure/setup.sh needs ${minimum} or later`, ['az upgrade']);
  progress.succeed(`az ${azVersion}`);

  progress.begin('Sign-in', { quick: true });
  const shown = await az(azArgv('account show', { output: 'json' }));
  if (!shown.ok) throw new PreflightFailure('az is not signed in', ['az login'], firstLines(shown.stderr));
  const account = parseJson(shown, 'az account show');
  const user = account['user'] as Record<string, unknown> | undefined;
  const facts: PreflightFacts['account'] = {
    user: text(user?.['name']),
    subscriptionId: text(account['id']),
    subscriptionName: text(account['name']),
    tenantId: text(account['tenantId']),
  };
  const cloud = text(account['environmentName']);
  if (cloud && cloud !== target.azCloud) {
    throw new PreflightFailure(`az is set to cloud ${cloud}, but this setup is for ${target.azCloud}`, [commandLine('az', azArgv('cloud set', { name: target.azCloud })), 'az login']);
  }
  const wanted = target.subscription;
  if (wanted !== null && wanted.toLowerCase() !== facts.subscriptionId.toLowerCase() && wanted.toLowerCase() !== facts.subscriptionName.toLowerCase()) {
    throw new PreflightFailure(
      `az has subscription ${facts.subscriptionName} (${facts.subscriptionId}) selected, but kv-secrets.yaml names ${wanted}`,
      [commandLine('az', azArgv('account set', { subscription: wanted }))],
    );
  }
  progress.succeed(`signed in as ${facts.user}: subscription ${facts.subscriptionName} (${facts.subscriptionId}), tenant ${facts.tenantId}`);

  // ---- The cluster ----
  progress.begin(`AKS cluster ${target.cluster}`, { quick: true });
  const cluster = await az(azArgv('aks show', { 'resource-group': target.resourceGroup, name: target.cluster, output: 'json' }));
  if (!cluster.ok) {
    const notFound = cluster.exitCode === 3 || /NotFound/.test(cluster.stderr);
    throw new PreflightFailure(
      notFound
        ? `AKS cluster ${target.cluster} was not found in resource group ${target.resourceGroup} of subscription ${facts.subscriptionName}; find it, then correct cluster and resourceGroup in kv-secrets.yaml (or select its subscription)`
        : `az could not read AKS cluster ${target.cluster}`,
      notFound ? [commandLine('az', azArgv('aks list', { query: '[].{name:name, resourceGroup:resourceGroup}', output: 'table' }))] : [],
      firstLines(cluster.stderr),
    );
  }
  const managed = parseJson(cluster, 'az aks show');
  const hosts = [managed['fqdn'], managed['privateFqdn']].map(text).filter(Boolean).map((h) => h.toLowerCase());
  progress.succeed(`AKS cluster ${target.cluster} in ${target.resourceGroup}${hosts[0] ? ` (${hosts[0]})` : ''}`);
  return { azVersion, account: facts, hosts };
}

/** The rest of apply's preflight, after az, the sign-in and the cluster. */
async function preflightRest(ctx: PreflightContext, azVersion: string, facts: PreflightFacts['account'], context: string): Promise<PreflightFacts> {
  const { target, run, progress } = ctx;

  // ---- helm, for the External Secrets Operator ----
  if (target.hasEso && target.installEso) {
    progress.begin('Helm', { quick: true });
    const helm = await run('helm', ['version', '--short'], { timeoutMs: KUBECTL_TIMEOUT_MS });
    if (helm.missing) {
      throw new PreflightFailure('helm is not installed; azure/setup.sh installs the External Secrets Operator with it (or regenerate with --no-install-eso when the operator is installed by other means)', [
        'https://helm.sh/docs/intro/install/',
      ]);
    }
    const helmVersion = helm.stdout.trim().replace(/\+.*$/, '');
    if (!helm.ok || !/^v([3-9]|\d\d)\./.test(helmVersion)) throw new PreflightFailure(`helm ${helmVersion || '(unknown version)'} will not do: Helm 3 or later is needed`, ['https://helm.sh/docs/intro/install/'], firstLines(helm.stderr));
    progress.succeed(`helm ${helmVersion}`);
  }

  // ---- The manifests, and the right to apply them ----
  const kubectl = (args: string[]) => run('kubectl', ['--context', context, ...args], { timeoutMs: KUBECTL_TIMEOUT_MS });
  const objects = new Map<string, ManifestObject[]>();
  for (const app of target.apps) {
    progress.begin(`${app.k8sDir}/`, { quick: true });
    const built = await kubectl(['kustomize', join(target.root, app.k8sDir)]);
    if (!built.ok) {
      throw new PreflightFailure(`${app.k8sDir}/ does not build`, [commandLine('create-kv-secrets', ['--config', join(target.shownRoot, 'kv-secrets.yaml'), '--out', target.shownRoot, '--force'])], firstLines(built.stderr));
    }
    const list = parseAllDocuments(built.stdout).flatMap((doc) => {
      const o = doc.toJSON() as { kind?: string; apiVersion?: string; metadata?: { name?: string; namespace?: string } } | null;
      return o?.kind ? [{ kind: o.kind, apiVersion: o.apiVersion ?? '', name: o.metadata?.name ?? '', namespace: o.metadata?.namespace }] : [];
    });
    objects.set(app.k8sDir, list);
    progress.succeed(`${app.k8sDir}/ builds: ${list.map((o) => `${o.kind} ${o.name}`).join(', ')}`);
  }

  const namespaces = [...new Set([...objects.values()].flat().map((o) => o.namespace).filter((n): n is string => n !== undefined))];
  const missingNamespaces = new Set<string>();
  const unreadableNamespaces = new Set<string>();
  for (const namespace of namespaces) {
    progress.begin(`Namespace ${namespace}`, { quick: true });
    const found = await kubectl(['get', 'namespace', namespace, '--ignore-not-found', '--output', 'name']);
    if (!found.ok && /Forbidden/.test(found.stderr)) {
      unreadableNamespaces.add(namespace);
      progress.succeed(`namespace ${namespace}: you may not read namespaces, so it is taken to exist`);
      continue;
    }
    if (!found.ok) throw unreachable(target, context, found);
    if (found.stdout.trim() === '') missingNamespaces.add(namespace);
    progress.succeed(found.stdout.trim() === '' ? `namespace ${namespace} does not exist yet: it will be created` : `namespace ${namespace} exists`);
  }

  const noExec = await checkRights(ctx, kubectl, context, objects, missingNamespaces, facts.user);
  return { azVersion, account: facts, context, objects, missingNamespaces, unreadableNamespaces, noExec };
}

function unreachable(target: ApplyTarget, context: string, result: CommandResult): PreflightFailure {
  return new PreflightFailure(
    `kubectl cannot reach cluster ${target.cluster} through context ${context}`,
    [commandLine('kubectl', ['--context', context, 'get', 'namespaces'])],
    firstLines(result.stderr),
  );
}

/**
 * kubectl's current context must lead to the target cluster: its server is the cluster's API server.
 * A mismatch offers `az aks get-credentials` on a terminal (never in --dry-run, which changes nothing).
 */
export async function checkContext(ctx: PreflightContext, hosts: string[]): Promise<string> {
  const { target, run, progress } = ctx;
  const getCredentials = commandLine('az', azArgv('aks get-credentials', { 'resource-group': target.resourceGroup, name: target.cluster }));
  for (let attempt = 0; ; attempt++) {
    progress.begin('kubectl context', { quick: true });
    // The current context, with its cluster's server: what `kubectl config current-context` names, and where it leads.
    const view = await run('kubectl', ['config', 'view', '--minify', '--output', 'json'], { timeoutMs: KUBECTL_TIMEOUT_MS });
    if (view.missing) throw new PreflightFailure('kubectl is not installed', [commandLine('az', azArgv('aks install-cli'))]);
    let problem: string;
    const config = view.ok ? parseJson(view, 'kubectl config view') : undefined;
    const context = typeof config?.['current-context'] === 'string' ? config['current-context'] : '';
    if (!context) {
      problem = 'kubectl has no current context';
    } else {
      const server = (config?.['clusters'] as { cluster?: { server?: string } }[] | undefined)?.[0]?.cluster?.server ?? '';
      let host = '';
      try {
        host = new URL(server).hostname.toLowerCase();
      } catch {
        // No usable server: a mismatch.
      }
      const matches = hosts.length > 0 ? hosts.includes(host) : context === target.cluster;
      if (matches) {
        progress.succeed(`kubectl context ${context} leads to ${target.cluster}${server ? ` (${server})` : ''}`);
        return context;
      }
      problem = `kubectl's current context ${context} leads to ${host || server || 'no server'}, not to AKS cluster ${target.cluster}`;
    }
    if (attempt === 0 && !ctx.dryRun && ctx.confirm) {
      progress.fail(problem);
      if (await ctx.confirm(`Run \`${getCredentials}\` now? It adds ${target.cluster} to your kubeconfig and makes it the current context.`)) {
        const fixed = await run('az', azArgv('aks get-credentials', { 'resource-group': target.resourceGroup, name: target.cluster, output: 'none' }), { timeoutMs: AZ_TIMEOUT_MS });
        if (!fixed.ok) throw new PreflightFailure(`${getCredentials} failed`, [commandLine('az', azArgv('aks get-credentials', { 'resource-group': target.resourceGroup, name: target.cluster, 'overwrite-existing': true }))], firstLines(fixed.stderr));
        continue;
      }
    }
    throw new PreflightFailure(problem, [getCredentials]);
  }
}

/** The control-plane actions azure/setup.sh may need, by what it does. */
function azureActions(target: ApplyTarget): [action: string, why: string][] {
  return [
    ['Microsoft.ContainerService/managedClusters/write', 'turn on the OIDC issuer, Workload Identity and add-ons'],
    ...(target.existingVault ? [] : [['Microsoft.KeyVault/vaults/write', 'create the vault'] as [string, string]]),
    ['Microsoft.ManagedIdentity/userAssignedIdentities/write', 'create the managed identity'],
    ['Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write', 'federate it'],
    ['Microsoft.Authorization/roleAssignments/write', 'assign the Key Vault roles'],
    ...(target.hasEso && target.installEso
      ? [['Microsoft.ContainerService/managedClusters/listClusterUserCredential/action', 'install the External Secrets Operator'] as [string, string]]
      : []),
  ];
}

/** A vault azure/setup.sh will create needs a name that is free in all of Azure (src/run/vault-name.ts). */
async function checkNewVaultName(ctx: PreflightContext): Promise<void> {
  const { target, progress } = ctx;
  progress.begin(`Key Vault name ${target.vault}`, { quick: true });
  const { found, taken } = await checkVaultName((args) => ctx.run('az', args, { timeoutMs: AZ_TIMEOUT_MS }), target.vault);
  if (!taken) return progress.succeed(found);
  const regenerate = (name: string) => commandLine('create-kv-secrets', [target.shownRoot, '--config', join(target.shownRoot, 'kv-secrets.yaml'), '--vault', name]);
  throw new PreflightFailure(
    `the vault name ${target.vault} is not available (${taken.message}); vault names are unique across all of Azure, so choose another${taken.variant ? `: ${taken.variant} is free` : ''}, and generate again`,
    [regenerate(taken.variant ?? 'NEW-NAME')],
  );
}

const matchesAction = (pattern: string, action: string) =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i').test(action);

/**
 * Your role on the resource group, as ARM reports it (group memberships included). Only a warning:
 * on a re-run, what a missing permission would make may exist already, and the script changes only
 * what is missing.
 */
async function checkAzurePermissions(ctx: PreflightContext, account: PreflightFacts['account']): Promise<void> {
  const { target, run, progress } = ctx;
  progress.begin('Azure permissions', { quick: true });
  const scope = `/subscriptions/${account.subscriptionId}/resourceGroups/${target.resourceGroup}`;
  const result = await run('az', azArgv('rest', { method: 'get', url: `${scope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`, output: 'json' }), {
    timeoutMs: AZ_TIMEOUT_MS,
  });
  let permissions: { actions?: string[]; notActions?: string[] }[] | undefined;
  try {
    permissions = result.ok ? ((JSON.parse(result.stdout) as { value?: typeof permissions }).value ?? []) : undefined;
  } catch {
    permissions = undefined;
  }
  if (!permissions) {
    progress.succeed(`your Azure permissions on ${target.resourceGroup} could not be read; azure/setup.sh will show what it may not do`);
    return;
  }
  const allowed = (action: string) =>
    permissions!.some((p) => (p.actions ?? []).some((a) => matchesAction(a, action)) && !(p.notActions ?? []).some((a) => matchesAction(a, action)));
  const lacking = azureActions(target).filter(([action]) => !allowed(action));
  if (lacking.length === 0) {
    progress.succeed(`your role on ${target.resourceGroup} allows every change azure/setup.sh may make`);
    return;
  }
  progress.warn(`your role on ${target.resourceGroup} may not let azure/setup.sh ${lacking.map(([, why]) => why).join(', ')}`);
  progress.note(`(${lacking.map(([action]) => action).join(', ')})`);
  progress.note('A step that needs one fails unless what it makes is in place already; an Owner of the resource group can grant them, e.g.:');
  progress.note(commandLine('az', azArgv('role assignment create', { assignee: account.user || '<you>', role: 'Owner', scope })));
}

/**
 * `kubectl auth can-i` for what apply does in each namespace: create each kind of its objects (server-
 * side apply creates with a PATCH that needs create as well; the roles that grant create grant patch),
 * create namespaces that are missing, and exec into pods to list the mounted files (only a warning).
 */
async function checkRights(
  ctx: PreflightContext,
  kubectl: (args: string[]) => Promise<CommandResult>,
  context: string,
  objects: Map<string, ManifestObject[]>,
  missingNamespaces: Set<string>,
  user: string,
): Promise<Set<string>> {
  const { target, progress } = ctx;
  const noExec = new Set<string>();
  const byNamespace = new Map<string, Set<string>>();
  const add = (namespace: string, resource: string) => byNamespace.set(namespace, (byNamespace.get(namespace) ?? new Set()).add(resource));
  if (missingNamespaces.size > 0) add('', 'namespaces');
  for (const list of objects.values()) for (const object of list) add(object.namespace ?? '', resourceName(object));
  const canI = async (resource: string, namespace: string) => {
    const [name, subresource] = resource.split('/');
    const result = await kubectl(['auth', 'can-i', 'create', name!, ...(subresource ? ['--subresource', subresource] : []), ...(namespace ? ['--namespace', namespace] : [])]);
    if (result.stdout.trim() === 'yes') return true;
    if (result.stdout.trim() === 'no') return false;
    throw unreachable(target, context, result);
  };
  for (const [namespace, resources] of byNamespace) {
    const where = namespace ? `namespace ${namespace}` : 'the cluster';
    progress.begin(`Rights in ${where}`, { quick: true });
    const denied: string[] = [];
    for (const resource of resources) if (!(await canI(resource, namespace))) denied.push(resource);
    if (denied.length > 0) {
      const binding = namespace
        ? ['create', 'rolebinding', 'create-kv-secrets-apply', '--clusterrole', 'admin', '--user', user || '<you>', '--namespace', namespace]
        : ['create', 'clusterrolebinding', 'create-kv-secrets-apply', '--clusterrole', 'cluster-admin', '--user', user || '<you>'];
      throw new PreflightFailure(
        `you may not create ${denied.join(', ')} in ${where} (kubectl auth can-i says no); a cluster admin can grant it, for example:`,
        [commandLine('kubectl', binding)],
      );
    }
    progress.succeed(`you may create ${[...resources].join(', ')} in ${where}`);
  }
  for (const namespace of new Set(target.apps.filter((a) => a.delivery === 'csi').map((a) => a.namespace))) {
    progress.begin(`Exec in namespace ${namespace}`, { quick: true });
    if (await canI('pods/exec', namespace)) {
      progress.succeed(`you may exec into pods in namespace ${namespace}, to list the files they see`);
    } else {
      noExec.add(namespace);
      progress.warn(`you may not exec into pods in namespace ${namespace}: the files the pods see are not listed (the rollout still shows they mounted)`);
    }
  }
  return noExec;
}
