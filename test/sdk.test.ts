/**
 * The SDK path (`--app-kind sdk`, `--approach sdk`): the app reads Key Vault itself. Its golden folder
 * (test/golden/sdk) is compared and schema-checked by golden.test.ts; here, what only this path has:
 * a Deployment with nothing mounted and one non-secret env var, the federation and roles that serve
 * the pod itself, and README snippets that parse in the languages we can check offline.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.js';
import { DELIVERY, SDK_REFRESH_MINUTES, SDK_VAULT_URL_ENV, planSetup } from '../src/plan/index.js';
import { fileText, generate, specFrom } from './support/generate.js';
import { GOLDEN_SPECS } from './support/golden.js';

const { files, spec, plan } = generate(GOLDEN_SPECS['sdk']!.flags);
const readme = fileText(files, 'README.md');
const script = fileText(files, 'azure/setup.sh');

/** The fenced blocks of a Markdown text, by language. */
function fences(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]!);
}

const scratch = mkdtempSync(join(tmpdir(), 'kv-sdk-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the SDK path', () => {
  it('generates no SecretProviderClass, SecretStore or ExternalSecret, and a Deployment that mounts nothing', () => {
    expect(plan.decision.approach).toBe('sdk');
    expect([...files.keys()].filter((p) => p.startsWith('k8s/')).sort()).toEqual(['k8s/deployment.yaml', 'k8s/kustomization.yaml', 'k8s/serviceaccount.yaml']);
    const deployment = parse(fileText(files, 'k8s/deployment.yaml')) as Record<string, any>;
    const pod = deployment['spec']['template'];
    expect(pod['metadata']['labels']['azure.workload.identity/use']).toBe('true');
    expect(pod['spec']['serviceAccountName']).toBe(spec.serviceAccount);
    // Only the scratch /tmp volume: no CSI volume, no Secret volume.
    expect(pod['spec']['volumes']).toEqual([{ name: 'tmp', emptyDir: {} }]);
    const container = pod['spec']['containers'][0];
    // One env var, the vault URL (configuration, not a secret), and no envFrom or secretKeyRef.
    expect(container['env']).toEqual([{ name: SDK_VAULT_URL_ENV, value: `https://${spec.vault}.vault.azure.net` }]);
    expect(container['envFrom']).toBeUndefined();
  });

  it('federates the pod’s own service account and grants each object its least role, on that object', () => {
    const federations = script.split('\n').filter((l) => l.startsWith('ensure_federation '));
    expect(federations).toEqual(['ensure_federation aks-shop-shop-orders-sa shop orders-sa']);
    // Each `objects=(...)` list is followed by the loop that grants its role on each of them.
    const grants = [...script.matchAll(/^objects=\(([^)]*)\)\nfor object in "\$\{objects\[@\]\}"; do\n(?:  .*\n)*?  ensure_role "\$workload_roles" "\$principal_id" ServicePrincipal (\S+) "\$vault_id\/(\w+)\/\$object"/gm)]
      .flatMap((m) => m[1]!.split(' ').map((name) => ({ name, role: m[2]!, collection: m[3]! })));
    expect(grants.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      spec.secrets.map((o) => ({ name: o.name, role: DELIVERY[o.type].role.id, collection: DELIVERY[o.type].scopeCollection })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    // No CSI add-on and no operator: the app reads Key Vault itself.
    expect(script).not.toContain('enable-addons');
    expect(script).not.toContain('helm ');
    expect(script).toContain("kubectl rollout status deployment/%q --namespace %q\\n' orders shop");
  });

  it('says in the README when the path is best and when not, with the throttling limits and their source', () => {
    expect(readme).toContain('# Key Vault secrets for `orders`: Azure SDK in the app');
    expect(readme).toContain('Nothing secret is on disk or in the cluster at all');
    expect(readme).toContain('4,000 secret transactions per 10 seconds per vault and region');
    expect(readme).toContain('https://learn.microsoft.com/azure/key-vault/general/service-limits');
    expect(readme).toContain('https://learn.microsoft.com/azure/key-vault/general/overview-throttling');
    expect(readme).toContain(`reads it again every ${SDK_REFRESH_MINUTES} minutes`);
    // A key is read with the keys library, and the README says the role does not let it sign.
    expect(readme).toContain('`KeyClient` `getKey`');
    expect(readme).toContain('Key Vault Crypto User, which this setup does not grant');
    expect(readme).not.toContain('secretproviderclass');
  });

  it('has one snippet per language, each reading the vault URL env var and caching for the same time', () => {
    const blocks = { csharp: fences(readme, 'csharp'), java: fences(readme, 'java'), js: fences(readme, 'js'), python: fences(readme, 'python'), go: fences(readme, 'go') };
    for (const [language, found] of Object.entries(blocks)) {
      expect(found, language).toHaveLength(1);
      expect(found[0], language).toContain(SDK_VAULT_URL_ENV);
      expect(found[0], language).toContain('db-password');
    }
    // The names read from the SDKs' sources and docs (see the note of issue 15).
    expect(blocks.csharp[0]).toMatch(/new DefaultAzureCredential\(\)[\s\S]*GetSecretAsync\(name\)/);
    expect(blocks.csharp[0]).toContain(`TimeSpan.FromMinutes(${SDK_REFRESH_MINUTES})`);
    expect(blocks.java[0]).toMatch(/new SecretClientBuilder\(\)\s+\.vaultUrl\([\s\S]*\.credential\(new DefaultAzureCredentialBuilder\(\)\.build\(\)\)\s+\.buildClient\(\)/);
    expect(blocks.java[0]).toContain(`Duration.ofMinutes(${SDK_REFRESH_MINUTES})`);
    expect(blocks.js[0]).toContain(`const REFRESH_MS = ${SDK_REFRESH_MINUTES} * 60 * 1000;`);
    expect(blocks.python[0]).toContain(`REFRESH_SECONDS = ${SDK_REFRESH_MINUTES * 60}`);
    expect(blocks.go[0]).toContain('azsecrets.NewClient(os.Getenv("KEY_VAULT_URL"), cred, nil)');
    expect(blocks.go[0]).toContain('s.client.GetSecret(ctx, name, "", nil)');
    expect(blocks.go[0]).toContain(`const refresh = ${SDK_REFRESH_MINUTES} * time.Minute`);
  });

  it('the Node.js snippet parses as an ES module', () => {
    const file = join(scratch, 'secrets.mjs');
    writeFileSync(file, fences(readme, 'js')[0]!);
    const checked = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  it('the Python snippet parses', () => {
    const python = ['python3', 'python'].find((candidate) => spawnSync(candidate, ['--version']).status === 0);
    expect(python, 'python3 is not installed (apt-get install -y python3)').toBeDefined();
    const checked = spawnSync(python!, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: fences(readme, 'python')[0]!, encoding: 'utf8' });
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  it('--approach sdk gives the same folder as --app-kind sdk, with the tree’s reason against it said', () => {
    const flags = GOLDEN_SPECS['sdk']!.flags.filter((f, i, all) => f !== '--app-kind' && all[i - 1] !== '--app-kind');
    const overridden = planSetup(specFrom([...flags, '--approach', 'sdk']));
    expect(overridden.decision.approach).toBe('sdk');
    expect(overridden.decision.override?.warning).toContain('must be changed to call Key Vault through the Azure SDK');
    expect(overridden.artifacts.map((a) => a.path)).toEqual(plan.artifacts.map((a) => a.path));
  });

  it('refuses an alias: the app reads each object by its Key Vault name', async () => {
    const problems = planSetup(specFrom([...GOLDEN_SPECS['sdk']!.flags, '--secret', 'api-key:secret:API_KEY'])).problems;
    expect(problems).toEqual([{ field: '--secret', value: 'api-key:secret:API_KEY', rule: expect.stringContaining('give api-key:secret') }]);
    let stderr = '';
    const code = await main([...GOLDEN_SPECS['sdk']!.flags, '--secret', 'api-key:secret:API_KEY', '--yes', '--out', join(scratch, 'refused')], {
      stdout: () => {}, stderr: (t) => (stderr += t), cwd: scratch,
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--secret');
    expect(stderr).toContain('api-key:secret:API_KEY');
  });

  it('snippet names the SDK path’s files, and points a CSI-only name to the other setup', async () => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: scratch };
    expect(await main(['snippet', '--list', '--app-kind', 'sdk'], io)).toBe(0);
    expect(stdout).toContain('Azure SDK in the app');
    expect(stdout).toContain('deployment');
    expect(stdout).not.toContain('secretproviderclass');
    expect(await main(['snippet', 'secretproviderclass', '--app-kind', 'sdk'], io)).toBe(2);
    expect(stderr).toContain('CSI driver setup: add --app-kind new (or --approach csi)');
    stderr = '';
    expect(await main(['snippet', 'secretstore', '--app-kind', 'new'], io)).toBe(2);
    expect(stderr).toContain('External Secrets Operator setup');
  });
});
