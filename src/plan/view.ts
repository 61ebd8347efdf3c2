import { PLACEHOLDERS, exampleImage, serializeSpec, yamlBlock, yamlDocument } from '../spec/index.js';
import type { KeyVaultObject, Spec } from '../spec/index.js';
import { imagePullAdvice } from '../decide/index.js';
import type { Decision, ImagePullAdvice } from '../decide/index.js';
import type { Artifact } from './artifacts.js';
import { CLOUD_FACTS, CSI_ADDON, CSI_DRIVER, DELIVERY, ROLES, WORKLOAD_IDENTITY_AUDIENCE } from './azure-facts.js';
import type { CloudFacts, Role } from './azure-facts.js';
import { esoView } from './eso.js';
import type { EsoView, SharedStore } from './eso.js';
import { federatedCredentialName, federatedSubject, secretProviderClassName } from './names.js';
import { buildSetupView } from './setup-view.js';
import { sdkView } from './sdk.js';
import type { SdkView } from './sdk.js';
import { ingressView } from './ingress.js';
import type { IngressView } from './ingress.js';
import type { SetupView } from './setup-view.js';
import { WORKLOAD_PATCH_FILES } from './artifacts.js';
import { workloadView } from './workload.js';
import type { WorkloadView } from './workload.js';

/** One Key Vault object with everything the templates say about it. */
export interface ObjectView {
  name: string;
  type: KeyVaultObject['type'];
  /** File name under the mount (CSI) or Secret key (ESO). */
  file: string;
  alias: string | null;
  csiObjectType: string;
  role: Role;
  scopeCollection: string;
  isSecret: boolean;
  isKey: boolean;
  isCert: boolean;
}

/**
 * Every value a template may read, all present (templates compile in strict mode, so a missing
 * value is an error, never an empty string in a manifest or script).
 */
export interface View {
  app: string;
  namespace: string;
  image: string;
  imageIsExample: boolean;
  serviceAccount: string;
  approach: Decision['approach'];
  decision: Decision;
  secretProviderClass: string;
  vault: string;
  vaultUrl: string;
  /** The vault's host name, as pods resolve it. */
  vaultHost: string;
  existingVault: boolean;
  resourceGroup: string;
  cluster: string;
  location: string | null;
  subscription: string | null;
  /** The ID, or the placeholder azure/setup.sh replaces. */
  tenantId: string;
  clientId: string;
  identity: string;
  federatedCredential: string;
  federatedSubject: string;
  audience: string;
  cloud: CloudFacts;
  isPublicCloud: boolean;
  rotation: boolean;
  rotationInterval: string;
  mountPath: string;
  objects: ObjectView[];
  uploads: ObjectView[];
  imports: ObjectView[];
  hasImports: boolean;
  /** The CSI provider's `objects` parameter: a YAML document whose `array` items are YAML strings. */
  csiObjectsParameter: string;
  /** The generated files, for the README's table. */
  artifacts: Pick<Artifact, 'path' | 'description'>[];
  /** Manifest file names for the kustomization, relative to k8s/. */
  k8sResources: string[];
  roles: typeof ROLES;
  addon: string;
  driver: string;
  answersYaml: string;
  /** The External Secrets Operator's side; present for every approach so templates stay strict. */
  eso: EsoView;
  /** The SDK path's side (the snippets); present for every approach so templates stay strict. */
  sdk: SdkView;
  /** What the pods need, for the demo Deployment's README and an existing Deployment's patch. */
  workload: WorkloadView;
  /** HTTPS through an Ingress with a Key Vault certificate; present (disabled) without one. */
  ingress: IngressView;
  /** The CSI provider's `objects` parameter of the ingress TLS class: the certificate alone. */
  ingressObjectsParameter: string;
  /** Whether the image needs pull credentials, and how to do without them. */
  imagePull: ImagePullAdvice;
  /** What azure/setup.sh does. */
  setup: SetupView;
  /** Where the folder's shared files are, seen from this workload's README. */
  paths: { root: string; setupScript: string; config: string };
}

/** A workload generated as one of several that share a setup: its folder sits below the shared files. */
export interface MemberOptions {
  sharedStore: SharedStore | null;
}

function objectView(object: KeyVaultObject): ObjectView {
  const delivery = DELIVERY[object.type];
  return {
    name: object.name,
    type: object.type,
    file: object.alias ?? object.name,
    alias: object.alias ?? null,
    csiObjectType: delivery.csiObjectType,
    role: delivery.role,
    scopeCollection: delivery.scopeCollection,
    isSecret: object.type === 'secret',
    isKey: object.type === 'key',
    isCert: object.type === 'cert',
  };
}

function csiObjectsParameter(objects: Pick<ObjectView, 'name' | 'csiObjectType' | 'alias'>[]): string {
  // The provider reads `array` as a list of YAML documents in strings, one per object.
  const items = objects.map((o) => yamlDocument({ objectName: o.name, objectType: o.csiObjectType, ...(o.alias ? { objectAlias: o.alias } : {}) }));
  return `array:\n${items.map((item) => `  - ${yamlBlock(item, 2)}`).join('\n')}\n`;
}

/** Manifests that carry the client/tenant ID placeholders until azure/setup.sh fills them. */
const PLACEHOLDER_MANIFESTS = ['k8s/serviceaccount.yaml', 'k8s/secretproviderclass.yaml', 'k8s/ingress-tls.yaml'];

export function buildView(spec: Spec, decision: Decision, artifacts: Artifact[], member?: MemberOptions): View {
  const paths = artifacts.map((a) => a.path);
  const cloud = CLOUD_FACTS[spec.cloud];
  const objects = spec.secrets.map(objectView);
  const eso = esoView(spec, member?.sharedStore ?? null);
  const sdk = sdkView(spec.secrets);
  const vaultUrl = `https://${spec.vault}.${cloud.vaultDnsSuffix}`;
  // The account Entra ID trusts: the pod's own for CSI, the store's for ESO (the same one unless shared).
  const federated =
    decision.approach === 'eso'
      ? { namespace: eso.storeServiceAccount.namespace, serviceAccount: eso.storeServiceAccount.name }
      : { namespace: spec.namespace, serviceAccount: spec.serviceAccount };
  return {
    app: spec.app,
    namespace: spec.namespace,
    image: spec.image,
    imageIsExample: spec.image === exampleImage(spec),
    serviceAccount: spec.serviceAccount,
    approach: decision.approach,
    decision,
    secretProviderClass: secretProviderClassName(spec),
    vault: spec.vault,
    vaultUrl,
    vaultHost: `${spec.vault}.${cloud.vaultDnsSuffix}`,
    existingVault: spec.existingVault,
    resourceGroup: spec.resourceGroup,
    cluster: spec.cluster,
    location: spec.location ?? null,
    subscription: spec.subscription ?? null,
    tenantId: spec.tenantId ?? PLACEHOLDERS.tenantId,
    clientId: spec.clientId ?? PLACEHOLDERS.clientId,
    identity: spec.identity,
    federatedCredential: federatedCredentialName({ cluster: spec.cluster, ...federated }),
    federatedSubject: federatedSubject(federated),
    audience: WORKLOAD_IDENTITY_AUDIENCE,
    cloud,
    isPublicCloud: spec.cloud === 'AzurePublicCloud',
    rotation: spec.rotation,
    rotationInterval: spec.rotationInterval,
    mountPath: spec.mountPath,
    objects,
    uploads: objects.filter((o) => o.isSecret),
    imports: objects.filter((o) => !o.isSecret),
    hasImports: objects.some((o) => !o.isSecret),
    csiObjectsParameter: csiObjectsParameter(objects),
    artifacts: artifacts.map(({ path, description }) => ({ path, description })),
    k8sResources: paths.filter((p) => p.startsWith('k8s/') && p !== 'k8s/kustomization.yaml' && !WORKLOAD_PATCH_FILES.includes(p)).map((p) => p.slice('k8s/'.length)),
    roles: ROLES,
    addon: CSI_ADDON,
    driver: CSI_DRIVER,
    answersYaml: serializeSpec(spec, decision.approach),
    eso,
    sdk,
    workload: workloadView(spec, decision.approach, eso, sdk, vaultUrl),
    ingress: ingressView(spec, decision.approach, vaultUrl),
    // The certificate's backing secret: its private key and chain as PEM, which the driver splits into tls.key and tls.crt.
    ingressObjectsParameter: csiObjectsParameter(spec.tlsCert ? [{ name: spec.tlsCert, csiObjectType: DELIVERY.cert.csiObjectType, alias: null }] : []),
    imagePull: imagePullAdvice(spec.image, spec),
    setup: buildSetupView([
      {
        spec,
        approach: decision.approach,
        dir: '',
        federatedAccounts: [federated],
        placeholderFiles: PLACEHOLDER_MANIFESTS.filter((p) => paths.includes(p)),
      },
    ]),
    paths: member
      ? { root: '..', setupScript: '../azure/setup.sh', config: '../kv-secrets.yaml' }
      : { root: '.', setupScript: 'azure/setup.sh', config: 'kv-secrets.yaml' },
  };
}
