/**
 * Vault names are unique across all of Azure: azure/setup.sh asks ARM's checkNameAvailability before
 * `az keyvault create`, against the stand-in az (test/stand-ins/az), and stops with a clear message
 * when the name is taken, creating nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ApplySandbox, changes, cleanUp, ran } from './support/apply-harness.js';
import { Sandbox, callsOf, isNameCheck, mutating } from './support/standin-harness.js';
import { vaultNameVariants } from '../src/run/vault-name.js';

const FLAGS = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster', '--secret', 'db-password'];

afterAll(() => {
  Sandbox.removeAll();
  cleanUp();
});

describe('vaultNameVariants', () => {
  it('numbered variants, shortened to the 24 characters a vault name may have, never the name itself', () => {
    expect(vaultNameVariants('myapp-kv').slice(0, 3)).toEqual(['myapp-kv-2', 'myapp-kv-3', 'myapp-kv-4']);
    expect(vaultNameVariants('myapp-kv-2')[0]).toBe('myapp-kv-3');
    expect(vaultNameVariants('a'.repeat(24))[0]).toBe(`${'a'.repeat(22)}-2`);
    expect(vaultNameVariants('abcdefghijklmnopqrstuv-x')[0]).toBe('abcdefghijklmnopqrstuv-2');
  });
});

describe.concurrent('create-kv-secrets apply: the vault name, before anything changes', { timeout: 90_000 }, () => {
  it('taken: exit 1 naming it and a free variant, with the command that regenerates with it; then apply passes that check', async () => {
    const sb = await ApplySandbox.create((state) => { state.takenVaultNames = ['myapp-kv', 'myapp-kv-2']; });
    await sb.generate('app', FLAGS);
    const run = await sb.apply('app', { stdin: 'one\n' });
    expect(run.code, ran(run, 1)).toBe(1);
    expect(run.stderr).toContain("create-kv-secrets apply: the vault name myapp-kv is not available (The vault name 'myapp-kv' is already in use. Vault names are globally unique so it is possible that the name is already taken); vault names are unique across all of Azure, so choose another: myapp-kv-3 is free, and generate again; nothing was changed.");
    expect(run.stderr).toContain('Fix:\n  create-kv-secrets app --config app/kv-secrets.yaml --vault myapp-kv-3\n');
    expect(changes(run.calls).map((c) => c.line)).toEqual([]);
    expect(run.bashArgv).toEqual([]);

    const regenerated = await sb.run(['app', '--config', 'app/kv-secrets.yaml', '--vault', 'myapp-kv-3']);
    expect(regenerated.code, regenerated.stderr).toBe(0);
    const again = await sb.apply('app', { stdin: 'one\n' });
    expect(again.code, ran(again)).toBe(0);
    expect(again.stdout).toContain('the name myapp-kv-3 is free: azure/setup.sh will create the vault');
    expect(Object.keys(sb.state().vaults)).toEqual(['myapp-kv-3']);
  });
});

describe.concurrent('the vault name, before az keyvault create', { timeout: 90_000 }, () => {
  it('taken elsewhere in Azure: exit 1 naming the name, the reason and how to choose another; no vault created, nothing after', async () => {
    const sb = await Sandbox.create((state) => { state.takenVaultNames = ['MYAPP-KV']; });
    const folder = await sb.generate('app', FLAGS);
    const run = await sb.runSetup(folder, { stdin: 'one\n' });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("error: the vault name myapp-kv is not available (The vault name 'myapp-kv' is already in use. Vault names are globally unique so it is possible that the name is already taken).");
    expect(run.stderr).toContain(`--config "${folder}/kv-secrets.yaml" --vault NEW-NAME`);
    const checks = run.calls.filter(isNameCheck);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks[0]!.flags).toMatchObject({
      '--method': 'post',
      '--url': '/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/checkNameAvailability?api-version=2021-10-01',
      '--body': '{"name": "myapp-kv", "type": "Microsoft.KeyVault/vaults"}',
    });
    expect(callsOf(run.calls, 'keyvault create')).toEqual([]);
    expect(sb.state().vaults).toEqual({});
    // Only the cluster step changed anything before the stop.
    expect(mutating(run.calls).map((c) => c.command).filter((c) => !c.startsWith('aks'))).toEqual([]);
  });

  it('free: checked once, right before the create; a second run finds the vault and asks no more', async () => {
    const sb = await Sandbox.create();
    const folder = await sb.generate('app', FLAGS);
    const first = await sb.runSetup(folder, { stdin: 'one\n' });
    expect(first.code, first.stderr).toBe(0);
    const commands = first.calls.map((c) => (isNameCheck(c) ? 'name check' : c.command));
    expect(commands.filter((c) => c === 'name check')).toHaveLength(1);
    expect(commands[commands.indexOf('name check') + 1]).toBe('keyvault create');
    const second = await sb.runSetup(folder, { stdin: 'closed' });
    expect(second.code, second.stderr).toBe(0);
    expect(second.calls.filter(isNameCheck)).toEqual([]);
  });
});
