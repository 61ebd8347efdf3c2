/**
 * The ingress branch and the image-pull advice, in the core: what each ingress choice leads to with
 * each approach, the problems that name their flag, and the advice per registry.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fileText, generate } from './support/generate.js';
import { GOLDEN_SPECS } from './support/golden.js';
import { INGRESS_QUESTION, decideIngress, imagePullAdvice, registryOf } from '../src/decide/index.js';
import { planSetup } from '../src/plan/index.js';
import { buildSpec } from '../src/spec/index.js';
import type { Spec } from '../src/spec/index.js';
import { parseArgv } from '../src/cli/options.js';

const BASE = ['--app', 'web', '--resource-group', 'rg', '--cluster', 'aks', '--secret', 'db-password'];

function spec(...flags: string[]): Spec {
  const built = buildSpec(parseArgv([...BASE, ...flags]).input);
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  return built.spec;
}

describe('the ingress branch of the tree', () => {
  it('has a reason for every choice, and leads each choice to its TLS path per approach', () => {
    expect(INGRESS_QUESTION.choices.map((c) => c.value)).toEqual(['none', 'app-routing', 'nginx']);
    for (const choice of INGRESS_QUESTION.choices) expect(choice.reason.length).toBeGreaterThan(20);
    expect(decideIngress('none', 'csi')).toBeNull();
    expect(decideIngress('app-routing', 'eso')?.tls).toBe('app-routing');
    expect(decideIngress('app-routing', 'sdk')?.tls).toBe('app-routing');
    expect(decideIngress('nginx', 'csi')?.tls).toBe('csi-sync');
    expect(decideIngress('nginx', 'eso')?.tls).toBe('eso-sync');
    expect(decideIngress('nginx', 'sdk')).toBeNull();
  });

  it('refuses what does not fit together, naming the flag', () => {
    const problems = (s: Spec) => planSetup(s).problems.map((p) => `${p.field} ${p.value}: ${p.rule}`);
    expect(problems(spec('--ingress', 'app-routing'))).toEqual([
      '--host : is required with --ingress app-routing (pass --host FQDN)',
      '--tls-cert : is required with --ingress app-routing (pass --tls-cert NAME, a Key Vault certificate)',
    ]);
    expect(problems(spec('--host', 'a.example.com', '--port', '3000'))).toEqual([
      '--host a.example.com: needs --ingress app-routing or --ingress nginx (--ingress is none)',
      '--port 3000: needs --ingress app-routing or --ingress nginx (--ingress is none)',
    ]);
    expect(problems(spec('--ingress', 'nginx', '--host', 'a.example.com', '--tls-cert', 'db-password'))).toEqual([
      '--tls-cert db-password: is also given as --secret db-password:secret; a TLS certificate is a cert',
    ]);
    expect(problems(spec('--app-kind', 'sdk', '--ingress', 'nginx', '--host', 'a.example.com', '--tls-cert', 'c'))[0]).toMatch(/^--ingress nginx: needs a kubernetes.io\/tls Secret/);
  });

  it('rejects a bad host or port at the flag, as every flag does', () => {
    const built = buildSpec(parseArgv([...BASE, '--ingress', 'nginx', '--host', '10.0.0.1', '--port', '70000', '--tls-cert', 'c']).input);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.problems.map((p) => p.field)).toEqual(['--host', '--port']);
  });

  it('keeps a certificate that is also delivered to the app one TLS Secret (ESO)', () => {
    const plan = planSetup(spec('--app-kind', 'legacy', '--secret', 'web-tls:cert', '--ingress', 'nginx', '--host', 'a.example.com', '--tls-cert', 'web-tls'));
    expect(plan.view.eso.syncedTlsSecrets.map((t) => t.name)).toEqual(['web-web-tls-tls']);
    expect(plan.view.ingress.tlsSecret).toBe('web-web-tls-tls');
  });
});

describe('image-pull advice', () => {
  it('reads the registry as the container runtime does', () => {
    expect(registryOf('nginx:1.27')).toBe('docker.io');
    expect(registryOf('library/nginx')).toBe('docker.io');
    expect(registryOf('localhost:5000/app')).toBe('localhost:5000');
    expect(registryOf('Contoso.azurecr.io/app@sha256:00')).toBe('contoso.azurecr.io');
  });

  it('gives ACR the kubelet identity with AcrPull and no secret; another private registry ESO', () => {
    const acr = imagePullAdvice('contoso.azurecr.io/web:1', { resourceGroup: 'rg', cluster: 'aks' });
    expect(acr.kind).toBe('acr');
    expect(acr.azArgv).toEqual(['aks', 'update', '--resource-group=rg', '--name=aks', '--attach-acr=contoso']);
    const other = imagePullAdvice('registry.corp.example/web:1', { resourceGroup: 'rg', cluster: 'aks' });
    expect(other.kind).toBe('other');
    expect(other.azArgv).toBeNull();
    expect(other.text).toContain('kubernetes.io/dockerconfigjson');
    expect(other.text).toContain('External Secrets Operator');
    expect(imagePullAdvice('ghcr.io/acme/web:1', { resourceGroup: 'rg', cluster: 'aks' }).kind).toBe('public');
  });

  it('the README gives the ACR command with each word quoted for the shell, as a resource group with parentheses needs', () => {
    const flags = GOLDEN_SPECS['ingress-app-routing']!.flags.map((flag, i, all) => (all[i - 1] === '--resource-group' ? 'rg(prod)' : flag));
    const readme = fileText(generate([...flags, '--image', 'contoso.azurecr.io/web:1']).files, 'README.md');
    const command = /## Image pulls[\s\S]*?```bash\n(.*)\n```/.exec(readme)?.[1];
    expect(command).toBe("az aks update '--resource-group=rg(prod)' --name=myCluster --attach-acr=contoso");
    expect(spawnSync('bash', ['-n', '-c', command!]).status).toBe(0);
  });
});
