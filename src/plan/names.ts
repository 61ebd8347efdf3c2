import type { Spec } from '../spec/index.js';

/** The SecretProviderClass of the workload (CSI). */
export function secretProviderClassName(spec: Pick<Spec, 'app'>): string {
  return `${spec.app}-secrets`;
}

/** The subject Entra ID expects in the pod's service-account token. */
export function federatedSubject(spec: Pick<Spec, 'namespace' | 'serviceAccount'>): string {
  return `system:serviceaccount:${spec.namespace}:${spec.serviceAccount}`;
}

const FIC_NAME_MAX = 120;

/**
 * One federated credential per cluster and service account, named after both so that a second
 * cluster or namespace adds its own credential instead of replacing this one. Names are limited to
 * 120 characters; a longer one is cut and made unique again with a short hash.
 */
export function federatedCredentialName(spec: Pick<Spec, 'cluster' | 'namespace' | 'serviceAccount'>): string {
  const full = `${spec.cluster}-${spec.namespace}-${spec.serviceAccount}`;
  if (full.length <= FIC_NAME_MAX) return full;
  // crypto loaded only here, for the rare long name: loading it costs every start.
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, FIC_NAME_MAX - 9)}-${hash}`;
}
