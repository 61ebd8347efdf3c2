import { parseCluster, parseCredentials, parseIdentity, parseRoleAssignments, parseVault } from './azure.js';
import { contextOf } from './context.js';
import type { Approach, ExpectedSetup, KubeObject, ObservedWorld, Read } from './types.js';

/** The reads as src/run/doctor-read.ts hands them over: JSON, not yet understood. */
type RawRead = Read<unknown>;
export interface RawReads {
  now: number;
  cluster: RawRead; identity: RawRead; credentials: RawRead; vault: RawRead; vaultRoles: RawRead;
  objectRoles: Record<string, RawRead>;
  vaultObjects: { secrets: RawRead; keys: RawRead; certificates: RawRead };
  deployment: RawRead; serviceAccounts: Record<string, RawRead>;
  spcs: RawRead; spcsAllNamespaces: RawRead; events: RawRead; externalSecrets: RawRead; stores: RawRead;
}

function map<T>(read: RawRead, parse: (json: unknown) => T): Read<T> {
  return read.state === 'found' ? { state: 'found', value: parse(read.value) } : read;
}

const objects = (json: unknown) => (Array.isArray(json) ? json : []) as KubeObject[];
const names = (json: unknown) => (Array.isArray(json) ? json.filter((n): n is string => typeof n === 'string') : []);
const record = <T>(reads: Record<string, RawRead>, parse: (json: unknown) => T) => Object.fromEntries(Object.entries(reads).map(([k, r]) => [k, map(r, parse)]));

function from(e: ExpectedSetup, raw: RawReads): { world: ObservedWorld; approach: Approach | undefined } {
  const world: ObservedWorld = {
    now: raw.now,
    cluster: map(raw.cluster, parseCluster),
    identity: map(raw.identity, parseIdentity),
    credentials: map(raw.credentials, parseCredentials),
    vault: map(raw.vault, parseVault),
    vaultRoles: map(raw.vaultRoles, parseRoleAssignments),
    objectRoles: record(raw.objectRoles, parseRoleAssignments),
    vaultObjects: { secrets: map(raw.vaultObjects.secrets, names), keys: map(raw.vaultObjects.keys, names), certificates: map(raw.vaultObjects.certificates, names) },
    deployment: map(raw.deployment, (json) => json as KubeObject),
    serviceAccounts: record(raw.serviceAccounts, (json) => json as KubeObject),
    spcs: map(raw.spcs, objects),
    spcsAllNamespaces: map(raw.spcsAllNamespaces, objects),
    events: map(raw.events, objects),
    externalSecrets: map(raw.externalSecrets, objects),
    stores: map(raw.stores, objects),
  };
  return { world, approach: contextOf(e, world).approach };
}

/** The objects the cluster's SecretProviderClass or ExternalSecrets name, for the reader's second round. */
function objectsNamed(e: ExpectedSetup, reads: { spcs: RawRead; externalSecrets: RawRead }) {
  const empty: RawRead = { state: 'found', value: [] };
  const partial = from(e, {
    now: 0, cluster: empty, identity: empty, credentials: empty, vault: empty, vaultRoles: empty, objectRoles: {},
    vaultObjects: { secrets: empty, keys: empty, certificates: empty }, deployment: { state: 'missing' }, serviceAccounts: {},
    spcs: reads.spcs, spcsAllNamespaces: empty, events: empty, externalSecrets: reads.externalSecrets, stores: empty,
  });
  return contextOf({ ...e, objects: undefined } as ExpectedSetup, partial.world).objects;
}

export const observedWorld = { from, objectsNamed };
