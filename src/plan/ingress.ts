import { decideIngress } from '../decide/index.js';
import type { IngressDecision, TlsDelivery } from '../decide/index.js';
import { DEFAULT_APP_PORT } from '../spec/index.js';
import type { Approach, Ingress, KeyVaultObject, Problem, Spec } from '../spec/index.js';
import type { Artifact } from './artifacts.js';
import { tlsSecretName } from './eso.js';

/**
 * The IngressClass each controller registers: application routing's managed NGINX creates
 * `webapprouting.kubernetes.azure.com` (AKS docs, app-routing-dns-ssl.md); ingress-nginx's chart `nginx`.
 */
export const DEFAULT_INGRESS_CLASS = { 'app-routing': 'webapprouting.kubernetes.azure.com', nginx: 'nginx' } as const;
/** Application routing's annotation naming the Key Vault certificate (aks-app-routing-operator, spc/consts.go). */
export const APP_ROUTING_CERT_ANNOTATION = 'kubernetes.azure.com/tls-cert-keyvault-uri';
/** Where the app's pods mount the TLS sync volume: a path of its own, never inside the app's secrets. */
export const INGRESS_TLS_MOUNT_PATH = '/mnt/ingress-tls';
/** The port the Service exposes inside the cluster, for the Ingress backend. */
export const SERVICE_PORT = 80;

/** Everything the ingress templates read; present (disabled) when there is no ingress, as templates are strict. */
export interface IngressView {
  enabled: boolean;
  decision: IngressDecision | null;
  isAppRouting: boolean;
  isCsiSync: boolean;
  isEsoSync: boolean;
  name: string;
  className: string;
  host: string;
  port: number;
  servicePort: number;
  certificate: string;
  /** The certificate's URI without a version, so that renewals are picked up (app routing). */
  certificateUri: string;
  annotation: string;
  tlsSecret: string;
  secretProviderClass: string;
  mountPath: string;
}

/** The TLS path of a spec with an approach; null when there is no ingress or the pairing has none. */
export function ingressDecision(spec: Spec, approach: Approach): IngressDecision | null {
  return decideIngress(ingressOf(spec), approach);
}

export function ingressOf(spec: Pick<Spec, 'ingress'>): Ingress {
  return spec.ingress ?? 'none';
}

function tlsSecretFor(spec: Spec, tls: TlsDelivery): string {
  // Application routing names the Secret after the Ingress, and the Ingress must name that one.
  return tls === 'app-routing' ? `keyvault-${spec.app}` : tlsSecretName(spec.app, spec.tlsCert ?? '');
}

export function ingressView(spec: Spec, approach: Approach, vaultUrl: string): IngressView {
  const decision = ingressDecision(spec, approach);
  const tls = decision?.tls;
  return {
    enabled: decision !== null,
    decision,
    isAppRouting: tls === 'app-routing',
    isCsiSync: tls === 'csi-sync',
    isEsoSync: tls === 'eso-sync',
    name: spec.app,
    className: spec.ingressClass ?? (spec.ingress === undefined || spec.ingress === 'none' ? '' : DEFAULT_INGRESS_CLASS[spec.ingress]),
    host: spec.host ?? '',
    port: Number(spec.port ?? DEFAULT_APP_PORT),
    servicePort: SERVICE_PORT,
    certificate: spec.tlsCert ?? '',
    certificateUri: `${vaultUrl}/certificates/${spec.tlsCert ?? ''}`,
    annotation: APP_ROUTING_CERT_ANNOTATION,
    tlsSecret: tls ? tlsSecretFor(spec, tls) : '',
    secretProviderClass: `${spec.app}-ingress-tls`,
    mountPath: INGRESS_TLS_MOUNT_PATH,
  };
}

/**
 * The certificate as an object the workload's own identity reads, when its TLS Secret is synced by the
 * CSI driver or ESO (as the identity, like the app's secrets). Application routing reads it as the
 * add-on's identity instead, so then it is not one.
 */
export function ingressWorkloadObjects(spec: Spec, approach: Approach): KeyVaultObject[] {
  const tls = ingressDecision(spec, approach)?.tls;
  if (tls === undefined || tls === 'app-routing' || spec.tlsCert === undefined) return [];
  return [{ name: spec.tlsCert, type: 'cert' }];
}

/** The certificate application routing reads, if any. */
export function appRoutingCertificate(spec: Spec, approach: Approach): string | null {
  return ingressDecision(spec, approach)?.tls === 'app-routing' ? (spec.tlsCert ?? null) : null;
}

/** Ingress answers that do not fit together, each naming its flag. */
export function ingressProblems(spec: Spec, approach: Approach): Problem[] {
  const problems: Problem[] = [];
  const ingress = ingressOf(spec);
  if (ingress === 'none') {
    for (const [key, flag] of [['host', '--host'], ['tlsCert', '--tls-cert'], ['ingressClass', '--ingress-class'], ['port', '--port']] as const) {
      const value = spec[key];
      if (value !== undefined) problems.push({ field: flag, value, rule: 'needs --ingress app-routing or --ingress nginx (--ingress is none)' });
    }
    return problems;
  }
  if (spec.host === undefined) problems.push({ field: '--host', value: '', rule: `is required with --ingress ${ingress} (pass --host FQDN)` });
  if (spec.tlsCert === undefined) problems.push({ field: '--tls-cert', value: '', rule: `is required with --ingress ${ingress} (pass --tls-cert NAME, a Key Vault certificate)` });
  const clash = spec.tlsCert === undefined ? undefined : spec.secrets.find((o) => o.name.toLowerCase() === spec.tlsCert!.toLowerCase() && o.type !== 'cert');
  if (clash) problems.push({ field: '--tls-cert', value: spec.tlsCert!, rule: `is also given as --secret ${clash.name}:${clash.type}; a TLS certificate is a cert` });
  if (decideIngress(ingress, approach) === null) {
    problems.push({
      field: '--ingress',
      value: ingress,
      rule: `needs a kubernetes.io/tls Secret, which the ${approach} approach does not make: use --ingress app-routing (the add-on reads Key Vault itself), or the csi or eso approach`,
    });
  }
  return problems;
}

const FILE = 0o644;

/** The files an ingress adds to a workload's folder. */
export function ingressArtifacts(spec: Spec, approach: Approach): Artifact[] {
  const decision = ingressDecision(spec, approach);
  if (decision === null) return [];
  const file = (path: string, template: string, snippet: string, description: string): Artifact => ({ path, template, kind: 'yaml', mode: FILE, snippet, description });
  return [
    file('k8s/service.yaml', 'ingress/service.yaml', 'service', 'Service: the stable address of the app’s pods, which the Ingress sends traffic to'),
    file('k8s/ingress.yaml', 'ingress/ingress.yaml', 'ingress', `Ingress: HTTPS for the host, with the TLS certificate from Key Vault (${decision.choice.label})`),
    ...(decision.tls === 'csi-sync'
      ? [file('k8s/ingress-tls.yaml', 'ingress/secretproviderclass.yaml', 'ingress-tls', 'SecretProviderClass that syncs the TLS certificate into the kubernetes.io/tls Secret the Ingress names')]
      : []),
  ];
}

/** A workload's files with the ingress's added after its manifests. */
export function withIngress(artifacts: Artifact[], spec: Spec, approach: Approach): Artifact[] {
  const extra = ingressArtifacts(spec, approach);
  if (extra.length === 0) return artifacts;
  const at = artifacts.map((a) => a.path.startsWith('k8s/')).lastIndexOf(true) + 1;
  return [...artifacts.slice(0, at), ...extra, ...artifacts.slice(at)];
}
