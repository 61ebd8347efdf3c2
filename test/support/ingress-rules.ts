/**
 * Our own reading of what an Ingress with a Key Vault certificate needs, written from upstream
 * independently of the generator:
 * - networking.k8s.io/v1 Ingress and v1 Service: the schema (kubernetes-models) plus what the API
 *   server and controllers do beyond it (a TLS host must be served by a rule; a backend names a
 *   Service port that exists; a Service's selector must match the pods).
 * - AKS application routing (Azure/aks-app-routing-operator pkg/controller/keyvault/spc: consts.go,
 *   parse_kv.go, ingress.go; AKS docs app-routing-dns-ssl.md): the annotation
 *   `kubernetes.azure.com/tls-cert-keyvault-uri` holds `https://<vault>.<dns suffix>/certificates/<name>`
 *   (the vault name is the host's first label, the certificate the third path segment; a fourth pins a
 *   version, which stops renewals), and the operator writes the Secret `keyvault-<Ingress name>`, so
 *   `tls[].secretName` must be exactly that.
 * - Another controller reads a kubernetes.io/tls Secret: in a folder, something must make it: a
 *   SecretProviderClass that syncs it (secretObjects) and that a Deployment mounts (the driver creates
 *   the Secret only while a pod mounts the class), or an ExternalSecret whose target it is, typed
 *   kubernetes.io/tls.
 */
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Service } from 'kubernetes-models/v1';

export const APP_ROUTING_ANNOTATION = 'kubernetes.azure.com/tls-cert-keyvault-uri';
const VAULT_SUFFIXES = ['vault.azure.net', 'vault.usgovcloudapi.net', 'vault.azure.cn'];

type Obj = Record<string, any>;

function schema(validate: () => void): string[] {
  try {
    validate();
    return [];
  } catch (error) {
    return [`schema: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/** Problems of one Ingress on its own. */
export function checkIngress(ingress: Obj): string[] {
  const problems = schema(() => new Ingress(ingress as never).validate());
  const spec = ingress.spec ?? {};
  if (!ingress.metadata?.namespace) problems.push('metadata.namespace: is required');
  if (!spec.ingressClassName) problems.push('spec.ingressClassName: is not set (the cluster default class may not be the intended controller)');
  const ruleHosts = (spec.rules ?? []).map((r: Obj) => r.host);
  const tls = spec.tls ?? [];
  if (tls.length === 0) problems.push('spec.tls: is empty, so the controller serves no HTTPS');
  tls.forEach((entry: Obj, i: number) => {
    if (!entry.secretName) problems.push(`spec.tls[${i}].secretName: is not set`);
    for (const host of entry.hosts ?? []) if (!ruleHosts.includes(host)) problems.push(`spec.tls[${i}].hosts ${host}: no rule serves it`);
  });
  const uri = ingress.metadata?.annotations?.[APP_ROUTING_ANNOTATION];
  if (uri !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(uri);
    } catch {
      problems.push(`annotation ${APP_ROUTING_ANNOTATION} ${JSON.stringify(uri)}: is not a URL`);
    }
    if (url) {
      const [vault, ...suffix] = url.hostname.split('.');
      const segments = url.pathname.split('/');
      if (url.protocol !== 'https:' || !vault || !VAULT_SUFFIXES.includes(suffix.join('.'))) problems.push(`annotation ${APP_ROUTING_ANNOTATION} ${uri}: must be https://<vault>.<Key Vault DNS suffix>/...`);
      if (segments[1] !== 'certificates' || !segments[2]) problems.push(`annotation ${APP_ROUTING_ANNOTATION} ${uri}: must name /certificates/<name>`);
      if (segments.length > 3) problems.push(`annotation ${APP_ROUTING_ANNOTATION} ${uri}: pins a version, so a renewed certificate is never picked up`);
    }
    const expected = `keyvault-${ingress.metadata?.name}`;
    tls.forEach((entry: Obj, i: number) => {
      if (entry.secretName !== expected) problems.push(`spec.tls[${i}].secretName ${entry.secretName}: application routing writes ${expected}`);
    });
  }
  return problems;
}

/** Problems of one Service on its own. */
export function checkService(service: Obj): string[] {
  const problems = schema(() => new Service(service as never).validate());
  if (!service.metadata?.namespace) problems.push('metadata.namespace: is required');
  if (Object.keys(service.spec?.selector ?? {}).length === 0) problems.push('spec.selector: is empty, so the Service selects no pods');
  if ((service.spec?.ports ?? []).length === 0) problems.push('spec.ports: is empty');
  return problems;
}

const nameOf = (o: Obj) => o.metadata?.name;
const podOf = (deployment: Obj) => deployment.spec?.template ?? {};

/** What only the folder as a whole shows about its Ingresses and Services. */
export function crossCheckIngress(objects: Obj[]): string[] {
  const problems: string[] = [];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = of('Deployment');
  const services = of('Service');
  const classes = of('SecretProviderClass');
  for (const service of services) {
    const selector = service.spec?.selector ?? {};
    const selects = (d: Obj) => Object.entries(selector).every(([k, v]) => podOf(d).metadata?.labels?.[k] === v);
    if (!deployments.some(selects)) problems.push(`Service ${nameOf(service)}: its selector matches the pods of no Deployment in the folder`);
  }
  for (const ingress of of('Ingress')) {
    for (const rule of ingress.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service ?? {};
        const service = services.find((s) => nameOf(s) === backend.name);
        if (!service) {
          problems.push(`Ingress ${nameOf(ingress)}: backend Service ${backend.name} is not in the folder`);
          continue;
        }
        const port = (service.spec?.ports ?? []).find((p: Obj) => (backend.port?.name !== undefined ? p.name === backend.port.name : p.port === backend.port?.number));
        if (!port) problems.push(`Ingress ${nameOf(ingress)}: Service ${backend.name} has no port ${JSON.stringify(backend.port)}`);
      }
    }
    if (ingress.metadata?.annotations?.[APP_ROUTING_ANNOTATION] !== undefined) continue;
    for (const { secretName } of ingress.spec?.tls ?? []) {
      const syncing = classes.filter((c) => (c.spec?.secretObjects ?? []).some((s: Obj) => s.secretName === secretName && s.type === 'kubernetes.io/tls'));
      const mounted = syncing.some((c) =>
        deployments.some((d) =>
          (podOf(d).spec?.volumes ?? []).some((v: Obj) => {
            const volumeMounted = (podOf(d).spec?.containers ?? []).some((ct: Obj) => (ct.volumeMounts ?? []).some((m: Obj) => m.name === v.name));
            return v.csi?.volumeAttributes?.secretProviderClass === nameOf(c) && volumeMounted;
          }),
        ),
      );
      const external = of('ExternalSecret').some((e) => e.spec?.target?.name === secretName && e.spec?.target?.template?.type === 'kubernetes.io/tls');
      if (syncing.length > 0 && !mounted) problems.push(`Ingress ${nameOf(ingress)}: the class syncing ${secretName} is mounted by no container, so the driver never creates the Secret`);
      if (syncing.length === 0 && !external) problems.push(`Ingress ${nameOf(ingress)}: nothing in the folder makes the kubernetes.io/tls Secret ${secretName}`);
    }
  }
  return problems;
}
