import type { Spec } from '../spec/index.js';
import type { Decision } from '../decide/index.js';
import type { EsoView } from './eso.js';
import type { SdkView } from './sdk.js';

/** A pod volume the workload needs: the CSI driver's (csi) or a synced Secret's (secretName). */
export interface WorkloadVolume {
  name: string;
  csi: boolean;
  secretName: string | null;
}

/** An env var: a plain value (the SDK path's vault URL) or a key of a synced Secret (ESO). */
export interface WorkloadEnv {
  name: string;
  value: string | null;
  secretName: string | null;
  key: string | null;
}

/**
 * What a workload's pods need from this setup, whoever writes the Deployment: the patch of an
 * existing Deployment and the Helm values render it; all fields present so templates stay strict.
 */
export interface WorkloadView {
  existing: boolean;
  deployment: string;
  /** The kustomize patch target: a regular expression that matches the Deployment's name alone. */
  deploymentPattern: string;
  container: string;
  /** The Workload Identity webhook's label: the pod itself signs in (CSI driver, SDK), not an operator. */
  identityLabel: boolean;
  volumes: WorkloadVolume[];
  mounts: { name: string; mountPath: string }[];
  env: WorkloadEnv[];
  /** Reloader's annotation value (ESO env vars are read once), or null. */
  reloadSecrets: string | null;
}

// Prefixed so that they do not collide with the volumes the user's Deployment already has.
const CSI_VOLUME = 'secrets-store';
const ESO_VOLUME = 'kv-secrets';

export function workloadView(spec: Spec, approach: Decision['approach'], eso: EsoView, sdk: SdkView, vaultUrl: string): WorkloadView {
  const existing = spec.workload === 'existing';
  // The demo Deployment is named after the app; --deployment names the user's own.
  const deployment = existing ? spec.deployment : spec.app;
  const base = {
    existing,
    deployment,
    deploymentPattern: `^${deployment.replaceAll('.', '\\.')}$`,
    container: spec.container,
  };
  if (approach === 'csi') {
    return {
      ...base, identityLabel: true, reloadSecrets: null, env: [],
      volumes: [{ name: CSI_VOLUME, csi: true, secretName: null }],
      mounts: [{ name: CSI_VOLUME, mountPath: spec.mountPath }],
    };
  }
  if (approach === 'sdk') {
    return {
      ...base, identityLabel: true, reloadSecrets: null, volumes: [], mounts: [],
      env: [{ name: sdk.vaultUrlEnv, value: vaultUrl, secretName: null, key: null }],
    };
  }
  const fileMount = !eso.readsEnv && eso.hasData;
  const tls = eso.tlsSecrets.map((t, i) => ({ volume: { name: `kv-tls-${i}`, csi: false, secretName: t.name }, mountPath: t.mountPath }));
  return {
    ...base,
    identityLabel: false,
    reloadSecrets: eso.reloadSecrets,
    env: eso.readsEnv ? eso.data.map((d) => ({ name: d.secretKey, value: null, secretName: eso.targetSecret, key: d.secretKey })) : [],
    volumes: [...(fileMount ? [{ name: ESO_VOLUME, csi: false, secretName: eso.targetSecret }] : []), ...tls.map((t) => t.volume)],
    mounts: [...(fileMount ? [{ name: ESO_VOLUME, mountPath: spec.mountPath }] : []), ...tls.map((t) => ({ name: t.volume.name, mountPath: t.mountPath }))],
  };
}
