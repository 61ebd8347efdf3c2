import type { KeyVaultObject, Problem, Spec } from '../spec/index.js';
import { formatSecretFlag } from '../spec/index.js';
import { DELIVERY, RELOADER_CHART } from './azure-facts.js';
import type { HelmChart } from './azure-facts.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** `db-password` → `DB_PASSWORD`: Key Vault cannot store `_`, and most apps expect upper snake case. */
export function envVarName(objectName: string): string {
  return objectName.toUpperCase().replace(/-/g, '_');
}

/** The key an object is synced under in the target Secret: the alias, else a name the app can read. */
export function secretKeyFor(object: KeyVaultObject, readsEnv: boolean): string {
  return object.alias ?? (readsEnv ? envVarName(object.name) : object.name);
}

/** Each certificate goes to its own `kubernetes.io/tls` Secret, named after the app and the certificate. */
export function tlsSecretName(app: string, certificate: string): string {
  return `${app}-${certificate.toLowerCase()}-tls`;
}

/** Rules that depend on the approach: keys must suit env vars or Secret keys, and be distinct. */
export function esoProblems(spec: Spec): Problem[] {
  const readsEnv = spec.legacyReads === 'env';
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const object of spec.secrets) {
    if (object.type === 'cert') continue;
    const key = secretKeyFor(object, readsEnv);
    const value = formatSecretFlag(object);
    if (readsEnv && !ENV_NAME.test(key)) {
      problems.push({
        field: '--secret',
        value,
        rule: object.alias
          ? 'alias must be an environment variable name (letters, digits and "_", not starting with a digit) for an app that reads env vars'
          : `gives the env var name ${key}, which starts with a digit; add an alias: ${object.name}:${object.type}:NAME`,
      });
    } else if (!readsEnv && !SECRET_KEY.test(key)) {
      problems.push({ field: '--secret', value, rule: 'alias must be a Kubernetes Secret key: up to 253 letters, digits, "-", "_" or "." (no "/")' });
    } else if (seen.has(key)) {
      problems.push({ field: '--secret', value, rule: `syncs a second value under the key ${key}; give one of them another alias` });
    }
    seen.add(key);
  }
  return problems;
}

export interface EsoData {
  objectName: string;
  secretKey: string;
  remoteKey: string;
}

export interface EsoTlsSecret {
  objectName: string;
  name: string;
  remoteKey: string;
  mountPath: string;
}

/**
 * One ClusterSecretStore for ESO workloads in several namespaces: pinned to a service account of its
 * own in the operator's namespace, so one federated credential serves them all and no app's pods can
 * act as the store.
 */
export interface SharedStore {
  name: string;
  serviceAccount: string;
  namespace: string;
  namespaces: string[];
}

export interface EsoView {
  storeName: string;
  storeKind: Spec['storeKind'];
  isClusterStore: boolean;
  /** Namespaces a ClusterSecretStore serves. */
  allowedNamespaces: string[];
  /** The store's service account, when it is not the app's own. */
  storeServiceAccount: { name: string; namespace: string };
  targetSecret: string;
  refreshInterval: string;
  readsEnv: boolean;
  data: EsoData[];
  hasData: boolean;
  /** Certificates the app's pods mount, each as its own kubernetes.io/tls Secret. */
  tlsSecrets: EsoTlsSecret[];
  /** Every kubernetes.io/tls Secret the operator writes: the mounted ones, and the ingress's certificate. */
  syncedTlsSecrets: EsoTlsSecret[];
  /** Secrets whose change must restart the pods (env vars are read once, at start); null when none. */
  reloadSecrets: string | null;
  reloaderChart: HelmChart;
  /** ESO template expressions (Go templates), kept out of Handlebars' way by passing them as values. */
  tlsCertificateTemplate: string;
  tlsPrivateKeyTemplate: string;
}

/** Where a certificate's TLS Secret is mounted: beside the app's other secrets, never inside them. */
export function tlsMountPath(certificate: string): string {
  return `/etc/tls/${certificate.toLowerCase()}`;
}

export function esoView(spec: Spec, sharedStore: SharedStore | null = null): EsoView {
  const readsEnv = spec.legacyReads === 'env';
  const data = spec.secrets
    .filter((o) => o.type !== 'cert')
    .map((o) => ({ objectName: o.name, secretKey: secretKeyFor(o, readsEnv), remoteKey: `${DELIVERY[o.type].esoPrefix}${o.name}` }));
  const tlsSecrets = spec.secrets
    .filter((o) => o.type === 'cert')
    .map((o) => ({ objectName: o.name, name: tlsSecretName(spec.app, o.name), remoteKey: `${DELIVERY.cert.esoPrefix}${o.name}`, mountPath: tlsMountPath(o.name) }));
  // The ingress certificate reuses the same TLS ExternalSecret; only the ingress controller reads it.
  const ingressCert = spec.ingress === 'nginx' ? spec.tlsCert : undefined;
  const ingressTls =
    ingressCert === undefined || tlsSecrets.some((t) => t.objectName.toLowerCase() === ingressCert.toLowerCase())
      ? []
      : [{ objectName: ingressCert, name: tlsSecretName(spec.app, ingressCert), remoteKey: `${DELIVERY.cert.esoPrefix}${ingressCert}`, mountPath: tlsMountPath(ingressCert) }];
  const synced = [...(data.length > 0 ? [spec.targetSecret] : []), ...tlsSecrets.map((t) => t.name)];
  return {
    storeName: sharedStore?.name ?? `${spec.app}-keyvault`,
    storeKind: sharedStore ? 'ClusterSecretStore' : spec.storeKind,
    isClusterStore: sharedStore !== null || spec.storeKind === 'ClusterSecretStore',
    allowedNamespaces: sharedStore?.namespaces ?? [spec.namespace],
    storeServiceAccount: sharedStore
      ? { name: sharedStore.serviceAccount, namespace: sharedStore.namespace }
      : { name: spec.serviceAccount, namespace: spec.namespace },
    targetSecret: spec.targetSecret,
    refreshInterval: spec.refreshInterval,
    readsEnv,
    data,
    hasData: data.length > 0,
    tlsSecrets,
    syncedTlsSecrets: [...tlsSecrets, ...ingressTls],
    reloadSecrets: spec.rotation && readsEnv && synced.length > 0 ? synced.join(',') : null,
    reloaderChart: RELOADER_CHART,
    tlsCertificateTemplate: '{{ .tls | b64dec | pkcs12cert }}',
    tlsPrivateKeyTemplate: '{{ .tls | b64dec | pkcs12key }}',
  };
}
