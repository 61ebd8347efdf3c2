/**
 * `create-kv-secrets apply` with an ingress, against the stand-ins for az and kubectl: application
 * routing turned on with its identity's role, and the Service and Ingress applied with the rest.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { ApplySandbox, cleanUp, ran } from './support/apply-harness.js';
import { once } from './support/standin-harness.js';

afterAll(() => cleanUp());

const FLAGS = [
  '--yes', '--app', 'web', '--namespace', 'shop', '--resource-group', 'myRG', '--cluster', 'myCluster', '--secret', 'db-password',
  '--ingress', 'app-routing', '--host', 'web.example.com', '--tls-cert', 'web-tls', '--out', 'web',
];

describe('create-kv-secrets apply with an ingress', { timeout: 120_000 }, () => {
  const applied = once(async () => {
    const sb = await ApplySandbox.create();
    // The first run stops for the certificate, which only its owner can import; then it goes on.
    const stopped = await sb.run([...FLAGS, '--apply'], { stdin: 'QZX db\n' });
    writeFileSync(join(sb.dir, 'web-tls.pfx'), 'stand-in PKCS#12 bytes');
    const imported = await sb.scene('keyvault', 'certificate', 'import', '--vault-name', 'web-kv', '--name', 'web-tls', '--file', join(sb.dir, 'web-tls.pfx'));
    if (imported.code !== 0) throw new Error(`certificate import failed: ${imported.stderr}`);
    const run = await sb.run(['apply', 'web'], { stdin: 'closed' });
    return { stopped, run, state: sb.state(), kube: sb.kube() };
  });

  it('applies the Service and the Ingress with the application routing annotation, after the Azure side', async ({ expect }) => {
    const { stopped, run, state, kube } = await applied();
    expect(stopped.code).not.toBe(0);
    expect(stopped.stdout + stopped.stderr).toContain('certificate web-tls is missing');
    expect(run.code, ran(run)).toBe(0);
    expect(state.clusters['myRG/myCluster'].ingressProfile.webAppRouting.enabled).toBe(true);
    const ingress = kube.objects['Ingress/shop/web'];
    expect(ingress.metadata.annotations['kubernetes.azure.com/tls-cert-keyvault-uri']).toBe('https://web-kv.vault.azure.net/certificates/web-tls');
    expect(ingress.spec.tls).toEqual([{ hosts: ['web.example.com'], secretName: 'keyvault-web' }]);
    expect(kube.objects['Service/shop/web'].spec.selector).toEqual({ 'app.kubernetes.io/name': 'web' });
  });
});
