/**
 * The generated azure/setup.sh of an External Secrets Operator folder, end to end against the stand-ins
 * for az, kubectl and helm (issue 3): the chart installed pinned at 2.9.0 through a kubeconfig of the
 * script's own, the federated credential for the service account the store signs in as (the app's own,
 * or the shared store's), and a second run that changes nothing. Run with bash, as a person would,
 * through test/support/standin-harness.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { Sandbox, mutating, once } from './support/standin-harness.js';
import type { Run } from './support/standin-harness.js';

const LEGACY = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster', '--app-kind', 'legacy', '--secret', 'db-password'];

afterAll(() => Sandbox.removeAll());

/** The helm calls of a run (the stand-ins log them with the program's name first). */
const helmCalls = (run: Run) => run.calls.filter((c) => c.argv[0] === 'helm').map((c) => c.argv.slice(1).join(' '));
/** Changes in Azure: az calls (no program name) that are not reads; `aks get-credentials` writes only a local file. */
const azChanges = (run: Run) => mutating(run.calls.filter((c) => c.argv[0] !== 'helm' && c.argv[0] !== 'kubectl' && c.command !== 'aks get-credentials'));
const ran = (run: Run) => `exit ${run.code}\n--- stderr ---\n${run.stderr}\n--- stdout ---\n${run.stdout}`;

describe.concurrent('azure/setup.sh of an External Secrets Operator folder, against the stand-ins', { timeout: 60_000 }, () => {
  const single = once(async () => {
    const sb = await Sandbox.create();
    const folder = await sb.generate('app', LEGACY);
    const first = await sb.runSetup(folder, { stdin: 'QZX value\n', env: { HOME: sb.dir } });
    const afterFirst = sb.state();
    const second = await sb.runSetup(folder, { stdin: 'closed', env: { HOME: sb.dir } });
    return { sb, first, afterFirst, second, afterSecond: sb.state() };
  });

  it('installs the operator with helm, the chart pinned at 2.9.0, into the cluster of the setup', async ({ expect }) => {
    const { first, afterFirst } = await single();
    expect(first.code, ran(first)).toBe(0);
    expect(helmCalls(first)).toEqual([
      'status external-secrets --namespace external-secrets',
      'repo add external-secrets https://charts.external-secrets.io',
      'repo update external-secrets',
      'upgrade --install external-secrets external-secrets/external-secrets --namespace external-secrets --create-namespace --version 2.9.0 --wait',
    ]);
    expect(afterFirst.kubernetes['myRG/myCluster'].releases).toEqual({
      'external-secrets/external-secrets': { chart: 'external-secrets/external-secrets', version: '2.9.0', revision: 1, namespace: 'external-secrets' },
    });
    expect(afterFirst.kubernetes['myRG/myCluster'].namespaces).toContain('external-secrets');
  });

  it('uses a kubeconfig of its own for helm: removed afterwards, and ~/.kube is left alone', async ({ expect }) => {
    const { sb, first } = await single();
    const credentials = first.calls.filter((c) => c.command === 'aks get-credentials');
    expect(credentials).toHaveLength(1);
    const file = credentials[0]!.flags['--file'] as string;
    expect(file).not.toContain(sb.dir);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(sb.dir, '.kube'))).toBe(false);
    // helm ran with that kubeconfig.
    const helmEnvs = first.envs.filter((env) => env['KUBECONFIG'] === file);
    expect(helmEnvs.length).toBeGreaterThanOrEqual(4);
  });

  it("federates the identity with the store's service account: the app's own, from this cluster's issuer", async ({ expect }) => {
    const { afterFirst } = await single();
    const issuer = afterFirst.clusters['myRG/myCluster'].oidcIssuerProfile.issuerUrl as string;
    expect(afterFirst.federatedCredentials['myRG/myapp-identity']).toEqual([
      expect.objectContaining({ name: 'myCluster-production-myapp-sa', issuer, subject: 'system:serviceaccount:production:myapp-sa', audiences: ['api://AzureADTokenExchange'] }),
    ]);
  });

  it('a second run is a no-op: nothing changed in Azure, helm only asks whether the release is there', async ({ expect }) => {
    const { second, afterFirst, afterSecond } = await single();
    expect(second.code, ran(second)).toBe(0);
    expect(azChanges(second).map((c) => c.argv.join(' '))).toEqual([]);
    expect(helmCalls(second)).toEqual(['status external-secrets --namespace external-secrets']);
    expect(second.stderr).toContain('already installed in namespace external-secrets; left as it is.');
    expect(afterSecond).toEqual(afterFirst);
  });

  it('several legacy apps in several namespaces: one credential, for the shared store\'s service account in external-secrets', async ({ expect }) => {
    const sb = await Sandbox.create();
    writeFileSync(join(sb.dir, 'platform.yaml'), `apiVersion: create-kv-secrets/v1
vault: platform-kv
identity: platform-workloads
resourceGroup: myRG
cluster: myCluster
apps:
  - { app: billing, namespace: billing, appKind: legacy, secrets: [db-password] }
  - { app: reports, namespace: reports, appKind: legacy, secrets: [db-password] }
`);
    const folder = await sb.generate('platform', ['--yes', '--config', join(sb.dir, 'platform.yaml')]);
    const run = await sb.runSetup(folder, { stdin: 'QZX value\n', env: { HOME: sb.dir } });
    expect(run.code, ran(run)).toBe(0);
    const state = sb.state();
    expect(state.federatedCredentials['myRG/platform-workloads'].map((c: { subject: string }) => c.subject)).toEqual([
      'system:serviceaccount:external-secrets:platform-kv-eso',
    ]);
    expect(readFileSync(join(folder, 'shared', 'k8s', 'serviceaccount.yaml'), 'utf8')).toContain(state.identities['myRG/platform-workloads'].clientId);
    expect(helmCalls(run).filter((c) => c.startsWith('upgrade'))).toHaveLength(1);
  });
});
