/**
 * `create-kv-secrets doctor` end to end: the built CLI in a process of its own against the stand-ins
 * for az and kubectl (test/stand-ins), on a folder generated and applied there. A healthy world has
 * no findings; each broken one is broken in Azure's or the cluster's state exactly as a user would
 * break it, and where the fix is an az command the stand-in knows, the test runs that fix as printed
 * and doctor finds the world healthy again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplySandbox, changes, cleanUp, ran } from './support/apply-harness.js';
import type { ApplyRun } from './support/apply-harness.js';
import { STAND_INS, exec } from './support/standin-harness.js';
import { azArgvProblem } from '../src/spec/az-argv.js';
import type { StandInState } from './support/standin-harness.js';

afterAll(() => cleanUp());

const WORKLOAD = ['--yes', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster'];

interface Report {
  findings: { id: string; severity: string; message: string; evidence: Record<string, string>; fix: string[] }[];
}
const findingsOf = (run: ApplyRun) => (JSON.parse(run.stdout) as Report).findings;

/** A generated, applied folder, and a way to break a copy of its world and run doctor on it. */
async function appliedWorld(name: string, flags: string[]) {
  const sb = await ApplySandbox.create();
  await sb.generate(name, [...WORKLOAD, ...flags]);
  const applied = await sb.apply(name, { stdin: 'QZX value one\nQZX value two\n' });
  if (applied.code !== 0) throw new Error(ran(applied));
  const healthy = JSON.stringify(sb.state());
  return {
    sb,
    async doctor(breakIt: (state: StandInState) => void = () => {}, args: string[] = ['--json']) {
      sb.editState((state) => {
        for (const key of Object.keys(state)) delete state[key];
        Object.assign(state, JSON.parse(healthy));
        breakIt(state);
      });
      return sb.run(['doctor', ...(args.includes('--app') ? [] : [name]), ...args]);
    },
    /** Runs one printed fix line in a shell, with the stand-ins on the PATH. */
    async follow(line: string) {
      const env = sb.env();
      env.PATH = `${STAND_INS}:${process.env.PATH ?? ''}`;
      const result = await exec('bash', ['-c', line], { cwd: sb.dir, env });
      if (result.code !== 0) throw new Error(`${line} failed: ${result.stderr}`);
    },
  };
}

describe('create-kv-secrets doctor on a CSI setup', { timeout: 120_000 }, () => {
  let world: Awaited<ReturnType<typeof appliedWorld>>;
  beforeAll(async () => {
    world = await appliedWorld('app', ['--app', 'myapp', '--secret', 'db-password']);
  }, 120_000);

  const kube = (state: StandInState) => state.kubernetes['myRG/myCluster'];
  const principal = (state: StandInState) => (Object.values(state.identities)[0] as { principalId: string }).principalId;

  it('a healthy world: exit 0, "healthy", only reads, no secret value read', async () => {
    const run = await world.doctor(() => {}, []);
    expect(run.code, ran(run)).toBe(0);
    expect(run.stdout).toMatch(/^Pod: ok\nWorkload Identity: ok\nManaged Identity: ok\nKey Vault RBAC: ok\nSecret: ok\n\nhealthy: /m);
    expect(changes(run.calls)).toEqual([]);
    expect(run.calls.filter((c) => c.program === 'kubectl').map((c) => c.argv.slice(0, 2).join(' ')).filter((w) => !w.startsWith('get ') && w !== 'config view')).toEqual([]);
    expect(run.calls.some((c) => c.line.includes('secret show'))).toBe(false);
    // Every value doctor gives az is one --flag=value word (src/spec/az-argv.ts).
    const azCalls = run.calls.filter((c) => c.program === 'az');
    expect(azCalls.length).toBeGreaterThan(0);
    expect(azCalls.map((c) => azArgvProblem(c.argv))).toEqual(azCalls.map(() => null));
    expect(run.stdout + run.stderr).not.toContain('QZX');
    const json = await world.doctor();
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ findings: [] });
  });

  it('fic-subject-mismatch, from the state and the pod\'s AADSTS700213 event; the printed fix heals it', async () => {
    const run = await world.doctor((s) => {
      for (const list of Object.values(s.federatedCredentials) as { subject: string }[][]) for (const f of list) f.subject = 'system:serviceaccount:default:myapp-sa';
    });
    expect(run.code, ran(run, 1)).toBe(1);
    const [f, ...rest] = findingsOf(run);
    expect(rest).toEqual([]);
    expect(f!.id).toBe('fic-subject-mismatch');
    expect(Object.values(f!.evidence).join('\n')).toContain('AADSTS700213');
    await world.follow(f!.fix[0]!);
    const after = await world.sb.run(['doctor', 'app']);
    expect(after.code, ran(after)).toBe(0);
  });

  it('role-missing: the printed grant heals it', async () => {
    const run = await world.doctor((s) => {
      s.roleAssignments = (s.roleAssignments as { principalId: string }[]).filter((a) => a.principalId !== principal(s));
    });
    expect(run.code, ran(run, 1)).toBe(1);
    const found = findingsOf(run);
    expect(found.map((f) => f.id)).toEqual(['role-missing']);
    expect(found[0]!.fix[0]).toMatch(/^az role assignment create --role=4633458b-17de-408a-b874-0445c86b69e6 --assignee-object-id=\S+ --assignee-principal-type=ServicePrincipal --scope=\/subscriptions\/\S+\/vaults\/myapp-kv\/secrets\/db-password$/);
    await world.follow(found[0]!.fix[0]!);
    expect((await world.sb.run(['doctor', 'app'])).code).toBe(0);
  });

  it('vault-access-policies: the printed update heals it', async () => {
    const run = await world.doctor((s) => { (Object.values(s.vaults)[0] as any).properties.enableRbacAuthorization = false; });
    const found = findingsOf(run);
    // Nobody may list an access-policy vault's secrets through RBAC: doctor cannot tell whether they are there.
    expect(found.map((f) => [f.id, f.severity])).toEqual([['vault-access-policies', 'error'], ['object-missing', 'unknown']]);
    await world.follow(found[0]!.fix[0]!);
    expect((await world.sb.run(['doctor', 'app'])).code).toBe(0);
  });

  it('object-missing, with the pod\'s SecretNotFound event as evidence; the fix runs setup.sh, which asks for the value', async () => {
    const run = await world.doctor((s) => { delete (s.vaultData['myapp-kv'] as any).secrets['db-password']; });
    const found = findingsOf(run);
    expect(found.map((f) => f.id)).toEqual(['object-missing']);
    expect(Object.values(found[0]!.evidence).join('\n')).toContain('SecretNotFound');
    expect(found[0]!.fix).toEqual(['bash app/azure/setup.sh']);
  });

  it('clientid-mismatch: the SecretProviderClass names the principalId', async () => {
    const run = await world.doctor((s) => {
      const spc = Object.values(kube(s).objects).find((o: any) => o.kind === 'SecretProviderClass') as any;
      spc.spec.parameters.clientID = principal(s);
    });
    const found = findingsOf(run);
    expect(found.map((f) => f.id)).toEqual(['clientid-mismatch']);
    expect(found[0]!.message).toContain('principalId (object ID), not its clientId');
    expect(Object.values(found[0]!.evidence).join('\n')).toContain('AADSTS700016');
  });

  it('spc-missing, and the human report ends with the first thing to fix', async () => {
    const run = await world.doctor((s) => {
      for (const [key, o] of Object.entries(kube(s).objects)) if ((o as any).kind === 'SecretProviderClass') delete kube(s).objects[key];
    }, []);
    expect(run.code, ran(run, 1)).toBe(1);
    expect(run.stdout).toContain('  x spc-missing: Volume secrets-store mounts SecretProviderClass myapp-secrets');
    expect(run.stdout).toMatch(/First to fix: spc-missing\n  kubectl apply --server-side -k app\/k8s\n$/);
  });

  it('a cluster kubectl cannot reach: unknown, never healthy', async () => {
    const run = await world.doctor((s) => { kube(s).unreachable = true; });
    expect(run.code, ran(run, 1)).toBe(1);
    const found = findingsOf(run);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.severity === 'unknown')).toBe(true);
    expect(found.map((f) => f.id)).toContain('workload-missing');
  });

  it('kubectl leading to another cluster: every cluster read is unknown, and says how to point it there', async () => {
    const run = await world.doctor((s) => { (s.clusters['myRG/myCluster'] as { fqdn: string }).fqdn = 'mycluster-elsewhere.hcp.eastus.azmk8s.io'; });
    const found = findingsOf(run);
    const kubeFindings = found.filter((f) => ['workload-missing', 'spc-missing'].includes(f.id));
    expect(kubeFindings.length).toBeGreaterThan(0);
    for (const f of kubeFindings) {
      expect(f.severity).toBe('unknown');
      expect(Object.values(f.evidence).join('\n')).toContain("kubectl's current context leads to mycluster-myrg-5f3c1e-2a7b9c41.hcp.eastus.azmk8s.io, not to cluster myCluster");
    }
  });

  it('apply names doctor when a verification step fails', async () => {
    await world.doctor();
    const run = await world.sb.apply('app', { stdin: 'closed', env: { STANDIN_FAIL: 'rollout status' } });
    expect(run.code, ran(run, 1)).toBe(1);
    expect(run.stderr + run.stdout).toContain('Find out which link of the chain is broken, and the command that fixes it: create-kv-secrets doctor app');
  });

  it('bad usage exits 2', async () => {
    expect((await world.sb.run(['doctor', 'app', '--force'])).code).toBe(2);
    expect((await world.sb.run(['doctor', 'nowhere'])).code).toBe(2);
    const flagsOnly = await world.sb.run(['doctor', '--namespace', 'production']);
    expect(flagsOnly.code).toBe(2);
    expect(flagsOnly.stderr).toContain('--app');
  });

  it('flags only: the same diagnosis from the names', async () => {
    const run = await world.doctor(() => {}, ['--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster', '--service-account', 'myapp-sa']);
    expect(run.code, ran(run)).toBe(0);
    expect(run.stdout).toContain('healthy');
  });
});

describe('create-kv-secrets doctor on an External Secrets Operator setup', { timeout: 120_000 }, () => {
  let world: Awaited<ReturnType<typeof appliedWorld>>;
  beforeAll(async () => {
    world = await appliedWorld('legacy', ['--app', 'legacy', '--app-kind', 'legacy', '--secret', 'db-password']);
  }, 120_000);

  it('healthy', async () => {
    const run = await world.doctor(() => {}, []);
    expect(run.code, ran(run)).toBe(0);
  });

  it('a role taken away: role-missing, and the ExternalSecret is not Ready with the store\'s ForbiddenByRbac', async () => {
    const run = await world.doctor((s) => { s.roleAssignments = (s.roleAssignments as { principalType: string }[]).filter((a) => a.principalType !== 'ServicePrincipal'); });
    const found = findingsOf(run);
    expect(found.map((f) => f.id)).toEqual(['role-missing', 'externalsecret-not-ready']);
    expect(found[1]!.message).toContain('ForbiddenByRbac');
    expect(Object.values(found[0]!.evidence).join('\n')).toContain('ForbiddenByRbac');
  });
});
