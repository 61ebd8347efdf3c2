/**
 * The interactive walk, driven through its real prompts on @inquirer/testing's virtual screen, as
 * `main` runs it for a person at a terminal: both branches of the decision tree, az suggestions,
 * inline validation with the flags' own messages, the review, cancelling, and when nothing prompts.
 */
// Before anything that loads the prompts: it replaces them with ones drawn on a virtual screen.
import { screen } from '@inquirer/testing/vitest';
import type { Screen } from '@inquirer/testing/vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/main.js';
import { parseArgv } from '../src/cli/options.js';
import type { AzureLookups } from '../src/prompt/index.js';
import { FIELDS, buildSpec, fieldByKey, keyVaultObjectName } from '../src/spec/index.js';

// ---- driving the walk ---------------------------------------------------------------------------

const NO_AZ: AzureLookups = {
  subscriptions: async () => [],
  resourceGroups: async () => [],
  clusters: async () => [],
  vaults: async () => [],
  vaultName: async () => ({ status: 'unchecked' }),
};

/** What a signed-in az might see: two subscriptions, two groups, a cluster in each, two vaults. */
const SOME_AZ: AzureLookups = {
  subscriptions: async () => [
    { id: '11111111-2222-3333-4444-555555555555', name: 'Production', tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', isDefault: true },
    { id: '66666666-7777-8888-9999-000000000000', name: 'Staging', tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', isDefault: false },
  ],
  resourceGroups: async () => [
    { name: 'rg-pay', location: 'westeurope' },
    { name: 'rg-shop', location: 'eastus' },
  ],
  clusters: async () => [
    { name: 'aks-pay', resourceGroup: 'rg-pay', location: 'westeurope' },
    { name: 'aks-shop', resourceGroup: 'rg-shop', location: 'eastus' },
  ],
  vaults: async () => [
    { name: 'shared-kv', resourceGroup: 'rg-platform', location: 'westeurope' },
    { name: 'pay-kv', resourceGroup: 'rg-pay', location: 'westeurope' },
  ],
  vaultName: async (name) => ({ status: 'usable', note: `the name ${name} is free: azure/setup.sh will create the vault` }),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Key = string | { key: string; ctrl?: boolean };
const ENTER: Key = { key: 'enter' };
const DOWN: Key = { key: 'down' };
const BACKSPACE: Key = { key: 'backspace' };
const ESCAPE: Key = { key: 'escape' };
const CTRL_C: Key = { key: 'c', ctrl: true };

class Driver {
  /** Every question asked, in order (the message of each prompt as it first showed). */
  readonly asked: string[] = [];

  constructor(private readonly screen: Screen) {}

  /** Waits until the active prompt shows `text` (the question, an error…), then returns the screen. */
  async see(text: string, timeoutMs = 3000, atStart = false): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = this.screen.getScreen();
      if (atStart ? now.startsWith(text) : now.includes(text)) return now;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${JSON.stringify(text)}; it shows:\n${now}`);
      await sleep(2);
    }
  }

  press(...keys: Key[]): void {
    for (const key of keys) {
      if (typeof key === 'string') this.screen.type(key);
      else this.screen.keypress(key.ctrl ? { name: key.key, ctrl: true } : key.key);
    }
  }

  /** Waits for the question (an active prompt: `? question`), then presses the keys. */
  async answer(question: string, ...keys: Key[]): Promise<string> {
    // An active prompt's screen starts with its question; an answered one starts with ✔.
    const shown = await this.see(`? ${question}`, 3000, true);
    this.asked.push(question);
    this.press(...keys);
    return shown;
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temporary folder to run in; removed by the returned function. */
function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kv-prompt-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts `main` as a person at a terminal would run it (no CI), with the virtual screen's keys. */
function startInteractive(argv: string[], cwd: string, io: Partial<Io> = {}): { done: Promise<Run>; output: () => string } {
  let stdout = '';
  let stderr = '';
  const done = main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    isInteractive: true,
    env: {},
    terminal: { input: screen.input },
    azure: NO_AZ,
    ...io,
  }).then((code) => ({ code, stdout, stderr }));
  return { done, output: () => stdout };
}

/** The same command with no terminal: what a flag is refused with. */
async function runNonInteractive(argv: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

// ---- the tests --------------------------------------------------------------------------------

let cwd: string;
let remove: () => void;
let drive: Driver;

beforeEach(() => {
  ({ dir: cwd, remove } = scratchDir());
  drive = new Driver(screen);
});
afterEach(() => remove());

function answers(folder: string): Record<string, unknown> {
  return parse(readFileSync(join(cwd, folder, 'kv-secrets.yaml'), 'utf8')) as Record<string, unknown>;
}

/** Splits the printed command (lines joined by ` \`) as a POSIX shell would. */
function shellSplit(command: string): string[] {
  return execFileSync('bash', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

/** The "same without questions" command must rebuild the very answers the walk wrote, and paste as it is. */
function expectEquivalentCommand(stdout: string, folder: string): void {
  const lines = stdout.slice(stdout.indexOf('The same without questions:\n')).split('\n').slice(1);
  const command = lines.slice(0, lines.findIndex((l) => !l.endsWith(' \\')) + 1);
  expect(command[0], stdout).toMatch(/^ {2}create-kv-secrets /);
  for (const line of command) expect(line.length, line).toBeLessThanOrEqual(100);
  const [, dir, ...argv] = shellSplit(command.join('\n').trim());
  expect(dir).toBe(folder);
  expect(argv[0]).toBe('--yes');
  const built = buildSpec(parseArgv(argv).input);
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  const written = answers(folder);
  for (const [key, value] of Object.entries(built.spec)) {
    // A key only the other approach reads is left out of the answers file.
    if (written[key] === undefined && FIELDS.find((f) => f.key === key)?.only !== undefined) continue;
    expect(written[key], key).toEqual(value);
  }
}

describe('the walk for a new app (Secrets Store CSI Driver)', () => {
  it('asks app, decision, Azure, secrets, rotation and folder in that order, then writes after the review', async () => {
    const run = startInteractive([], cwd);
    await drive.answer('Name of the workload', 'web', ENTER);
    await drive.answer('Kubernetes namespace of the workload', 'shop', ENTER);
    await drive.answer('Which Deployment gets the secrets', ENTER);
    await drive.answer('Container image of the workload', ENTER);
    const tree = await drive.answer('Can the app read its secrets from files?', ENTER);
    // Each choice carries the guide's reason; the highlighted one shows it.
    expect(tree).toContain('The CSI driver mounts Key Vault secrets as files, so they never exist as Kubernetes objects.');
    await drive.answer('Resource group of the cluster', 'rg-web', ENTER);
    await drive.answer('AKS cluster name', 'aks1', ENTER);
    await drive.answer("Azure region for new resources (empty: the resource group's)", ENTER);
    await drive.answer('Use a vault that exists', ENTER);
    await drive.answer('Key Vault name', ENTER);
    await drive.answer('User-assigned managed identity', ENTER);
    await drive.answer('Name of a Key Vault object the app needs', 'db-password', ENTER);
    await drive.answer('Type of db-password', ENTER);
    await drive.answer('File name under /mnt/secrets for db-password', ENTER);
    await drive.answer('Add another Key Vault object?', 'y', ENTER);
    await drive.answer('Name of a Key Vault object the app needs', 'tls-cert', ENTER);
    await drive.answer('Type of tls-cert', DOWN, DOWN, ENTER);
    await drive.answer('File name under /mnt/secrets for tls-cert', 'tls', ENTER);
    await drive.answer('Add another Key Vault object?', ENTER);
    await drive.answer('Does an ingress serve the app over HTTPS', ENTER);
    await drive.answer('Keep delivered values in step with Key Vault?', ENTER);
    await drive.answer('How often the CSI driver polls Key Vault', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout, stderr } = await run.done;
    expect(stderr).toBe('');
    expect(code).toBe(0);

    // The guide's reasons were taught along the way.
    expect(stdout.replace(/\s+/g, ' ')).toContain('Pod → Workload Identity → Managed Identity → Key Vault RBAC → Secret');
    expect(stdout).toContain('⇒ Secrets Store CSI Driver');
    expect(stdout).toContain('Values are never asked here');
    // No az here: said once, at the first Azure question.
    expect(stdout.split('No Azure lists to pick from: az is not installed or not signed in').length).toBe(2);
    expect(stdout).toContain('`az login`, the walk offers your subscriptions');
    // The review names every decision by its flag.
    const review = stdout.slice(stdout.indexOf('Review:'));
    for (const line of ['--app                 web', '--namespace           shop', '--resource-group      rg-web', '--secret              tls-cert:cert:tls  → file /mnt/secrets/tls', '--vault               web-kv   (default)', '--rotation-interval   2m   (default)', 'Folder                web-kv-secrets']) {
      expect(review).toContain(line);
    }
    expect(review).not.toContain('--target-secret');

    expect(answers('web-kv-secrets')).toMatchObject({
      app: 'web', namespace: 'shop', appKind: 'new', resourceGroup: 'rg-web', cluster: 'aks1', vault: 'web-kv',
      secrets: [{ name: 'db-password', type: 'secret' }, { name: 'tls-cert', type: 'cert', alias: 'tls' }],
    });
    expect(stdout).toContain('Generated web-kv-secrets: Secrets Store CSI Driver');
    expect(stdout).toContain('Next:\n  cd web-kv-secrets\n  bash azure/setup.sh');
    expect(stdout).toContain('The same without questions:\n  create-kv-secrets web-kv-secrets --yes --app web --namespace shop');
    expectEquivalentCommand(stdout, 'web-kv-secrets');
  });

  it('asks nothing the flags gave, and nothing at all when they gave everything', async () => {
    const flags = ['--app', 'web', '--namespace', 'shop', '--workload', 'demo', '--image', 'reg.io/web:1', '--app-kind', 'new', '--resource-group', 'rg', '--cluster', 'aks'];
    const run = startInteractive([...flags, 'out'], cwd);
    await drive.answer('Azure region for new resources', ENTER);
    await drive.answer('Use a vault that exists', ENTER);
    await drive.answer('Key Vault name', ENTER);
    await drive.answer('User-assigned managed identity', ENTER);
    await drive.answer('Name of a Key Vault object the app needs', 'api-key', ENTER);
    await drive.answer('Type of api-key', ENTER);
    await drive.answer('File name under /mnt/secrets for api-key', ENTER);
    await drive.answer('Add another Key Vault object?', ENTER);
    await drive.answer('Does an ingress serve the app over HTTPS', ENTER);
    await drive.answer('Keep delivered values in step with Key Vault?', 'n', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(drive.asked).toEqual([
      'Azure region for new resources', 'Use a vault that exists', 'Key Vault name', 'User-assigned managed identity',
      'Name of a Key Vault object the app needs', 'Type of api-key', 'File name under /mnt/secrets for api-key', 'Add another Key Vault object?',
      'Does an ingress serve the app over HTTPS', 'Keep delivered values in step with Key Vault?', 'Generate the folder?',
    ]);
    expect(stdout).not.toContain('Folder to generate into');
    expect(answers('out')).toMatchObject({ app: 'web', image: 'reg.io/web:1', rotation: false, secrets: [{ name: 'api-key', type: 'secret' }] });

    // Everything given: no walk, no review, the run goes on as without a terminal.
    const all = startInteractive([...flags, '--location', 'eastus', '--vault', 'web-kv', '--no-existing-vault', '--identity', 'web-id', '--secret', 'a', '--no-rotation', '--subscription', 'Prod', '--tenant-id', '11111111-2222-3333-4444-555555555555', '--ingress', 'none', 'all'], cwd);
    const quiet = await all.done;
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('Review');
    expect(quiet.stdout).not.toContain('without questions');
  });
});

describe('the walk for a legacy app (External Secrets Operator)', () => {
  it('asks how the app reads its secrets and the Secret to sync, and offers what az sees', async () => {
    const run = startInteractive([], cwd, { azure: SOME_AZ });
    await drive.answer('Name of the workload', 'pay', ENTER);
    await drive.answer('Kubernetes namespace of the workload', ENTER);
    await drive.answer('Which Deployment gets the secrets', ENTER);
    await drive.answer('Container image of the workload', 'reg.io/pay:2', ENTER);
    await drive.answer('Can the app read its secrets from files?', DOWN);
    await drive.see('Only an app that cannot change should pay for a synced Kubernetes Secret.');
    drive.press(ENTER);
    const how = await drive.answer('How does the app take its secrets?', DOWN);
    expect(how).toContain('From environment variables');
    await drive.see('The External Secrets Operator keeps that Secret object in step with Key Vault.');
    drive.press(ENTER);
    await drive.answer('Kubernetes Secret the External Secrets Operator syncs into', BACKSPACE, 'legacy-db', ENTER);
    // az's lists, az's current subscription first
    const subscriptions = await drive.answer('Subscription to work in', DOWN, ENTER);
    expect(subscriptions).toMatch(/❯ Production \(11111111-2222-3333-4444-555555555555\), az’s current one\n\s+Staging/);
    expect(subscriptions).toContain('Leave it unset: the signed-in default');
    expect(subscriptions).toContain('Type another…');
    const tenants = await drive.answer('Entra tenant of the vault', ENTER);
    expect(tenants).toContain('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee (the tenant of Staging)');
    await drive.answer('Resource group of the cluster', DOWN, ENTER);
    const clusters = await drive.answer('AKS cluster name', ENTER);
    // only the clusters of the chosen group
    expect(clusters).toContain('aks-shop (eastus)');
    expect(clusters).not.toContain('aks-pay');
    await drive.answer("Azure region for new resources (empty: the resource group's, eastus)", ENTER);
    await drive.answer('Use a vault that exists', 'y', ENTER);
    const vaults = await drive.answer('Key Vault name', DOWN, DOWN, ENTER);
    expect(vaults).toContain('shared-kv (resource group rg-platform, westeurope)');
    // "Type another…" leads to a text question with the same rule as --vault
    await drive.answer('Key Vault name', 'other-kv', ENTER);
    await drive.answer('User-assigned managed identity', ENTER);
    await drive.answer('Name of a Key Vault object the app needs', 'db-password', ENTER);
    await drive.answer('Type of db-password', ENTER);
    await drive.answer('Key in Secret legacy-db for db-password', ENTER);
    await drive.answer('Add another Key Vault object?', ENTER);
    await drive.answer('Does an ingress serve the app over HTTPS', ENTER);
    await drive.answer('Keep delivered values in step with Key Vault?', ENTER);
    await drive.answer('How often the External Secrets Operator refreshes the synced Secret', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout, stderr } = await run.done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('⇒ External Secrets Operator');
    expect(stdout).toContain('--secret              db-password  → key db-password of Secret legacy-db');
    expect(answers('pay-kv-secrets')).toMatchObject({
      app: 'pay', appKind: 'legacy', legacyReads: 'secret-object', targetSecret: 'legacy-db',
      subscription: '66666666-7777-8888-9999-000000000000', tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      resourceGroup: 'rg-shop', cluster: 'aks-shop', existingVault: true, vault: 'other-kv',
    });
    expect(readdirSync(join(cwd, 'pay-kv-secrets', 'k8s'))).toContain('externalsecret.yaml');
    expectEquivalentCommand(stdout, 'pay-kv-secrets');
  });
});

describe('validation at the prompt is the flag validation', () => {
  /** The message the same value gets as a flag, without a terminal. */
  async function flagMessage(flag: string, value: string): Promise<string> {
    const { code, stderr } = await runNonInteractive(['--yes', '--app', 'ok', '--resource-group', 'rg', '--cluster', 'c', '--secret', 'a', flag, value], cwd);
    expect(code).toBe(2);
    const line = stderr.split('\n').find((l) => l.startsWith(`  ${flag} ${JSON.stringify(value)}: `));
    expect(line, stderr).toBeDefined();
    return line!.slice(`  ${flag} ${JSON.stringify(value)}: `.length);
  }

  it('refuses what the flags refuse, inline, with the same message, and takes a fixed answer', async () => {
    const run = startInteractive(['--resource-group', 'rg', '--cluster', 'aks', '--app-kind', 'legacy', '--legacy-reads', 'env'], cwd);
    await drive.answer('Name of the workload', 'My App', ENTER);
    const appError = await drive.see('> must');
    expect(appError).toContain(`> ${await flagMessage('--app', 'My App')}`);
    expect(appError).toContain(`> ${fieldByKey('app').rule!('My App')}`);
    drive.press(...Array(6).fill(BACKSPACE), 'shop', ENTER);
    await drive.answer('Kubernetes namespace of the workload', ENTER);
    await drive.answer('Which Deployment gets the secrets', ENTER);
    await drive.answer('Container image of the workload', 'reg.io/shop 1', ENTER);
    expect(await drive.see('> must')).toContain(`> ${await flagMessage('--image', 'reg.io/shop 1')}`);
    drive.press(BACKSPACE, BACKSPACE, ':1', ENTER);
    await drive.answer("Azure region for new resources", 'West Europe', ENTER);
    expect(await drive.see('> must')).toContain(`> ${await flagMessage('--location', 'West Europe')}`);
    drive.press(...Array(11).fill(BACKSPACE), ENTER);
    await drive.answer('Use a vault that exists', ENTER);
    await drive.answer('Key Vault name', BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, 'kv', ENTER);
    expect(await drive.see('> must')).toContain(`> ${await flagMessage('--vault', 'kv')}`);
    drive.press(BACKSPACE, BACKSPACE, 'shop-kv', ENTER);
    await drive.answer('User-assigned managed identity', ENTER);
    // A secret is refused as `--secret NAME` would be, and a name the app cannot use as an env var
    // needs an alias, as the External Secrets Operator's check says.
    await drive.answer('Name of a Key Vault object the app needs', 'db_password', ENTER);
    expect(await drive.see('> name')).toContain(`> name ${keyVaultObjectName('db_password')}`);
    expect(await flagMessage('--secret', 'db_password')).toBe(`name ${keyVaultObjectName('db_password')}`);
    drive.press(...Array(11).fill(BACKSPACE), '1password', ENTER);
    await drive.answer('Type of 1password', ENTER);
    await drive.answer('Env var name for 1password', ENTER);
    const aliasError = await drive.see('> gives');
    const flagSide = await runNonInteractive(['--yes', '--app', 'shop', '--resource-group', 'rg', '--cluster', 'c', '--app-kind', 'legacy', '--secret', '1password'], cwd);
    expect(flagSide.code).toBe(2);
    expect(flagSide.stderr).toContain('--secret "1password": gives the env var name 1PASSWORD, which starts with a digit; add an alias: 1password:secret:NAME');
    expect(aliasError).toContain('> gives the env var name 1PASSWORD, which starts with a digit; add an alias: 1password:secret:NAME');
    drive.press('ONE_PASSWORD', ENTER);
    await drive.answer('Add another Key Vault object?', 'y', ENTER);
    await drive.answer('Name of a Key Vault object the app needs', '1Password', ENTER);
    expect(await drive.see('> names')).toContain('> names a Key Vault object twice');
    drive.press(...Array(9).fill(BACKSPACE), 'api-key', ENTER);
    await drive.answer('Type of api-key', ENTER);
    await drive.answer('Env var name for api-key', 'ONE_PASSWORD', ENTER);
    expect(await drive.see('> delivers')).toContain('> delivers a second object as "ONE_PASSWORD"; give one of them another alias');
    drive.press(...Array(12).fill(BACKSPACE), ENTER);
    await drive.answer('Add another Key Vault object?', ENTER);
    await drive.answer('Does an ingress serve the app over HTTPS', ENTER);
    await drive.answer('Keep delivered values in step with Key Vault?', ENTER);
    await drive.answer('How often the External Secrets Operator refreshes', BACKSPACE, BACKSPACE, '0s', ENTER);
    expect(await drive.see('> must')).toContain(`> ${await flagMessage('--refresh-interval', '0s')}`);
    drive.press(BACKSPACE, BACKSPACE, '15m', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code } = await run.done;
    expect(code).toBe(0);
    expect(answers('shop-kv-secrets')).toMatchObject({
      app: 'shop', image: 'reg.io/shop:1', vault: 'shop-kv', refreshInterval: '15m',
      secrets: [{ name: '1password', type: 'secret', alias: 'ONE_PASSWORD' }, { name: 'api-key', type: 'secret' }],
    });
  });

  it('refuses a bad flag value at once, before any question', async () => {
    const run = startInteractive(['--vault', 'kv'], cwd);
    const { code, stderr, stdout } = await run.done;
    expect(code).toBe(2);
    expect(stderr).toContain(`--vault "kv": ${fieldByKey('vault').rule!('kv')}`);
    expect(stdout).toBe('');
  });
});

describe("a new vault's name, checked with az where it is signed in", () => {
  /** Every other answer as flags: the walk asks the vault's name and the folder. */
  const FLAGS = ['--app', 'web', '--app-kind', 'new', '--resource-group', 'rg', '--cluster', 'aks', '--secret', 'a', '--location', 'eastus', '--no-existing-vault', '--identity', 'id1', '--namespace', 'ns', '--workload', 'demo', '--image', 'reg.io/x:1', '--no-rotation', '--ingress', 'none',
    '--subscription', '11111111-2222-3333-4444-555555555555', '--tenant-id', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'];
  /** The printed notes, unwrapped. */
  const oneLine = (text: string) => text.replace(/\n {2,}/g, ' ');
  const reason = (name: string) => `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken.`;

  /** A signed-in az on which the names given are taken (each with the free variant it proposes); it records what it was asked. */
  function azTaking(taken: Record<string, string | null>): AzureLookups & { asked: string[] } {
    const asked: string[] = [];
    return {
      ...SOME_AZ,
      asked,
      vaultName: async (name) => {
        asked.push(name);
        const variant = taken[name];
        return variant === undefined ? { status: 'usable', note: `the name ${name} is free: azure/setup.sh will create the vault` } : { status: 'taken', reason: reason(name), variant };
      },
    };
  }

  it('the name it would offer is taken: says so and offers the free variant, which Enter takes', async () => {
    const azure = azTaking({ 'web-kv': 'web-kv-2' });
    const run = startInteractive(FLAGS, cwd, { azure });
    await drive.answer('Key Vault name (web-kv-2)', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(oneLine(stdout)).toContain(`The vault name web-kv is taken (${reason('web-kv').replace(/\.$/, '')}). web-kv-2 is free, and offered instead.`);
    expect(oneLine(stdout)).toContain('Checked with az: the name web-kv-2 is free: azure/setup.sh will create the vault.');
    expect(answers('web-kv-secrets')).toMatchObject({ vault: 'web-kv-2' });
    // Each name asked once, however often the walk needed the answer.
    expect(azure.asked).toEqual(['web-kv', 'web-kv-2']);
  });

  it('a typed name that is taken is refused inline, naming a free variant; a valid-looking one only is asked about', async () => {
    const azure = azTaking({ 'shared-kv': 'shared-kv-3', 'gone-kv': null });
    const run = startInteractive(FLAGS, cwd, { azure });
    await drive.answer('Key Vault name (web-kv)', 'kv', ENTER);
    expect(await drive.see('> must')).toContain(`> ${fieldByKey('vault').rule!('kv')}`);
    drive.press(BACKSPACE, BACKSPACE, 'shared-kv', ENTER);
    expect(await drive.see('> shared-kv is taken')).toContain(`> shared-kv is taken (${reason('shared-kv').replace(/\.$/, '')}); shared-kv-3 is free: type it, or another name`);
    // The typed name stays, to be mended.
    drive.press('-9', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', DOWN, ENTER);
    await drive.answer('Change which answer?', '--vault ', ENTER);
    await drive.answer('Key Vault name', ...Array(11).fill(BACKSPACE), 'gone-kv', ENTER);
    expect(await drive.see('> gone-kv is taken')).toContain('> gone-kv is taken (The vault name');
    expect(await drive.see('type another name')).not.toContain('is free');
    drive.press(...Array(7).fill(BACKSPACE), 'mine-kv', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code } = await run.done;
    expect(code).toBe(0);
    expect(answers('web-kv-secrets')).toMatchObject({ vault: 'mine-kv' });
    expect(azure.asked).toEqual(['web-kv', 'shared-kv', 'shared-kv-9', 'gone-kv', 'mine-kv']);
  });

  it('az not installed or signed out: the name is taken as typed, and the walk says it could not be checked', async () => {
    const run = startInteractive(FLAGS, cwd, { azure: NO_AZ });
    await drive.answer('Key Vault name (web-kv)', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(oneLine(stdout)).toContain('The vault name web-kv could not be checked (az is not installed, not signed in, or did not answer); azure/setup.sh checks it again before it creates the vault.');
    expect(answers('web-kv-secrets')).toMatchObject({ vault: 'web-kv' });
  });

  it('a failing check is an unchecked name, never a stop', async () => {
    const run = startInteractive(FLAGS, cwd, { azure: { ...SOME_AZ, vaultName: async () => { throw new Error('az broke'); } } });
    await drive.answer('Key Vault name (web-kv)', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(oneLine(stdout)).toContain('The vault name web-kv could not be checked');
  });

  it('a vault that exists is not checked', async () => {
    const azure = azTaking({});
    const run = startInteractive([...FLAGS.filter((f) => f !== '--no-existing-vault'), '--existing-vault'], cwd, { azure });
    await drive.answer('Key Vault name', DOWN, DOWN, ENTER);
    await drive.answer('Key Vault name', 'other-kv', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(azure.asked).toEqual([]);
    expect(stdout).not.toContain('checked');
    expect(answers('web-kv-secrets')).toMatchObject({ existingVault: true, vault: 'other-kv' });
  });

  it('a new app name whose vault name (which follows it) is taken asks the vault name again, offering the free variant', async () => {
    const azure = azTaking({ 'two-kv': 'two-kv-2' });
    const run = startInteractive(FLAGS.slice(2), cwd, { azure });
    await drive.answer('Name of the workload', 'one', ENTER);
    await drive.answer('Key Vault name (one-kv)', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', DOWN, ENTER);
    await drive.answer('Change which answer?', ENTER);
    await drive.answer('Name of the workload', BACKSPACE, BACKSPACE, BACKSPACE, 'two', ENTER);
    await drive.answer('Key Vault name (two-kv-2)', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(oneLine(stdout)).toContain('The vault name two-kv is taken (The vault name');
    expect(answers('two-kv-secrets')).toMatchObject({ app: 'two', vault: 'two-kv-2' });
    expect(azure.asked).toEqual(['one-kv', 'two-kv', 'two-kv-2']);
  });
});

describe('the review', () => {
  async function walkToReview(run: ReturnType<typeof startInteractive>): Promise<void> {
    await drive.answer('Name of the workload', 'api', ENTER);
    await drive.answer('Kubernetes namespace of the workload', ENTER);
    await drive.answer('Which Deployment gets the secrets', ENTER);
    await drive.answer('Container image of the workload', ENTER);
    await drive.answer('Can the app read its secrets from files?', ENTER);
    await drive.answer('Azure region', ENTER);
    await drive.answer('Use a vault that exists', ENTER);
    await drive.answer('Key Vault name', ENTER);
    await drive.answer('User-assigned managed identity', ENTER);
    await drive.answer('Name of a Key Vault object the app needs', 'db-password', ENTER);
    await drive.answer('Type of db-password', ENTER);
    await drive.answer('File name under /mnt/secrets for db-password', 'db/password', ENTER);
    await drive.answer('Add another Key Vault object?', ENTER);
    await drive.answer('Does an ingress serve the app over HTTPS', ENTER);
    await drive.answer('Keep delivered values in step with Key Vault?', ENTER);
    await drive.answer('How often the CSI driver polls Key Vault', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    void run;
  }

  it('changes one answer, asks what the change opens, and holds back until the problems are fixed', async () => {
    const run = startInteractive(['--resource-group', 'rg', '--cluster', 'aks'], cwd);
    await walkToReview(run);
    await drive.answer('Generate the folder?', DOWN, ENTER);
    const which = await drive.answer('Change which answer?', DOWN, DOWN, DOWN, DOWN, DOWN);
    expect(which).toContain('Can the app read its secrets from files?  Yes');
    drive.press(ENTER);
    await drive.answer('Can the app read its secrets from files?', DOWN, ENTER);
    // legacy opens a question that did not apply before
    await drive.answer('How does the app take its secrets?', ENTER);
    await drive.answer('How often the External Secrets Operator refreshes the synced Secret', ENTER);
    // "db/password" cannot be an env var: the review says so and Generate is held back
    const held = await drive.see('? Generate the folder?');
    expect(held).toContain('Generate (fix the problems above first)');
    expect(run.output()).toContain('--secret "db-password:secret:db/password": alias must be an environment variable name');
    drive.press(ENTER); // the cursor starts on "Change an answer"
    await drive.answer('Change which answer?', ...Array(8).fill(DOWN), ENTER);
    await drive.answer('Which Key Vault object?', ENTER);
    await drive.answer('db-password:secret:db/password:', ENTER);
    await drive.answer('Name of a Key Vault object the app needs', ENTER);
    await drive.answer('Type of db-password', ENTER);
    await drive.answer('Env var name for db-password', ...Array(11).fill(BACKSPACE), ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(stdout).toContain('Generated api-kv-secrets: External Secrets Operator');
    expect(answers('api-kv-secrets')).toMatchObject({ appKind: 'legacy', legacyReads: 'env', secrets: [{ name: 'db-password', type: 'secret' }] });
    expect((answers('api-kv-secrets').secrets as object[])[0]).not.toHaveProperty('alias');
  });

  it('adopts an existing Deployment: asks its name and container instead of an image, and writes the patch', async () => {
    const run = startInteractive(['--app-kind', 'new', '--resource-group', 'rg', '--cluster', 'aks', '--secret', 'db-password', '--location', 'eastus', '--no-existing-vault', '--identity', 'id1', '--no-rotation'], cwd);
    await drive.answer('Name of the workload', 'shop', ENTER);
    await drive.answer('Kubernetes namespace of the workload', 'store', ENTER);
    const which = await drive.answer('Which Deployment gets the secrets', DOWN, ENTER);
    expect(which).toContain('existing');
    await drive.answer('Name of your Deployment that gets the secrets (shop)', 'shop-web', ENTER);
    await drive.answer('Container of that Deployment that reads the secrets (shop)', 'web', ENTER);
    await drive.answer('Key Vault name', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    const review = await drive.answer('Generate the folder?', ENTER);
    expect(review).not.toContain('--image');
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(stdout).toContain('add k8s/ to the kustomization of Deployment');
    expect(readdirSync(join(cwd, 'shop-kv-secrets', 'k8s')).sort()).toEqual(['deployment-patch.yaml', 'helm-values.yaml', 'kustomization.yaml', 'secretproviderclass.yaml', 'serviceaccount.yaml']);
    expect(answers('shop-kv-secrets')).toMatchObject({ app: 'shop', namespace: 'store', workload: 'existing', deployment: 'shop-web', container: 'web' });
  });

  it('a new app name carries the names derived from it, and the default folder, along', async () => {
    const run = startInteractive(['--app-kind', 'new', '--resource-group', 'rg', '--cluster', 'aks', '--secret', 'a', '--location', 'eastus', '--no-existing-vault', '--identity', 'id1', '--namespace', 'ns', '--workload', 'demo', '--image', 'reg.io/x:1', '--no-rotation', '--ingress', 'none'], cwd);
    await drive.answer('Name of the workload', 'one', ENTER);
    await drive.answer('Key Vault name (one-kv)', ENTER);
    await drive.answer('Folder to generate into (one-kv-secrets)', ENTER);
    await drive.answer('Generate the folder?', DOWN, ENTER);
    await drive.answer('Change which answer?', ENTER);
    await drive.answer('Name of the workload', BACKSPACE, BACKSPACE, BACKSPACE, 'two', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(stdout).toContain('--vault               two-kv   (default)');
    expect(answers('two-kv-secrets')).toMatchObject({ app: 'two', vault: 'two-kv', serviceAccount: 'two-sa', identity: 'id1' });
  });

  it('warns about a folder that holds files the user edited, before anything is written', async () => {
    const first = await runNonInteractive(['--yes', '--app', 'api', '--resource-group', 'rg', '--cluster', 'aks', '--secret', 'db-password', '--namespace', 'other'], cwd);
    expect(first.code).toBe(0);
    // The other files differ too (namespace), but are the tool's own: only the edit is in the way.
    writeFileSync(join(cwd, 'api-kv-secrets', 'README.md'), 'my notes\n');
    const run = startInteractive(['--app', 'api', '--resource-group', 'rg', '--cluster', 'aks', '--secret', 'db-password', '--app-kind', 'new'], cwd);
    await drive.answer('Kubernetes namespace of the workload', ENTER);
    await drive.answer('Which Deployment gets the secrets', ENTER);
    await drive.answer('Container image of the workload', ENTER);
    await drive.answer('Azure region', ENTER);
    await drive.answer('Use a vault that exists', ENTER);
    await drive.answer('Key Vault name', ENTER);
    await drive.answer('User-assigned managed identity', ENTER);
    await drive.answer('Does an ingress serve the app over HTTPS', ENTER);
    await drive.answer('Keep delivered values in step with Key Vault?', ENTER);
    await drive.answer('How often the CSI driver polls Key Vault', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    expect(await drive.see('> holds')).toContain('> holds files you edited, or that differ with no record of what was generated (README.md)');
    drive.press(...Array(15).fill(BACKSPACE), 'api-2', ENTER);
    await drive.answer('Generate the folder?', ENTER);
    const { code } = await run.done;
    expect(code).toBe(0);
    expect(answers('api-2')).toMatchObject({ namespace: 'default' });
    expect(answers('api-kv-secrets')).toMatchObject({ namespace: 'other' });
  });
});

describe('cancelling', () => {
  const sigintListeners = process.listenerCount('SIGINT');

  it.each([
    ['Esc', [ESCAPE]],
    ['Ctrl-C', [CTRL_C]],
  ])('%s at a question exits 130, writes nothing and prints no stack', async (_, keys) => {
    const run = startInteractive([], cwd);
    await drive.answer('Name of the workload', 'web', ENTER);
    await drive.answer('Kubernetes namespace of the workload', ...keys);
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toBe('\ncreate-kv-secrets: cancelled; nothing written.\n');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('Esc after a few answers asks first: "no" asks the question again, "yes" cancels', async () => {
    const run = startInteractive([], cwd);
    await drive.answer('Name of the workload', 'web', ENTER);
    await drive.answer('Kubernetes namespace of the workload', 'shop', ENTER);
    await drive.answer('Which Deployment gets the secrets', ENTER);
    await drive.answer('Container image of the workload', ENTER);
    await drive.answer('Can the app read its secrets from files?', ESCAPE);
    await drive.answer('Cancel? Nothing is written and your answers are lost', ENTER);
    await drive.answer('Can the app read its secrets from files?', ESCAPE);
    await drive.answer('Cancel? Nothing is written and your answers are lost', 'y', ENTER);
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toBe('\ncreate-kv-secrets: cancelled; nothing written.\n');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('SIGINT while az is still being asked cancels the same way and stops the lookups', async () => {
    let closed = false;
    let release: () => void = () => {};
    const pending = new Promise<never[]>((resolve) => (release = () => resolve([])));
    const azure = { ...SOME_AZ, subscriptions: async () => [], resourceGroups: () => pending, close: () => ((closed = true), release()) };
    const run = startInteractive(['--app', 'web', '--namespace', 'n', '--workload', 'demo', '--image', 'r/i:1', '--app-kind', 'new'], cwd, { azure });
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.emit('SIGINT');
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain('cancelled; nothing written.');
    expect(closed).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
  });

  it('"Cancel" at the review exits 130 and writes nothing', async () => {
    const run = startInteractive(['--app', 'web', '--app-kind', 'new', '--resource-group', 'rg', '--cluster', 'aks', '--secret', 'a', '--location', 'eastus', '--existing-vault', '--vault', 'web-kv', '--identity', 'web-id'], cwd);
    await drive.answer('Kubernetes namespace of the workload', ENTER);
    await drive.answer('Which Deployment gets the secrets', ENTER);
    await drive.answer('Container image of the workload', ENTER);
    await drive.answer('Does an ingress serve the app over HTTPS', ENTER);
    await drive.answer('Keep delivered values in step with Key Vault?', ENTER);
    await drive.answer('How often the CSI driver polls Key Vault', ENTER);
    await drive.answer('Folder to generate into', ENTER);
    await drive.answer('Generate the folder?', DOWN, DOWN, ENTER);
    const { code } = await run.done;
    expect(code).toBe(130);
    expect(existsSync(join(cwd, 'web-kv-secrets'))).toBe(false);
  });
});

describe('when nothing prompts', () => {
  const missing = ['--app NAME', '--resource-group NAME', '--cluster NAME', '--secret NAME[:secret|key|cert[:ALIAS]]'];

  it.each([
    ['no terminal', [], { isInteractive: false }],
    ['CI set', [], { env: { CI: 'true' } }],
    ['--yes', ['--yes'], {}],
  ])('%s: a missing value is an exit-2 error naming its flag', async (_, argv, io) => {
    const run = startInteractive(argv, cwd, io);
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    for (const flag of missing) expect(stderr).toContain(`is required (pass ${flag})`);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('CI=false or CI=0 still prompts', async () => {
    const run = startInteractive([], cwd, { env: { CI: 'false' } });
    await drive.answer('Name of the workload', ESCAPE);
    expect((await run.done).code).toBe(130);
  });
});
