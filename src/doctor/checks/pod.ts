import { RELOADER_CHART } from '../../plan/azure-facts.js';
import { kubectl, mergePatch, reapply } from '../commands.js';
import { cannotCheck, csiVolumes, finding, valueOf } from '../context.js';
import type { Context } from '../context.js';
import { field, list, nameOf, namespaceOf, podSpecOf, text } from '../kube.js';
import type { Finding, KubeObject } from '../types.js';

const WORKLOAD_IDENTITY_LABEL = 'azure.workload.identity/use';

/** Secrets a SecretProviderClass syncs or an ExternalSecret writes: what env vars may come from. */
function syncedSecrets(c: Context): string[] {
  const fromSpc = c.spc ? list(c.spc, 'spec', 'secretObjects').map((s) => text(s, 'secretName') ?? '') : [];
  const fromEso = (valueOf(c.o.externalSecrets) ?? []).map((es) => text(es, 'spec', 'target', 'name') ?? nameOf(es));
  return [...fromSpc, ...fromEso].filter(Boolean);
}

function hasReloader(deployment: KubeObject, secret: string): boolean {
  const annotations = (field(deployment, 'metadata', 'annotations') ?? {}) as Record<string, unknown>;
  if (annotations['reloader.stakater.com/auto'] === 'true') return true;
  const reload = annotations['secret.reloader.stakater.com/reload'];
  return typeof reload === 'string' && reload.split(',').map((s) => s.trim()).includes(secret);
}

function spcFindings(c: Context, podSpec: unknown): Finding[] {
  const { e, o } = c;
  if (o.spcs.state === 'unknown') return [cannotCheck('spc-missing', `SecretProviderClasses in namespace ${e.namespace}`, o.spcs, 'the SecretProviderClass')];
  const present = (valueOf(o.spcs) ?? []).map(nameOf);
  return csiVolumes(podSpec).filter((v) => !present.includes(v.spc)).map((v) => {
    const elsewhere = (valueOf(o.spcsAllNamespaces) ?? []).filter((s) => nameOf(s) === v.spc).map(namespaceOf);
    const evidence = { 'pod namespace': e.namespace, 'volume secretProviderClass': v.spc, 'SecretProviderClasses in the namespace': present.join(', ') || '(none)' };
    if (elsewhere.length > 0) {
      return finding('spc-wrong-namespace', 'error', `SecretProviderClass ${v.spc} is in namespace ${elsewhere.join(', ')}, but the CSI driver looks for it only in the pod's namespace ${e.namespace}.`,
        { ...evidence, 'found in namespace': elsewhere.join(', ') }, reapply(e));
    }
    return finding('spc-missing', 'error', `Volume ${v.name} mounts SecretProviderClass ${v.spc}, which does not exist in namespace ${e.namespace}: the pod cannot start.`, evidence, reapply(e));
  });
}

/** The workload: its Deployment, service account, labels, mounts and env vars. */
export function podFindings(c: Context): Finding[] {
  const { e, o } = c;
  if (o.deployment.state === 'unknown') return [cannotCheck('workload-missing', `Deployment ${e.app} in namespace ${e.namespace}`, o.deployment, 'the pod template')];
  if (o.deployment.state === 'missing') {
    return [finding('workload-missing', 'error', `There is no Deployment ${e.app} in namespace ${e.namespace}.`, { deployment: `${e.namespace}/${e.app}` }, reapply(e))];
  }
  const deployment = o.deployment.value;
  const podSpec = podSpecOf(deployment);
  const findings: Finding[] = [];
  const account = text(podSpec, 'serviceAccountName') ?? 'default';
  if (account === 'default' && e.serviceAccount !== 'default') {
    findings.push(finding('pod-default-serviceaccount', 'error', `The pod runs as service account "default", so its token's subject is system:serviceaccount:${e.namespace}:default, which no federated credential trusts.`,
      { 'spec.template.spec.serviceAccountName': text(podSpec, 'serviceAccountName') ?? '(not set: default)', 'federated service account': e.serviceAccount },
      [mergePatch('deployment', e.app, e.namespace, { spec: { template: { spec: { serviceAccountName: e.serviceAccount } } } })]));
  }
  const accountRead = o.serviceAccounts[`${e.namespace}/${account}`];
  if (account !== 'default' && accountRead?.state === 'missing') {
    findings.push(finding('serviceaccount-missing', 'error', `Service account ${account} does not exist in namespace ${e.namespace}: the pod cannot be created.`,
      { serviceAccount: `${e.namespace}/${account}` }, reapply(e).length > 0 ? reapply(e) : [kubectl(['create', 'serviceaccount', account, '--namespace', e.namespace])]));
  }
  const label = text(deployment, 'spec', 'template', 'metadata', 'labels', WORKLOAD_IDENTITY_LABEL);
  // ESO signs in for the app, so the app's pods need no token; a CSI mount neither (the driver asks for
  // its own, fact sheet 4.3), but the app's own Azure SDK calls do: for the SDK path it is the chain's start.
  if (label !== 'true' && c.approach !== 'eso') {
    const sdk = c.approach === 'sdk';
    findings.push(finding('pod-label-missing', sdk ? 'error' : 'warning', `The pod template lacks the label ${WORKLOAD_IDENTITY_LABEL}: "true", so the Workload Identity webhook gives the pod no federated token${sdk ? ': the app\'s Azure SDK cannot sign in' : ': the CSI mount works without it, the app\'s own Azure SDK calls do not'} (the label goes on the pod, not the service account).`,
      { [`spec.template.metadata.labels["${WORKLOAD_IDENTITY_LABEL}"]`]: label ?? '(not set)' },
      [mergePatch('deployment', e.app, e.namespace, { spec: { template: { metadata: { labels: { [WORKLOAD_IDENTITY_LABEL]: 'true' } } } } })]));
  }
  if (c.approach === 'csi') findings.push(...spcFindings(c, podSpec));
  findings.push(...mountFindings(c, deployment, podSpec));
  return findings;
}

function mountFindings(c: Context, deployment: KubeObject, podSpec: unknown): Finding[] {
  const { e } = c;
  const synced = syncedSecrets(c);
  const secretVolumes = new Set([
    ...csiVolumes(podSpec).map((v) => v.name),
    ...list(podSpec, 'volumes').filter((v) => synced.includes(text(v, 'secret', 'secretName') ?? '')).map((v) => text(v, 'name') ?? ''),
  ]);
  const findings: Finding[] = [];
  list(podSpec, 'containers').forEach((container, ci) => {
    list(container, 'volumeMounts').forEach((mount, mi) => {
      const subPath = text(mount, 'subPath');
      if (!subPath || !secretVolumes.has(text(mount, 'name') ?? '')) return;
      findings.push(finding('subpath-mount', 'warning', `Container ${text(container, 'name')} mounts volume ${text(mount, 'name')} with subPath ${subPath}: a subPath mount never receives a rotated value. Mount the whole volume (its mountPath becomes a folder of files).`,
        { container: text(container, 'name') ?? '', mountPath: text(mount, 'mountPath') ?? '', subPath },
        [kubectl(['patch', 'deployment', e.app, '--namespace', e.namespace, '--type=json', '-p', JSON.stringify([{ op: 'remove', path: `/spec/template/spec/containers/${ci}/volumeMounts/${mi}/subPath` }])])]));
    });
  });
  const rotating = c.approach === 'eso' ? c.e.rotation !== false : c.e.rotation === true || valueOf(c.o.cluster)?.rotation === true;
  if (!rotating) return findings;
  const fromEnv = new Set(list(podSpec, 'containers').flatMap((container) => [
    ...list(container, 'env').map((v) => text(v, 'valueFrom', 'secretKeyRef', 'name') ?? ''),
    ...list(container, 'envFrom').map((v) => text(v, 'secretRef', 'name') ?? ''),
  ]));
  const stale = synced.filter((s) => fromEnv.has(s) && !hasReloader(deployment, s));
  if (stale.length > 0) {
    const chart = RELOADER_CHART;
    findings.push(finding('secret-env-no-reload', 'warning', `Env vars come from the synced Secret ${stale.join(', ')}, which rotation updates, but env vars are read once at start and nothing restarts the pods: install Reloader (once per cluster) and annotate the Deployment.`,
      { 'env from Secret': stale.join(', '), 'reloader annotation': '(none)' },
      [
        `helm repo add ${chart.repoName} ${chart.repoUrl}`,
        `helm upgrade --install ${chart.release} ${chart.chart} --namespace ${chart.namespace} --create-namespace --version ${chart.version}`,
        kubectl(['annotate', 'deployment', e.app, '--namespace', e.namespace, `secret.reloader.stakater.com/reload=${stale.join(',')}`, '--overwrite']),
      ]));
  }
  return findings;
}
