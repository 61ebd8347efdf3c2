/**
 * Our own checks of External Secrets Operator objects, for what @kubernetes-models/external-secrets
 * (generated before ESO 0.20) does not know or does not reject: the rules below come from the ESO
 * fact sheet (ESO 2.9.0: CRDs, the azurekv provider, the webhook's validators).
 */
const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const VAULT_SUFFIX: Record<string, string> = {
  PublicCloud: 'vault.azure.net',
  USGovernmentCloud: 'vault.usgovcloudapi.net',
  ChinaCloud: 'vault.azure.cn',
};

type Obj = Record<string, any>;

export function checkSecretStore(store: Obj): string[] {
  const problems: string[] = [];
  if (store.apiVersion !== 'external-secrets.io/v1') problems.push('apiVersion must be external-secrets.io/v1 (v1beta1 is no longer served)');
  if (store.kind !== 'SecretStore' && store.kind !== 'ClusterSecretStore') problems.push(`kind ${store.kind}`);
  const cluster = store.kind === 'ClusterSecretStore';
  if (cluster && store.metadata?.namespace !== undefined) problems.push('a ClusterSecretStore has no namespace');
  if (!cluster && !store.metadata?.namespace) problems.push('a SecretStore needs a namespace');
  const providers = Object.keys(store.spec?.provider ?? {});
  if (providers.length !== 1 || providers[0] !== 'azurekv') problems.push(`provider must hold exactly azurekv, has ${providers.join(',')}`);
  const kv = store.spec?.provider?.azurekv ?? {};
  const known = ['authType', 'vaultUrl', 'tenantId', 'environmentType', 'authSecretRef', 'serviceAccountRef', 'identityId', 'useAzureSDK', 'customCloudConfig'];
  for (const key of Object.keys(kv)) if (!known.includes(key)) problems.push(`unknown azurekv field ${key}`);
  if (kv.authType !== 'WorkloadIdentity') problems.push('authType must be WorkloadIdentity (the default is ServicePrincipal)');
  if (kv.tenantId !== undefined) problems.push('no tenantId with the tenant-id annotation: ESO fails with "multiple tenantID found"');
  if (kv.authSecretRef !== undefined) problems.push('no authSecretRef: Workload Identity needs no credential');
  const environment = kv.environmentType ?? 'PublicCloud';
  if (!(environment in VAULT_SUFFIX)) problems.push(`environmentType ${environment}`);
  if (typeof kv.vaultUrl !== 'string' || !new RegExp(`^https://[A-Za-z][-A-Za-z0-9]{1,22}[A-Za-z0-9]\\.${(VAULT_SUFFIX[environment] ?? '').replace(/\./g, '\\.')}/?$`).test(kv.vaultUrl)) {
    problems.push(`vaultUrl ${kv.vaultUrl} does not match environment ${environment}`);
  }
  if (kv.customCloudConfig !== undefined) {
    if (kv.useAzureSDK !== true) problems.push('customCloudConfig needs useAzureSDK: true');
    if (!kv.customCloudConfig.activeDirectoryEndpoint) problems.push('customCloudConfig needs activeDirectoryEndpoint');
  }
  const ref = kv.serviceAccountRef;
  if (!ref?.name) problems.push('serviceAccountRef.name is required (referenced service-account mode)');
  if (cluster && !ref?.namespace) problems.push('a ClusterSecretStore should pin serviceAccountRef.namespace');
  if (!cluster && ref?.namespace !== undefined && ref.namespace !== store.metadata?.namespace) problems.push('a SecretStore may not reference another namespace');
  return problems;
}

export function checkExternalSecret(es: Obj, store: Obj): string[] {
  const problems: string[] = [];
  if (es.apiVersion !== 'external-secrets.io/v1') problems.push('apiVersion must be external-secrets.io/v1');
  const spec = es.spec ?? {};
  if (!GO_DURATION.test(String(spec.refreshInterval))) problems.push(`refreshInterval ${spec.refreshInterval}`);
  if (spec.secretStoreRef?.kind !== store.kind || spec.secretStoreRef?.name !== store.metadata?.name) problems.push('secretStoreRef must name the store, with its kind');
  if (store.kind === 'SecretStore' && store.metadata?.namespace !== es.metadata?.namespace) problems.push('a SecretStore serves only its own namespace');
  const target = spec.target ?? {};
  if (!DNS1123_SUBDOMAIN.test(String(target.name))) problems.push(`target.name ${target.name}`);
  if (target.creationPolicy !== 'Owner') problems.push('creationPolicy should be Owner');
  if (!['Retain', 'Delete', 'Merge', undefined].includes(target.deletionPolicy)) problems.push(`deletionPolicy ${target.deletionPolicy}`);
  if (target.template) {
    if ((target.template.engineVersion ?? 'v2') !== 'v2') problems.push('template engineVersion must be v2');
    if (target.template.type === 'kubernetes.io/tls' && Object.keys(target.template.data ?? {}).sort().join() !== 'tls.crt,tls.key') problems.push('a TLS template must produce tls.crt and tls.key');
  }
  if (!Array.isArray(spec.data) || spec.data.length === 0) problems.push('data must list at least one item');
  const keys = new Set<string>();
  for (const item of spec.data ?? []) {
    if (!SECRET_KEY.test(String(item.secretKey))) problems.push(`secretKey ${item.secretKey}`);
    if (keys.has(item.secretKey)) problems.push(`duplicate secretKey ${item.secretKey} (rejected with deletionPolicy Retain)`);
    keys.add(item.secretKey);
    const key = String(item.remoteRef?.key ?? '');
    const [type, name, ...rest] = key.split('/');
    if (!['secret', 'key', 'cert'].includes(type ?? '') || !/^[A-Za-z0-9-]{1,127}$/.test(name ?? '') || rest.length > 0) problems.push(`remoteRef.key ${key} must be <secret|key|cert>/<name>`);
    if (item.remoteRef?.version !== undefined) problems.push('remoteRef.version pins a version and stops rotation');
  }
  return problems;
}
