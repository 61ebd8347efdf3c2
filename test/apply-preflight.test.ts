/**
 * `create-kv-secrets apply` refuses to start, changing nothing, when a check fails: each failure names
 * what is wrong and the command that fixes it (exit 1). Where that command is one the stand-ins know,
 * the test runs it as printed and the checks then pass. Two findings are warnings, not failures.
 * Stand-ins: test/stand-ins (az, kubectl, helm); harness: test/support/apply-harness.ts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import type { ExpectStatic } from 'vitest';
import { ApplySandbox, cleanUp, changes, ran } from './support/apply-harness.js';
import type { ApplyRun } from './support/apply-harness.js';
import type { StandInState } from './support/standin-harness.js';

const WORKLOAD = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster'];
const CSI = [...WORKLOAD, '--secret', 'db-password'];
const ESO = [...CSI, '--app-kind', 'legacy'];
const GET_CREDENTIALS = 'az aks get-credentials --resource-group=myRG --name=myCluster';

afterAll(() => cleanUp());

/** Exit 1 before any change, with the message and each fix printed. */
function expectRefused(expect: ExpectStatic, run: ApplyRun, message: string, fixes: string[]): void {
  expect(run.code, ran(run, 1)).toBe(1);
  expect(run.stderr, ran(run, 1)).toContain(`create-kv-secrets apply: ${message}; nothing was changed.\n`);
  const fixBlock = fixes.length > 0 ? `Fix:\n${fixes.map((f) => `  ${f}\n`).join('')}` : '';
  expect(run.stderr).toContain(`${fixBlock}Then run again:\n  create-kv-secrets apply app\n`);
  expect(run.stdout).toContain(`  ✗ ${message}\n`);
  expect(changes(run.calls).map((c) => c.line)).toEqual([]);
  expect(run.bashArgv).toEqual([]);
}

/** A sandbox with a generated folder `app`. */
async function scene(flags: string[], edit?: (state: StandInState) => void, options: { credentials?: boolean } = {}) {
  const sb = await ApplySandbox.create(edit, options);
  await sb.generate('app', flags);
  return sb;
}

async function follow(sb: ApplySandbox, command: string) {
  const words = command.split(' ');
  // Quoted words (a subscription name) are not needed by the fixes followed here.
  const result = await sb.scene(...words.slice(1));
  if (result.code !== 0) throw new Error(`${command} failed: ${result.stderr}`);
}

const editKube = (edit: (kube: StandInState) => void) => (s: StandInState) => {
  s.kubernetes = { 'myRG/myCluster': { namespaces: ['default', 'kube-node-lease', 'kube-public', 'kube-system'], objects: {}, releases: {}, denied: [] } };
  edit(s.kubernetes['myRG/myCluster']);
};

describe.concurrent('create-kv-secrets apply: preflight', { timeout: 60_000 }, () => {
  it('az not installed', async ({ expect }) => {
    const sb = await scene(CSI);
    const run = await sb.apply('app', { path: sb.binDir(['kubectl', 'helm', 'node']) });
    expectRefused(expect, run, 'the Azure CLI (az) is not installed', ['https://learn.microsoft.com/cli/azure/install-azure-cli']);
  });

  it('az too old', async ({ expect }) => {
    const sb = await scene(CSI, (s) => { s.azVersion = '2.46.0'; });
    expectRefused(expect, await sb.apply('app'), 'az 2.46.0 is too old; azure/setup.sh needs 2.47.0 or later', ['az upgrade']);
  });

  it('az not signed in', async ({ expect }) => {
    const sb = await scene(CSI, (s) => { s.signedIn = false; }, { credentials: false });
    expectRefused(expect, await sb.apply('app'), 'az is not signed in', ['az login']);
  });

  it('az set to another cloud', async ({ expect }) => {
    const sb = await scene(CSI, (s) => { s.cloud = 'AzureUSGovernment'; });
    expectRefused(expect, await sb.apply('app'), 'az is set to cloud AzureUSGovernment, but this setup is for AzureCloud', ['az cloud set --name=AzureCloud', 'az login']);
  });

  it('another subscription selected than kv-secrets.yaml names: the printed az account set fixes it', async ({ expect }) => {
    const sb = await ApplySandbox.create();
    const dev = sb.state().subscriptionId as string;
    await sb.generate('app', [...CSI, '--subscription', dev]);
    sb.editState((s) => { s.subscriptionId = s.subscriptions[1].id; });
    const run = await sb.apply('app');
    const fix = `az account set --subscription=${dev}`;
    expectRefused(expect, run, `az has subscription Contoso Prod (${sb.state().subscriptionId}) selected, but kv-secrets.yaml names ${dev}`, [fix]);
    await follow(sb, fix);
    const again = await sb.apply('app', { args: ['--dry-run'] });
    expect(again.code, ran(again)).toBe(0);
  });

  it('the cluster is not in the resource group', async ({ expect }) => {
    const sb = await scene([...CSI.map((f) => (f === 'myCluster' ? 'otherCluster' : f))]);
    const run = await sb.apply('app');
    expectRefused(expect, run, 'AKS cluster otherCluster was not found in resource group myRG of subscription Contoso Dev; find it, then correct cluster and resourceGroup in kv-secrets.yaml (or select its subscription)', [
      "az aks list '--query=[].{name:name, resourceGroup:resourceGroup}' --output=table",
    ]);
    expect(run.stderr).toContain("ResourceNotFound");
  });

  it('kubectl not installed', async ({ expect }) => {
    const sb = await scene(CSI);
    expectRefused(expect, await sb.apply('app', { path: sb.binDir(['az', 'helm', 'node']) }), 'kubectl is not installed', ['az aks install-cli']);
  });

  it('a resource group whose name starts with "-": az gets it glued to its option, so it is read as the value', async ({ expect }) => {
    const flags = CSI.map((f, i) => (CSI[i - 1] === '--resource-group' ? '' : f === '--resource-group' ? '--resource-group=-rg' : f)).filter(Boolean);
    const sb = await scene(flags, (s) => {
      s.resourceGroups['-rg'] = s.resourceGroups['myRG'];
      s.clusters['-rg/myCluster'] = { ...s.clusters['myRG/myCluster'], resourceGroup: '-rg' };
    });
    const run = await sb.apply('app', { args: ['--dry-run'] });
    expect(run.stdout, ran(run)).toContain('  ✓ AKS cluster myCluster in -rg');
    expect(run.calls.filter((c) => c.program === 'az' && c.argv.includes('--resource-group=-rg')).length).toBeGreaterThan(0);
  });

  it('kubectl without a current context', async ({ expect }) => {
    const sb = await scene(CSI, undefined, { credentials: false });
    expectRefused(expect, await sb.apply('app'), 'kubectl has no current context', [GET_CREDENTIALS]);
  });

  it("kubectl's context leads to another cluster: the printed az aks get-credentials fixes it", async ({ expect }) => {
    const sb = await scene(CSI, (s) => {
      s.clusters['myRG/otherCluster'] = { ...s.clusters['myRG/myCluster'], name: 'otherCluster', fqdn: 'othercluster-myrg-0a1b2c-11111111.hcp.eastus.azmk8s.io' };
    });
    await follow(sb, 'az aks get-credentials --resource-group myRG --name otherCluster');
    expectRefused(expect, await sb.apply('app'), "kubectl's current context otherCluster leads to othercluster-myrg-0a1b2c-11111111.hcp.eastus.azmk8s.io, not to AKS cluster myCluster", [GET_CREDENTIALS]);
    await follow(sb, GET_CREDENTIALS);
    const again = await sb.apply('app', { args: ['--dry-run'] });
    expect(again.code, ran(again)).toBe(0);
    expect(again.stdout).toContain('  ✓ kubectl context myCluster leads to myCluster (https://mycluster-myrg-5f3c1e-2a7b9c41.hcp.eastus.azmk8s.io:443)\n');
  });

  it('helm not installed, for the External Secrets Operator', async ({ expect }) => {
    const sb = await scene(ESO);
    const run = await sb.apply('app', { path: sb.binDir(['az', 'kubectl', 'node']) });
    expectRefused(expect, run, 'helm is not installed; azure/setup.sh installs the External Secrets Operator with it (or regenerate with --no-install-eso when the operator is installed by other means)', [
      'https://helm.sh/docs/intro/install/',
    ]);
  });

  it('k8s/ does not build', async ({ expect }) => {
    const sb = await scene(CSI);
    rmSync(join(sb.dir, 'app', 'k8s', 'deployment.yaml'));
    const run = await sb.apply('app');
    expectRefused(expect, run, 'k8s/ does not build', ['create-kv-secrets --config app/kv-secrets.yaml --out app --force']);
    expect(run.stderr).toContain('deployment.yaml: no such file or directory');
  });

  it('the cluster does not answer', async ({ expect }) => {
    const sb = await scene(CSI, editKube((k) => { k.unreachable = true; }));
    const run = await sb.apply('app');
    expectRefused(expect, run, 'kubectl cannot reach cluster myCluster through context myCluster', ['kubectl --context myCluster get namespaces']);
    expect(run.stderr).toContain('Unable to connect to the server');
  });

  it('no right to create a kind the folder holds', async ({ expect }) => {
    const sb = await scene(CSI, editKube((k) => { k.denied = ['create deployments.apps']; }));
    expectRefused(expect, await sb.apply('app'), 'you may not create deployments.apps in namespace production (kubectl auth can-i says no); a cluster admin can grant it, for example:', [
      'kubectl create rolebinding create-kv-secrets-apply --clusterrole admin --user alice@contoso.example --namespace production',
    ]);
  });

  it('no right to create the missing namespace', async ({ expect }) => {
    const sb = await scene(CSI, editKube((k) => { k.denied = ['create namespaces']; }));
    expectRefused(expect, await sb.apply('app'), 'you may not create namespaces in the cluster (kubectl auth can-i says no); a cluster admin can grant it, for example:', [
      'kubectl create clusterrolebinding create-kv-secrets-apply --clusterrole cluster-admin --user alice@contoso.example',
    ]);
  });

  // ---- Warnings --------------------------------------------------------------------------------
  it('no exec rights: a warning, and the files are not listed', async ({ expect }) => {
    const sb = await scene(CSI, editKube((k) => { k.denied = ['create pods/exec']; }));
    const run = await sb.apply('app', { args: ['--dry-run'] });
    expect(run.code, ran(run)).toBe(0);
    expect(run.stdout).toContain('  ! you may not exec into pods in namespace production: the files the pods see are not listed (the rollout still shows they mounted)\n');
    expect(run.stdout).not.toContain(' -- ls ');
  });

  it('an Azure role without Microsoft.Authorization: a warning naming the fix; the run then stops at the first role assignment', async ({ expect }) => {
    const sb = await scene(CSI, (s) => {
      s.armPermissions = { [s.users[0].id]: [{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/*/Delete'] }] };
    });
    const run = await sb.apply('app', { stdin: 'QZX value\n' });
    expect(run.stdout).toContain('  ! your role on myRG may not let azure/setup.sh assign the Key Vault roles\n      (Microsoft.Authorization/roleAssignments/write)\n');
    expect(run.stdout).toMatch(/ {6}az role assignment create --assignee=alice@contoso\.example --role=Owner --scope=\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/myRG\n/);
    expect(run.code, ran(run, 1)).toBe(1);
    expect(run.stderr).toContain('create-kv-secrets apply: stopped at "Letting you manage secrets in myapp-kv":');
    expect(run.stderr).toContain("(AuthorizationFailed) The client 'alice@contoso.example'");
  });
});
