/**
 * azure/setup.sh of the SDK path against the stand-in az: the Azure side is the CSI path's without
 * the add-on (the pod's own service account federated, least roles per object), and a second run
 * changes nothing.
 */
import { afterAll, describe, it } from 'vitest';
import { IDENTITY_FIELDS, ROLE, Sandbox, VAULT_FIELDS, mutating, once } from './support/standin-harness.js';
import type { AzCall } from './support/standin-harness.js';

const FLAGS = ['--yes', '--app', 'orders', '--namespace', 'shop', '--resource-group', 'myRG', '--cluster', 'myCluster', '--app-kind', 'sdk', '--secret', 'db-password', '--secret', 'api-key'];
const shape = (call: AzCall): [string, Record<string, string | true>] => [call.command, call.flags];

afterAll(() => Sandbox.removeAll());

describe('azure/setup.sh of the SDK path against the stand-in az', { timeout: 90_000 }, () => {
  const fresh = once(async () => {
    const sb = await Sandbox.create();
    const folder = await sb.generate('orders', FLAGS);
    const first = await sb.runSetup(folder, { stdin: 'QZX one\nQZX two\n' });
    const state = sb.state();
    const second = await sb.runSetup(folder, { stdin: 'closed' });
    return { first, second, state };
  });

  it('turns on Workload Identity, federates the pod’s account and grants its roles, and no CSI add-on', async ({ expect }) => {
    const { first, state } = await fresh();
    expect(first.code, first.stderr).toBe(0);
    const vaultId = state.vaults['orders-kv'].id as string;
    const principal = state.identities['myRG/orders-identity'].principalId as string;
    const issuer = state.clusters['myRG/myCluster'].oidcIssuerProfile.issuerUrl as string;
    expect(mutating(first.calls).map(shape)).toEqual([
      ['aks update', { '--resource-group': 'myRG', '--name': 'myCluster', '--enable-oidc-issuer': true, '--enable-workload-identity': true, '--query': 'oidcIssuerProfile.issuerUrl', '--output': 'tsv' }],
      ['keyvault create', {
        '--name': 'orders-kv', '--resource-group': 'myRG',
        '--enable-rbac-authorization': 'true', '--enable-purge-protection': 'true', '--query': VAULT_FIELDS, '--output': 'tsv',
      }],
      ['role assignment create', {
        '--assignee-object-id': state.users[0].id, '--assignee-principal-type': 'User', '--role': ROLE.secretsOfficer, '--scope': vaultId, '--output': 'none',
      }],
      ['keyvault secret set', { '--vault-name': 'orders-kv', '--name': 'db-password', '--file': '/dev/stdin', '--output': 'none' }],
      ['keyvault secret set', { '--vault-name': 'orders-kv', '--name': 'api-key', '--file': '/dev/stdin', '--output': 'none' }],
      ['identity create', {
        '--resource-group': 'myRG', '--name': 'orders-identity', '--tags': 'created-by=create-kv-secrets', '--query': IDENTITY_FIELDS, '--output': 'tsv',
      }],
      ['identity federated-credential create', {
        '--name': 'myCluster-shop-orders-sa', '--identity-name': 'orders-identity', '--resource-group': 'myRG',
        '--issuer': issuer, '--subject': 'system:serviceaccount:shop:orders-sa', '--audiences': 'api://AzureADTokenExchange', '--output': 'none',
      }],
      ...['db-password', 'api-key'].map((name) => ['role assignment create', {
        '--assignee-object-id': principal, '--assignee-principal-type': 'ServicePrincipal', '--role': ROLE.secretsUser, '--scope': `${vaultId}/secrets/${name}`, '--output': 'none',
      }]),
    ]);
    expect(first.stderr).toContain('kubectl rollout status deployment/orders --namespace shop');
    expect(first.stderr).not.toContain('secretproviderclasspodstatuses');
  });

  it('changes nothing and asks nothing on a second run', async ({ expect }) => {
    const { second } = await fresh();
    expect(second.code, second.stderr).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
  });
});
