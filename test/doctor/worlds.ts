import { found, missing, unknown } from '../../src/doctor/index.js';
import type { ExpectedSetup, KubeObject, ObservedWorld } from '../../src/doctor/index.js';

/**
 * Stand-in worlds for the pure diagnosis: a healthy CSI setup and a healthy ESO setup, as doctor
 * would read them; each test breaks one in exactly one way.
 */

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const ISSUER = `https://eastus.oic.prod-aks.azure.com/${TENANT}/5b6b1ec4-52a9-4a44-9c4f-0b2e9b0f7a11/`;
export const SUB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590';
export const VAULT_ID = `${SUB}/resourceGroups/myRG/providers/Microsoft.KeyVault/vaults/kv-myapp`;
export const CLIENT_ID = '6f0a4f8e-2a57-4b5e-8d6a-1c9e3c1b2d44';
export const PRINCIPAL_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
export const KUBELET = { clientId: '11111111-2222-4333-8444-555555555555', objectId: '99999999-8888-4777-8666-555555555555' };
export const NOW = Date.parse('2026-12-04T12:00:00Z');
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

export function expected(approach: 'csi' | 'eso' = 'csi'): ExpectedSetup {
  return {
    app: 'myapp', namespace: 'web', serviceAccount: 'myapp', resourceGroup: 'myRG', cluster: 'myCluster', vault: 'kv-myapp', identity: 'id-myapp',
    approach, rotation: true, objects: [{ name: 'db-password', collection: 'secrets' }],
    secretProviderClass: 'myapp-secrets', credentialName: 'myCluster-web-myapp',
    ...(approach === 'eso' ? { store: { kind: 'SecretStore' as const, name: 'myapp-keyvault', serviceAccount: { name: 'myapp', namespace: 'web' } } } : {}),
    kustomization: 'myapp-kv-secrets/k8s',
    rerun: 'create-kv-secrets doctor myapp-kv-secrets',
  };
}

export function deployment(approach: 'csi' | 'eso'): KubeObject {
  const csi = approach === 'csi';
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'myapp', namespace: 'web', ...(csi ? {} : { annotations: { 'secret.reloader.stakater.com/reload': 'myapp-secrets' } }) },
    spec: {
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'myapp', 'azure.workload.identity/use': 'true' } },
        spec: {
          serviceAccountName: 'myapp',
          containers: [{
            name: 'myapp', image: 'nginx',
            volumeMounts: csi ? [{ name: 'secrets-store', mountPath: '/mnt/secrets', readOnly: true }] : [],
            ...(csi ? {} : { envFrom: [{ secretRef: { name: 'myapp-secrets' } }] }),
          }],
          volumes: csi ? [{ name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'myapp-secrets' } } }] : [],
        },
      },
    },
  };
}

export function spc(namespace = 'web'): KubeObject {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'myapp-secrets', namespace },
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false', clientID: CLIENT_ID, keyvaultName: 'kv-myapp', tenantID: TENANT,
        objects: 'array:\n  - |\n    objectName: db-password\n    objectType: secret\n',
      },
    },
  };
}

export const serviceAccount = (): KubeObject => ({
  apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'myapp', namespace: 'web', annotations: { 'azure.workload.identity/client-id': CLIENT_ID } },
});

const ready = (status: 'True' | 'False', message: string) => ({ status: { conditions: [{ type: 'Ready', status, reason: status === 'True' ? 'Valid' : 'Error', message }] } });

export const secretStore = (status: 'True' | 'False' = 'True', message = 'store validated'): KubeObject => ({
  apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'myapp-keyvault', namespace: 'web' },
  spec: { provider: { azurekv: { authType: 'WorkloadIdentity', vaultUrl: 'https://kv-myapp.vault.azure.net', serviceAccountRef: { name: 'myapp' } } } },
  ...ready(status, message),
});

export const externalSecret = (status: 'True' | 'False' = 'True', message = 'secret synced'): KubeObject => ({
  apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'myapp-secrets', namespace: 'web' },
  spec: { secretStoreRef: { kind: 'SecretStore', name: 'myapp-keyvault' }, target: { name: 'myapp-secrets' }, data: [{ secretKey: 'DB_PASSWORD', remoteRef: { key: 'secret/db-password' } }] },
  ...ready(status, message),
});

export function world(approach: 'csi' | 'eso' = 'csi'): ObservedWorld {
  const csi = approach === 'csi';
  return {
    now: NOW,
    cluster: found({ issuerUrl: ISSUER, workloadIdentity: true, csiAddon: csi, rotation: csi, otherIdentities: [{ what: 'the kubelet identity', ...KUBELET }], subnetIds: [] }),
    identity: found({ id: `${SUB}/resourcegroups/myRG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-myapp`, clientId: CLIENT_ID, principalId: PRINCIPAL_ID, tenantId: TENANT }),
    credentials: found([{ name: 'myCluster-web-myapp', issuer: ISSUER, subject: 'system:serviceaccount:web:myapp', audiences: ['api://AzureADTokenExchange'] }]),
    vault: found({ id: VAULT_ID, tenantId: TENANT, rbac: true, purgeProtection: true, publicNetworkAccess: 'Enabled', defaultAction: 'Allow', ipRules: [], subnetRules: [], approvedPrivateEndpoints: 0 }),
    vaultRoles: found([{ id: `${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/r1`, principalId: PRINCIPAL_ID, roleId: SECRETS_USER, roleName: 'Key Vault Secrets User', scope: VAULT_ID, createdOn: NOW - 86_400_000 }]),
    objectRoles: { 'secrets/db-password': found([]) },
    vaultObjects: { secrets: found(['db-password']), keys: found([]), certificates: found([]) },
    deployment: found(deployment(approach)),
    serviceAccounts: { 'web/myapp': found(serviceAccount()) },
    spcs: found(csi ? [spc()] : []),
    spcsAllNamespaces: found(csi ? [spc()] : []),
    events: found([]),
    externalSecrets: found(csi ? [] : [externalSecret()]),
    stores: found(csi ? [] : [secretStore()]),
  };
}

/** A Warning event on the workload's pod, as `kubectl get events -o json` lists it. */
export const podEvent = (message: string, reason = 'FailedMount'): KubeObject => ({
  type: 'Warning', reason, message, lastTimestamp: '2026-12-04T11:59:00Z', involvedObject: { kind: 'Pod', name: 'myapp-7d9c6b5f4-x2k8q', namespace: 'web' },
});

export { found, missing, unknown };
