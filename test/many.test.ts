import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../src/cli/main.js';
import { MAX_FEDERATED_CREDENTIALS } from '../src/plan/index.js';
import { checkExternalSecret, checkSecretStore } from './support/eso-rules.js';
import { Sandbox, callsOf, mutating } from './support/standin-harness.js';
import { readTree } from './support/golden.js';

const THREE_APPS = `apiVersion: create-kv-secrets/v1
vault: platform-kv
identity: platform-workloads
resourceGroup: rg-platform
cluster: aks-prod
apps:
  - app: web
    namespace: web
    secrets:
      - name: db-password
      - name: tls-cert
        type: cert
  - app: api
    namespace: api
    secrets: [db-password, api-key]
  - app: billing
    namespace: billing
    appKind: legacy
    secrets: [db-password, stripe-key]
`;

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

/** A generated folder's files as text, by path. */
function tree(dir: string): Map<string, string> {
  return new Map([...readTree(dir)].map(([path, file]) => [path, file.content.toString('utf8')]));
}

function countLines(text: string, pattern: RegExp): number {
  return text.split('\n').filter((line) => pattern.test(line)).length;
}

function workspace(config: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kv-many-'));
  writeFileSync(join(dir, 'kv-secrets.yaml'), config);
  return dir;
}

describe('several apps from one config', () => {
  it('generates a folder per app and one setup script with no step repeated', async () => {
    const dir = workspace(THREE_APPS);
    const result = await run(['--config', 'kv-secrets.yaml', '--out', 'out'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = tree(join(dir, 'out'));
    expect([...files.keys()].filter((p) => p.endsWith('setup.sh'))).toEqual(['azure/setup.sh']);
    for (const app of ['web', 'api', 'billing']) expect(files.has(`${app}/k8s/kustomization.yaml`)).toBe(true);
    expect(files.has('web/k8s/secretproviderclass.yaml')).toBe(true);
    expect(files.has('billing/k8s/externalsecret.yaml')).toBe(true);
    const script = files.get('azure/setup.sh')!;
    expect(countLines(script, /^uploads=\(db-password api-key stripe-key\)$/)).toBe(1);
    expect(countLines(script, /^objects=\(db-password tls-cert api-key stripe-key\)$/)).toBe(1); // one role, each object once
    expect(countLines(script, /^ensure_federation /)).toBe(3);
    expect(countLines(script, /az aks enable-addons/)).toBe(2); // with and without rotation: one branch runs
    expect(countLines(script, /helm upgrade --install/)).toBe(1);
    expect(countLines(script, /^step "Managed identity/)).toBe(1);
    expect(script).toContain('for file in azure/setup.sh kv-secrets.yaml web/k8s/serviceaccount.yaml web/k8s/secretproviderclass.yaml api/k8s/serviceaccount.yaml api/k8s/secretproviderclass.yaml billing/k8s/serviceaccount.yaml; do');
    expect(files.get('web/README.md')).toContain('bash ../azure/setup.sh');
    expect(files.get('README.md')).toContain('| `billing` | `billing` | External Secrets Operator | [`billing/`](billing/README.md) |');
  });

  it('regenerates byte-identical files from its own kv-secrets.yaml', async () => {
    const dir = workspace(THREE_APPS);
    expect((await run(['--config', 'kv-secrets.yaml', '--out', 'a'], dir)).code).toBe(0);
    expect((await run(['--config', 'a/kv-secrets.yaml', '--out', 'b'], dir)).code).toBe(0);
    expect(tree(join(dir, 'b'))).toEqual(tree(join(dir, 'a')));
    const again = await run(['--config', 'a/kv-secrets.yaml', '--out', 'a'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/^ {2}(created|changed) /m);
  });

  it('shares one pinned ClusterSecretStore when ESO apps live in several namespaces', async () => {
    const config = `${THREE_APPS}  - app: reports\n    namespace: reports\n    appKind: legacy\n    legacyReads: secret-object\n    secrets: [db-password]\n`;
    const dir = workspace(config);
    expect((await run(['--config', 'kv-secrets.yaml', '--out', 'out'], dir)).code).toBe(0);
    const files = tree(join(dir, 'out'));
    expect(files.has('billing/k8s/secretstore.yaml')).toBe(false);
    const [store] = parseAllDocuments(files.get('shared/k8s/secretstore.yaml')!).map((d) => d.toJS());
    expect(checkSecretStore(store)).toEqual([]);
    expect(store.kind).toBe('ClusterSecretStore');
    expect(store.spec.provider.azurekv.serviceAccountRef).toEqual({ name: 'platform-kv-eso', namespace: 'external-secrets' });
    expect(store.spec.conditions).toEqual([{ namespaces: ['billing', 'reports'] }]);
    for (const app of ['billing', 'reports']) {
      for (const es of parseAllDocuments(files.get(`${app}/k8s/externalsecret.yaml`)!).map((d) => d.toJS())) {
        expect(checkExternalSecret(es, store)).toEqual([]);
      }
    }
    const script = files.get('azure/setup.sh')!;
    expect(script).toContain('ensure_federation aks-prod-external-secrets-platform-kv-eso external-secrets platform-kv-eso');
    expect(script).not.toContain('billing-sa');
    expect(script.indexOf('"$ROOT"/shared/k8s')).toBeLessThan(script.indexOf('"$ROOT"/billing/k8s'));
  });

  it('an app that adopts its own Deployment: its k8s/ is a component, so neither the README nor the next steps say kubectl apply -k it', async () => {
    const config = THREE_APPS.replace('  - app: api\n    namespace: api\n', '  - app: api\n    namespace: api\n    workload: existing\n    deployment: api-server\n')
      .replace('    appKind: legacy\n', '    appKind: legacy\n    legacyReads: secret-object\n');
    const dir = workspace(`${config}  - app: reports\n    namespace: reports\n    appKind: legacy\n    legacyReads: secret-object\n    secrets: [db-password]\n`);
    const result = await run(['--config', 'kv-secrets.yaml', '--out', 'out'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = tree(join(dir, 'out'));
    expect(files.get('api/k8s/kustomization.yaml')).toContain('kind: Component');
    const readme = files.get('README.md')!;
    // The shared store first, then every folder that can be applied alone; not the component.
    const applies = readme.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('kubectl apply -k'));
    expect(applies).toEqual(['kubectl apply -k shared/k8s', 'kubectl apply -k web/k8s', 'kubectl apply -k billing/k8s', 'kubectl apply -k reports/k8s']);
    expect(readme).toContain('`api` adopts your own Deployment `api-server`: [`api/k8s/`](api/k8s/) is a kustomize component, which cannot be applied alone.');
    expect(readme).toContain('pass `api/k8s/helm-values.yaml` to its chart; [its README](api/README.md) shows both.');
    expect(files.get('api/README.md')).toContain('`k8s/` is a kustomize *component*');
    expect(result.stdout).toContain('  add api/k8s/ to the kustomization of Deployment api-server as a component (or pass api/k8s/helm-values.yaml to its chart)\n');
    expect(result.stdout).toContain('  kubectl apply -k web/k8s/\n');
    expect(result.stdout).not.toContain('kubectl apply -k api/k8s');
  });

  it(`refuses more than ${MAX_FEDERATED_CREDENTIALS} federated credentials on the shared identity`, async () => {
    const apps = Array.from({ length: MAX_FEDERATED_CREDENTIALS + 1 }, (_, i) => `  - app: app${i}\n    namespace: ns${i}\n    secrets: [db-password]\n`).join('');
    const dir = workspace(`apiVersion: create-kv-secrets/v1\nvault: platform-kv\nidentity: shared-id\nresourceGroup: rg\ncluster: aks\napps:\n${apps}`);
    const result = await run(['--config', 'kv-secrets.yaml', '--out', 'out'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('need 21 federated credentials on identity shared-id; Azure allows 20 per managed identity');
    expect(readdirSync(dir)).toEqual(['kv-secrets.yaml']);
  });

  it('names the file, line and key of a shared key set per app, and of a missing shared vault', async () => {
    const dir = workspace(`apiVersion: create-kv-secrets/v1\nresourceGroup: rg\ncluster: aks\nidentity: id1\napps:\n  - app: web\n    vault: other-kv\n    secrets: [db]\n`);
    const result = await run(['--config', 'kv-secrets.yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('kv-secrets.yaml:7 apps[0].vault "other-kv": is shared by every app: set it at the top of the file');
    const missing = workspace(`apiVersion: create-kv-secrets/v1\nresourceGroup: rg\ncluster: aks\napps:\n  - app: web\n    secrets: [db]\n`);
    const second = await run(['--config', 'kv-secrets.yaml'], missing);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('kv-secrets.yaml vault: must be set at the top of the file: the apps share one');
    expect(second.stderr).toContain('kv-secrets.yaml identity: must be set at the top of the file');
  });

  it('takes flags for what the apps share, and refuses per-app flags', async () => {
    const dir = workspace(THREE_APPS);
    const shared = await run(['--config', 'kv-secrets.yaml', '--cluster', 'aks-dr', '--stdout'], dir);
    expect(shared.code).toBe(0);
    expect(shared.stdout).toContain('CLUSTER=aks-dr');
    const perApp = await run(['--config', 'kv-secrets.yaml', '--namespace', 'x'], dir);
    expect(perApp.code).toBe(2);
    expect(perApp.stderr).toContain('--namespace: kv-secrets.yaml lists several apps');
  });

  it('refuses one object with two types', async () => {
    const dir = workspace(THREE_APPS.replace('secrets: [db-password, api-key]', 'secrets: [{name: tls-cert, type: secret}]'));
    const result = await run(['--config', 'kv-secrets.yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('apps[1].secrets "tls-cert": is a secret here but a cert in another app');
  });
});

describe('the shared setup script of several apps, run against the stand-in az, kubectl and helm', () => {
  afterAll(() => Sandbox.removeAll());

  it('makes each change once, and nothing on a second run', { timeout: 120_000 }, async () => {
    const sb = await Sandbox.create();
    const config = join(sb.dir, 'kv-secrets.yaml');
    // The stand-in's cluster is myCluster in myRG; no certificate, which the script would stop to ask for.
    const apps = THREE_APPS.replace(/      - name: tls-cert\n        type: cert\n/, '').replace('rg-platform', 'myRG').replace('aks-prod', 'myCluster');
    writeFileSync(config, apps);
    const folder = await sb.generate('platform', ['--yes', '--config', config]);
    const first = await sb.runSetup(folder, { stdin: 'db value\napi value\nstripe value\n' });
    expect(first.code, first.stderr).toBe(0);
    const changes = mutating(first.calls);
    const count = (command: string) => callsOf(changes, command).length;
    expect(callsOf(changes, 'keyvault secret set').map((c) => c.flags['--name'])).toEqual(['db-password', 'api-key', 'stripe-key']);
    expect(count('keyvault create')).toBe(1);
    expect(count('identity create')).toBe(1);
    expect(count('aks update')).toBe(1);
    expect(count('aks enable-addons')).toBe(1);
    expect(callsOf(changes, 'identity federated-credential create').map((c) => c.flags['--subject'])).toEqual([
      'system:serviceaccount:web:web-sa',
      'system:serviceaccount:api:api-sa',
      'system:serviceaccount:billing:billing-sa',
    ]);
    // One for the operator, then one per object however many apps read it.
    const scopes = callsOf(changes, 'role assignment create').map((c) => String(c.flags['--scope']).replace(/^.*\/vaults\//, ''));
    expect(scopes).toEqual(['platform-kv', 'platform-kv/secrets/db-password', 'platform-kv/secrets/api-key', 'platform-kv/secrets/stripe-key']);
    expect(sb.state().federatedCredentials['myRG/platform-workloads']).toHaveLength(3);

    const second = await sb.runSetup(folder, { stdin: 'closed' });
    expect(second.code, second.stderr).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
  });
});
