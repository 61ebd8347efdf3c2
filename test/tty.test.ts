/**
 * The BUILT command in a real pseudo-terminal (tmux), as a person runs `npx create-kv-secrets`:
 * the whole walk for a legacy app, with a stand-in az on the PATH, and Ctrl-C halfway. Needs tmux
 * (CI: `apt-get install -y tmux`); without it these tests are skipped and say so. Run `npx tsc -p .`
 * after changing src/ (npm test builds first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STAND_INS, Sandbox } from './support/standin-harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'create-kv-secrets.cjs');
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `kv-tty-${process.pid}`;

const STAND_IN_AZ = `#!/bin/sh
case "$1 $2" in
  "account list") echo '[{"id":"11111111-2222-3333-4444-555555555555","name":"Production","tenantId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","isDefault":true}]' ;;
  "group list") echo '[{"name":"rg-legacy","location":"westeurope"}]' ;;
  "aks list") echo '[{"name":"aks-legacy","resourceGroup":"rg-legacy","location":"westeurope"}]' ;;
  "keyvault list") echo '[]' ;;
  *) exit 2 ;;
esac
`;
const NO_AZ = '#!/bin/sh\nexit 127\n';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

let scratch: string;

/** A pane running the built command in a fresh folder, with `az` as given; its exit code lands in a file beside it. */
class Pane {
  readonly dir: string;
  private readonly exitFile: string;

  constructor(readonly name: string, az: string, args: string[] = []) {
    const root = join(scratch, name);
    this.dir = join(root, 'work');
    const bin = join(root, 'bin');
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(bin);
    writeFileSync(join(bin, 'az'), az);
    chmodSync(join(bin, 'az'), 0o755);
    this.exitFile = join(root, 'exit');
    const command = `cd ${quote(this.dir)} && env -u CI PATH=${quote(`${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`)} ${quote(process.execPath)} ${quote(BIN)}${args.map((a) => ` ${quote(a)}`).join('')}; echo $? > ${quote(this.exitFile)}; sleep 60`;
    tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '50', command);
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.name);
  }

  async see(predicate: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = this.screen();
      if (predicate(now)) return now;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${what}; it shows:\n${now}`);
      await sleep(25);
    }
  }

  /** Waits until `question` is the active prompt (a line `? question…`), then sends the keys. */
  async answer(question: string, ...keys: string[]): Promise<string> {
    const shown = await this.see((s) => s.split('\n').some((l) => l.startsWith(`? ${question}`)), `the question ${JSON.stringify(question)}`);
    for (const key of keys) {
      if (/^(Enter|Down|Up|C-c|Escape)$/.test(key)) tmux('send-keys', '-t', this.name, key);
      else tmux('send-keys', '-t', this.name, '-l', '--', key);
    }
    return shown;
  }

  async exitCode(): Promise<number> {
    const deadline = Date.now() + 10_000;
    while (!existsSync(this.exitFile) || readFileSync(this.exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error(`the command never ended; the terminal shows:\n${this.screen()}`);
      await sleep(25);
    }
    return Number(readFileSync(this.exitFile, 'utf8').trim());
  }
}

if (!HAS_TMUX) {
  console.warn('test/tty.test.ts: tmux is not installed (apt-get install -y tmux), so the real-terminal tests are skipped.');
  describe('in a real terminal', () => {
    it.skip('needs tmux, which is not installed (apt-get install -y tmux): skipped', () => {});
  });
} else {
  describe('in a real terminal', () => {
    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'kv-tty-'));
    });
    afterAll(() => {
      Sandbox.removeAll();
      spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
      rmSync(scratch, { recursive: true, force: true });
    });

    it('walks a legacy app through the tree with what az sees, reviews, and writes the folder', async () => {
      const pane = new Pane('legacy', STAND_IN_AZ);
      await pane.answer('Name of the workload', 'billing', 'Enter');
      await pane.answer('Kubernetes namespace of the workload', 'finance', 'Enter');
      await pane.answer('Which Deployment gets the secrets', 'Enter');
      await pane.answer('Container image of the workload', 'reg.io/billing:7', 'Enter');
      await pane.answer('Can the app read its secrets from files?', 'Down', 'Enter');
      await pane.answer('How does the app take its secrets?', 'Enter');
      await pane.answer('Subscription to work in', 'Enter');
      await pane.answer('Entra tenant of the vault', 'Enter');
      const groups = await pane.answer('Resource group of the cluster', 'Enter');
      expect(groups).toContain('rg-legacy (westeurope)');
      await pane.answer('AKS cluster name', 'Enter');
      await pane.answer('Azure region for new resources', 'Enter');
      await pane.answer('Use a vault that exists', 'Enter');
      await pane.answer('Key Vault name', 'Enter');
      await pane.answer('User-assigned managed identity', 'Enter');
      await pane.answer('Name of a Key Vault object the app needs', 'db-password', 'Enter');
      await pane.answer('Type of db-password', 'Enter');
      await pane.answer('Env var name for db-password', 'Enter');
      await pane.answer('Add another Key Vault object?', 'Enter');
      await pane.answer('Does an ingress serve the app over HTTPS', 'Enter');
      await pane.answer('Keep delivered values in step with Key Vault?', 'Enter');
      await pane.answer('How often the External Secrets Operator refreshes', 'Enter');
      await pane.answer('Folder to generate into', 'Enter');
      const review = await pane.answer('Generate the folder?');
      expect(review).toContain('⇒ External Secrets Operator');
      expect(review).toContain('--secret              db-password  → env var DB_PASSWORD from Secret billing-secrets');
      tmux('send-keys', '-t', pane.name, 'Enter');
      expect(await pane.exitCode()).toBe(0);
      const end = pane.screen();
      expect(end).toContain('Generated billing-kv-secrets: External Secrets Operator');
      // Started as `node <clone>/bin/create-kv-secrets.cjs` from elsewhere: the command names that path.
      expect(end).toContain(`node ${BIN} billing-kv-secrets --yes`);

      const folder = join(pane.dir, 'billing-kv-secrets');
      expect(readdirSync(join(folder, 'k8s')).sort()).toEqual(['deployment.yaml', 'externalsecret.yaml', 'kustomization.yaml', 'secretstore.yaml', 'serviceaccount.yaml']);
      expect(parse(readFileSync(join(folder, 'kv-secrets.yaml'), 'utf8'))).toMatchObject({
        app: 'billing', namespace: 'finance', image: 'reg.io/billing:7', appKind: 'legacy', legacyReads: 'env',
        subscription: '11111111-2222-3333-4444-555555555555', tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        resourceGroup: 'rg-legacy', cluster: 'aks-legacy', secrets: [{ name: 'db-password', type: 'secret' }],
      });
    });

    it('offers the SDK path as the advanced third answer, with its reason, and asks nothing of delivery', async () => {
      const pane = new Pane('sdk', STAND_IN_AZ);
      await pane.answer('Name of the workload', 'orders', 'Enter');
      await pane.answer('Kubernetes namespace of the workload', 'Enter');
      await pane.answer('Which Deployment gets the secrets', 'Enter');
      await pane.answer('Container image of the workload', 'Enter');
      await pane.answer('Can the app read its secrets from files?', 'Down', 'Down');
      const offered = await pane.see((s) => s.includes('❯ It calls Key Vault itself, through the Azure SDK (advanced'), 'the SDK choice selected');
      expect(offered).toContain('Nothing secret is on disk or in the cluster at all');
      tmux('send-keys', '-t', pane.name, 'Enter');
      await pane.answer('Subscription to work in', 'Enter');
      await pane.answer('Entra tenant of the vault', 'Enter');
      await pane.answer('Resource group of the cluster', 'Enter');
      const outcome = await pane.answer('AKS cluster name', 'Enter');
      expect(outcome).toContain('⇒ Azure SDK in the app');
      await pane.answer('Azure region for new resources', 'Enter');
      await pane.answer('Use a vault that exists', 'Enter');
      await pane.answer('Key Vault name', 'Enter');
      await pane.answer('User-assigned managed identity', 'Enter');
      await pane.answer('Name of a Key Vault object the app needs', 'db-password', 'Enter');
      await pane.answer('Type of db-password', 'Enter');
      // No alias (the app asks for the object by its name) and no rotation question.
      await pane.answer('Add another Key Vault object?', 'Enter');
      await pane.answer('Does an ingress serve the app over HTTPS', 'Enter');
      await pane.answer('Folder to generate into', 'Enter');
      const review = await pane.answer('Generate the folder?');
      expect(review).toContain('--secret              db-password  → read by the app from https://orders-kv.vault.azure.net as db-password');
      expect(review).not.toContain('--rotation');
      tmux('send-keys', '-t', pane.name, 'Enter');
      expect(await pane.exitCode()).toBe(0);
      expect(pane.screen()).toContain('Generated orders-kv-secrets: Azure SDK in the app');
      const folder = join(pane.dir, 'orders-kv-secrets');
      expect(readdirSync(join(folder, 'k8s')).sort()).toEqual(['deployment.yaml', 'kustomization.yaml', 'serviceaccount.yaml']);
      expect(parse(readFileSync(join(folder, 'kv-secrets.yaml'), 'utf8'))).toMatchObject({ app: 'orders', appKind: 'sdk', secrets: [{ name: 'db-password', type: 'secret' }] });
    });

    it('adopts an existing Deployment: its name and container instead of an image; writes the patch and Helm values', async () => {
      const pane = new Pane('existing', STAND_IN_AZ);
      await pane.answer('Name of the workload', 'shop', 'Enter');
      await pane.answer('Kubernetes namespace of the workload', 'store', 'Enter');
      await pane.answer('Which Deployment gets the secrets', 'Down', 'Enter');
      await pane.answer('Name of your Deployment that gets the secrets', 'shop-web', 'Enter');
      await pane.answer('Container of that Deployment that reads the secrets', 'web', 'Enter');
      await pane.answer('Can the app read its secrets from files?', 'Enter');
      await pane.answer('Subscription to work in', 'Enter');
      await pane.answer('Entra tenant of the vault', 'Enter');
      await pane.answer('Resource group of the cluster', 'Enter');
      await pane.answer('AKS cluster name', 'Enter');
      await pane.answer('Azure region for new resources', 'Enter');
      await pane.answer('Use a vault that exists', 'Enter');
      await pane.answer('Key Vault name', 'Enter');
      await pane.answer('User-assigned managed identity', 'Enter');
      await pane.answer('Name of a Key Vault object the app needs', 'db-password', 'Enter');
      await pane.answer('Type of db-password', 'Enter');
      await pane.answer('File name under /mnt/secrets for db-password', 'Enter');
      await pane.answer('Add another Key Vault object?', 'Enter');
      await pane.answer('Keep delivered values in step with Key Vault?', 'Enter');
      await pane.answer('How often the CSI driver polls Key Vault', 'Enter');
      await pane.answer('Folder to generate into', 'Enter');
      const review = await pane.answer('Generate the folder?');
      expect(review).toMatch(/--workload\s+existing/);
      expect(review).toMatch(/--deployment\s+shop-web/);
      expect(review).not.toContain('--image');
      tmux('send-keys', '-t', pane.name, 'Enter');
      expect(await pane.exitCode()).toBe(0);
      expect(pane.screen()).toContain('add k8s/ to the kustomization of Deployment shop-web as a component');
      const folder = join(pane.dir, 'shop-kv-secrets');
      expect(readdirSync(join(folder, 'k8s')).sort()).toEqual(['deployment-patch.yaml', 'helm-values.yaml', 'kustomization.yaml', 'secretproviderclass.yaml', 'serviceaccount.yaml']);
      expect(parse(readFileSync(join(folder, 'k8s', 'deployment-patch.yaml'), 'utf8'))).toMatchObject({
        metadata: { name: 'shop-web' },
        spec: { template: { spec: { serviceAccountName: 'shop-sa', containers: [{ name: 'web' }] } } },
      });
    });

    it('changes how the vault is reached at the review, then asks for the subnet a private vault needs, checked like the flag', async () => {
      const given = [
        '--app', 'ledger', '--namespace', 'default', '--workload', 'demo', '--app-kind', 'new', '--no-rotation', '--resource-group', 'rg-legacy',
        '--cluster', 'aks-legacy', '--location', 'westeurope', '--subscription', '11111111-2222-3333-4444-555555555555',
        '--tenant-id', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', '--existing-vault', '--vault', 'led-kv', '--identity', 'led-id', '--secret', 'db', '--ingress', 'none',
      ];
      const pane = new Pane('network', STAND_IN_AZ, given);
      await pane.answer('Container image of the workload', 'Enter');
      await pane.answer('Folder to generate into', 'Enter');
      const first = await pane.answer('Generate the folder?', 'Down', 'Enter');
      expect(first).toContain('--vault-network       public   (default)');
      await pane.answer('Change which answer?');
      // The list pages: move down until the answer is selected.
      for (let i = 0; i < 40 && !pane.screen().includes('❯ --vault-network'); i++) {
        tmux('send-keys', '-t', pane.name, 'Down');
        await sleep(100);
      }
      await pane.see((s) => s.includes('❯ --vault-network'), '--vault-network selected');
      tmux('send-keys', '-t', pane.name, 'Enter');
      await pane.answer('How the vault is reached', 'Down', 'Enter');
      const subnet = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe';
      await pane.answer('Resource ID of the subnet the vault', 'vnet/pe', 'Enter');
      await pane.see((s) => s.includes('must be a subnet resource ID'), 'the rule of --private-endpoint-subnet');
      for (let i = 0; i < 'vnet/pe'.length; i++) tmux('send-keys', '-t', pane.name, 'BSpace');
      tmux('send-keys', '-t', pane.name, '-l', subnet);
      tmux('send-keys', '-t', pane.name, 'Enter');
      const review = await pane.see((s) => s.includes('--vault-network       private') && s.includes('? Generate the folder?'), 'the review with a private vault');
      expect(review).not.toContain('--egress-ip');
      tmux('send-keys', '-t', pane.name, 'Enter');
      expect(await pane.exitCode()).toBe(0);
      expect(parse(readFileSync(join(pane.dir, 'ledger-kv-secrets', 'kv-secrets.yaml'), 'utf8'))).toMatchObject({ vaultNetwork: 'private', privateEndpointSubnet: subnet });
    });

    it("checks a new vault's name with the stand-in az: a taken default gives way to a free variant, a typed taken name is refused inline", async () => {
      const sb = await Sandbox.create((state) => { state.takenVaultNames = ['pay-kv', 'pay-kv-2', 'shared-kv']; });
      const { subscriptionId, tenantId } = sb.state() as { subscriptionId: string; tenantId: string };
      const az = `#!/bin/sh\nSTANDIN_STATE=${quote(sb.statePath)} exec ${quote(process.execPath)} ${quote(join(STAND_INS, 'az'))} "$@"\n`;
      const given = [
        '--app', 'pay', '--namespace', 'default', '--workload', 'demo', '--image', 'reg.io/pay:1', '--app-kind', 'new', '--no-rotation',
        '--resource-group', 'myRG', '--cluster', 'myCluster', '--location', 'eastus', '--subscription', subscriptionId, '--tenant-id', tenantId,
        '--no-existing-vault', '--identity', 'pay-id', '--secret', 'db', '--ingress', 'none',
      ];
      const pane = new Pane('vaultname', az, given);
      const offered = await pane.answer('Key Vault name (pay-kv-3)', 'shared-kv', 'Enter');
      expect(offered.replace(/\n {2,}/g, ' ')).toContain("The vault name pay-kv is taken (The vault name 'pay-kv' is already in use.");
      expect(offered).toContain('pay-kv-3 is free, and offered instead.');
      const refused = await pane.see((s) => s.includes('> shared-kv is taken'), 'the taken name refused');
      expect(refused.replace(/\n/g, '')).toContain('shared-kv-2 is free: type it, or another name');
      await pane.answer('Key Vault name', '-2', 'Enter');
      const checked = await pane.answer('Folder to generate into', 'Enter');
      expect(checked.replace(/\n\s+/g, ' ')).toContain('Checked with az: the name shared-kv-2 is free: azure/setup.sh will create the vault.');
      await pane.answer('Generate the folder?', 'Enter');
      expect(await pane.exitCode()).toBe(0);
      expect(parse(readFileSync(join(pane.dir, 'pay-kv-secrets', 'kv-secrets.yaml'), 'utf8'))).toMatchObject({ vault: 'shared-kv-2' });
      // Only reads: the walk created nothing in Azure.
      expect(sb.state().vaults).toEqual({});
    });

    it('Ctrl-C halfway exits 130, writes nothing and prints no stack trace', async () => {
      const pane = new Pane('cancel', NO_AZ);
      await pane.answer('Name of the workload', 'billing', 'Enter');
      await pane.answer('Kubernetes namespace of the workload', 'fin');
      tmux('send-keys', '-t', pane.name, 'C-c');
      expect(await pane.exitCode()).toBe(130);
      const end = pane.screen();
      expect(end).toContain('create-kv-secrets: cancelled; nothing written.');
      expect(end).not.toMatch(/^\s+at /m);
      expect(readdirSync(pane.dir)).toEqual([]);
    });
  });
}
