/**
 * Golden folders: each spec in test/support/golden.ts is rendered in memory and compared, file by
 * file and byte for byte, with test/golden/<name>/ (the whole generated folder, committed as files).
 *
 * After an intended change to the output, rewrite the golden folders and review the diff:
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts && git diff test/golden
 *
 * Besides the comparison, every generated file is checked as its reader would check it: YAML files
 * by validateManifest (Kubernetes schema, CSI driver and Azure provider rules), the k8s/ folder as a
 * whole, and scripts by `bash -n` and shellcheck (CI installs shellcheck).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { PLACEHOLDERS } from '../src/spec/index.js';
import { ROLES } from '../src/plan/index.js';
import { generate } from './support/generate.js';
import { GOLDEN_ROOT, GOLDEN_SPECS, expectedMode, readTree } from './support/golden.js';
import { crossCheckK8s, validateManifest } from './support/manifests.js';
import { ID_PLACEHOLDERS, filesOf, objectsOf } from './support/spc-rules.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

const SHELLCHECK = ['shellcheck', '/usr/bin/shellcheck'].find(
  (candidate) => spawnSync(candidate, ['--version'], { encoding: 'utf8' }).status === 0,
);

/** `az cloud set --name` takes these (azure-cli core cloud.py), not the CSI provider's go-autorest names. */
const AZ_CLI_CLOUDS = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'];

function settingsBlock(script: string): string {
  const start = script.indexOf('# ---- Settings');
  const end = script.indexOf('# ---- Helpers');
  if (start < 0 || end < 0) throw new Error('azure/setup.sh has no Settings/Helpers sections');
  return script.slice(start, end);
}

/** Runs the settings block of azure/setup.sh in bash and returns the values it assigns. */
function setupSettings(script: string): Record<string, string> {
  const block = settingsBlock(script);
  const names = [...block.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!);
  const result = spawnSync('bash', ['-c', `set -euo pipefail\n${block}\nfor v in ${names.join(' ')}; do printf '%s=%s\\0' "$v" "\${!v}"; done`], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
  });
  if (result.status !== 0) throw new Error(`settings block failed: ${result.stderr}`);
  return Object.fromEntries(result.stdout.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

/**
 * The arguments of every top-level call of a shell function in azure/setup.sh, as bash expands
 * them: the settings and the object lists the calls loop over are run too, and the script's own
 * variables stand as markers (WORKLOAD for the identity's principal, VAULT_ID for the vault's resource ID).
 */
function scriptCalls(script: string, fn: string): string[][] {
  // Top-level calls, and the loops over an object list (`objects=(...)`, `for object in ...; do`) whose
  // body calls it, with the list they loop over.
  const all = script.split('\n');
  const lines: string[] = [];
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (line.startsWith(`${fn} `) || /^[a-z_]+=\(.*\)$/.test(line)) lines.push(line);
    if (!line.startsWith('for object in ')) continue;
    const end = all.indexOf('done', i);
    const calls = all.slice(i + 1, end).filter((l) => l.trimStart().startsWith(`${fn} `));
    if (calls.length > 0) lines.push(line, ...calls, 'done');
    i = end;
  }
  const stub = `${fn}() { printf '%s\\x1f' "$@"; printf '\\x1e'; }`;
  const preamble = 'principal_id=WORKLOAD; workload_roles=; vault_id=VAULT_ID; OPERATOR_OBJECT_ID=OPERATOR; OPERATOR_TYPE=User';
  const result = spawnSync('bash', ['-c', `set -euo pipefail\n${settingsBlock(script)}\n${stub}\n${preamble}\n${lines.join('\n')}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${fn} calls failed: ${result.stderr}`);
  return result.stdout.split('\x1e').filter(Boolean).map((call) => call.split('\x1f').slice(0, -1));
}

test('the checker and the generator agree on the ID placeholders', () => {
  expect(ID_PLACEHOLDERS).toEqual(PLACEHOLDERS);
});

test('every golden folder belongs to a spec (UPDATE_GOLDEN=1 removes the others)', () => {
  const folders = existsSync(GOLDEN_ROOT)
    ? readdirSync(GOLDEN_ROOT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
    : [];
  const stale = folders.filter((f) => !(f in GOLDEN_SPECS));
  if (UPDATE) for (const folder of stale) rmSync(join(GOLDEN_ROOT, folder), { recursive: true, force: true });
  else expect(stale).toEqual([]);
});

for (const [name, spec] of Object.entries(GOLDEN_SPECS)) {
  describe(`golden ${name}`, () => {
    const { files, plan } = generate(spec.flags);
    const dir = join(GOLDEN_ROOT, name);
    // The SecretProviderClass checks below are the CSI driver's; other approaches have their own (test/sdk.test.ts).
    const isCsi = plan.decision.approach === 'csi';

    test('matches test/golden byte for byte (UPDATE_GOLDEN=1 rewrites it)', () => {
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        for (const file of files.values()) {
          const full = join(dir, ...file.path.split('/'));
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, file.content);
          chmodSync(full, file.mode);
        }
      }
      expect(existsSync(dir), `${dir} is missing; create it with UPDATE_GOLDEN=1`).toBe(true);
      const golden = readTree(dir);
      expect([...files.keys()].sort()).toEqual([...golden.keys()].sort());
      for (const file of files.values()) {
        const expected = golden.get(file.path)!.content;
        // Compare as text for a readable diff, then as bytes for what "byte for byte" means.
        expect(file.content, `${name}/${file.path}`).toBe(expected.toString('utf8'));
        expect(Buffer.from(file.content, 'utf8').equals(expected), `${name}/${file.path} bytes`).toBe(true);
      }
    });

    test('file modes: scripts 0755, everything else 0644', () => {
      const modes = Object.fromEntries([...files.values()].map((f) => [f.path, f.mode.toString(8)]));
      const expected = Object.fromEntries([...files.values()].map((f) => [f.path, expectedMode(f.path).toString(8)]));
      expect(modes).toEqual(expected);
      expect(files.get('azure/setup.sh')?.mode).toBe(0o755);
    });

    test('every YAML file passes validateManifest', () => {
      const yamlFiles = [...files.values()].filter((f) => f.kind === 'yaml');
      expect(yamlFiles.map((f) => f.path)).toEqual(expect.arrayContaining(['kv-secrets.yaml', '.pre-commit-config.yaml', 'k8s/deployment.yaml', ...(isCsi ? ['k8s/secretproviderclass.yaml'] : [])]));
      for (const file of yamlFiles) {
        expect(validateManifest(file.path, file.content, { placeholdersAllowed: spec.placeholders }), file.path).toEqual([]);
      }
    });

    test('the k8s folder holds together (kustomization, service account, class, namespace, IDs)', () => {
      const texts = new Map([...files.values()].map((f) => [f.path, f.content]));
      expect(crossCheckK8s(texts)).toEqual([]);
    });

    test('every script passes bash -n and shellcheck', () => {
      expect(SHELLCHECK, 'shellcheck is not installed (apt-get install -y shellcheck)').toBeDefined();
      const scripts = [...files.values()].filter((f) => f.kind === 'bash');
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) {
        const syntax = spawnSync('bash', ['-n'], { input: script.content, encoding: 'utf8' });
        expect(syntax.stderr, `bash -n ${script.path}`).toBe('');
        expect(syntax.status, `bash -n ${script.path}`).toBe(0);
        const lint = spawnSync(SHELLCHECK!, ['--shell=bash', '--severity=style', '--format=gcc', '-'], { input: script.content, encoding: 'utf8' });
        expect(lint.stdout, `shellcheck ${script.path}`).toBe('');
        expect(lint.status, `shellcheck ${script.path}`).toBe(0);
      }
    });

    test.runIf(isCsi)('azure/setup.sh, the manifests and the README describe the same setup', () => {
      const script = files.get('azure/setup.sh')!.content;
      const settings = setupSettings(script);
      const spc = parse(files.get('k8s/secretproviderclass.yaml')!.content) as Record<string, any>;
      const sa = parse(files.get('k8s/serviceaccount.yaml')!.content) as Record<string, any>;
      const deployment = parse(files.get('k8s/deployment.yaml')!.content) as Record<string, any>;
      const parameters = spc['spec']['parameters'];
      const pod = deployment['spec']['template']['spec'];
      expect(settings['VAULT']).toBe(parameters['keyvaultName']);
      expect(settings['CLIENT_ID']).toBe(parameters['clientID']);
      expect(settings['TENANT_ID']).toBe(parameters['tenantID']);
      expect(settings['ROTATION']).toBe(String(plan.view.rotation));
      expect(pod['serviceAccountName']).toBe(sa['metadata']['name']);
      // Entra ID must trust exactly the account the pods run as, in their namespace.
      const federations = scriptCalls(script, 'ensure_federation');
      expect(federations.map((args) => args.slice(1))).toEqual([[sa['metadata']['namespace'], sa['metadata']['name']]]);
      // The README's table names every mounted file under the mount path.
      const readme = files.get('README.md')!.content;
      const mountPath = pod['containers'][0]['volumeMounts'][0]['mountPath'];
      for (const object of objectsOf(spc)) {
        for (const file of filesOf(object)) expect(readme).toContain(`\`${mountPath}/${file}\``);
      }
    });

    test.runIf(isCsi)('azure/setup.sh grants each object the least role the provider needs, on that object alone', () => {
      const script = files.get('azure/setup.sh')!.content;
      // Every class the pods mount: the app's, and the ingress's TLS sync class when there is one.
      const classes = ['k8s/secretproviderclass.yaml', 'k8s/ingress-tls.yaml'].filter((p) => files.has(p)).map((p) => parse(files.get(p)!.content) as Record<string, any>);
      const grants = scriptCalls(script, 'ensure_role')
        .filter(([, principal]) => principal === 'WORKLOAD')
        .map(([, , type, role, scope]) => ({ type, role, scope }));
      // objectType secret (also a certificate fetched as its backing secret) needs getSecret on that
      // secret; objectType key needs keys/read, which AKS guidance grants with Certificate User.
      const expected = classes.flatMap(objectsOf).map((o) => {
        const [role, collection] =
          o.objectType === 'secret' ? [ROLES.secretsUser.id, 'secrets'] : o.objectType === 'key' ? [ROLES.certificateUser.id, 'keys'] : [ROLES.certificateUser.id, 'certificates'];
        return { type: 'ServicePrincipal', role, scope: `VAULT_ID/${collection}/${o.objectName}` };
      });
      expect(grants).toEqual(expected);
      // Commands only (comments may name what is avoided): the audience always given, no aks-preview
      // command, no flag az removed, no Graph lookup of the assignee.
      const commands = script.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
      expect(commands).toMatch(/az identity federated-credential create [^\n]*\\\n[^\n]*--audiences="\$AUDIENCE"/);
      expect(commands).not.toMatch(/az aks addon |--enable-soft-delete|--assignee "/);
    });

    test('azure/setup.sh checks the active cloud by the name `az cloud show` prints', () => {
      // `az cloud show --query name` prints AzureCloud / AzureUSGovernment / AzureChinaCloud; the
      // script compares it with CLOUD and stops when they differ, so CLOUD must be one of these.
      const settings = setupSettings(files.get('azure/setup.sh')!.content);
      expect(AZ_CLI_CLOUDS).toContain(settings['CLOUD']);
    });
  });
}
