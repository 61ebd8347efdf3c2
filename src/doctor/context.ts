import { CHAIN } from './types.js';
import type { Approach, ChainLink, ExpectedObject, ExpectedSetup, Finding, FindingId, KubeObject, ObservedWorld, Read, Severity } from './types.js';
import { externalSecretObjects, list, nameOf, podSpecOf, spcObjects, text } from './kube.js';
import { CSI_DRIVER } from '../plan/azure-facts.js';

/** What every check reads: the expected setup, the observed world, and what follows from both. */
export interface Context {
  e: ExpectedSetup;
  o: ObservedWorld;
  approach: Approach | undefined;
  objects: ExpectedObject[];
  /** The service account whose token reaches Entra ID: the pod's (CSI) or the store's (ESO). */
  tokenAccount: { namespace: string; name: string };
  /** The SecretProviderClass the workload mounts, when it exists in its namespace. */
  spc: KubeObject | undefined;
  /** Error texts from events and conditions, newest first. */
  messages: string[];
}

/** The link of the chain each finding belongs to (design: Pod → Workload Identity → Managed Identity → Key Vault RBAC → Secret). */
export const LINK: Record<FindingId, ChainLink> = {
  'workload-missing': 'pod',
  'serviceaccount-missing': 'pod',
  'csi-addon-disabled': 'pod',
  'rotation-disabled': 'pod',
  'spc-missing': 'pod',
  'spc-wrong-namespace': 'pod',
  'pod-label-missing': 'pod',
  'pod-default-serviceaccount': 'pod',
  'subpath-mount': 'pod',
  'secret-env-no-reload': 'pod',
  'oidc-disabled': 'workload-identity',
  'workload-identity-disabled': 'workload-identity',
  'fic-missing': 'workload-identity',
  'fic-issuer-mismatch': 'workload-identity',
  'fic-subject-mismatch': 'workload-identity',
  'fic-audience': 'workload-identity',
  'fic-limit': 'workload-identity',
  'identity-missing': 'managed-identity',
  'clientid-mismatch': 'managed-identity',
  'tenant-mismatch': 'managed-identity',
  'vault-missing': 'key-vault',
  'vault-access-policies': 'key-vault',
  'purge-protection-off': 'key-vault',
  'vault-firewall': 'key-vault',
  'role-missing': 'key-vault',
  'role-wrong-principal': 'key-vault',
  'role-propagating': 'key-vault',
  'object-missing': 'secret',
  'eso-store-not-ready': 'secret',
  'externalsecret-not-ready': 'secret',
};

const SEVERITY_RANK: Record<Severity, number> = { error: 0, unknown: 1, warning: 2 };

/** Chain order, then severity: the order findings are shown and fixed in. */
export function byChain(a: Finding, b: Finding): number {
  return CHAIN.indexOf(LINK[a.id]) - CHAIN.indexOf(LINK[b.id]) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
}

/** The first thing to fix: the first error along the chain, else the first unknown, else the first warning. */
export function firstToFix(findings: Finding[]): Finding | undefined {
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || byChain(a, b))[0];
}

export function finding(id: FindingId, severity: Severity, message: string, evidence: Record<string, string>, fix: string[]): Finding {
  return { id, severity, message, evidence, fix };
}

/** A check that could not be made: reported, never taken for healthy. */
export function cannotCheck(id: FindingId, what: string, read: { reason: string }, covers: string): Finding {
  return finding(id, 'unknown', `Could not read ${what}, so ${covers} could not be checked.`, { [what]: read.reason }, []);
}

export const valueOf = <T>(read: Read<T>): T | undefined => (read.state === 'found' ? read.value : undefined);

/** The CSI volumes of a pod spec and the SecretProviderClass each names. */
export function csiVolumes(podSpec: unknown): { name: string; spc: string }[] {
  return list(podSpec, 'volumes').flatMap((v) =>
    text(v, 'csi', 'driver') === CSI_DRIVER ? [{ name: text(v, 'name') ?? '', spc: text(v, 'csi', 'volumeAttributes', 'secretProviderClass') ?? '' }] : []);
}

function inferApproach(e: ExpectedSetup, o: ObservedWorld): Approach | undefined {
  if (e.approach) return e.approach;
  const deployment = valueOf(o.deployment);
  if (deployment && csiVolumes(podSpecOf(deployment)).length > 0) return 'csi';
  if ((valueOf(o.spcs) ?? []).some((s) => nameOf(s) === e.secretProviderClass)) return 'csi';
  if ((valueOf(o.externalSecrets) ?? []).length > 0) return 'eso';
  return undefined;
}

function eventMessages(e: ExpectedSetup, o: ObservedWorld): string[] {
  const events = (valueOf(o.events) ?? [])
    .filter((ev) => text(ev, 'type') === 'Warning')
    .filter((ev) => {
      const kind = text(ev, 'involvedObject', 'kind');
      const name = text(ev, 'involvedObject', 'name') ?? '';
      return kind === 'Pod' ? name.startsWith(`${e.app}-`) : kind === 'ExternalSecret' || kind === 'SecretStore' || kind === 'ClusterSecretStore';
    })
    .sort((a, b) => String(text(b, 'lastTimestamp') ?? '').localeCompare(String(text(a, 'lastTimestamp') ?? '')))
    .map((ev) => text(ev, 'message') ?? '');
  const conditions = [...(valueOf(o.externalSecrets) ?? []), ...(valueOf(o.stores) ?? [])].flatMap((x) =>
    list(x, 'status', 'conditions').filter((c) => text(c, 'type') === 'Ready' && text(c, 'status') !== 'True').map((c) => text(c, 'message') ?? ''));
  return [...events, ...conditions].filter(Boolean);
}

export function contextOf(e: ExpectedSetup, o: ObservedWorld): Context {
  const approach = inferApproach(e, o);
  const deployment = valueOf(o.deployment);
  const podSpec = deployment ? podSpecOf(deployment) : undefined;
  const spcName = csiVolumes(podSpec)[0]?.spc ?? e.secretProviderClass;
  const spc = (valueOf(o.spcs) ?? []).find((s) => nameOf(s) === spcName);
  // A pod left on "default" is pod-default-serviceaccount's finding; the credential is judged for the account it should use.
  const podAccountName = deployment ? (text(podSpec, 'serviceAccountName') ?? 'default') : e.serviceAccount;
  const podAccount = { namespace: e.namespace, name: podAccountName === 'default' ? e.serviceAccount : podAccountName };
  const tokenAccount = approach === 'eso' && e.store ? e.store.serviceAccount : podAccount;
  const fromCluster = approach === 'eso'
    ? (valueOf(o.externalSecrets) ?? []).flatMap(externalSecretObjects)
    : spc && approach !== 'sdk' ? spcObjects(spc) : [];
  const objects = e.objects ?? fromCluster.filter((x, i, all) => all.findIndex((y) => y.name === x.name && y.collection === x.collection) === i);
  return { e, o, approach, objects, tokenAccount, spc, messages: eventMessages(e, o) };
}

