/**
 * azure/setup.sh with an ingress served by AKS application routing, against the stand-in az: the
 * script turns application routing on, turns on the CSI add-on it reads Key Vault with (rotation on,
 * so renewals arrive), and grants the add-on's identity Key Vault Secrets User on the certificate's
 * backing secret alone; a second run changes nothing. A synced certificate (another controller) is
 * read as the workload's identity instead.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { ROLE, Sandbox, callsOf, mutating, once } from './support/standin-harness.js';
import type { AzCall } from './support/standin-harness.js';

const WORKLOAD = ['--yes', '--app', 'web', '--namespace', 'shop', '--resource-group', 'myRG', '--cluster', 'myCluster', '--secret', 'db-password'];
const APP_ROUTING = [...WORKLOAD, '--ingress', 'app-routing', '--host', 'web.example.com', '--tls-cert', 'web-tls'];
const NGINX = [...WORKLOAD, '--ingress', 'nginx', '--host', 'web.example.com', '--tls-cert', 'web-tls'];

const shape = (call: AzCall): [string, Record<string, string | true>] => [call.command, call.flags];

afterAll(() => Sandbox.removeAll());

/** Runs setup.sh until it stops for the missing certificate, imports it as the printed command says, and runs it again. */
async function firstSetup(sb: Sandbox, flags: string[]) {
  const folder = await sb.generate('web', flags);
  const stopped = await sb.runSetup(folder, { stdin: 'QZX value\n' });
  writeFileSync(join(sb.dir, 'web-tls.pfx'), 'stand-in PKCS#12 bytes');
  const imported = await sb.az('keyvault', 'certificate', 'import', '--vault-name', 'web-kv', '--name', 'web-tls', '--file', 'web-tls.pfx');
  if (imported.code !== 0) throw new Error(`certificate import failed: ${imported.stderr}`);
  const first = await sb.runSetup(folder, { stdin: 'closed' });
  const state = sb.state();
  const second = await sb.runSetup(folder, { stdin: 'closed' });
  return { stopped, first, second, state, after: sb.state() };
}

describe('azure/setup.sh with an ingress, against the stand-in az', { timeout: 120_000 }, () => {
  const appRouting = once(async () => firstSetup(await Sandbox.create(), APP_ROUTING));

  it('stops until the TLS certificate is in the vault, naming the import', async ({ expect }) => {
    const { stopped } = await appRouting();
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('certificate web-tls is missing');
    expect(stopped.stderr).toContain('az keyvault certificate import --vault-name=web-kv --name=web-tls');
    // Everything else is done on that run: application routing is on, and its role waits for the certificate.
    expect(stopped.stderr).toContain('secrets/web-tls: the role of application routing waits for the import.');
  });

  it('turns on application routing and the CSI add-on with rotation, and grants the add-on read on that certificate alone', async ({ expect }) => {
    const { stopped, first, state } = await appRouting();
    expect(first.code, first.stderr).toBe(0);
    const mc = state.clusters['myRG/myCluster'];
    expect(mc.ingressProfile.webAppRouting.enabled).toBe(true);
    expect(mc.addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation).toBe('true');
    expect(callsOf([...stopped.calls, ...first.calls], 'aks approuting enable').map(shape)).toEqual([
      ['aks approuting enable', { '--resource-group': 'myRG', '--name': 'myCluster', '--output': 'none' }],
    ]);
    // No --attach-kv: it would grant the add-on every secret of the vault.
    expect([...stopped.calls, ...first.calls].some((c) => c.command === 'aks approuting update')).toBe(false);
    const vaultId = state.vaults['web-kv'].id as string;
    const routing = mc.ingressProfile.webAppRouting.identity.objectId as string;
    const grants = state.roleAssignments.filter((a: Record<string, string>) => a.principalId === routing);
    expect(grants.map((a: Record<string, string>) => [a.roleDefinitionId.split('/').at(-1), a.scope])).toEqual([[ROLE.secretsUser, `${vaultId}/secrets/web-tls`]]);
    // The workload's identity does not read the certificate: application routing does.
    const workload = state.identities['myRG/web-identity'].principalId as string;
    const scopes = state.roleAssignments.filter((a: Record<string, string>) => a.principalId === workload).map((a: Record<string, string>) => a.scope);
    expect(scopes).toEqual([`${vaultId}/secrets/db-password`]);
  });

  it('changes nothing and asks nothing on a second run', async ({ expect }) => {
    const { second, state, after } = await appRouting();
    expect(second.code, second.stderr).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
    expect(second.stderr).toContain('application routing: already on.');
    expect(after.roleAssignments).toEqual(state.roleAssignments);
  });

  it('leaves application routing and its add-on alone when they are on, and stops on an az without approuting', async ({ expect }) => {
    const sb = await Sandbox.create();
    const ready = await sb.az('aks', 'approuting', 'enable', '--resource-group', 'myRG', '--name', 'myCluster', '--enable-kv', '--output', 'none');
    expect(ready.code, ready.stderr).toBe(0);
    const { stopped, first } = await firstSetup(sb, APP_ROUTING);
    expect(first.code, first.stderr).toBe(0);
    const calls = [...stopped.calls, ...first.calls];
    expect(callsOf(calls, 'aks approuting enable')).toEqual([]);
    expect(callsOf(calls, 'aks enable-addons')).toEqual([]);
    // --enable-kv left rotation off; the script turns it on for renewals to arrive.
    expect(callsOf(calls, 'aks update').map((c) => c.flags['--enable-secret-rotation'])).toContain(true);

    const old = await Sandbox.create((state) => {
      state.azVersion = '2.58.0';
    });
    const folder = await old.generate('web', APP_ROUTING);
    const refused = await old.runSetup(folder, { stdin: 'QZX value\n' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('az 2.58.0 is too old; this script needs 2.59.0 or later');
    expect(mutating(refused.calls)).toEqual([]);
  });

  it('grants a synced certificate (another controller) to the workload’s identity, with no application routing', async ({ expect }) => {
    const { first, second, state } = await firstSetup(await Sandbox.create(), NGINX);
    expect(first.code, first.stderr).toBe(0);
    expect(first.calls.some((c) => c.command.startsWith('aks approuting'))).toBe(false);
    const vaultId = state.vaults['web-kv'].id as string;
    const workload = state.identities['myRG/web-identity'].principalId as string;
    const scopes = state.roleAssignments.filter((a: Record<string, string>) => a.principalId === workload).map((a: Record<string, string>) => a.scope);
    expect(scopes).toEqual([`${vaultId}/secrets/db-password`, `${vaultId}/secrets/web-tls`]);
    expect(mutating(second.calls)).toEqual([]);
  });
});
