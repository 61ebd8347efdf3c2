import * as rules from './rules.js';
import type { Rule } from './rules.js';
import { APPROACHES, APP_KINDS, CLOUDS, DEFAULT_APP_PORT, INGRESSES, LEGACY_READS, STORE_KINDS, VAULT_NETWORKS, WORKLOADS } from './types.js';
import type { Approach, SpecKey } from './types.js';

export type FieldKind = 'string' | 'boolean' | 'list';
export type FieldGroup = 'Workload' | 'Decision' | 'Azure' | 'Secrets' | 'Delivery' | 'Ingress';

/** The values already settled when a default is derived (the app name, mostly). */
export interface DefaultContext {
  app: string;
}

/**
 * One answer of a setup: its flag, help, rule and default. This table is the single source for
 * argv parsing, `--help`, validation messages, the config file's keys and the prompts.
 */
export interface FieldDef {
  key: SpecKey;
  flag: string;
  kind: FieldKind;
  group: FieldGroup;
  /** Shown in help as `--flag VALUE`. */
  valueName?: string;
  help: string;
  rule?: Rule;
  choices?: readonly string[];
  /** Fixed or derived default; absent means the value stays unset unless given. */
  defaultValue?: string | boolean | ((ctx: DefaultContext) => string);
  /** How the default reads in help and docs. */
  defaultText?: string;
  /** Needed when nothing can prompt (no TTY, CI, or --yes). */
  required?: boolean;
  /**
   * One value for every workload of a setup (the Azure side and the cluster-wide add-on settings);
   * a config file with several `apps` sets it once, at the top.
   */
  shared?: boolean;
  /** Used by this approach only: the answers file of a setup with the other one leaves it out. */
  only?: Approach;
}

/** The guide's example image: a Deployment that carries it still needs the real one. */
export function exampleImage({ app }: DefaultContext): string {
  return `myregistry.azurecr.io/${app}:latest`;
}

/** HTTPS for the app from a Key Vault certificate (src/decide/ingress.ts says what each choice generates). */
const INGRESS_FIELDS: readonly FieldDef[] = [
  { key: 'ingress', flag: 'ingress', kind: 'string', group: 'Ingress', valueName: 'KIND', choices: INGRESSES,
    help: 'What serves the app over HTTPS with a Key Vault certificate: none, app-routing (AKS application routing, managed NGINX) or nginx (another ingress controller, fed a kubernetes.io/tls Secret)',
    rule: rules.oneOf(INGRESSES), defaultText: 'none' },
  { key: 'host', flag: 'host', kind: 'string', group: 'Ingress', valueName: 'FQDN',
    help: 'Host name the Ingress serves (the certificate must cover it)', rule: rules.ingressHost },
  { key: 'tlsCert', flag: 'tls-cert', kind: 'string', group: 'Ingress', valueName: 'NAME',
    help: 'Key Vault certificate (imported with its private key) that serves TLS for the host', rule: rules.keyVaultObjectName },
  { key: 'ingressClass', flag: 'ingress-class', kind: 'string', group: 'Ingress', valueName: 'CLASS',
    help: 'IngressClass of the controller', rule: rules.dns1123Subdomain,
    defaultText: 'webapprouting.kubernetes.azure.com for app-routing, nginx for nginx' },
  { key: 'port', flag: 'port', kind: 'string', group: 'Ingress', valueName: 'PORT',
    help: 'Port the app listens on; the Service sends the Ingress traffic there', rule: rules.port, defaultText: DEFAULT_APP_PORT },
];

export const FIELDS: readonly FieldDef[] = [
  { key: 'app', flag: 'app', kind: 'string', group: 'Workload', valueName: 'NAME', required: true,
    help: 'Name of the workload; other names derive from it', rule: rules.dns1123Label },
  { key: 'namespace', flag: 'namespace', kind: 'string', group: 'Workload', valueName: 'NS',
    help: 'Kubernetes namespace of the workload', rule: rules.dns1123Label, defaultValue: 'default' },
  { key: 'image', flag: 'image', kind: 'string', group: 'Workload', valueName: 'IMAGE',
    help: 'Container image of the workload', rule: rules.imageReference,
    defaultValue: exampleImage, defaultText: exampleImage({ app: '<app>' }) },
  { key: 'serviceAccount', flag: 'service-account', kind: 'string', group: 'Workload', valueName: 'NAME',
    help: 'ServiceAccount the pods run as (federated with the managed identity)', rule: rules.federatedServiceAccount,
    defaultValue: ({ app }) => `${app}-sa`, defaultText: '<app>-sa' },

  { key: 'workload', flag: 'workload', kind: 'string', group: 'Workload', valueName: 'WHICH', choices: WORKLOADS,
    help: 'Which Deployment gets the secrets: demo (written here) or existing (yours: a kustomize patch and Helm values)',
    rule: rules.oneOf(WORKLOADS), defaultValue: 'demo' },
  { key: 'deployment', flag: 'deployment', kind: 'string', group: 'Workload', valueName: 'NAME',
    help: 'Name of your Deployment that gets the secrets (--workload existing)', rule: rules.dns1123Subdomain,
    defaultValue: ({ app }) => app, defaultText: '<app>' },
  { key: 'container', flag: 'container', kind: 'string', group: 'Workload', valueName: 'NAME',
    help: 'Container of that Deployment that reads the secrets (--workload existing)', rule: rules.dns1123Label,
    defaultValue: ({ app }) => app, defaultText: '<app>' },

  { key: 'appKind', flag: 'app-kind', kind: 'string', group: 'Decision', valueName: 'KIND', choices: APP_KINDS,
    help: 'new: the app can read secrets from files; legacy: it is hard-wired to env vars or a Secret object; sdk (advanced): it calls Key Vault itself with the Azure SDK',
    rule: rules.oneOf(APP_KINDS), defaultValue: 'new' },
  { key: 'legacyReads', flag: 'legacy-reads', kind: 'string', group: 'Decision', valueName: 'HOW', choices: LEGACY_READS,
    help: 'How a legacy app takes its secrets: env vars, or a Kubernetes Secret object by name',
    rule: rules.oneOf(LEGACY_READS), defaultValue: 'env' },
  { key: 'approach', flag: 'approach', kind: 'string', group: 'Decision', valueName: 'WAY', choices: APPROACHES,
    help: 'Skip the decision tree: csi (Secrets Store CSI Driver), eso (External Secrets Operator) or sdk (the app calls Key Vault through the Azure SDK)',
    rule: rules.oneOf(APPROACHES) },
  { key: 'targetSecret', flag: 'target-secret', only: 'eso', kind: 'string', group: 'Decision', valueName: 'NAME',
    help: 'Kubernetes Secret the External Secrets Operator syncs into', rule: rules.dns1123Subdomain,
    defaultValue: ({ app }) => `${app}-secrets`, defaultText: '<app>-secrets' },

  { key: 'secrets', flag: 'secret', kind: 'list', group: 'Secrets', valueName: 'NAME[:secret|key|cert[:ALIAS]]', required: true,
    help: 'A Key Vault object to deliver (repeatable); cert means a certificate with its private key, for TLS' },

  { key: 'vault', flag: 'vault', shared: true, kind: 'string', group: 'Azure', valueName: 'NAME',
    help: 'Key Vault name', rule: rules.keyVaultName, defaultValue: ({ app }) => `${app}-kv`, defaultText: '<app>-kv' },
  { key: 'existingVault', flag: 'existing-vault', shared: true, kind: 'boolean', group: 'Azure', defaultValue: false,
    help: 'Use a vault that exists (checked for RBAC mode and purge protection) instead of creating it' },
  { key: 'resourceGroup', flag: 'resource-group', shared: true, kind: 'string', group: 'Azure', valueName: 'NAME', required: true,
    help: "Resource group of the cluster; the vault and identity are created there", rule: rules.resourceGroup },
  { key: 'cluster', flag: 'cluster', shared: true, kind: 'string', group: 'Azure', valueName: 'NAME', required: true,
    help: 'AKS cluster name', rule: rules.aksClusterName },
  { key: 'location', flag: 'location', shared: true, kind: 'string', group: 'Azure', valueName: 'REGION',
    help: "Azure region for new resources", rule: rules.azureLocation, defaultText: "the resource group's" },
  { key: 'subscription', flag: 'subscription', shared: true, kind: 'string', group: 'Azure', valueName: 'ID|NAME',
    help: 'Subscription to work in', rule: rules.subscription, defaultText: 'the signed-in default' },
  { key: 'tenantId', flag: 'tenant-id', shared: true, kind: 'string', group: 'Azure', valueName: 'UUID',
    help: "Entra tenant of the vault", rule: rules.uuid, defaultText: 'filled in by azure/setup.sh' },
  { key: 'identity', flag: 'identity', shared: true, kind: 'string', group: 'Azure', valueName: 'NAME',
    help: 'User-assigned managed identity the workload signs in as', rule: rules.managedIdentityName,
    defaultValue: ({ app }) => `${app}-identity`, defaultText: '<app>-identity' },
  { key: 'clientId', flag: 'client-id', shared: true, kind: 'string', group: 'Azure', valueName: 'UUID',
    help: 'Client ID of that identity, when it already exists', rule: rules.uuid, defaultText: 'filled in by azure/setup.sh' },
  { key: 'cloud', flag: 'cloud', shared: true, kind: 'string', group: 'Azure', valueName: 'CLOUD', choices: CLOUDS,
    help: 'Azure cloud', rule: rules.oneOf(CLOUDS), defaultValue: 'AzurePublicCloud' },
  { key: 'vaultNetwork', flag: 'vault-network', shared: true, kind: 'string', group: 'Azure', valueName: 'HOW', choices: VAULT_NETWORKS,
    help: "How the vault is reached: public (any network; RBAC still decides), private (only through a private endpoint in the cluster's VNet) or firewall (only from the cluster's egress IP)",
    rule: rules.oneOf(VAULT_NETWORKS), defaultValue: 'public' },
  { key: 'privateEndpointSubnet', flag: 'private-endpoint-subnet', shared: true, kind: 'string', group: 'Azure', valueName: 'SUBNET_ID',
    help: "Resource ID of the subnet the vault's private endpoint goes in (with --vault-network private)", rule: rules.subnetResourceId },
  { key: 'egressIp', flag: 'egress-ip', shared: true, kind: 'string', group: 'Azure', valueName: 'IP[/CIDR]',
    help: "The cluster's egress address the vault's firewall allows (with --vault-network firewall)", rule: rules.ipv4OrCidr,
    defaultText: "the cluster's outbound IPs, read by azure/setup.sh" },

  { key: 'rotation', flag: 'rotation', kind: 'boolean', group: 'Delivery', defaultValue: true,
    help: 'Keep delivered values in step with Key Vault (--no-rotation to turn off)' },
  { key: 'rotationInterval', flag: 'rotation-interval', only: 'csi', shared: true, kind: 'string', group: 'Delivery', valueName: 'DURATION',
    help: 'How often the CSI driver polls Key Vault', rule: rules.goDuration, defaultValue: '2m' },
  { key: 'refreshInterval', flag: 'refresh-interval', only: 'eso', kind: 'string', group: 'Delivery', valueName: 'DURATION',
    help: 'How often the External Secrets Operator refreshes the synced Secret', rule: rules.goDuration, defaultValue: '1h' },
  { key: 'storeKind', flag: 'store-kind', only: 'eso', kind: 'string', group: 'Delivery', valueName: 'KIND', choices: STORE_KINDS,
    help: 'External Secrets Operator store kind', rule: rules.oneOf(STORE_KINDS), defaultValue: 'SecretStore' },
  { key: 'installEso', flag: 'install-eso', only: 'eso', shared: true, kind: 'boolean', group: 'Delivery', defaultValue: true,
    help: 'Install the External Secrets Operator with Helm when it is missing (--no-install-eso when the platform team runs it)' },
  { key: 'mountPath', flag: 'mount-path', kind: 'string', group: 'Delivery', valueName: 'PATH',
    help: 'Where the CSI volume is mounted in the container', rule: rules.absolutePath, defaultValue: '/mnt/secrets' },

  ...INGRESS_FIELDS,
];

export function fieldByKey(key: SpecKey): FieldDef {
  const field = FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`no field ${key}`);
  return field;
}
