import type { Approach, Workload } from '../spec/index.js';

export type ArtifactKind = 'yaml' | 'bash' | 'markdown' | 'text';

/** One generated file: where it goes, which template renders it, and how it is checked and shown. */
export interface Artifact {
  /** Path inside the generated folder, with forward slashes. */
  path: string;
  /** Template name under templates/, without `.hbs`. */
  template: string;
  kind: ArtifactKind;
  /** File mode: scripts are executable. */
  mode: number;
  /** Name for `create-kv-secrets snippet <name>`. */
  snippet: string;
  description: string;
}

const FILE = 0o644;
const SCRIPT = 0o755;

/** Files of an existing-workload folder that are no resources of its kustomization. */
export const WORKLOAD_PATCH_FILES = ['k8s/deployment-patch.yaml', 'k8s/helm-values.yaml'];

/** The files of a generated folder, in the order the README lists them. */
export function artifactsFor(approach: Approach, workload: Workload = 'demo'): Artifact[] {
  const common = (path: string, template: string, kind: ArtifactKind, snippet: string, description: string, mode = FILE): Artifact =>
    ({ path, template, kind, mode, snippet, description });
  const k8s: Artifact[] =
    approach === 'sdk'
      ? [common('k8s/deployment.yaml', 'sdk/deployment.yaml', 'yaml', 'deployment', 'Deployment whose pods sign in as the federated identity and read Key Vault themselves; only the vault URL is set')]
      : approach === 'csi'
      ? [
          common('k8s/secretproviderclass.yaml', 'csi/secretproviderclass.yaml', 'yaml', 'secretproviderclass', 'SecretProviderClass: which Key Vault objects the CSI driver mounts, and as whom'),
          common('k8s/deployment.yaml', 'csi/deployment.yaml', 'yaml', 'deployment', 'Deployment that mounts the secrets read-only as files'),
        ]
      : [
          common('k8s/secretstore.yaml', 'eso/secretstore.yaml', 'yaml', 'secretstore', 'SecretStore: how the External Secrets Operator reaches Key Vault, as whom'),
          common('k8s/externalsecret.yaml', 'eso/externalsecret.yaml', 'yaml', 'externalsecret', 'ExternalSecret: which Key Vault objects are synced into which Secret keys'),
          common('k8s/deployment.yaml', 'eso/deployment.yaml', 'yaml', 'deployment', 'Deployment that reads the synced Secret'),
        ];
  if (workload === 'existing') {
    // The user's own Deployment gets what the demo one would carry: a patch for kustomize, values for Helm.
    k8s.splice(k8s.findIndex((a) => a.snippet === 'deployment'), 1,
      common('k8s/deployment-patch.yaml', 'common/deployment-patch.yaml', 'yaml', 'deployment-patch', "Strategic-merge patch that gives your Deployment the service account, label, volumes, mounts and env"),
      common('k8s/helm-values.yaml', 'common/helm-values.yaml', 'yaml', 'helm-values', 'The same additions as Helm values, for a chart that takes serviceAccount, podLabels, volumes, volumeMounts and env'),
    );
  }
  return [
    common('README.md', 'common/README.md', 'markdown', 'readme', 'What was generated and why, the steps to run, and the checklist'),
    common('kv-secrets.yaml', 'common/kv-secrets.yaml', 'yaml', 'config', 'The answers; --config kv-secrets.yaml regenerates the folder'),
    common('azure/setup.sh', 'common/setup.sh', 'bash', 'setup', 'The az commands: cluster features, vault, identity, federation, roles, secret upload', SCRIPT),
    workload === 'existing'
      ? common('k8s/kustomization.yaml', 'common/kustomization.yaml', 'yaml', 'kustomization', "Kustomize component: include it from the kustomization that builds your Deployment")
      : common('k8s/kustomization.yaml', 'common/kustomization.yaml', 'yaml', 'kustomization', 'Kustomization: kubectl apply -k k8s/'),
    common('k8s/serviceaccount.yaml', 'common/serviceaccount.yaml', 'yaml', 'serviceaccount', 'ServiceAccount federated with the managed identity'),
    ...k8s,
    common('.pre-commit-config.yaml', 'common/pre-commit-config.yaml', 'yaml', 'precommit', 'detect-secrets pre-commit hook, so no value is committed'),
    common('.gitignore', 'common/gitignore', 'text', 'gitignore', 'Keeps local secret material out of git'),
  ];
}
