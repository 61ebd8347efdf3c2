/**
 * `create-kv-secrets teardown` against the stand-ins: a folder is generated and applied, then taken
 * down. The vault and its secret values always stay; the identity goes only when setup.sh created it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ApplySandbox, cleanUp, changes, ran } from './support/apply-harness.js';
import type { ApplyRun, Call } from './support/apply-harness.js';

afterAll(() => cleanUp());

const WORKLOAD = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster', '--secret', 'db-password'];

/** What a run deleted: kubectl deletions and every az call that is not a read. */
const deletions = (run: ApplyRun): Call[] => [...run.calls.filter((c) => c.program === 'kubectl' && c.argv.includes('delete')), ...changes(run.calls).filter((c) => c.program === 'az')];
const commands = (calls: Call[]) => calls.map((c) => (c.program === 'az' ? `az ${c.az!.command}` : `kubectl ${c.argv.filter((a) => !a.startsWith('-') && a !== 'myCluster').join(' ')}`));

async function applied(): Promise<ApplySandbox> {
  const sb = await ApplySandbox.create();
  await sb.generate('app', WORKLOAD);
  const run = await sb.apply('app', { args: ['--yes'], stdin: 'teardown value\n' });
  expect(run.code, ran(run)).toBe(0);
  return sb;
}

function neverTheVault(run: ApplyRun): void {
  expect(run.calls.filter((c) => /keyvault (delete|purge|secret delete)/.test(c.line))).toEqual([]);
}

interface Assignment {
  principalId: string;
  scope: string;
}

describe.concurrent('create-kv-secrets teardown', { timeout: 120_000 }, () => {
  it('dry run, a failed step, its resume, then a second run that finds nothing; the vault and its secrets stay', async ({ expect }) => {
    const sb = await applied();
    const principal = (Object.values(sb.state().identities)[0] as { principalId: string }).principalId;
    const othersOnVault = (sb.state().roleAssignments as Assignment[]).filter((r) => r.principalId !== principal);
    expect(othersOnVault.length).toBeGreaterThan(0);

    const before = JSON.stringify(sb.state());
    const dry = await sb.run(['teardown', 'app', '--dry-run']);
    expect(dry.code, ran(dry)).toBe(0);
    expect(deletions(dry)).toEqual([]);
    expect(JSON.stringify(sb.state())).toBe(before);
    expect(dry.stdout).toContain('kubectl --context myCluster delete --kustomize=k8s --ignore-not-found');
    expect(dry.stdout).toMatch(/az identity federated-credential delete --identity-name=myapp-identity --resource-group=myRG --name=\S+ --yes/);
    expect(dry.stdout).toContain('Nothing was changed.');

    const failed = await sb.run(['teardown', 'app', '--yes'], { env: { STANDIN_FAIL: 'role assignment delete' } });
    expect(failed.code, ran(failed, 1)).toBe(1);
    expect(failed.stderr).toContain('stopped at "Roles of myapp-identity on myapp-kv"');
    expect(failed.stderr).toContain('create-kv-secrets teardown app --yes');
    expect(commands(deletions(failed))).toEqual(['kubectl delete', 'az identity federated-credential delete', 'az role assignment delete']);
    expect(Object.keys(sb.state().identities)).toHaveLength(1);
    expect(Object.keys(sb.kube().objects)).toEqual([]);

    const resumed = await sb.run(['teardown', 'app', '--yes']);
    expect(resumed.code, ran(resumed)).toBe(0);
    expect(commands(deletions(resumed))).toEqual(['kubectl delete', 'az role assignment delete', 'az identity delete']);
    expect(resumed.stdout).toMatch(/k8s\/: nothing to delete/);
    expect(resumed.stdout).toMatch(/Federated credentials of myapp-identity: nothing to delete/);
    const state = sb.state();
    expect(Object.keys(state.identities)).toEqual([]);
    expect((state.roleAssignments as Assignment[]).filter((r) => r.principalId === principal)).toEqual([]);
    expect(state.roleAssignments).toEqual(othersOnVault);
    expect(Object.keys(state.vaults)).toEqual(['myapp-kv']);
    expect(Object.keys(state.vaultData['myapp-kv'].secrets)).toEqual(['db-password']);
    expect(resumed.stdout).toContain('az keyvault delete --name=myapp-kv --resource-group=myRG');
    expect(resumed.stdout).toMatch(/purge protection/);

    const again = await sb.run(['teardown', 'app', '--yes']);
    expect(again.code, ran(again)).toBe(0);
    // kubectl delete --ignore-not-found looks for itself, and finds nothing; az is only read.
    expect(commands(deletions(again))).toEqual(['kubectl delete']);
    expect(again.stdout).toMatch(/k8s\/: nothing to delete/);
    expect(again.stdout).toMatch(/gone already/);
    expect(JSON.stringify(sb.state())).toBe(JSON.stringify(state));
    for (const run of [dry, failed, resumed, again]) neverTheVault(run);
  });

  it('keeps an identity that setup.sh did not create (no created-by tag), after deleting its federation and roles', async ({ expect }) => {
    const sb = await applied();
    sb.editState((s) => {
      for (const identity of Object.values(s.identities) as { tags?: unknown }[]) identity.tags = {};
    });
    const run = await sb.run(['teardown', 'app', '--yes']);
    expect(run.code, ran(run)).toBe(0);
    expect(commands(deletions(run))).toEqual(['kubectl delete', 'az identity federated-credential delete', 'az role assignment delete']);
    expect(Object.keys(sb.state().identities)).toHaveLength(1);
    expect(run.stdout).toMatch(/kept, it has no tag created-by=create-kv-secrets/);
    neverTheVault(run);
  });

  it('for --workload existing deletes only the objects the component adds, by kind and name, never the Deployment', async ({ expect }) => {
    const sb = await ApplySandbox.create();
    await sb.generate('app', [...WORKLOAD, '--workload', 'existing', '--deployment', 'shop', '--container', 'web']);
    const run = await sb.run(['teardown', 'app', '--dry-run']);
    expect(run.code, ran(run)).toBe(0);
    expect(run.stdout).toContain('kubectl --context myCluster delete serviceaccounts myapp-sa --namespace=production --ignore-not-found');
    expect(run.stdout).toContain('kubectl --context myCluster delete secretproviderclasses.secrets-store.csi.x-k8s.io myapp-secrets --namespace=production --ignore-not-found');
    expect(run.stdout).not.toMatch(/delete (--kustomize|deployments)/);
    expect(deletions(run)).toEqual([]);
  });

  it('without a terminal and without --yes, refuses with exit 2 naming --yes, and runs nothing', async ({ expect }) => {
    const sb = await ApplySandbox.create();
    await sb.generate('app', WORKLOAD);
    const run = await sb.run(['teardown', 'app']);
    expect(run.code, ran(run, 2)).toBe(2);
    expect(run.stderr).toContain('--yes');
    expect(run.calls).toEqual([]);
  });
});
