import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { federatedCredentialName } from '../src/plan/names.js';

test('a federated credential is named after cluster, namespace and service account', () => {
  expect(federatedCredentialName({ cluster: 'aks1', namespace: 'web', serviceAccount: 'web-sa' })).toBe('aks1-web-web-sa');
});

test('a name over 120 characters is cut and made unique again with the first 8 hex digits of its sha256', () => {
  const spec = { cluster: 'c'.repeat(63), namespace: 'n'.repeat(63), serviceAccount: 'web-sa' };
  const full = `${spec.cluster}-${spec.namespace}-${spec.serviceAccount}`;
  const name = federatedCredentialName(spec);
  expect(name).toHaveLength(120);
  expect(name).toBe(`${full.slice(0, 111)}-${createHash('sha256').update(full).digest('hex').slice(0, 8)}`);
  expect(federatedCredentialName({ ...spec, serviceAccount: 'other-sa' })).not.toBe(name);
});
