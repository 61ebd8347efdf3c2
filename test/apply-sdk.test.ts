/**
 * `create-kv-secrets apply` of the SDK path, against the stand-ins for az and kubectl: the Azure side,
 * the manifests, and a rollout; no CSI add-on, no operator, nothing to list in the pod.
 */
import { afterAll, describe, it } from 'vitest';
import { ApplySandbox, cleanUp, kubectlCalls, ran } from './support/apply-harness.js';
import { once } from './support/standin-harness.js';

afterAll(() => cleanUp());

describe('create-kv-secrets apply of the SDK path', { timeout: 60_000 }, () => {
  const sdk = once(async () => {
    const sb = await ApplySandbox.create();
    const run = await sb.run(
      ['--yes', '--app', 'orders', '--namespace', 'shop', '--resource-group', 'myRG', '--cluster', 'myCluster', '--app-kind', 'sdk', '--secret', 'db-password', '--out', 'orders', '--apply'],
      { stdin: 'QZX db\n' },
    );
    return { sb, run, state: sb.state(), kube: sb.kube() };
  });

  it('generates, then applies: federation for the pod’s account, the Deployment rolled out, nothing listed in the pod', async ({ expect }) => {
    const { run, state, kube } = await sdk();
    expect(run.code, ran(run)).toBe(0);
    expect(run.stdout).toMatch(/^Generated orders: Azure SDK in the app\n/);
    expect(run.calls.filter((c) => c.program === 'helm')).toEqual([]);
    expect(run.calls.some((c) => c.program === 'az' && c.line.includes('enable-addons'))).toBe(false);
    expect(kubectlCalls(run, 'wait')).toEqual([]);
    expect(kubectlCalls(run, 'exec')).toEqual([]);
    expect(run.stdout).toContain('deployment "orders" successfully rolled out');
    expect(run.stdout).toContain('\nDone: orders is applied to myCluster.\n  orders (shop): deployment rolled out (the app reads Key Vault itself)\n');
    const identity = state.identities['myRG/orders-identity'];
    expect(state.federatedCredentials['myRG/orders-identity'].map((c: any) => c.subject)).toEqual(['system:serviceaccount:shop:orders-sa']);
    expect(kube.objects['ServiceAccount/shop/orders-sa'].metadata.annotations['azure.workload.identity/client-id']).toBe(identity.clientId);
    const container = kube.objects['Deployment/shop/orders'].spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'KEY_VAULT_URL', value: 'https://orders-kv.vault.azure.net' }]);
  });
});
