/**
 * The checkers in test/support must be able to fail: each rule is shown a good and a bad example.
 * spc-rules: the CSI driver's and the Azure provider's rules for a SecretProviderClass.
 * manifests: Deployment / ServiceAccount / Kustomization checks and the folder cross-check.
 */
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { PLACEHOLDERS } from '../src/spec/index.js';
import { fileText, generate, GUIDE_FLAGS } from './support/generate.js';
import { crossCheckK8s, validateManifest } from './support/manifests.js';
import { ID_PLACEHOLDERS, checkSecretProviderClass, fileNameProblem, filesOf, objectsOf } from './support/spc-rules.js';
import type { SpcCheckOptions } from './support/spc-rules.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '3f2c1b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';

type Obj = Record<string, any>;

/** A YAML `objects` parameter from item texts, the way the provider's docs write it. */
function objectsParameter(...items: string[]): string {
  return `array:\n${items.map((item) => `  - |\n${item.trim().split('\n').map((l) => `    ${l}`).join('\n')}`).join('\n')}\n`;
}

function spc(parameters: Obj = {}, extra: Obj = {}): Obj {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: { name: 'app-secrets', namespace: 'prod' },
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: CLIENT,
        keyvaultName: 'app-kv',
        tenantID: TENANT,
        objects: objectsParameter('objectName: db-password\nobjectType: secret'),
        ...parameters,
      },
      ...extra,
    },
  };
}

const strict = { placeholdersAllowed: false };
const check = (obj: unknown, options: SpcCheckOptions = strict) => checkSecretProviderClass(obj, options);

/** Expects exactly the problems matching `patterns`, one each, in any order. */
function expectProblems(problems: string[], ...patterns: RegExp[]): void {
  expect(problems, problems.join('\n')).toHaveLength(patterns.length);
  for (const pattern of patterns) expect(problems.some((p) => pattern.test(p)), `${pattern} in\n${problems.join('\n')}`).toBe(true);
}

describe('checkSecretProviderClass: good examples pass', () => {
  test('the generated guide example, before azure/setup.sh ran', () => {
    const { files } = generate(GUIDE_FLAGS);
    expect(check(parse(fileText(files, 'k8s/secretproviderclass.yaml')), { placeholdersAllowed: true })).toEqual([]);
  });

  test('the generated guide example once the IDs are filled in', () => {
    const { files } = generate(GUIDE_FLAGS);
    const text = fileText(files, 'k8s/secretproviderclass.yaml').replace(PLACEHOLDERS.clientId, CLIENT).replace(PLACEHOLDERS.tenantId, TENANT);
    expect(check(parse(text))).toEqual([]);
  });

  test('the provider documentation example for workload identity, with real IDs and a namespace', () => {
    const upstream = parse(`
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: azure-kvname-wi
  namespace: default
spec:
  provider: azure
  parameters:
    usePodIdentity: "false"         # set to true for pod identity access mode
    clientID: "${CLIENT}"
    keyvaultName: "kvname"
    cloudName: ""                   # [OPTIONAL for Azure] if not provided, azure environment will default to AzurePublicCloud
    objects:  |
      array:
        - |
          objectName: secret1
          objectType: secret        # object types: secret, key or cert
          objectVersion: ""         # [OPTIONAL] object versions, default to latest if empty
        - |
          objectName: key1
          objectType: key
          objectVersion: ""
    tenantID: "${TENANT}"                    # the tenant ID of the KeyVault
`);
    expect(check(upstream)).toEqual([]);
  });

  test('every optional field used correctly', () => {
    const obj = spc(
      {
        usePodIdentity: undefined,
        useAzureTokenProxy: 'True',
        tenantID: undefined,
        tenantId: TENANT,
        cloudName: 'azurechinacloud',
        objects: objectsParameter(
          'objectName: tls-cert\nobjectType: secret\nobjectAlias: tls/server.pem\nfilePermission: "0640"',
          'objectName: bundle\nobjectType: secret\nobjectFormat: pfx\nobjectEncoding: base64\nobjectAlias: tls/bundle.pfx',
          'objectName: api-key\nobjectType: secret\nobjectVersionHistory: 3\nobjectVersion: 0123456789abcdef0123456789abcdef',
          'objectName: signing\nobjectType: key\nobjectAlias: keys/signing.pub',
          'objectName: leaf\nobjectType: cert',
        ),
      },
      { secretObjects: [{ secretName: 'ingress-tls', type: 'kubernetes.io/tls', data: [{ objectName: 'tls/server.pem', key: 'tls.key' }, { objectName: 'tls/server.pem', key: 'tls.crt' }] }] },
    );
    delete obj['spec']['parameters']['usePodIdentity'];
    delete obj['spec']['parameters']['tenantID'];
    expect(check(obj)).toEqual([]);
    expect(objectsOf(obj).flatMap(filesOf)).toEqual(['tls/server.pem', 'tls/bundle.pfx', 'api-key/0', 'api-key/1', 'api-key/2', 'keys/signing.pub', 'leaf']);
  });

  test('VM managed identity needs no clientID when Workload Identity is not required', () => {
    const obj = spc({ useVMManagedIdentity: 'true', userAssignedIdentityID: CLIENT, clientID: undefined });
    delete obj['spec']['parameters']['clientID'];
    expect(check(obj, { placeholdersAllowed: false, workloadIdentityOnly: false })).toEqual([]);
    expectProblems(check(obj), /useVMManagedIdentity "true": must not be true: only Workload Identity/);
  });

  test('the checker spells the placeholders as the generator does', () => {
    expect(ID_PLACEHOLDERS).toEqual(PLACEHOLDERS);
  });
});

describe('checkSecretProviderClass: each rule catches its bad example', () => {
  const cases: [string, Obj, RegExp[], { placeholdersAllowed: boolean }?][] = [
    ['deprecated apiVersion', { ...spc(), apiVersion: 'secrets-store.csi.x-k8s.io/v1alpha1' }, [/apiVersion .*deprecated/]],
    ['wrong kind', { ...spc(), kind: 'SecretProviderClasses' }, [/^kind /]],
    ['no namespace', { ...spc(), metadata: { name: 'app-secrets' } }, [/metadata.namespace .*required/]],
    ['bad name', { ...spc(), metadata: { name: 'App_Secrets', namespace: 'prod' } }, [/metadata.name "App_Secrets"/]],
    ['other provider', { ...spc(), spec: { ...spc()['spec'], provider: 'vault' } }, [/spec.provider "vault": must be azure/]],
    ['unknown spec field', { ...spc(), spec: { ...spc()['spec'], secretObject: [] } }, [/spec.secretObject .*not a field/]],
    ['no parameters', { ...spc(), spec: { provider: 'azure' } }, [/spec.parameters .*non-empty/]],
    ['unquoted boolean parameter', spc({ usePodIdentity: false }), [/usePodIdentity false: must be a string/]],
    ['unquoted number parameter', spc({ keyvaultName: 12345 }), [/keyvaultName 12345: must be a string/, /keyvaultName is not provided/]],
    ['vault name too short', spc({ keyvaultName: 'kv' }), [/keyvaultName "kv": must be between 3 and 24/]],
    ['vault name too long', spc({ keyvaultName: 'a'.repeat(25) }), [/between 3 and 24/]],
    ['vault name with underscore', spc({ keyvaultName: 'my_vault' }), [/keyvaultName "my_vault": must match/]],
    ['no vault name', spc({ keyvaultName: '' }), [/keyvaultName is not provided/]],
    ['tenant not a UUID', spc({ tenantID: 'tid' }), [/tenantID "tid": must be a UUID/]],
    ['no tenant', spc({ tenantID: ' ' }), [/tenantId is not provided/]],
    ['both tenant spellings, different values', spc({ tenantId: CLIENT }), [/tenantId .*differs from tenantID/]],
    ['no clientID', spc({ clientID: '' }), [/clientID .*required for Workload Identity/]],
    ['clientID not a UUID', spc({ clientID: '<client id of the Azure AD Application or user-assigned managed identity to use for workload identity>' }), [/clientID .*must be a UUID/]],
    ['clientID in the wrong case', spc({ clientID: undefined, clientId: CLIENT }), [/clientId .*case-sensitive.*clientID/, /clientID .*required/]],
    ['placeholder when not allowed', spc({ clientID: PLACEHOLDERS.clientId, tenantID: PLACEHOLDERS.tenantId }), [/clientID .*still the placeholder/, /tenantID .*still the placeholder/]],
    ['swapped placeholders', spc({ clientID: PLACEHOLDERS.tenantId, tenantID: PLACEHOLDERS.clientId }), [/clientID .*must be a UUID or exactly/, /tenantID .*must be a UUID or exactly/], { placeholdersAllowed: true }],
    ['unparseable identity flag', spc({ usePodIdentity: 'no' }), [/usePodIdentity "no": failed to parse/]],
    ['two identity modes', spc({ usePodIdentity: 'true', useVMManagedIdentity: 'True' }), [/only one identity mode/, /usePodIdentity "true": must not be true/, /useVMManagedIdentity "True": must not be true/]],
    ['az CLI cloud name', spc({ cloudName: 'AzureUSGovernment' }), [/cloudName "AzureUSGovernment": is the az CLI's name; the provider needs AzureUSGovernmentCloud/]],
    ['unknown cloud', spc({ cloudName: 'AzureMoonCloud' }), [/cloudName "AzureMoonCloud": must be one of/]],
    ['Azure Stack without its environment file', spc({ cloudName: 'AzureStackCloud' }), [/cloudEnvFileName .*required with AzureStackCloud/]],
    ['leftover parameter', spc({ resourceGroup: 'rg' }), [/resourceGroup "rg": is not read/]],
    ['no objects', spc({ objects: '' }), [/objects is not set/]],
    ['objects not YAML', spc({ objects: 'array: [unclosed' }), [/objects .*not valid YAML/]],
    ['objects a list, not a mapping', spc({ objects: '- objectName: a\n  objectType: secret\n' }), [/must be a YAML mapping with the key "array"/]],
    ['Array in the wrong case', spc({ objects: objectsParameter('objectName: a\nobjectType: secret').replace('array:', 'Array:') }), [/objects.Array .*exactly "array"/, /has no "array" key/]],
    ['empty array', spc({ objects: 'array: []\n' }), [/array \[\]: is empty/]],
    ['item as a nested mapping', spc({ objects: 'array:\n  - objectName: a\n    objectType: secret\n' }), [/array\[0\] .*must be a YAML string/]],
    ['item not a mapping', spc({ objects: objectsParameter('just-a-name') }), [/array\[0\] "just-a-name\\n": must be a YAML mapping/]],
    ['item key in the wrong case', spc({ objects: objectsParameter('ObjectName: a\nobjectType: secret') }), [/ObjectName "a": keys are case-sensitive.*"objectName"/, /objectName \(absent\): is required/]],
    ['unknown item key', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectPath: x') }), [/objectPath "x": is not a field/]],
    ['object type capitalised', spc({ objects: objectsParameter('objectName: a\nobjectType: Secret') }), [/objectType "Secret": must be exactly secret, key or cert/]],
    ['object type spelled out', spc({ objects: objectsParameter('objectName: a\nobjectType: certificate') }), [/objectType "certificate"/]],
    ['no object type', spc({ objects: objectsParameter('objectName: a') }), [/objectType \(absent\)/]],
    ['bad object name', spc({ objects: objectsParameter('objectName: db_password\nobjectType: secret') }), [/objectName "db_password": must be a Key Vault object name/]],
    ['absolute alias', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectAlias: /etc/passwd') }), [/objectAlias "\/etc\/passwd": file name must be a relative path/]],
    ['alias going up', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectAlias: ../up') }), [/objectAlias "..\/up": file name must not contain '..'/]],
    ['alias with .. inside', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectAlias: a/../b') }), [/must not contain '..'/]],
    ['alias segment too long', spc({ objects: objectsParameter(`objectName: a\nobjectType: secret\nobjectAlias: d/${'x'.repeat(256)}`) }), [/at most 255/]],
    ['alias with an empty segment', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectAlias: d//x') }), [/empty or "." segments/]],
    ['objectFormat on a key', spc({ objects: objectsParameter('objectName: a\nobjectType: key\nobjectFormat: pem') }), [/objectFormat "pem": is only supported for objectType: secret/]],
    ['unknown objectFormat', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectFormat: der') }), [/objectFormat "der": must be pem or pfx/]],
    ['the upstream example objectEncoding', spc({ objects: objectsParameter('objectName: secret3\nobjectType: secret\nobjectVersion: ""\nobjectEncoding: "SECRET_ALIAS"') }), [/objectEncoding "SECRET_ALIAS": must be utf-8, base64 or hex/]],
    ['objectEncoding on a cert', spc({ objects: objectsParameter('objectName: a\nobjectType: cert\nobjectEncoding: base64') }), [/objectEncoding "base64": is only supported for objectType: secret/]],
    ['quoted version history', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectVersionHistory: "3"') }), [/objectVersionHistory "3": must be an unquoted non-negative integer/]],
    ['unquoted file permission', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nfilePermission: 0644') }), [/filePermission 644: must be a quoted octal string/]],
    ['file permission not octal', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nfilePermission: "0988"') }), [/filePermission "0988": must be an octal file mode/]],
    ['two objects, one file', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectAlias: b', 'objectName: b\nobjectType: secret') }), [/array\[1\] "b": writes the same file as array\[0\]/]],
    ['a file where another needs a folder', spc({ objects: objectsParameter('objectName: db\nobjectType: secret', 'objectName: pw\nobjectType: secret\nobjectAlias: db/password') }), [/"db": is both a file and the folder of "db\/password"/]],
    ['version history over another file', spc({ objects: objectsParameter('objectName: a\nobjectType: secret\nobjectVersionHistory: 2', 'objectName: b\nobjectType: secret\nobjectAlias: a/1') }), [/"a\/1": writes the same file as array\[0\]/]],
    ['secretObjects naming no mounted file', spc({}, { secretObjects: [{ secretName: 's', type: 'Opaque', data: [{ objectName: 'nope', key: 'k' }] }] }), [/secretObjects\[0\].data\[0\].objectName "nope": matches no mounted file/]],
    ['secretObjects TLS with other keys', spc({}, { secretObjects: [{ secretName: 's', type: 'kubernetes.io/tls', data: [{ objectName: 'db-password', key: 'cert.pem' }] }] }), [/key "cert.pem": only 'tls.key' and 'tls.crt'/]],
    ['secretObjects without type or data', spc({}, { secretObjects: [{ secretName: 's' }] }), [/type \(absent\): secret type is empty/, /data \(absent\): data is empty/]],
  ];
  for (const [name, obj, patterns, options] of cases) {
    test(name, () => {
      // `undefined` in a case means "leave the key out", as a parsed manifest would.
      const cleaned = parse(stringify(obj)) as unknown;
      expectProblems(check(cleaned, options ?? strict), ...patterns);
    });
  }

  test('not an object at all', () => {
    expectProblems(check('kind: SecretProviderClass'), /\(document\).*must be a mapping/);
  });
});

describe('fileNameProblem mirrors the provider and the driver', () => {
  test.each([
    ['db-password', null],
    ['tls/server.pem', null],
    ['.hidden', null],
    ['', /empty/],
    ['/abs', /relative/],
    ['C:\\x', /relative/],
    ['a..b', /'\.\.'/],
    [`${'a/'.repeat(2100)}b`, /4096/],
  ])('%j', (name, expected) => {
    const problem = fileNameProblem(name);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('validateManifest', () => {
  const { files } = generate(GUIDE_FLAGS);
  const deployment = () => parse(fileText(files, 'k8s/deployment.yaml')) as Obj;
  const account = () => parse(fileText(files, 'k8s/serviceaccount.yaml')) as Obj;
  const loose = { placeholdersAllowed: true };

  test('passes every generated YAML file of the guide example', () => {
    for (const file of files.values()) {
      if (file.kind === 'yaml') expect(validateManifest(file.path, file.content, loose), file.path).toEqual([]);
    }
  });

  test('refuses placeholders unless told they are allowed', () => {
    expect(validateManifest('k8s/serviceaccount.yaml', fileText(files, 'k8s/serviceaccount.yaml'))).toEqual([
      expect.stringMatching(/client-id .*must be a UUID$/),
      expect.stringMatching(/tenant-id .*must be a UUID$/),
    ]);
    expect(validateManifest('kv-secrets.yaml', fileText(files, 'kv-secrets.yaml'))).toHaveLength(2);
    expect(validateManifest('k8s/secretproviderclass.yaml', fileText(files, 'k8s/secretproviderclass.yaml'))).toHaveLength(2);
  });

  test('a Deployment that breaks the schema', () => {
    const d = deployment();
    d['spec']['template']['spec']['containers'][0]['image'] = 42;
    expectProblems(validateManifest('d.yaml', stringify(d)), /schema: .*image must be string/);
  });

  test('a Deployment that breaks the CSI driver, API server and Workload Identity rules', () => {
    const d = deployment();
    const pod = d['spec']['template']['spec'];
    pod['volumes'][0]['csi']['readOnly'] = false;
    pod['volumes'][0]['csi']['volumeAttributes'] = {};
    pod['containers'][0]['volumeMounts'][0]['readOnly'] = false;
    pod['containers'][0]['volumeMounts'][0]['subPath'] = 'db-password';
    pod['containers'][0]['volumeMounts'].push({ name: 'nowhere', mountPath: '/x' });
    delete pod['serviceAccountName'];
    d['spec']['selector']['matchLabels']['tier'] = 'web';
    d['spec']['template']['metadata']['labels']['azure.workload.identity/use'] = true;
    expectProblems(
      validateManifest('d.yaml', stringify(d)),
      /csi.readOnly must be true/,
      /secretProviderClass is not set/,
      /must be readOnly: true/,
      /subPath mounts never receive rotated content/,
      /mount nowhere: names no volume/,
      /serviceAccountName: must name the federated service account/,
      /matchLabels.tier: does not match/,
      /schema: .*must be string/,
      /azure.workload.identity\/use true: must be the string "true"/,
    );
  });

  test('a ServiceAccount with the pod label and a bad client ID', () => {
    const sa = account();
    sa['metadata']['labels']['azure.workload.identity/use'] = 'true';
    sa['metadata']['annotations']['azure.workload.identity/client-id'] = 'nope';
    sa['metadata']['annotations']['azure.workload.identity/tenant-id'] = TENANT;
    expectProblems(validateManifest('sa.yaml', stringify(sa), loose), /belongs on the pod, not the service account/, /client-id "nope": must be a UUID/);
  });

  test('a Kustomization with a duplicate, an escape and a secretGenerator', () => {
    const text = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a.yaml\n  - a.yaml\n  - ../other\nsecretGenerator: []\n';
    expectProblems(validateManifest('k.yaml', text), /resources\[1\] "a.yaml": listed twice/, /resources\[2\] "..\/other": must stay inside/, /secretGenerator: would put secret values/);
  });

  test('YAML errors, empty files and unknown kinds', () => {
    expect(validateManifest('x.yaml', 'a: [1\n')).not.toEqual([]);
    expect(validateManifest('x.yaml', 'a: 1\na: 2\n')).toEqual([expect.stringMatching(/unique/)]);
    expect(validateManifest('x.yaml', '# nothing\n')).toEqual(['x.yaml: holds no document']);
    expect(validateManifest('x.yaml', 'apiVersion: v1\nkind: ConfigMap\n')).toEqual([expect.stringMatching(/not a kind these checks know/)]);
    expect(validateManifest('x.yaml', `${fileText(files, 'k8s/serviceaccount.yaml')}---\n${fileText(files, 'k8s/secretproviderclass.yaml')}`, loose)).toEqual([]);
  });

  test('a config file that no longer loads', () => {
    const text = fileText(files, 'kv-secrets.yaml').replace('vault: "myapp-kv"', 'vault: "x"');
    expect(validateManifest('kv-secrets.yaml', text, loose)).toEqual([expect.stringMatching(/kv-secrets.yaml:\d+ vault "x"/)]);
  });

  test('a pre-commit config without a pinned rev', () => {
    expectProblems(validateManifest('.pre-commit-config.yaml', 'repos:\n  - repo: https://github.com/Yelp/detect-secrets\n    hooks:\n      - id: detect-secrets\n'), /rev: a remote repo needs a pinned rev/);
  });
});

describe('crossCheckK8s', () => {
  const texts = () => new Map([...generate(GUIDE_FLAGS).files.values()].map((f) => [f.path, f.content]));

  test('passes the generated folder', () => {
    expect(crossCheckK8s(texts())).toEqual([]);
  });

  test('catches a manifest left out of the kustomization, a foreign namespace and mismatched IDs', () => {
    const files = texts();
    files.set('k8s/kustomization.yaml', files.get('k8s/kustomization.yaml')!.replace('  - deployment.yaml\n', ''));
    files.set('k8s/serviceaccount.yaml', files.get('k8s/serviceaccount.yaml')!.replace('namespace: production', 'namespace: staging').replace(PLACEHOLDERS.clientId, CLIENT));
    files.set('k8s/secretproviderclass.yaml', files.get('k8s/secretproviderclass.yaml')!.replace('name: myapp-secrets', 'name: other-secrets'));
    expectProblems(
      crossCheckK8s(files),
      /does not list k8s\/deployment.yaml/,
      /span namespaces/,
      /client-id .* differs from the SecretProviderClass clientID/,
      /mounts SecretProviderClass myapp-secrets, which the folder does not define/,
    );
  });
});
