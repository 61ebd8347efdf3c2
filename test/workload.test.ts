/**
 * --workload existing: the folder patches the user's own Deployment instead of writing one. Each
 * approach's k8s/ folder is included as a component by a kustomization that holds a sample
 * Deployment (as an AKS team's own base would), built by the real `kubectl kustomize`, and the
 * result checked against the Kubernetes schema (kubernetes-models) and for what the pods need.
 * The Helm values carry the same lists as the patch. Needs kubectl (in the CI image).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { generate } from './support/generate.js';
import { validateManifest } from './support/manifests.js';

const scratch = mkdtempSync(join(tmpdir(), 'kv-workload-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const COMMON = ['--app', 'shop', '--namespace', 'shop', '--resource-group', 'rg', '--cluster', 'aks', '--workload', 'existing', '--deployment', 'shop.web', '--container', 'web'];

const RESOURCES = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } };

/** The user's Deployment: its own container, volume, mount and env, and no namespace (the overlay sets it). */
const SAMPLE_DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'shop.web', labels: { app: 'shop-web' } },
  spec: {
    selector: { matchLabels: { app: 'shop-web' } },
    template: {
      metadata: { labels: { app: 'shop-web' } },
      spec: {
        containers: [
          { name: 'web', image: 'reg.io/shop-web:3', env: [{ name: 'LOG_LEVEL', value: 'info' }], volumeMounts: [{ name: 'cache', mountPath: '/cache' }], resources: RESOURCES },
          { name: 'sidecar', image: 'reg.io/proxy:1', resources: RESOURCES },
        ],
        volumes: [{ name: 'cache', emptyDir: {} }],
      },
    },
  },
};

type Obj = Record<string, any>;

/** Writes the generated folder and a user's overlay that includes its k8s/ as a component; returns the built objects. */
function buildWithUserDeployment(name: string, flags: string[]): { docs: Obj[]; files: Map<string, string> } {
  const { files } = generate([...COMMON, ...flags]);
  const root = join(scratch, name);
  for (const [path, file] of files) {
    mkdirSync(join(root, 'kv', path, '..'), { recursive: true });
    writeFileSync(join(root, 'kv', path), file.content);
  }
  mkdirSync(join(root, 'app', 'base'), { recursive: true });
  mkdirSync(join(root, 'app', 'prod'), { recursive: true });
  writeFileSync(join(root, 'app', 'base', 'deployment.yaml'), JSON.stringify(SAMPLE_DEPLOYMENT));
  writeFileSync(join(root, 'app', 'base', 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
  writeFileSync(join(root, 'app', 'prod', 'kustomization.yaml'), 'namespace: shop\nresources:\n  - ../base\ncomponents:\n  - ../../kv/k8s\n');
  const built = spawnSync('kubectl', ['kustomize', join(root, 'app', 'prod')], { encoding: 'utf8' });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  return {
    docs: parseAllDocuments(built.stdout).map((d) => d.toJS() as Obj),
    files: new Map([...files].map(([p, f]) => [p, f.content])),
  };
}

function deploymentOf(docs: Obj[]): Obj {
  const deployments = docs.filter((d) => d['kind'] === 'Deployment');
  expect(deployments).toHaveLength(1);
  const deployment = deployments[0]!;
  expect(() => new Deployment(deployment as never).validate()).not.toThrow();
  expect(validateManifest('built.yaml', JSON.stringify(deployment))).toEqual([]);
  return deployment;
}

const container = (deployment: Obj, name: string): Obj => deployment['spec']['template']['spec']['containers'].find((c: Obj) => c['name'] === name);

describe('--workload existing', () => {
  test('CSI: the user\'s Deployment gets the label, the service account, the CSI volume and its mount, and keeps its own', () => {
    const { docs, files } = buildWithUserDeployment('csi', ['--secret', 'db-password']);
    expect([...files.keys()].filter((p) => p.startsWith('k8s/')).sort()).toEqual(
      ['k8s/deployment-patch.yaml', 'k8s/helm-values.yaml', 'k8s/kustomization.yaml', 'k8s/secretproviderclass.yaml', 'k8s/serviceaccount.yaml'],
    );
    expect(docs.map((d) => `${d['kind']}/${d['metadata']['name']}/${d['metadata']['namespace']}`).sort()).toEqual(
      ['Deployment/shop.web/shop', 'SecretProviderClass/shop-secrets/shop', 'ServiceAccount/shop-sa/shop'],
    );
    const deployment = deploymentOf(docs);
    const pod = deployment['spec']['template'];
    expect(pod['metadata']['labels']).toEqual({ app: 'shop-web', 'azure.workload.identity/use': 'true' });
    expect(pod['spec']['serviceAccountName']).toBe('shop-sa');
    expect(pod['spec']['volumes']).toEqual(expect.arrayContaining([
      { name: 'cache', emptyDir: {} },
      { name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'shop-secrets' } } },
    ]));
    expect(container(deployment, 'web')['volumeMounts']).toEqual(expect.arrayContaining([
      { name: 'cache', mountPath: '/cache' },
      { name: 'secrets-store', mountPath: '/mnt/secrets', readOnly: true },
    ]));
    expect(container(deployment, 'web')['image']).toBe('reg.io/shop-web:3');
    expect(container(deployment, 'sidecar')['volumeMounts']).toBeUndefined();
  });

  test('ESO, env vars: the container takes each key of the synced Secret as env, beside its own, and Reloader restarts it', () => {
    const { docs } = buildWithUserDeployment('eso', ['--app-kind', 'legacy', '--secret', 'db-password', '--secret', 'web-tls:cert']);
    expect(docs.map((d) => d['kind']).sort()).toEqual(['Deployment', 'ExternalSecret', 'ExternalSecret', 'SecretStore', 'ServiceAccount']);
    const deployment = deploymentOf(docs);
    expect(deployment['metadata']['annotations']).toEqual({ 'secret.reloader.stakater.com/reload': 'shop-secrets,shop-web-tls-tls' });
    const pod = deployment['spec']['template'];
    // The operator signs in, not the pod: no Workload Identity label.
    expect(pod['metadata']['labels']).toEqual({ app: 'shop-web' });
    expect(pod['spec']['serviceAccountName']).toBe('shop-sa');
    expect(container(deployment, 'web')['env']).toEqual(expect.arrayContaining([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'DB_PASSWORD' } } },
    ]));
    expect(pod['spec']['volumes']).toContainEqual({ name: 'kv-tls-0', secret: { secretName: 'shop-web-tls-tls' } });
    expect(container(deployment, 'web')['volumeMounts']).toContainEqual({ name: 'kv-tls-0', mountPath: '/etc/tls/web-tls', readOnly: true });
  });

  test('ESO, Secret object: the synced Secret is mounted read-only', () => {
    const { docs } = buildWithUserDeployment('eso-files', ['--app-kind', 'legacy', '--legacy-reads', 'secret-object', '--secret', 'db-password']);
    const deployment = deploymentOf(docs);
    expect(deployment['spec']['template']['spec']['volumes']).toContainEqual({ name: 'kv-secrets', secret: { secretName: 'shop-secrets' } });
    expect(container(deployment, 'web')['volumeMounts']).toContainEqual({ name: 'kv-secrets', mountPath: '/mnt/secrets', readOnly: true });
    expect(container(deployment, 'web')['env']).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
  });

  test('SDK: the label, the service account and the vault URL as env', () => {
    const { docs } = buildWithUserDeployment('sdk', ['--app-kind', 'sdk', '--secret', 'db-password']);
    const deployment = deploymentOf(docs);
    expect(deployment['spec']['template']['metadata']['labels']['azure.workload.identity/use']).toBe('true');
    expect(container(deployment, 'web')['env']).toContainEqual({ name: 'KEY_VAULT_URL', value: 'https://shop-kv.vault.azure.net' });
  });

  test('the Helm values carry the same service account, label, volumes, mounts and env as the patch', () => {
    for (const flags of [['--secret', 'db-password'], ['--app-kind', 'legacy', '--secret', 'db-password', '--secret', 'web-tls:cert']]) {
      const { files } = generate([...COMMON, ...flags]);
      const patch = parse(files.get('k8s/deployment-patch.yaml')!.content) as Obj;
      const values = parse(files.get('k8s/helm-values.yaml')!.content) as Obj;
      const pod = patch['spec']['template'];
      const web = pod['spec']['containers'][0];
      expect(values['serviceAccount']).toEqual({ create: false, name: pod['spec']['serviceAccountName'] });
      expect(values['podLabels']).toEqual(pod['metadata']?.['labels']);
      expect(values['volumes']).toEqual(pod['spec']['volumes']);
      expect(values['volumeMounts']).toEqual(web['volumeMounts']);
      expect(values['env']).toEqual(web['env']);
    }
  });

  test('the demo Deployment is not written, and the README says how to include the component and use the Helm values', () => {
    const { files } = generate([...COMMON, '--secret', 'db-password']);
    expect(files.has('k8s/deployment.yaml')).toBe(false);
    const readme = files.get('README.md')!.content;
    expect(readme).toContain('components:\n       - ../path/to/this/k8s');
    expect(readme).toContain('-f k8s/helm-values.yaml');
    expect(readme).not.toContain('readiness probe');
    expect(parse(files.get('kv-secrets.yaml')!.content)).toMatchObject({ workload: 'existing', deployment: 'shop.web', container: 'web' });
  });
});

describe('the built CLI with --workload existing', () => {
  const BIN = join(__dirname, '..', 'bin', 'create-kv-secrets.cjs');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: scratch, env: { ...process.env, CI: '1' } });

  test('writes the component and says how to use it; apply refuses the folder, exit 2, and says what to run instead', () => {
    const made = run(['adopted', '--yes', ...COMMON, '--secret', 'db-password']);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('add k8s/ to the kustomization of Deployment shop.web as a component (or pass k8s/helm-values.yaml to its chart)');
    const applied = run(['apply', 'adopted', '--yes']);
    expect(applied.status).toBe(2);
    expect(applied.stderr).toContain('adopted patches your own Deployment shop.web (workload: existing), which apply cannot deploy');
  });

  test('a bad --workload or --deployment is refused, naming the flag, and nothing is written', () => {
    const bad = run(['refused', '--yes', ...COMMON, '--workload', 'mine', '--deployment', 'Shop_Web', '--secret', 'db-password']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--workload "mine"');
    expect(bad.stderr).toContain('--deployment "Shop_Web"');
    expect(existsSync(join(scratch, 'refused'))).toBe(false);
  });
});
