/** The Azure clouds a setup can target, named as the CSI provider's `cloudName` spells them (az names them differently). */
export const CLOUDS = ['AzurePublicCloud', 'AzureUSGovernmentCloud', 'AzureChinaCloud'] as const;
export type Cloud = (typeof CLOUDS)[number];

export const OBJECT_TYPES = ['secret', 'key', 'cert'] as const;
/** A Key Vault object type, spelled as the CSI provider's `objectType` (lower case, exact). */
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const APP_KINDS = ['new', 'legacy', 'sdk'] as const;
export type AppKind = (typeof APP_KINDS)[number];

export const LEGACY_READS = ['env', 'secret-object'] as const;
export type LegacyReads = (typeof LEGACY_READS)[number];

export const APPROACHES = ['csi', 'eso', 'sdk'] as const;
export type Approach = (typeof APPROACHES)[number];

/** demo: the tool writes its own Deployment; existing: it patches the user's Deployment (kustomize) or chart values. */
export const WORKLOADS = ['demo', 'existing'] as const;
export type Workload = (typeof WORKLOADS)[number];
/** How the vault is reached: from any network, only through a private endpoint, or through its firewall. */
export const VAULT_NETWORKS = ['public', 'private', 'firewall'] as const;
export type VaultNetwork = (typeof VAULT_NETWORKS)[number];
/**
 * What serves the app's HTTPS from a Key Vault certificate: nothing, AKS application routing (managed
 * NGINX, which reads Key Vault itself), or another ingress controller that needs a kubernetes.io/tls Secret.
 */
export const INGRESSES = ['none', 'app-routing', 'nginx'] as const;
export type Ingress = (typeof INGRESSES)[number];
export const DEFAULT_APP_PORT = '8080';

export const STORE_KINDS = ['SecretStore', 'ClusterSecretStore'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** One Key Vault object the workload needs. */
export interface KeyVaultObject {
  name: string;
  type: ObjectType;
  /** File name (CSI) or key (ESO) the object is delivered as; the object name when absent. */
  alias?: string;
}

/** Everything that describes one setup: the single input of decide, plan and render. */
export interface Spec {
  app: string;
  namespace: string;
  image: string;
  serviceAccount: string;
  workload: Workload;
  /** The user's Deployment that an existing-workload patch targets. */
  deployment: string;
  /** The container of that Deployment that gets the mounts and env (strategic merge matches containers by name). */
  container: string;
  appKind: AppKind;
  legacyReads: LegacyReads;
  /** Set only when the user skipped the decision tree with --approach. */
  approach?: Approach;
  targetSecret: string;
  secrets: KeyVaultObject[];
  vault: string;
  existingVault: boolean;
  resourceGroup: string;
  cluster: string;
  location?: string;
  subscription?: string;
  tenantId?: string;
  identity: string;
  clientId?: string;
  rotation: boolean;
  rotationInterval: string;
  refreshInterval: string;
  storeKind: StoreKind;
  installEso: boolean;
  mountPath: string;
  cloud: Cloud;
  vaultNetwork: VaultNetwork;
  /** Private: the resource ID of the subnet the vault's private endpoint goes in. */
  privateEndpointSubnet?: string;
  /** Firewall: the cluster's egress address; absent: azure/setup.sh reads the cluster's outbound IPs. */
  egressIp?: string;
  /** Absent: none (kept out of the answers file unless asked for). */
  ingress?: Ingress;
  /** Host name the Ingress serves; set when ingress is not none. */
  host?: string;
  /** The Key Vault certificate (with its private key) that serves TLS; set when ingress is not none. */
  tlsCert?: string;
  /** IngressClass; absent: the controller's usual one. */
  ingressClass?: string;
  /** Port the app's container listens on, which the Service sends traffic to; absent: DEFAULT_APP_PORT. */
  port?: string;
}

/** Raw answers as they arrive from flags, a config file or prompts, before defaults and validation. */
export type SpecInput = Partial<Record<SpecKey, string | boolean | string[]>>;
export type SpecKey = keyof Spec;

/** One reason an input was refused: where it came from, what it was, and what is allowed. */
export interface Problem {
  /** The flag (`--vault`) or config key path (`secrets[1].name`) the value came from. */
  field: string;
  value: string;
  rule: string;
}
