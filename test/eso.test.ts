import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ExternalSecret, SecretStore, ClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ServiceAccount } from 'kubernetes-models/v1';
import { envVarName, planSetup } from '../src/plan/index.js';
import { buildSpec } from '../src/spec/index.js';
import { parseArgv } from '../src/cli/options.js';
import { checkExternalSecret, checkSecretStore } from './support/eso-rules.js';
import { fileText, generate } from './support/generate.js';

const SHOP = ['--app', 'shop', '--namespace', 'shop', '--resource-group', 'rg', '--cluster', 'aks1', '--app-kind', 'legacy'];

function objects(text: string): Record<string, any>[] {
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS();
  }).filter((o) => o !== null);
}

function validateEsoFolder(flags: string[]) {
  const { files, plan } = generate(flags);
  const [store] = objects(fileText(files, 'k8s/secretstore.yaml'));
  expect(store).toBeDefined();
  const StoreModel = store!.kind === 'ClusterSecretStore' ? ClusterSecretStore : SecretStore;
  expect(() => new StoreModel(store as never).validate()).not.toThrow();
  expect(checkSecretStore(store!)).toEqual([]);
  const externalSecrets = objects(fileText(files, 'k8s/externalsecret.yaml'));
  for (const es of externalSecrets) {
    expect(() => new ExternalSecret(es as never).validate()).not.toThrow();
    expect(checkExternalSecret(es, store!)).toEqual([]);
  }
  const [deployment] = objects(fileText(files, 'k8s/deployment.yaml'));
  expect(() => new Deployment(deployment as never).validate()).not.toThrow();
  const [account] = objects(fileText(files, 'k8s/serviceaccount.yaml'));
  expect(() => new ServiceAccount(account as never).validate()).not.toThrow();
  expect(store!.spec.provider.azurekv.serviceAccountRef.name).toBe(account!.metadata.name);
  expect(plan.view.federatedSubject).toBe(`system:serviceaccount:${account!.metadata.namespace}:${account!.metadata.name}`);
  return { files, plan, store: store!, externalSecrets, deployment: deployment! };
}

describe('the External Secrets Operator path', () => {
  it('syncs env-style keys and wires them into env vars, with Reloader when rotation is on', () => {
    const { externalSecrets, deployment, store, files } = validateEsoFolder([...SHOP, '--secret', 'db-password', '--secret', 'smtp-password']);
    expect(store.kind).toBe('SecretStore');
    expect(store.spec.provider.azurekv).toEqual({ authType: 'WorkloadIdentity', vaultUrl: 'https://shop-kv.vault.azure.net', serviceAccountRef: { name: 'shop-sa' } });
    expect(externalSecrets).toHaveLength(1);
    expect(externalSecrets[0]!.spec.data).toEqual([
      { secretKey: 'DB_PASSWORD', remoteRef: { key: 'secret/db-password' } },
      { secretKey: 'SMTP_PASSWORD', remoteRef: { key: 'secret/smtp-password' } },
    ]);
    expect(externalSecrets[0]!.spec.refreshInterval).toBe('1h');
    expect(deployment.metadata.annotations).toEqual({ 'secret.reloader.stakater.com/reload': 'shop-secrets' });
    const container = deployment.spec.template.spec.containers[0];
    expect(container.env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'DB_PASSWORD' } } },
      { name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'SMTP_PASSWORD' } } },
    ]);
    expect(fileText(files, 'azure/setup.sh')).toContain('--version 2.9.0 --wait');
    expect(fileText(files, 'azure/setup.sh')).not.toContain('enable-addons');
  });

  it('mounts the Secret for an app that reads it by name, through a pinned ClusterSecretStore', () => {
    const { store, externalSecrets, deployment } = validateEsoFolder([
      ...SHOP, '--legacy-reads', 'secret-object', '--store-kind', 'ClusterSecretStore', '--secret', 'db-password:secret:password', '--secret', 'api-key',
    ]);
    expect(store.metadata.namespace).toBeUndefined();
    expect(store.spec.provider.azurekv.serviceAccountRef).toEqual({ name: 'shop-sa', namespace: 'shop' });
    expect(store.spec.conditions).toEqual([{ namespaces: ['shop'] }]);
    expect(externalSecrets[0]!.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'shop-keyvault' });
    expect(externalSecrets[0]!.spec.data.map((d: any) => d.secretKey)).toEqual(['password', 'api-key']);
    expect(deployment.metadata.annotations).toBeUndefined();
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].env).toBeUndefined();
    expect(pod.volumes[0]).toEqual({ name: 'secrets', secret: { secretName: 'shop-secrets' } });
    expect(pod.containers[0].volumeMounts[0]).toEqual({ name: 'secrets', mountPath: '/mnt/secrets', readOnly: true });
  });

  it('turns a certificate into a kubernetes.io/tls Secret from its backing secret, and a key into its JWK', () => {
    const { externalSecrets, deployment } = validateEsoFolder([...SHOP, '--secret', 'tls-cert:cert', '--secret', 'signing-key:key']);
    expect(externalSecrets).toHaveLength(2);
    expect(externalSecrets[0]!.spec.data).toEqual([{ secretKey: 'SIGNING_KEY', remoteRef: { key: 'key/signing-key' } }]);
    const tls = externalSecrets[1]!;
    expect(tls.spec.target.template).toEqual({
      type: 'kubernetes.io/tls',
      engineVersion: 'v2',
      data: { 'tls.crt': '{{ .tls | b64dec | pkcs12cert }}', 'tls.key': '{{ .tls | b64dec | pkcs12key }}' },
    });
    expect(tls.spec.data).toEqual([{ secretKey: 'tls', remoteRef: { key: 'secret/tls-cert' } }]);
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'tls-0', secret: { secretName: 'shop-tls-cert-tls' } });
    expect(deployment.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('shop-secrets,shop-tls-cert-tls');
  });

  it.each([
    ['AzureUSGovernmentCloud', { environmentType: 'USGovernmentCloud', vaultUrl: 'https://shop-kv.vault.usgovcloudapi.net' }],
    ['AzureChinaCloud', { environmentType: 'ChinaCloud', vaultUrl: 'https://shop-kv.vault.azure.cn', useAzureSDK: true }],
  ])('targets %s', (cloud, expected) => {
    const { store } = validateEsoFolder([...SHOP, '--secret', 'db-password', '--cloud', cloud]);
    expect(store.spec.provider.azurekv).toMatchObject(expected);
  });

  it('is chosen by --approach eso for a new app, with the guide\'s warning in the README', () => {
    const { plan, files } = generate(['--app', 'shop', '--resource-group', 'rg', '--cluster', 'c', '--secret', 'db', '--approach', 'eso']);
    expect(plan.decision.approach).toBe('eso');
    expect(fileText(files, 'README.md')).toContain('The guide uses the CSI driver for such apps.');
  });

  it('skips the Helm install with --no-install-eso', () => {
    const { files } = generate([...SHOP, '--secret', 'db', '--no-install-eso']);
    expect(fileText(files, 'azure/setup.sh')).toContain('INSTALL_ESO=false');
  });

  it('refuses keys an app cannot use, naming the flag', () => {
    const problemsOf = (flags: string[]) => {
      const built = buildSpec(parseArgv([...SHOP, ...flags]).input);
      if (!built.ok) throw new Error('spec should build');
      return planSetup(built.spec).problems;
    };
    expect(problemsOf(['--secret', '1password'])).toEqual([
      { field: '--secret', value: '1password', rule: 'gives the env var name 1PASSWORD, which starts with a digit; add an alias: 1password:secret:NAME' },
    ]);
    expect(problemsOf(['--secret', 'db:secret:db.password'])[0]!.rule).toMatch(/^alias must be an environment variable name/);
    expect(problemsOf(['--secret', 'db:secret:a/b', '--legacy-reads', 'secret-object'])[0]!.rule).toMatch(/^alias must be a Kubernetes Secret key/);
    expect(problemsOf(['--secret', 'db-password', '--secret', 'x:secret:DB_PASSWORD'])[0]!.rule).toBe('syncs a second value under the key DB_PASSWORD; give one of them another alias');
    expect(problemsOf(['--secret', 'db-password'])).toEqual([]);
  });

  it('maps Key Vault names to env var names', () => {
    expect(envVarName('db-password')).toBe('DB_PASSWORD');
    expect(envVarName('Api-Key2')).toBe('API_KEY2');
  });
});

describe('the ESO rule checks can fail', () => {
  const store = { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 's', namespace: 'n' }, spec: { provider: { azurekv: { authType: 'WorkloadIdentity', vaultUrl: 'https://abc.vault.azure.net', serviceAccountRef: { name: 'sa' } } } } };
  it('accepts a good store and refuses the known mistakes', () => {
    expect(checkSecretStore(store)).toEqual([]);
    const bad = structuredClone(store) as any;
    bad.apiVersion = 'external-secrets.io/v1beta1';
    bad.spec.provider.azurekv.tenantId = 't';
    delete bad.spec.provider.azurekv.authType;
    bad.spec.provider.azurekv.customCloudConfig = { activeDirectoryEndpoint: 'x' };
    expect(checkSecretStore(bad)).toHaveLength(4);
  });
  it('refuses a pinned version, a duplicate key and a wrong prefix', () => {
    const es = { apiVersion: 'external-secrets.io/v1', metadata: { namespace: 'n' }, spec: { refreshInterval: '1h', secretStoreRef: { kind: 'SecretStore', name: 's' }, target: { name: 't', creationPolicy: 'Owner' },
      data: [{ secretKey: 'A', remoteRef: { key: 'secret/a', version: '1' } }, { secretKey: 'A', remoteRef: { key: 'blob/a' } }] } };
    expect(checkExternalSecret(es, store)).toEqual([
      'remoteRef.version pins a version and stops rotation',
      'duplicate secretKey A (rejected with deletionPolicy Retain)',
      'remoteRef.key blob/a must be <secret|key|cert>/<name>',
    ]);
  });
});
