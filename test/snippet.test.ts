import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../src/cli/main.js';
import { artifactsFor } from '../src/plan/index.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

const FENCE = /^\*\*(?<path>[^*]+)\*\*: .+\n\n(?<fence>`{3,})(?<language>\w+)\n(?<body>[\s\S]*)\n\k<fence>\n$/;

describe.each([
  ['csi', []],
  ['eso', ['--app-kind', 'legacy']],
] as const)('snippets of the %s setup', (approach, flags) => {
  const names = artifactsFor(approach).map((a) => a.snippet);

  it('lists every name with its description', async () => {
    const { code, stdout } = await run(['snippet', '--list', ...flags]);
    expect(code).toBe(0);
    for (const a of artifactsFor(approach)) expect(stdout).toContain(`${a.snippet}`);
    const json = await run(['snippet', '--list', '--json', ...flags]);
    expect(JSON.parse(json.stdout).map((e: { name: string }) => e.name)).toEqual(names);
  });

  it.each(names)('prints %s as a fenced block that parses back, from just --app', async (name) => {
    const { code, stdout, stderr } = await run(['snippet', name, '--app', 'web', ...flags]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const match = FENCE.exec(stdout);
    expect(match, stdout.slice(0, 200)).not.toBeNull();
    const { path, language, body } = match!.groups!;
    const artifact = artifactsFor(approach).find((a) => a.snippet === name)!;
    expect(path).toBe(artifact.path);
    expect(language).toBe({ yaml: 'yaml', bash: 'bash', markdown: 'markdown', text: 'text' }[artifact.kind]);
    const raw = await run(['snippet', name, '--app', 'web', '--raw', ...flags]);
    expect(`${raw.stdout.replace(/\n$/, '')}`).toBe(body);
    if (language === 'yaml') {
      const docs = parseAllDocuments(body!);
      for (const doc of docs) expect(doc.errors).toEqual([]);
      const kinds = docs.map((d) => (d.toJS() as { kind?: string } | null)?.kind).filter(Boolean);
      const expectedKind: Record<string, string> = {
        secretproviderclass: 'SecretProviderClass', deployment: 'Deployment', serviceaccount: 'ServiceAccount',
        kustomization: 'Kustomization', secretstore: 'SecretStore', externalsecret: 'ExternalSecret',
      };
      if (expectedKind[name]) expect(kinds[0]).toBe(expectedKind[name]);
    }
    if (name === 'setup') expect(body).toContain('VAULT=web-kv');
  });
});

describe('snippet errors', () => {
  it('refuses an unknown name with the list', async () => {
    const { code, stderr, stdout } = await run(['snippet', 'nope']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('snippet "nope" is not a file of the Secrets Store CSI Driver setup');
    expect(stderr).toContain('secretproviderclass');
  });

  it('says which setup a name belongs to', async () => {
    const { code, stderr } = await run(['snippet', 'secretstore']);
    expect(code).toBe(2);
    expect(stderr).toContain('belongs to the External Secrets Operator setup: add --app-kind legacy');
  });

  it('uses the guide example, overridden by flags', async () => {
    const { stdout } = await run(['snippet', 'config', '--raw', '--cluster', 'aks-prod']);
    expect(stdout).toContain('resourceGroup: "myRG"');
    expect(stdout).toContain('cluster: "aks-prod"');
    expect(stdout).toContain('name: "db-password"');
  });

  it('refuses bad flag values as generation does', async () => {
    const { code, stderr } = await run(['snippet', 'setup', '--vault', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('--vault "x": must be a Key Vault name');
  });
});
