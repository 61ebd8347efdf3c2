import { describe, expect, it } from 'vitest';
import { parseArgv } from '../src/cli/options.js';
import { PLACEHOLDERS, buildSpec, missingRequired, serializeSpec } from '../src/spec/index.js';
import { parseConfig } from '../src/spec/config-read.js';
import { GUIDE_FLAGS, specFrom } from './support/generate.js';

const build = (flags: string[]) => buildSpec(parseArgv(flags).input);

describe('buildSpec', () => {
  it('derives names from --app', () => {
    const spec = specFrom(['--app', 'shop', '--resource-group', 'rg', '--cluster', 'aks1', '--secret', 'db-password']);
    expect(spec).toMatchObject({
      vault: 'shop-kv',
      identity: 'shop-identity',
      serviceAccount: 'shop-sa',
      targetSecret: 'shop-secrets',
      namespace: 'default',
      mountPath: '/mnt/secrets',
      rotation: true,
      rotationInterval: '2m',
      cloud: 'AzurePublicCloud',
      appKind: 'new',
      existingVault: false,
    });
    expect(spec.tenantId).toBeUndefined();
    expect(spec.secrets).toEqual([{ name: 'db-password', type: 'secret' }]);
  });

  it('reads every form of --secret', () => {
    const spec = specFrom([...GUIDE_FLAGS, '--secret', 'sign:key:keys/sign.pem', '--secret', 'conn:secret']);
    expect(spec.secrets).toEqual([
      { name: 'db-password', type: 'secret' },
      { name: 'api-key', type: 'secret' },
      { name: 'tls-cert', type: 'cert' },
      { name: 'sign', type: 'key', alias: 'keys/sign.pem' },
      { name: 'conn', type: 'secret' },
    ]);
  });

  it('lists every missing required flag at once', () => {
    const result = build([]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(['--app', '--secret', '--resource-group', '--cluster']);
    expect(result.problems[0]!.rule).toBe('is required (pass --app NAME)');
    expect(missingRequired({ app: 'a', secrets: [] }).map((f) => f.flag)).toEqual(['secret', 'resource-group', 'cluster']);
  });

  it('reports every bad value at once, each with its flag, value and rule', () => {
    const result = build([
      '--app', 'Bad_App', '--resource-group', 'rg.', '--cluster', 'c', '--secret', 'x:bogus', '--secret', 'y:secret:../up',
      '--tenant-id', 'nope', '--rotation-interval', '5', '--cloud', 'Mars', '--vault', 'a--b',
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byField = Object.fromEntries(result.problems.map((p) => [`${p.field} ${p.value}`, p.rule]));
    expect(Object.keys(byField)).toEqual([
      '--app Bad_App',
      '--secret x:bogus',
      '--secret y:secret:../up',
      '--vault a--b',
      '--resource-group rg.',
      '--tenant-id nope',
      '--cloud Mars',
      '--rotation-interval 5',
    ]);
    expect(byField['--secret x:bogus']).toBe('type must be one of secret, key, cert');
    expect(byField['--cloud Mars']).toBe('must be one of AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud');
  });

  it('says when a derived name breaks a rule, and which flag sets it', () => {
    const result = build(['--app', 'a-very-long-application-name', '--resource-group', 'rg', '--cluster', 'c', '--secret', 's']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ field: '--vault', value: 'a-very-long-application-name-kv' });
    expect(result.problems[0]!.rule).toContain('derived from --app; pass --vault');
  });

  it('refuses two objects with one name or one file', () => {
    const result = build(['--app', 'a', '--resource-group', 'rg', '--cluster', 'c', '--secret', 'db', '--secret', 'DB:key', '--secret', 'x:secret:db']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.rule)).toEqual([
      'names a Key Vault object twice',
      'delivers a second object as "db"; give one of them another alias',
    ]);
  });

  it('refuses contradicting boolean flags', () => {
    expect(() => parseArgv(['--rotation', '--no-rotation'])).toThrow('--rotation and --no-rotation contradict each other');
  });
});

describe('kv-secrets.yaml', () => {
  it('round-trips a spec, keeping unknown IDs as placeholders', () => {
    const spec = specFrom([...GUIDE_FLAGS, '--no-rotation', '--secret', 'k:key:a/b']);
    const text = serializeSpec(spec);
    expect(text).toContain(`clientId: "${PLACEHOLDERS.clientId}"`);
    const loaded = parseConfig(text, 'kv-secrets.yaml');
    expect(loaded.problems).toEqual([]);
    const rebuilt = buildSpec(loaded.input, loaded.describe);
    expect(rebuilt).toEqual({ ok: true, spec });
    if (rebuilt.ok) expect(serializeSpec(rebuilt.spec)).toBe(text);
  });

  it('names the file, line and key of a problem', () => {
    const text = 'apiVersion: create-kv-secrets/v1\napp: shop\nvault: x\nsecrets:\n  - name: db\n  - name: bad_name\ncolour: blue\n';
    const loaded = parseConfig(text, 'kv.yaml');
    expect(loaded.problems).toEqual([{ field: 'kv.yaml:7 colour', value: 'blue', rule: expect.stringContaining('is not a known key') }]);
    const built = buildSpec({ ...loaded.input, resourceGroup: 'rg', cluster: 'c' }, loaded.describe);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.problems.map((p) => p.field)).toEqual(['kv.yaml:6 secrets[1].name', 'kv.yaml:3 vault']);
  });

  it('refuses another apiVersion, wrong types and broken YAML', () => {
    expect(parseConfig('apiVersion: v2\napp: a\n', 'f').problems[0]).toMatchObject({ field: 'f:1 apiVersion', rule: 'must be create-kv-secrets/v1' });
    const typed = parseConfig('apiVersion: create-kv-secrets/v1\napp: a\nrotation: "yes"\nsecrets: db\n', 'f');
    expect(typed.problems).toEqual([{ field: 'f:4 secrets', value: 'db', rule: 'must be a list' }]);
    const built = buildSpec({ ...typed.input, resourceGroup: 'rg', cluster: 'c', secrets: ['db'] }, typed.describe);
    expect(built.ok ? [] : built.problems).toEqual([{ field: 'f:3 rotation', value: 'yes', rule: 'must be true or false' }]);
    expect(parseConfig('app: [', 'f').problems[0]!.rule).toMatch(/^is not valid YAML/);
  });
});
