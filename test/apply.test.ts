/**
 * `create-kv-secrets apply` end to end, in a process of its own, against the stand-ins for az,
 * kubectl and helm (test/stand-ins): the Secrets Store CSI Driver and the External Secrets Operator
 * (through `--apply` on the generate command), several apps from one config, --dry-run, the proof
 * that secret values reach Key Vault and nothing else, and a run at a real terminal (tmux). The
 * stand-in cluster is strict: a pod mounts its secrets only when the identity, federation and roles
 * azure/setup.sh made are right and the applied manifests name the real IDs (test/stand-ins/kubectl).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.js';
import { PLACEHOLDERS } from '../src/spec/index.js';
import { ApplySandbox, cleanUp, changes, cliBundle, kubectlCalls, ran } from './support/apply-harness.js';
import type { ApplyRun } from './support/apply-harness.js';
import { STAND_INS, Sandbox, filesOf, once } from './support/standin-harness.js';
import type { StandInState } from './support/standin-harness.js';

const WORKLOAD = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Values that break naive shell code, each with the marker QZX that must show up nowhere but in Key Vault. */
const VALUES: [name: string, value: string][] = [
  ['db-password', `  QZXa "double" and 'single' C:\\new\\table $(touch PWNED) \`id\` %s ${'${HOME}'}  `],
  ['api-key', '-QZXb --file /etc/passwd -n * ? pässwörd 🔑\ttab'],
];
const MARKER = 'QZX';
const lines = (values: string[]) => values.map((v) => `${v}\n`).join('');
const stored = (state: StandInState, vault: string, name: string) => {
  const secret = state.vaultData[vault]?.secrets[name];
  return secret && Buffer.from(secret.valueBase64 as string, 'base64').toString('utf8');
};
/** The step titles a run showed, in order (▸ lines of the plain output). */
const steps = (run: ApplyRun) => run.stdout.split('\n').filter((l) => l.startsWith('  ▸ ')).map((l) => l.slice(4));

afterAll(() => cleanUp());

// ---- At a terminal (tmux): the offer to fix the context, the hidden prompt, the spinner -------------
// Needs tmux (CI: apt-get install -y tmux); without it these tests are skipped, and say so.
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `kv-apply-tty-${process.pid}`;
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const TYPED = 'QZX typed at the terminal';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
afterAll(() => {
  if (HAS_TMUX) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});
if (!HAS_TMUX) console.warn('test/apply.test.ts: tmux is not installed (apt-get install -y tmux), so the terminal test is skipped.');

describe.concurrent('create-kv-secrets apply', { timeout: 60_000 }, () => {
  // ---- The Secrets Store CSI Driver, a fresh cluster -----------------------------------------------
  describe('a CSI app on a fresh cluster', () => {
    const csi = once(async () => {
      const sb = await ApplySandbox.create();
      const folder = await sb.generate('app', [...WORKLOAD, '--secret', 'db-password', '--secret', 'api-key:secret:api-key.txt']);
      const generated = filesOf(folder);
      const before = { state: readFileSync(sb.sb.statePath, 'utf8'), kubeconfig: readFileSync(join(sb.dir, '.kube', 'config'), 'utf8') };
      const dryRun = await sb.apply('app', { args: ['--dry-run'], stdin: 'QZX would be read\n' });
      const afterDryRun = { files: filesOf(folder), state: readFileSync(sb.sb.statePath, 'utf8'), kubeconfig: readFileSync(join(sb.dir, '.kube', 'config'), 'utf8') };
      const first = await sb.apply('app', { stdin: lines(VALUES.map(([, v]) => v)) });
      const state = sb.state();
      const filled = filesOf(folder);
      const kubeAfterFirst = sb.kube();
      const second = await sb.apply('app', { stdin: 'closed' });
      return { sb, folder, generated, before, dryRun, afterDryRun, first, state, filled, kubeAfterFirst, second, kubeAfterSecond: sb.kube() };
    });

    it('--dry-run first: checks, prints every command it would run with the values masked, and changes nothing', async ({ expect }) => {
      const { dryRun: run, generated, before, afterDryRun } = await csi();
      expect(run.code, ran(run)).toBe(0);
      expect(run.stdout.slice(run.stdout.indexOf('Would run'))).toBe(`Would run in app, in this order (--dry-run: nothing was changed):
  bash azure/setup.sh
      # values of db-password, api-key that Key Vault does not hold yet: read from stdin, one line each, sent to az through a pipe: ******
      # each of its steps looks before it changes anything; its az commands are in the script
  kubectl --context myCluster create namespace production    # missing now
  kubectl --context myCluster apply --kustomize k8s --server-side --field-manager=create-kv-secrets --dry-run=server
  kubectl --context myCluster apply --kustomize k8s --server-side --field-manager=create-kv-secrets
  kubectl --context myCluster rollout status deployment/myapp --namespace production --timeout=5m
  kubectl --context myCluster exec deployment/myapp --namespace production -- ls /mnt/secrets    # names only
`);
      expect(changes(run.calls)).toEqual([]);
      expect(run.bashArgv).toEqual([]);
      expect(run.stdout + run.stderr).not.toContain(MARKER);
      const texts = (files: ReturnType<typeof filesOf>) => [...files].map(([p, f]) => [p, f.content.toString()]);
      expect(texts(afterDryRun.files)).toEqual(texts(generated));
      expect(afterDryRun.state).toBe(before.state);
      expect(afterDryRun.kubeconfig).toBe(before.kubeconfig);
    });

    it('runs every step in order and ends with the files the pod sees', async ({ expect }) => {
      const { first } = await csi();
      expect(first.code, ran(first)).toBe(0);
      expect(steps(first)).toEqual([
        'Checking the Azure CLI and the sign-in',
        'Turning on the OIDC issuer and Workload Identity on myCluster',
        'Turning on the Secrets Store CSI Driver add-on (azure-keyvault-secrets-provider)',
        'Key Vault myapp-kv',
        'Letting you manage secrets in myapp-kv',
        'Uploading secret values that are not in myapp-kv yet',
        'Managed identity myapp-identity',
        "Federating myapp-identity with the workload's service account",
        'Granting myapp-identity read access to each object, and nothing else',
        'Writing the IDs into the generated files',
        'Done',
        'IDs in the manifests',
        'Namespace production',
        'Server-side dry run of k8s/',
        'Applying k8s/',
        'Rollout of deployment/myapp in production',
        'Files the pod of myapp sees in /mnt/secrets',
      ]);
      expect(first.stdout).toContain('\nDone: app is applied to myCluster.\n  myapp (production): the pod sees api-key.txt, db-password in /mnt/secrets\n');
      expect(first.stderr).toBe('');
    });

    it('checks before it changes: every preflight call reads, and comes before the first change', async ({ expect }) => {
      const { first } = await csi();
      const firstChange = first.calls.findIndex((c) => changes([c]).length > 0);
      // azure/setup.sh starts with its one read of the sign-in (apply hands it the az version the preflight read).
      const setupStarts = first.calls.findIndex((c) => c.program === 'az' && c.az!.command === 'account show' && c.az!.flags['--output'] === 'tsv');
      expect(first.calls.slice(setupStarts).filter((c) => c.program === 'az' && c.az!.command === 'version')).toEqual([]);
      const preflight = first.calls.slice(0, setupStarts);
      expect(firstChange).toBeGreaterThan(preflight.length - 1);
      expect(preflight.map((c) => c.line.replace(/[0-9a-f-]{36}/g, 'ID').replace(/ \/[^ ]*\/app\/k8s/, ' APP/k8s'))).toEqual([
        'az version --output=json',
        'az account show --output=json',
        'az aks show --resource-group=myRG --name=myCluster --output=json',
        'az rest --method=get --url=/subscriptions/ID/resourceGroups/myRG/providers/Microsoft.Authorization/permissions?api-version=2022-04-01 --output=json',
        'az keyvault show --name=myapp-kv --query=id --output=tsv',
        'az rest --method=post --url=/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/checkNameAvailability?api-version=2021-10-01 --body={"name":"myapp-kv","type":"Microsoft.KeyVault/vaults"} --output=json',
        'kubectl config view --minify --output json',
        'kubectl --context myCluster kustomize APP/k8s',
        'kubectl --context myCluster get namespace production --ignore-not-found --output name',
        'kubectl --context myCluster auth can-i create namespaces',
        'kubectl --context myCluster auth can-i create serviceaccounts --namespace production',
        'kubectl --context myCluster auth can-i create secretproviderclasses.secrets-store.csi.x-k8s.io --namespace production',
        'kubectl --context myCluster auth can-i create deployments.apps --namespace production',
        'kubectl --context myCluster auth can-i create pods --subresource exec --namespace production',
      ]);
    });

    it('applies server-side, after a server-side dry run, then waits for the rollout and lists the mount (names only)', async ({ expect }) => {
      const { first } = await csi();
      const kubectl = first.calls.filter((c) => c.program === 'kubectl' && !/ (config|kustomize|auth|get) /.test(c.line)).map((c) => c.line);
      expect(kubectl).toEqual([
        'kubectl --context myCluster create namespace production',
        'kubectl --context myCluster apply --kustomize k8s --server-side --field-manager=create-kv-secrets --dry-run=server',
        'kubectl --context myCluster apply --kustomize k8s --server-side --field-manager=create-kv-secrets',
        'kubectl --context myCluster rollout status deployment/myapp --namespace production --timeout=5m',
        'kubectl --context myCluster exec deployment/myapp --namespace production -- ls /mnt/secrets',
      ]);
      // azure/setup.sh ran before anything reached the cluster.
      const lastAz = first.calls.map((c) => c.program).lastIndexOf('az');
      const createNamespace = first.calls.findIndex((c) => c.line.endsWith('create namespace production'));
      expect(lastAz).toBeLessThan(createNamespace);
    });

    it('leaves the real client and tenant IDs in the folder, and applies exactly those manifests', async ({ expect }) => {
      const { first, state, generated, filled, kubeAfterFirst } = await csi();
      expect(first.code, ran(first)).toBe(0);
      const identity = state.identities['myRG/myapp-identity'];
      const tenantId = state.vaults['myapp-kv'].properties.tenantId as string;
      expect(identity.clientId).toMatch(UUID);
      const text = (path: string) => filled.get(path)!.content.toString('utf8');
      const held = [...generated].filter(([, f]) => f.content.toString().includes(PLACEHOLDERS.clientId)).map(([p]) => p).sort();
      expect(held).toEqual(['azure/setup.sh', 'k8s/secretproviderclass.yaml', 'k8s/serviceaccount.yaml', 'kv-secrets.yaml']);
      const placeholder = (f: { content: Buffer }) => f.content.toString().includes(PLACEHOLDERS.clientId) || f.content.toString().includes(PLACEHOLDERS.tenantId);
      expect([...filled].filter(([, f]) => placeholder(f)).map(([p]) => p)).toEqual([]);
      expect(parse(text('k8s/serviceaccount.yaml')).metadata.annotations).toEqual({
        'azure.workload.identity/client-id': identity.clientId, 'azure.workload.identity/tenant-id': tenantId,
      });
      expect(parse(text('k8s/secretproviderclass.yaml')).spec.parameters).toMatchObject({ clientID: identity.clientId, tenantID: tenantId });
      expect(parse(text('kv-secrets.yaml'))).toMatchObject({ clientId: identity.clientId, tenantId });
      const applied = kubeAfterFirst.objects['ServiceAccount/production/myapp-sa'];
      expect(applied.metadata.annotations['azure.workload.identity/client-id']).toBe(identity.clientId);
      expect(Object.values(kubeAfterFirst.objects).map((o: any) => `${o.kind} ${o.fieldManager}`).sort()).toEqual([
        'Deployment create-kv-secrets', 'SecretProviderClass create-kv-secrets', 'ServiceAccount create-kv-secrets',
      ]);
    });

    it('never puts a secret value in an argument, an environment, the output or a file; Key Vault holds each byte for byte', async ({ expect }) => {
      const { sb, first, second, state } = await csi();
      expect(first.code, ran(first)).toBe(0);
      for (const [name, value] of VALUES) expect(stored(state, 'myapp-kv', name), name).toBe(value);
      const leaks = (text: string) => text.includes(MARKER) || VALUES.some(([, v]) => text.includes(v.trim()));
      for (const run of [first, second]) {
        expect(run.calls.length).toBeGreaterThan(20);
        expect(run.calls.filter((c) => leaks(c.argv.join('\0'))).map((c) => c.line)).toEqual([]);
        expect(run.bashArgv).toEqual([['azure/setup.sh']]);
        expect(run.envs.length).toBe(run.calls.length + 1);
        expect(run.envs.flatMap((env) => Object.entries(env).filter(([k, v]) => leaks(k) || leaks(v)))).toEqual([]);
        expect(leaks(run.stdout) || leaks(run.stderr), run.stdout + run.stderr).toBe(false);
      }
      // Every file in the sandbox: the folder, ~/.kube, the call logs; only the emulated Key Vault holds them.
      const files = [...filesOf(sb.dir)].filter(([path]) => path !== 'state.json');
      expect(files.length).toBeGreaterThan(15);
      expect(files.filter(([, f]) => leaks(f.content.toString('utf8'))).map(([path]) => path)).toEqual([]);
      expect(files.map(([path]) => path).filter((p) => /PWNED/.test(p))).toEqual([]);
    });

    it('a second run, stdin closed, changes nothing in Azure and re-applies the same manifests', async ({ expect }) => {
      const { second, filled, folder, kubeAfterFirst, kubeAfterSecond } = await csi();
      expect(second.code, ran(second)).toBe(0);
      expect(changes(second.calls).map((c) => c.line)).toEqual(['kubectl --context myCluster apply --kustomize k8s --server-side --field-manager=create-kv-secrets']);
      expect(kubeAfterSecond).toEqual(kubeAfterFirst);
      const texts = (files: typeof filled) => [...files].map(([p, f]) => [p, f.content.toString()]);
      expect(texts(filesOf(folder))).toEqual(texts(filled));
      expect(second.stdout).toContain('db-password: already in the vault');
    });
  });

  // ---- The External Secrets Operator, generated and applied in one go ---------------------------------
  describe('a legacy app (External Secrets Operator), generated with --apply', () => {
    const eso = once(async () => {
      const sb = await ApplySandbox.create();
      const run = await sb.run([...WORKLOAD, '--app-kind', 'legacy', '--secret', 'db-password', '--secret', 'api-key', '--out', 'legacy', '--apply'], {
        stdin: lines(['QZX db', 'QZX api']),
      });
      return { sb, run, state: sb.state(), kube: sb.kube() };
    });

    it('generates, then applies: helm installs the pinned chart, the ExternalSecret becomes Ready, the rollout completes', async ({ expect }) => {
      const { run, kube } = await eso();
      expect(run.code, ran(run)).toBe(0);
      expect(run.stdout).toMatch(/^Generated legacy: External Secrets Operator\n/);
      expect(run.calls.filter((c) => c.program === 'helm').map((c) => c.line)).toEqual([
        'helm version --short',
        'helm status external-secrets --namespace external-secrets',
        'helm repo add external-secrets https://charts.external-secrets.io',
        'helm repo update external-secrets',
        'helm upgrade --install external-secrets external-secrets/external-secrets --namespace external-secrets --create-namespace --version 2.9.0 --wait',
      ]);
      expect(kube.releases['external-secrets/external-secrets']).toMatchObject({ version: '2.9.0' });
      expect(kubectlCalls(run, 'wait').map((c) => c.line)).toEqual([
        'kubectl --context myCluster wait externalsecret --selector app.kubernetes.io/name=myapp --namespace production --for=condition=Ready --timeout=2m',
      ]);
      expect(run.stdout).toContain('externalsecret.external-secrets.io/myapp-secrets condition met');
      expect(run.stdout).toContain('deployment "myapp" successfully rolled out');
      expect(run.stdout).toContain('\nDone: legacy is applied to myCluster.\n  myapp (production): ExternalSecrets Ready, deployment rolled out\n');
    });

    it('federates the service account the store signs in as, and the applied store reads the real IDs', async ({ expect }) => {
      const { state, kube } = await eso();
      const identity = state.identities['myRG/myapp-identity'];
      expect(state.federatedCredentials['myRG/myapp-identity'].map((c: any) => c.subject)).toEqual(['system:serviceaccount:production:myapp-sa']);
      expect(kube.objects['ServiceAccount/production/myapp-sa'].metadata.annotations['azure.workload.identity/client-id']).toBe(identity.clientId);
      expect(kube.objects['SecretStore/production/myapp-keyvault'].spec.provider.azurekv.serviceAccountRef).toEqual({ name: 'myapp-sa' });
      expect(stored(state, 'myapp-kv', 'db-password')).toBe('QZX db');
    });
  });

  // ---- Several apps from one config: a shared ClusterSecretStore first ------------------------------
  it('several apps: the shared folder first, every folder checked by a dry run before any is applied, each verified', async ({ expect }) => {
    const sb = await ApplySandbox.create();
    writeFileSync(join(sb.dir, 'platform.yaml'), `apiVersion: create-kv-secrets/v1
vault: platform-kv
identity: platform-workloads
resourceGroup: myRG
cluster: myCluster
apps:
  - app: web
    namespace: web
    secrets: [db-password]
  - app: billing
    namespace: billing
    appKind: legacy
    secrets: [db-password, stripe-key]
  - app: reports
    namespace: reports
    appKind: legacy
    secrets: [db-password]
`);
    await sb.generate('platform', ['--yes', '--config', join(sb.dir, 'platform.yaml')]);
    const run = await sb.apply('platform', { stdin: lines(['QZX db', 'QZX stripe']) });
    expect(run.code, ran(run)).toBe(0);
    const applies = kubectlCalls(run, 'apply').map((c) => `${c.argv[4]}${c.argv.includes('--dry-run=server') ? ' (dry run)' : ''}`);
    expect(applies).toEqual([
      'shared/k8s (dry run)', 'web/k8s (dry run)', 'billing/k8s (dry run)', 'reports/k8s (dry run)',
      'shared/k8s', 'web/k8s', 'billing/k8s', 'reports/k8s',
    ]);
    expect(kubectlCalls(run, 'create', 'namespace').map((c) => c.argv.at(-1))).toEqual(['web', 'billing', 'reports']);
    expect(run.stdout).toContain('  web (web): the pod sees db-password in /mnt/secrets\n');
    expect(run.stdout).toContain('  billing (billing): ExternalSecrets Ready, deployment rolled out\n');
    expect(run.stdout).toContain('  reports (reports): ExternalSecrets Ready, deployment rolled out\n');
    expect(sb.kube().objects['ClusterSecretStore//platform-kv']).toBeDefined();
  });

  // ---- At a terminal: a run in tmux, with no kubectl context yet ----------------------------------
  describe.skipIf(!HAS_TMUX)('at a terminal (tmux)', () => {
    it('offers az aks get-credentials, hands the terminal to the hidden prompt, and shows a spinner per step', { timeout: 60_000 }, async ({ expect }) => {
      const sb = await ApplySandbox.create(undefined, { credentials: false });
      await sb.generate('app', ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster', '--secret', 'db-password']);
      const exitFile = join(sb.dir, 'exit');
      const env = sb.env({ STANDIN_LOG: join(sb.dir, 'tty.calls.jsonl'), PATH: `${STAND_INS}:${process.env.PATH ?? ''}` });
      const assignments = ['PATH', 'HOME', 'STANDIN_STATE', 'STANDIN_LOG', 'KV_SECRETS_RETRY_DELAYS'].map((k) => `${k}=${quote(env[k] ?? '')}`).join(' ');
      const command = `cd ${quote(sb.dir)} && env -u CI -u KUBECONFIG ${assignments} ${quote(process.execPath)} ${quote(cliBundle())} apply app; echo $? > ${quote(exitFile)}; sleep 60`;
      tmux('new-session', '-d', '-s', 'apply', '-x', '200', '-y', '50', command);
      const screen = () => tmux('capture-pane', '-p', '-S', '-200', '-t', 'apply');
      const see = async (text: string) => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const now = screen();
          if (now.includes(text)) return now;
          if (Date.now() > deadline) throw new Error(`the terminal never showed ${JSON.stringify(text)}; it shows:\n${now}`);
          await sleep(100);
        }
      };

      const offer = await see('Run `az aks get-credentials --resource-group=myRG --name=myCluster` now?');
      expect(offer).toContain('  ✗ kubectl has no current context\n');
      tmux('send-keys', '-t', 'apply', 'Enter');

      const prompt = await see('Value for db-password (hidden, Enter to finish):');
      // The spinner stopped for the prompt, below the step it belongs to: nothing drawn over either.
      expect(prompt).toContain('\n  ▸ Uploading secret values that are not in myapp-kv yet\n    Value for db-password (hidden, Enter to finish):');
      tmux('send-keys', '-t', 'apply', '-l', TYPED);
      tmux('send-keys', '-t', 'apply', 'Enter');

      const deadline = Date.now() + 30_000;
      while (!existsSync(exitFile) || readFileSync(exitFile, 'utf8').trim() === '') {
        if (Date.now() > deadline) throw new Error(`apply never ended; the terminal shows:\n${screen()}`);
        await sleep(100);
      }
      const end = screen();
      expect(Number(readFileSync(exitFile, 'utf8').trim()), end).toBe(0);
      expect(end).toContain('  ✓ kubectl context myCluster leads to myCluster');
      expect(end).toContain('  ▸ Uploading secret values that are not in myapp-kv yet\n    Value for db-password (hidden, Enter to finish):\n  ✓ Uploading secret values that are not in myapp-kv yet\n      db-password: uploaded.\n');
      expect(end).toContain('  ✓ Files the pod of myapp sees in /mnt/secrets\n      db-password\n');
      expect(end).toContain('Done: app is applied to myCluster.');
      expect(end).not.toMatch(SPINNER);
      expect(end).not.toContain('QZX');
      const state = sb.state();
      expect(Buffer.from(state.vaultData['myapp-kv'].secrets['db-password'].valueBase64, 'base64').toString()).toBe(TYPED);
      expect(readFileSync(join(sb.dir, 'tty.calls.jsonl'), 'utf8')).not.toContain('QZX');
      expect([...filesOf(join(sb.dir, 'app'))].filter(([, f]) => f.content.toString().includes('QZX'))).toEqual([]);
    });
  });
});

// ---- Usage: refused before anything runs -------------------------------------------------------------
describe('create-kv-secrets apply: usage', () => {
  async function cli(argv: string[], cwd: string) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, isInteractive: false });
    return { code, stdout, stderr };
  }

  it('a folder without kv-secrets.yaml, field flags, two folders, and --apply with --dry-run are usage errors (exit 2)', async ({ expect }) => {
    const sb = await Sandbox.create();
    await sb.generate('app', [...WORKLOAD, '--secret', 'db-password']);
    const none = await cli(['apply'], sb.dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('. holds no kv-secrets.yaml: apply runs a folder generated by create-kv-secrets');
    const flags = await cli(['apply', 'app', '--vault', 'other-kv'], sb.dir);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain("the answers come from the folder's kv-secrets.yaml");
    expect((await cli(['apply', 'app', 'more'], sb.dir)).stderr).toContain('apply takes one folder');
    const both = await cli([...WORKLOAD, '--secret', 'db-password', '--out', 'x', '--apply', '--dry-run'], sb.dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--apply runs what it generates, so it does not go with --dry-run');
  });

  it('apply --help explains the command', async ({ expect }) => {
    const help = await cli(['apply', '--help'], '/');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^create-kv-secrets apply: run a generated folder/);
    expect(help.stdout).toContain('--dry-run');
  });
});

