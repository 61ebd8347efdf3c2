import { describe, expect, it } from 'vitest';
import * as rules from '../src/spec/rules.js';

const cases: [string, rules.Rule, string[], string[]][] = [
  ['dns1123Label', rules.dns1123Label, ['a', 'my-app', 'a1', 'x'.repeat(63)], ['', 'My-app', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(64), 'a\nb']],
  ['dns1123Subdomain', rules.dns1123Subdomain, ['a', 'a.b-c', 'x'.repeat(253)], ['', 'A', 'a..b', '.a', 'a.', 'x'.repeat(254)]],
  ['imageReference', rules.imageReference, ['nginx', 'myregistry.azurecr.io/app:1.2', 'app@sha256:abc'], ['', 'a b', 'a\nb', 'a\tb', 'a\u0000b']],
  ['keyVaultName', rules.keyVaultName, ['abc', 'myapp-kv', 'A1-b2', 'a'.repeat(24)], ['ab', 'a'.repeat(25), '1abc', 'abc-', 'a--b', 'a_b', 'a.b']],
  ['keyVaultObjectName', rules.keyVaultObjectName, ['a', 'db-password', 'A1', 'x'.repeat(127)], ['', 'a_b', 'a.b', 'a/b', 'x'.repeat(128)]],
  ['objectAlias', rules.objectAlias, ['a', 'db/password', 'tls.crt', 'a_b/c-d.e', `${'x'.repeat(255)}/y`], ['', '/abs', 'a/../b', '..', 'a..b', 'a//b', 'a/', './a', 'a b', `${'x'.repeat(256)}`, 'a\\b']],
  ['uuid', rules.uuid, ['00000000-0000-0000-0000-000000000000', 'ABCDEF01-2345-6789-abcd-ef0123456789'], ['', '0000', '00000000-0000-0000-0000-00000000000g', '{00000000-0000-0000-0000-000000000000}']],
  ['subscription', rules.subscription, ['My Subscription', '00000000-0000-0000-0000-000000000000', 'prod'], ['', '00000000-0000-0000-0000-00000000000', 'a\nb', 'x'.repeat(65)]],
  ['goDuration', rules.goDuration, ['2m', '90s', '1h30m', '1.5h', '500ms', '2µs'], ['', '0', '0s', '2', '2 m', 'm', '-2m', '2d', '1h-', '10M']],
  ['resourceGroup', rules.resourceGroup, ['myRG', 'rg_1.(x)', 'grupo-ñ', 'x'.repeat(90)], ['', 'rg.', 'a b', 'a/b', 'x'.repeat(91)]],
  ['aksClusterName', rules.aksClusterName, ['myCluster', 'aks_1', 'a'], ['', '-a', 'a-', 'a.b', 'x'.repeat(64)]],
  ['managedIdentityName', rules.managedIdentityName, ['myapp-identity', 'id_1', 'abc'], ['ab', '-abc', 'a.bc', 'x'.repeat(129)]],
  ['azureLocation', rules.azureLocation, ['eastus', 'westeurope2'], ['', 'East US', 'east-us', 'EASTUS']],
  ['absolutePath', rules.absolutePath, ['/mnt/secrets', '/var/run/secrets/app', '/a/'], ['', '/', 'mnt', '/a/../b', '/a b', '/a//b', '/a/./b']],
];

describe.each(cases)('%s', (_name, rule, good, bad) => {
  it.each(good)('allows %j', (value) => expect(rule(value)).toBeNull());
  it.each(bad)('refuses %j with the rule it breaks', (value) => expect(rule(value)).toMatch(/^must /));
});

describe('oneOf', () => {
  const rule = rules.oneOf(['csi', 'eso']);
  it('names the allowed values', () => {
    expect(rule('csi')).toBeNull();
    expect(rule('CSI')).toBe('must be one of csi, eso');
  });
});
