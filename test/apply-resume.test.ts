/**
 * A failure at each step of `create-kv-secrets apply`, and the re-run that resumes past it; Ctrl-C.
 *
 * Each chain is one sandbox and a run per link: a run with a failure injected at the next step (the
 * stand-ins' STANDIN_FAIL, or a file the script cannot write, or no value on stdin) must stop exactly
 * there (exit 1, the step named, its stderr shown, how to resume, nothing after it run), and is itself
 * the resume of the previous failure: it must get past the step that failed before. The last run of
 * each chain, with nothing injected, completes. Chains run side by side; together they cover every
 * step of azure/setup.sh (CSI, and the operator install of ESO) and every step of apply's own.
 *
 * Ctrl-C (SIGINT to the CLI's process group, as a terminal sends it; STANDIN_SLOW makes a call slow
 * enough to interrupt): azure/setup.sh stops at once, a `kubectl apply` in flight is let finish; exit
 * 130, and a re-run completes. All in one file so that the runs share the machine's cores (vitest runs
 * test files one after another on a two-core machine).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import type { ExpectStatic } from 'vitest';
import { ApplySandbox, cleanUp, changes, kubectlCalls, ran } from './support/apply-harness.js';
import type { ApplyRun } from './support/apply-harness.js';

const WORKLOAD = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster', '--secret', 'db-password'];
const VALUE = 'QZX resumed value\n';
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

afterAll(() => cleanUp());

interface Link {
  /** The step the run must stop at. */
  step: string;
  /** STANDIN_FAIL for the run. */
  fail?: string;
  /** What the step's stderr must show. */
  shows: string;
  stdin?: string | 'closed';
  before?: (sb: ApplySandbox) => void;
  after?: (sb: ApplySandbox) => void;
}

const SCRIPT_STEPS = {
  check: 'Checking the Azure CLI and the sign-in',
  cluster: 'Turning on the OIDC issuer and Workload Identity on myCluster',
  addon: 'Turning on the Secrets Store CSI Driver add-on (azure-keyvault-secrets-provider)',
  eso: 'Installing the External Secrets Operator 2.9.0',
  vault: 'Key Vault myapp-kv',
  access: 'Letting you manage secrets in myapp-kv',
  upload: 'Uploading secret values that are not in myapp-kv yet',
  identity: 'Managed identity myapp-identity',
  federation: "Federating myapp-identity with the workload's service account",
  roles: 'Granting myapp-identity read access to each object, and nothing else',
  ids: 'Writing the IDs into the generated files',
};
const INJECTED = (substring: string) => `(InjectedFailure) STANDIN_FAIL '${substring}'`;

/** Runs the links, then a clean run; checks each stop and each resume. */
async function chain(expect: ExpectStatic, flags: string[], links: Link[]): Promise<ApplyRun> {
  const sb = await ApplySandbox.create();
  await sb.generate('app', flags);
  let previous: Link | undefined;
  for (const link of links) {
    link.before?.(sb);
    const run = await sb.apply('app', { stdin: link.stdin ?? VALUE, env: link.fail ? { STANDIN_FAIL: link.fail } : {} });
    link.after?.(sb);
    const context = `stopping at "${link.step}":\n${ran(run, 1)}`;
    expect(run.code, context).toBe(1);
    expect(run.stderr, context).toContain(`create-kv-secrets apply: stopped at "${link.step}":\n`);
    expect(run.stderr, context).toContain(link.shows);
    expect(run.stderr).toContain('Fix the cause, then resume with:\n  create-kv-secrets apply app\n');
    expect(run.stdout, context).toMatch(new RegExp(`\\n  ✗ ${link.step.replace(/[()]/g, '\\$&')}\\n`));
    // The step before, which failed last time, is done now (the resume got past it).
    if (previous && previous.step !== link.step) expect(run.stdout, context).not.toContain(`  ✗ ${previous.step}\n`);
    previous = link;
  }
  const last = await sb.apply('app', { stdin: VALUE });
  expect(last.code, `the final resume:\n${ran(last)}`).toBe(0);
  expect(last.stdout).toContain('\nDone: app is applied to myCluster.\n');
  return last;
}

/** No calls that reach the cluster: the run stopped in azure/setup.sh. */
const stoppedInScript = (expect: ExpectStatic) => (sb: ApplySandbox) => {
  expect(Object.keys(sb.kube().objects)).toEqual([]);
};

describe.concurrent('create-kv-secrets apply: resuming', { timeout: 120_000 }, () => {
describe('a failure at each step, then a resume', () => {
  it('CSI, every step of azure/setup.sh: sign-in, cluster, add-on, vault, your access, values, identity, federation, roles, IDs', async ({ expect }) => {
    const inScript = stoppedInScript(expect);
    const tmpDir = (sb: ApplySandbox) => join(sb.dir, 'app', 'k8s', 'serviceaccount.yaml.tmp');
    await chain(expect, WORKLOAD, [
      { step: SCRIPT_STEPS.check, fail: '--query={cloud:environmentName', shows: INJECTED('--query={cloud:environmentName'), after: inScript },
      { step: SCRIPT_STEPS.cluster, fail: 'aks update', shows: INJECTED('aks update'), after: inScript },
      { step: SCRIPT_STEPS.addon, fail: 'aks enable-addons', shows: INJECTED('aks enable-addons'), after: inScript },
      { step: SCRIPT_STEPS.vault, fail: 'keyvault create', shows: INJECTED('keyvault create'), after: inScript },
      // Tried once and once per retry delay (KV_SECRETS_RETRY_DELAYS='0 0 0'), then given up.
      { step: SCRIPT_STEPS.access, fail: 'role assignment create', shows: 'still fails after 4 tries', after: inScript },
      {
        step: SCRIPT_STEPS.upload,
        stdin: 'closed',
        shows: 'no value given for db-password; Key Vault does not store empty secrets.\nGive each value on a line of its own on stdin, in this order: db-password',
        after: inScript,
      },
      { step: SCRIPT_STEPS.identity, fail: 'identity create', shows: INJECTED('identity create'), after: inScript },
      { step: SCRIPT_STEPS.federation, fail: 'federated-credential create', shows: INJECTED('federated-credential create'), after: inScript },
      { step: SCRIPT_STEPS.roles, fail: `--assignee-principal-type=ServicePrincipal --role=${SECRETS_USER}`, shows: 'still fails after 4 tries', after: inScript },
      {
        // A file the script cannot write: it stops half-way through filling the IDs; the resume fills the rest.
        step: SCRIPT_STEPS.ids,
        shows: 'serviceaccount.yaml.tmp: Is a directory',
        before: (sb) => mkdirSync(tmpDir(sb)),
        after: (sb) => {
          inScript(sb);
          rmSync(tmpDir(sb), { recursive: true });
        },
      },
    ]);
  });

  it("CSI, apply's own steps: namespace, dry run, apply, rollout, the mounted files", async ({ expect }) => {
    const last = await chain(expect, WORKLOAD, [
      {
        step: 'Namespace production',
        fail: 'create namespace production',
        shows: INJECTED('create namespace production'),
        after: (sb) => expect(sb.kube().namespaces).not.toContain('production'),
      },
      {
        step: 'Server-side dry run of k8s/',
        fail: '--dry-run=server',
        shows: 'The API server refused the folder in a dry run: nothing of it (or of the folders after it) was applied.',
        after: (sb) => expect(Object.keys(sb.kube().objects)).toEqual([]),
      },
      { step: 'Applying k8s/', fail: '--field-manager=create-kv-secrets$', shows: INJECTED('--field-manager=create-kv-secrets$') },
      { step: 'Rollout of deployment/myapp in production', fail: 'rollout status', shows: 'See why: kubectl --context myCluster describe pods --selector app.kubernetes.io/name=myapp --namespace production' },
      { step: 'Files the pod of myapp sees in /mnt/secrets', fail: 'exec deployment/myapp', shows: INJECTED('exec deployment/myapp') },
    ]);
    // Everything in Azure was done by the runs before: the last one only deploys.
    expect(changes(last.calls).filter((c) => c.program === 'az')).toEqual([]);
  });

  it('ESO: the operator install, and the ExternalSecret that is not Ready', async ({ expect }) => {
    const last = await chain(expect, [...WORKLOAD, '--app-kind', 'legacy'], [
      { step: SCRIPT_STEPS.eso, fail: 'helm upgrade', shows: INJECTED('helm upgrade') },
      { step: 'ExternalSecrets of myapp in production', fail: 'kubectl --context myCluster wait', shows: 'See why: kubectl --context myCluster describe externalsecret' },
    ]);
    expect(last.calls.filter((c) => c.program === 'helm').map((c) => c.argv[0])).toEqual(['version', 'status']);
    expect(kubectlCalls(last, 'wait')).toHaveLength(1);
  });
});

// ---- Ctrl-C, sent as a terminal sends it: SIGINT to the CLI's whole process group ---------------
describe('Ctrl-C', () => {
  it('during azure/setup.sh: exit 130, the step named, nothing after it run', async ({ expect }) => {
    const sb = await ApplySandbox.create();
    await sb.generate('app', WORKLOAD);
    const run = await sb.apply('app', { stdin: VALUE, env: { STANDIN_SLOW: 'identity create:3000' }, interruptWhen: '▸ Managed identity', interruptDelayMs: 300 });
    expect(run.code, ran(run, 130)).toBe(130);
    expect(run.stderr).toContain('create-kv-secrets apply: cancelled during "Managed identity myapp-identity"; nothing after it was run');
    expect(run.stderr).toContain('Resume with:\n  create-kv-secrets apply app\n');
    expect(run.calls.filter((c) => c.line.includes('federated-credential') || (c.program === 'kubectl' && c.argv.includes('apply')))).toEqual([]);
    expect(sb.state().identities).toEqual({});
  });

  it('during kubectl apply: the apply in flight finishes (no folder applied in part), then exit 130; the re-run completes', async ({ expect }) => {
    const sb = await ApplySandbox.create();
    await sb.generate('app', WORKLOAD);
    const run = await sb.apply('app', {
      stdin: VALUE,
      // Each object takes 400 ms to apply: Ctrl-C lands after the first.
      env: { STANDIN_SLOW: '--field-manager=create-kv-secrets:400' },
      interruptWhen: '▸ Applying k8s/',
      interruptDelayMs: 200,
    });
    expect(run.code, ran(run, 130)).toBe(130);
    expect(run.stdout).toContain('Ctrl-C: letting kubectl apply of k8s/ finish, so that no manifest is left applied in part');
    expect(run.stderr).toContain('create-kv-secrets apply: cancelled during "Applying k8s/"');
    expect(Object.keys(sb.kube().objects).sort()).toEqual(['Deployment/production/myapp', 'SecretProviderClass/production/myapp-secrets', 'ServiceAccount/production/myapp-sa']);
    expect(kubectlCalls(run, 'rollout')).toEqual([]);
    const resumed = await sb.apply('app', { stdin: 'closed' });
    expect(resumed.code, ran(resumed)).toBe(0);
  });
});
});
