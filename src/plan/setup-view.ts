import { PLACEHOLDERS, placeholder } from '../spec/index.js';
import type { Approach, KeyVaultObject, Spec } from '../spec/index.js';
import { CLOUD_FACTS, CSI_ADDON, DELIVERY, ESO_CHART, ROLES, WORKLOAD_IDENTITY_AUDIENCE } from './azure-facts.js';
import type { CloudFacts, HelmChart } from './azure-facts.js';
import { federatedCredentialName } from './names.js';
import { vaultNetworkView } from './vault-network.js';
import type { VaultNetworkView } from './vault-network.js';
import { appRoutingCertificate, ingressWorkloadObjects } from './ingress.js';
import { azCliView } from './az-cli-view.js';
import type { AzCliView } from './az-cli-view.js';

/** One workload the setup serves, with where its manifests are. */
export interface SetupEntry {
  spec: Spec;
  approach: Approach;
  /** Folder of the workload inside the generated folder: '' for a single app, 'web/' for one of many. */
  dir: string;
  /** Service accounts Entra ID must trust for this workload (the one the CSI driver or ESO presents). */
  federatedAccounts: { namespace: string; serviceAccount: string }[];
  /** Generated files, relative to the generated folder, that carry ID placeholders. */
  placeholderFiles: string[];
  /** Manifests shared by the workloads (a shared store), applied before theirs; no workload runs there. */
  shared?: boolean;
}

export interface FederationView {
  name: string;
  namespace: string;
  serviceAccount: string;
}

/** One role the workload's identity gets, on each of these objects (roles in the order objects need them). */
export interface RoleAssignmentView {
  roleId: string;
  roleName: string;
  scopeCollection: string;
  objects: string[];
}

export interface SetupAppView {
  app: string;
  namespace: string;
  k8sDir: string;
  isCsi: boolean;
  /** The app reads Key Vault itself: nothing to wait for but its rollout. */
  isSdk: boolean;
  isShared: boolean;
}

/** What azure/setup.sh does, once for all the workloads it serves: no step is repeated. */
export interface SetupView {
  subscription: string | null;
  resourceGroup: string;
  cluster: string;
  location: string | null;
  cloud: CloudFacts;
  vault: string;
  existingVault: boolean;
  identity: string;
  clientId: string;
  tenantId: string;
  hasCsi: boolean;
  /**
   * The CSI driver add-on is needed: for CSI workloads, and for application routing, which mounts its
   * certificates with it (`az aks approuting update --enable-kv` turns on this same add-on).
   */
  csiAddon: boolean;
  /** Certificates application routing serves, read by the add-on's own identity. */
  appRoutingCertificates: string[];
  hasEso: boolean;
  /** The CSI add-on's rotation is cluster-wide: on when any CSI workload wants it. */
  csiRotation: boolean;
  rotationInterval: string;
  installEso: boolean;
  esoChart: HelmChart;
  uploads: string[];
  keys: string[];
  certificates: string[];
  hasImports: boolean;
  federations: FederationView[];
  roleAssignments: RoleAssignmentView[];
  apps: SetupAppView[];
  placeholderFiles: string[];
  /**
   * printf format of the placeholders: the script builds each placeholder from it, so that the
   * literal placeholder text, which it replaces, never stands in the script itself.
   */
  placeholderFormat: string;
  audience: string;
  roles: typeof ROLES;
  addon: string;
  /** How the vault is reached, and what setup.sh makes for it (one vault, so the first spec's). */
  network: VaultNetworkView;
  /** The az the script needs, and why. */
  az: AzCliView;
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function groupByRole(objects: KeyVaultObject[]): RoleAssignmentView[] {
  const groups = new Map<string, RoleAssignmentView>();
  for (const object of objects) {
    const { role, scopeCollection } = DELIVERY[object.type];
    const key = `${role.id}/${scopeCollection}`;
    const group = groups.get(key) ?? { roleId: role.id, roleName: role.name, scopeCollection, objects: [] };
    group.objects.push(object.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function buildSetupView(entries: SetupEntry[]): SetupView {
  const first = entries[0]!.spec;
  // A synced ingress certificate is read as the workload's identity, like its secrets.
  const objects = unique(entries.flatMap((e) => [...e.spec.secrets, ...ingressWorkloadObjects(e.spec, e.approach)]), (o) => o.name.toLowerCase());
  const csi = entries.filter((e) => e.approach === 'csi');
  const appRouting = entries.filter((e) => appRoutingCertificate(e.spec, e.approach) !== null);
  const appRoutingCertificates = unique(appRouting.map((e) => appRoutingCertificate(e.spec, e.approach)!), (c) => c.toLowerCase());
  return {
    subscription: first.subscription ?? null,
    resourceGroup: first.resourceGroup,
    cluster: first.cluster,
    location: first.location ?? null,
    cloud: CLOUD_FACTS[first.cloud],
    vault: first.vault,
    existingVault: first.existingVault,
    identity: first.identity,
    clientId: first.clientId ?? PLACEHOLDERS.clientId,
    tenantId: first.tenantId ?? PLACEHOLDERS.tenantId,
    hasCsi: csi.length > 0,
    csiAddon: csi.length > 0 || appRouting.length > 0,
    appRoutingCertificates,
    hasEso: entries.some((e) => e.approach === 'eso'),
    // Application routing picks up a renewed certificate only with the add-on's rotation on (AKS docs).
    csiRotation: [...csi, ...appRouting].some((e) => e.spec.rotation),
    rotationInterval: first.rotationInterval,
    installEso: first.installEso,
    esoChart: ESO_CHART,
    uploads: objects.filter((o) => o.type === 'secret').map((o) => o.name),
    keys: objects.filter((o) => o.type === 'key').map((o) => o.name),
    certificates: unique([...objects.filter((o) => o.type === 'cert').map((o) => o.name), ...appRoutingCertificates], (c) => c.toLowerCase()),
    hasImports: objects.some((o) => o.type !== 'secret') || appRoutingCertificates.length > 0,
    federations: unique(
      entries.flatMap((e) => e.federatedAccounts),
      (a) => `${a.namespace}/${a.serviceAccount}`,
    ).map((a) => ({ ...a, name: federatedCredentialName({ cluster: first.cluster, ...a }) })),
    roleAssignments: groupByRole(objects),
    apps: entries.map((e) => ({
      app: e.spec.app,
      namespace: e.spec.namespace,
      k8sDir: `${e.dir}k8s`,
      isCsi: e.approach === 'csi',
      isSdk: e.approach === 'sdk',
      isShared: e.shared === true,
    })),
    placeholderFiles: ['azure/setup.sh', 'kv-secrets.yaml', ...entries.flatMap((e) => e.placeholderFiles)],
    placeholderFormat: placeholder('%s'),
    audience: WORKLOAD_IDENTITY_AUDIENCE,
    roles: ROLES,
    addon: CSI_ADDON,
    network: vaultNetworkView(first),
    az: azCliView(appRoutingCertificates.length > 0),
  };
}
