/**
 * What `doctor` reasons about: the setup it expects (from kv-secrets.yaml or flags), what it read
 * from Azure and the cluster (the "observed world"), and what it finds. Pure data: the reading is
 * src/run/doctor-read.ts, the reasoning src/doctor/diagnose.ts.
 */

/** The ids scripts match on (`--json`): a contract, spelled exactly as issue 13 lists them. */
export const FINDING_IDS = [
  'oidc-disabled', 'workload-identity-disabled', 'csi-addon-disabled', 'rotation-disabled',
  'fic-missing', 'fic-issuer-mismatch', 'fic-subject-mismatch', 'fic-audience', 'fic-limit',
  'identity-missing', 'clientid-mismatch', 'tenant-mismatch',
  'vault-missing', 'vault-access-policies', 'purge-protection-off', 'vault-firewall',
  'role-missing', 'role-wrong-principal', 'role-propagating',
  'object-missing',
  'workload-missing', 'serviceaccount-missing', 'spc-missing', 'spc-wrong-namespace', 'pod-label-missing',
  'pod-default-serviceaccount', 'subpath-mount', 'secret-env-no-reload',
  'eso-store-not-ready', 'externalsecret-not-ready',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

/** The guide's auth chain, in the order a request travels it; findings are grouped and ordered by it. */
export const CHAIN = ['pod', 'workload-identity', 'managed-identity', 'key-vault', 'secret'] as const;
export type ChainLink = (typeof CHAIN)[number];
export const CHAIN_TITLES: Record<ChainLink, string> = {
  pod: 'Pod',
  'workload-identity': 'Workload Identity',
  'managed-identity': 'Managed Identity',
  'key-vault': 'Key Vault RBAC',
  secret: 'Secret',
};

/** `unknown`: the check could not be made (no right to read, a read that failed); never counted as healthy. */
export type Severity = 'error' | 'warning' | 'unknown';

export interface Finding {
  id: FindingId;
  severity: Severity;
  /** What is wrong, in one or two sentences. */
  message: string;
  /** The exact values compared, by what they are. */
  evidence: Record<string, string>;
  /** Commands that fix it, with the real values filled in; run in order. */
  fix: string[];
}

/** One thing read: found, known not to exist, or not known (the reason says why). */
export type Read<T> = { state: 'found'; value: T } | { state: 'missing' } | { state: 'unknown'; reason: string };

export const found = <T>(value: T): Read<T> => ({ state: 'found', value });
export const missing = <T>(): Read<T> => ({ state: 'missing' });
export const unknown = <T>(reason: string): Read<T> => ({ state: 'unknown', reason });

export interface AksCluster {
  /** `oidcIssuerProfile.issuerUrl`, verbatim (trailing slash included); null when the issuer is off. */
  issuerUrl: string | null;
  workloadIdentity: boolean;
  csiAddon: boolean;
  /** The add-on's `enableSecretRotation` config is "true". */
  rotation: boolean;
  /** Principals that are not the workload's: the kubelet identity and the CSI add-on's own identity. */
  otherIdentities: { what: string; clientId: string; objectId: string }[];
  /** `agentPoolProfiles[].vnetSubnetId`: empty when AKS manages the network. */
  subnetIds: string[];
}

export interface Identity {
  id: string;
  clientId: string;
  principalId: string;
  tenantId: string;
}

export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface Vault {
  id: string;
  tenantId: string;
  rbac: boolean;
  purgeProtection: boolean;
  /** `properties.publicNetworkAccess`: Enabled or Disabled (null on old vaults: Enabled). */
  publicNetworkAccess: string | null;
  /** `properties.networkAcls.defaultAction`: Allow or Deny (null: no network ACLs, Allow). */
  defaultAction: string | null;
  ipRules: string[];
  subnetRules: string[];
  /** Private endpoint connections in state Approved. */
  approvedPrivateEndpoints: number;
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  /** The role definition's GUID (the last segment of roleDefinitionId), lower case. */
  roleId: string;
  roleName: string;
  scope: string;
  /** Milliseconds since the epoch; undefined when az did not say. */
  createdOn?: number;
}

/** A Kubernetes object as `kubectl get -o json` prints it. */
export type KubeObject = Record<string, unknown>;

/** How the app gets its secrets: the CSI driver, the External Secrets Operator, or its own Azure SDK calls. */
export type Approach = 'csi' | 'eso' | 'sdk';

/** The three collections of a vault, as role scopes and list commands name them. */
export type Collection = 'secrets' | 'keys' | 'certificates';

export interface ObservedWorld {
  /** When it was read, for the age of role assignments (milliseconds since the epoch). */
  now: number;
  cluster: Read<AksCluster>;
  identity: Read<Identity>;
  credentials: Read<FederatedCredential[]>;
  vault: Read<Vault>;
  /** Assignments at the vault's scope and above it (resource group, subscription), of every principal. */
  vaultRoles: Read<RoleAssignment[]>;
  /** Assignments made on one object, by its scope suffix (`secrets/db-password`). */
  objectRoles: Record<string, Read<RoleAssignment[]>>;
  /** Names only: never a value. */
  vaultObjects: Record<Collection, Read<string[]>>;
  deployment: Read<KubeObject>;
  /** Service accounts by `namespace/name`: the workload's, and an ESO store's. */
  serviceAccounts: Record<string, Read<KubeObject>>;
  /** SecretProviderClasses in the workload's namespace. */
  spcs: Read<KubeObject[]>;
  /** SecretProviderClasses in every namespace (to tell a missing one from one in the wrong namespace). */
  spcsAllNamespaces: Read<KubeObject[]>;
  events: Read<KubeObject[]>;
  externalSecrets: Read<KubeObject[]>;
  /** SecretStores of the namespace and ClusterSecretStores. */
  stores: Read<KubeObject[]>;
}

export interface ExpectedObject {
  name: string;
  collection: Collection;
}

/** The setup doctor holds the world against. */
export interface ExpectedSetup {
  app: string;
  namespace: string;
  serviceAccount: string;
  resourceGroup: string;
  cluster: string;
  vault: string;
  identity: string;
  /** Unknown with flags only: then what the cluster holds decides. */
  approach?: Approach;
  /** The setup asked for rotation; unknown with flags only. */
  rotation?: boolean;
  /** From kv-secrets.yaml; with flags only, what the SecretProviderClass or ExternalSecret names. */
  objects?: ExpectedObject[];
  secretProviderClass: string;
  /** The federated credential's name the generated setup.sh creates. */
  credentialName: string;
  /** ESO: the store and the service account it signs in as. */
  store?: { kind: 'SecretStore' | 'ClusterSecretStore'; name: string; serviceAccount: { name: string; namespace: string } };
  /** The generated folder's kustomization (relative, as the user would type it), for fixes that re-apply it. */
  kustomization?: string;
  /** How to run doctor again, for fixes that say to wait. */
  rerun: string;
}
