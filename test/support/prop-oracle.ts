/**
 * What a generated folder must hold for a Spec, written independently of the templates: the parsed
 * YAML documents (every key, every user value where it belongs) and the values azure/setup.sh must
 * assign. Constant parts that carry no user value (security contexts) match anything, but must be there.
 */
import { expect } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIG_API_VERSION, FIELDS, PLACEHOLDERS } from '../../src/spec/index.js';
import type { KeyVaultObject, Spec, SpecKey } from '../../src/spec/index.js';
import { CLOUD_FACTS, federatedCredentialName } from '../../src/plan/index.js';
import type { FlagInput } from './prop-arbitraries.js';

const NAME = 'app.kubernetes.io/name';

/** Reads `--secret NAME[:TYPE[:ALIAS]]` as the design describes it. */
export function secretOf(entry: string): KeyVaultObject {
  const [name, type, ...alias] = entry.split(':');
  const object: KeyVaultObject = { name: name!, type: (type ?? 'secret') as KeyVaultObject['type'] };
  if (alias.length > 0) object.alias = alias.join(':');
  return object;
}

/** The Spec an accepted input must give: every given value unchanged, defaults for the rest. */
export function expectedSpec(input: FlagInput): Spec {
  const app = input.app as string;
  const spec: Partial<Record<SpecKey, unknown>> = {};
  for (const field of FIELDS) {
    const given = input[field.key];
    if (field.kind === 'list') spec[field.key] = ((given as string[] | undefined) ?? []).map(secretOf);
    else if (given !== undefined && given !== '') spec[field.key] = given;
    else if (typeof field.defaultValue === 'function') spec[field.key] = field.defaultValue({ app });
    else if (field.defaultValue !== undefined) spec[field.key] = field.defaultValue;
  }
  return spec as unknown as Spec;
}

export function approachOf(spec: Spec): 'csi' | 'eso' {
  return spec.approach ?? (spec.appKind === 'new' ? 'csi' : 'eso');
}

export function expectedPaths(spec: Spec): string[] {
  const k8s =
    approachOf(spec) === 'csi'
      ? ['k8s/secretproviderclass.yaml', 'k8s/deployment.yaml']
      : ['k8s/secretstore.yaml', 'k8s/externalsecret.yaml', 'k8s/deployment.yaml'];
  return ['README.md', 'kv-secrets.yaml', 'azure/setup.sh', 'k8s/kustomization.yaml', 'k8s/serviceaccount.yaml', ...k8s, '.pre-commit-config.yaml', '.gitignore'];
}

const clientIdOf = (spec: Spec) => spec.clientId ?? PLACEHOLDERS.clientId;
const tenantIdOf = (spec: Spec) => spec.tenantId ?? PLACEHOLDERS.tenantId;
const envVarName = (name: string) => name.toUpperCase().replace(/-/g, '_');
const readsEnv = (spec: Spec) => spec.legacyReads === 'env';
const dataOf = (spec: Spec) => spec.secrets.filter((o) => o.type !== 'cert');
const certsOf = (spec: Spec) => spec.secrets.filter((o) => o.type === 'cert');
const secretKey = (spec: Spec, o: KeyVaultObject) => o.alias ?? (readsEnv(spec) ? envVarName(o.name) : o.name);
const tlsName = (spec: Spec, o: KeyVaultObject) => `${spec.app}-${o.name.toLowerCase()}-tls`;
const storeName = (spec: Spec) => `${spec.app}-keyvault`;

function serviceAccount(spec: Spec): unknown[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: spec.serviceAccount,
        namespace: spec.namespace,
        labels: { [NAME]: spec.app },
        annotations: { 'azure.workload.identity/client-id': clientIdOf(spec), 'azure.workload.identity/tenant-id': tenantIdOf(spec) },
      },
    },
  ];
}

function kustomization(spec: Spec): unknown[] {
  const resources = expectedPaths(spec).filter((p) => p.startsWith('k8s/') && p !== 'k8s/kustomization.yaml').map((p) => p.slice(4));
  return [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }];
}

function secretProviderClass(spec: Spec): unknown[] {
  return [
    {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: `${spec.app}-secrets`, namespace: spec.namespace, labels: { [NAME]: spec.app } },
      spec: {
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          clientID: clientIdOf(spec),
          keyvaultName: spec.vault,
          tenantID: tenantIdOf(spec),
          ...(spec.cloud === 'AzurePublicCloud' ? {} : { cloudName: spec.cloud }),
          objects: expect.any(String),
        },
      },
    },
  ];
}

/** The CSI provider's `objects` parameter, read as the provider reads it: a YAML `array` of YAML strings. */
export function csiObjects(parameter: string): unknown[] {
  const outer = parse(parameter) as { array: string[] };
  expect(Object.keys(outer)).toEqual(['array']);
  return outer.array.map((item) => {
    expect(typeof item).toBe('string');
    const docs = parseAllDocuments(item);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.errors).toEqual([]);
    return docs[0]!.toJS();
  });
}

export function expectedCsiObjects(spec: Spec): unknown[] {
  return spec.secrets.map((o) => ({ objectName: o.name, objectType: o.type === 'key' ? 'key' : 'secret', ...(o.alias !== undefined ? { objectAlias: o.alias } : {}) }));
}

/** The demo container's production shape: requests and limits, and the marked readiness probe placeholder. */
const CONTAINER_SHAPE = {
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
};

function csiDeployment(spec: Spec): unknown[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: spec.app, namespace: spec.namespace, labels: { [NAME]: spec.app } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { [NAME]: spec.app } },
        template: {
          metadata: { labels: { [NAME]: spec.app, 'azure.workload.identity/use': 'true' } },
          spec: {
            serviceAccountName: spec.serviceAccount,
            automountServiceAccountToken: false,
            securityContext: expect.anything(),
            containers: [
              {
                name: spec.app,
                image: spec.image,
                securityContext: expect.anything(),
                ...CONTAINER_SHAPE,
                volumeMounts: [
                  { name: 'secrets-store', mountPath: spec.mountPath, readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: `${spec.app}-secrets` } } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
  ];
}

function secretStore(spec: Spec): unknown[] {
  const cluster = spec.storeKind === 'ClusterSecretStore';
  const cloud = CLOUD_FACTS[spec.cloud];
  return [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: spec.storeKind,
      metadata: { name: storeName(spec), ...(cluster ? {} : { namespace: spec.namespace }), labels: { [NAME]: spec.app } },
      spec: {
        provider: {
          azurekv: {
            authType: 'WorkloadIdentity',
            vaultUrl: `https://${spec.vault}.${cloud.vaultDnsSuffix}`,
            ...(spec.cloud === 'AzurePublicCloud' ? {} : { environmentType: cloud.esoEnvironment }),
            ...(cloud.esoCustomCloud ? { useAzureSDK: true, customCloudConfig: { ...cloud.esoCustomCloud } } : {}),
            serviceAccountRef: { name: spec.serviceAccount, ...(cluster ? { namespace: spec.namespace } : {}) },
          },
        },
        ...(cluster ? { conditions: [{ namespaces: [spec.namespace] }] } : {}),
      },
    },
  ];
}

function externalSecrets(spec: Spec): unknown[] {
  const storeRef = { kind: spec.storeKind, name: storeName(spec) };
  const labels = { [NAME]: spec.app };
  const data = dataOf(spec);
  return [
    ...(data.length > 0
      ? [
          {
            apiVersion: 'external-secrets.io/v1',
            kind: 'ExternalSecret',
            metadata: { name: spec.targetSecret, namespace: spec.namespace, labels },
            spec: {
              refreshInterval: spec.refreshInterval,
              secretStoreRef: storeRef,
              target: { name: spec.targetSecret, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
              data: data.map((o) => ({ secretKey: secretKey(spec, o), remoteRef: { key: `${o.type === 'key' ? 'key' : 'secret'}/${o.name}` } })),
            },
          },
        ]
      : []),
    ...certsOf(spec).map((o) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: tlsName(spec, o), namespace: spec.namespace, labels },
      spec: {
        refreshInterval: spec.refreshInterval,
        secretStoreRef: storeRef,
        target: {
          name: tlsName(spec, o),
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          template: { type: 'kubernetes.io/tls', engineVersion: 'v2', data: { 'tls.crt': expect.stringContaining('pkcs12cert'), 'tls.key': expect.stringContaining('pkcs12key') } },
        },
        data: [{ secretKey: 'tls', remoteRef: { key: `secret/${o.name}` } }],
      },
    })),
  ];
}

function esoDeployment(spec: Spec): unknown[] {
  const data = dataOf(spec);
  const certs = certsOf(spec);
  const env = readsEnv(spec);
  const synced = [...(data.length > 0 ? [spec.targetSecret] : []), ...certs.map((o) => tlsName(spec, o))];
  const reload = spec.rotation && env && synced.length > 0;
  const fileMount = !env && data.length > 0;
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: spec.app,
        namespace: spec.namespace,
        labels: { [NAME]: spec.app },
        ...(reload ? { annotations: { 'secret.reloader.stakater.com/reload': synced.join(',') } } : {}),
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { [NAME]: spec.app } },
        template: {
          metadata: { labels: { [NAME]: spec.app } },
          spec: {
            serviceAccountName: spec.serviceAccount,
            automountServiceAccountToken: false,
            securityContext: expect.anything(),
            containers: [
              {
                name: spec.app,
                image: spec.image,
                securityContext: expect.anything(),
                ...CONTAINER_SHAPE,
                ...(env && data.length > 0
                  ? { env: data.map((o) => ({ name: secretKey(spec, o), valueFrom: { secretKeyRef: { name: spec.targetSecret, key: secretKey(spec, o) } } })) }
                  : {}),
                volumeMounts: [
                  ...(fileMount ? [{ name: 'secrets', mountPath: spec.mountPath, readOnly: true }] : []),
                  ...certs.map((o, i) => ({ name: `tls-${i}`, mountPath: `/etc/tls/${o.name.toLowerCase()}`, readOnly: true })),
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              ...(fileMount ? [{ name: 'secrets', secret: { secretName: spec.targetSecret } }] : []),
              ...certs.map((o, i) => ({ name: `tls-${i}`, secret: { secretName: tlsName(spec, o) } })),
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
  ];
}

/** The answers file: apiVersion, then every answer in table order; unknown IDs as placeholders. */
/** Keys only the other approach reads, which the answers file leaves out. */
const NOT_READ_BY: Record<'csi' | 'eso', string[]> = {
  csi: ['targetSecret', 'refreshInterval', 'storeKind', 'installEso'],
  eso: ['rotationInterval'],
};

function answers(spec: Spec): unknown[] {
  const doc: Record<string, unknown> = { apiVersion: CONFIG_API_VERSION };
  for (const field of FIELDS) {
    if (NOT_READ_BY[approachOf(spec)].includes(field.key)) continue;
    const value = spec[field.key];
    if (value !== undefined) doc[field.key] = value;
    else if (field.key === 'clientId') doc[field.key] = PLACEHOLDERS.clientId;
    else if (field.key === 'tenantId') doc[field.key] = PLACEHOLDERS.tenantId;
  }
  return [doc];
}

/** The documents each YAML file must parse to, exactly. */
export function expectedDocuments(spec: Spec): Record<string, unknown[]> {
  const common = {
    'kv-secrets.yaml': answers(spec),
    'k8s/kustomization.yaml': kustomization(spec),
    'k8s/serviceaccount.yaml': serviceAccount(spec),
    '.pre-commit-config.yaml': [expect.objectContaining({ repos: expect.any(Array) })],
  };
  return approachOf(spec) === 'csi'
    ? { ...common, 'k8s/secretproviderclass.yaml': secretProviderClass(spec), 'k8s/deployment.yaml': csiDeployment(spec) }
    : { ...common, 'k8s/secretstore.yaml': secretStore(spec), 'k8s/externalsecret.yaml': externalSecrets(spec), 'k8s/deployment.yaml': esoDeployment(spec) };
}

/** `az cloud set --name` names, which azure/setup.sh may use instead of the CSI provider's. */
const AZ_CLOUD_NAMES: Record<Spec['cloud'], string> = {
  AzurePublicCloud: 'AzureCloud',
  AzureUSGovernmentCloud: 'AzureUSGovernment',
  AzureChinaCloud: 'AzureChinaCloud',
};

/** What the probe of azure/setup.sh (see prop-bash.ts) must print. */
export interface SetupExpectation {
  vars: Record<string, string | string[]>;
  objects: string[];
  federations: string[][];
  files: string[];
  /** Every argument of the closing printf lines is one of these; each value listed in `mustPrint` appears. */
  printable: string[];
  mustPrint: string[];
}

function uniqueByLower(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => (seen.has(n.toLowerCase()) ? false : (seen.add(n.toLowerCase()), true)));
}

function uniqueObjectsByLower(objects: KeyVaultObject[]): KeyVaultObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => (seen.has(o.name.toLowerCase()) ? false : (seen.add(o.name.toLowerCase()), true)));
}

function roleOrder(objects: KeyVaultObject[]): string[] {
  const readsAsSecret = (o: KeyVaultObject) => o.type !== 'key';
  const groups = objects.length > 0 && !readsAsSecret(objects[0]!) ? [false, true] : [true, false];
  return groups.flatMap((asSecret) => objects.filter((o) => readsAsSecret(o) === asSecret).map((o) => o.name));
}

export function expectedSetup(spec: Spec): SetupExpectation {
  const csi = approachOf(spec) === 'csi';
  const names = (type: KeyVaultObject['type']) => spec.secrets.filter((o) => o.type === type).map((o) => o.name);
  return {
    vars: {
      SUBSCRIPTION: spec.subscription ?? '',
      RESOURCE_GROUP: spec.resourceGroup,
      CLUSTER: spec.cluster,
      LOCATION: spec.location ?? '',
      CLOUD: [spec.cloud, AZ_CLOUD_NAMES[spec.cloud]],
      VAULT: spec.vault,
      EXISTING_VAULT: String(spec.existingVault),
      IDENTITY: spec.identity,
      CLIENT_ID: clientIdOf(spec),
      TENANT_ID: tenantIdOf(spec),
      ...(csi ? { ROTATION: String(spec.rotation), ROTATION_INTERVAL: spec.rotationInterval } : { INSTALL_ESO: String(spec.installEso) }),
    },
    // Uploads, keys, certificates, then the role assignments, grouped by role (secrets and certificates
    // read as secrets: Key Vault Secrets User; keys: Key Vault Certificate User), in order of first need.
    objects: [...uniqueByLower(names('secret')), ...uniqueByLower(names('key')), ...uniqueByLower(names('cert')), ...roleOrder(uniqueObjectsByLower(spec.secrets))],
    federations: [[federatedCredentialName(spec), spec.namespace, spec.serviceAccount]],
    files: ['azure/setup.sh', 'kv-secrets.yaml', 'k8s/serviceaccount.yaml', ...(csi ? ['k8s/secretproviderclass.yaml'] : [])],
    printable: [spec.resourceGroup, spec.cluster, '/ROOT/k8s', spec.app, spec.namespace],
    mustPrint: [spec.resourceGroup, spec.cluster, spec.app, spec.namespace],
  };
}
