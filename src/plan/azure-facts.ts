import type { Cloud, ObjectType } from '../spec/index.js';

/** Built-in Key Vault data roles, by role-definition GUID (fact sheet 4.2). */
export const ROLES = {
  secretsUser: { name: 'Key Vault Secrets User', id: '4633458b-17de-408a-b874-0445c86b69e6' },
  certificateUser: { name: 'Key Vault Certificate User', id: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba' },
  secretsOfficer: { name: 'Key Vault Secrets Officer', id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' },
  reader: { name: 'Key Vault Reader', id: '21090545-7ca7-4776-b22c-e363652d74d2' },
} as const;
export type Role = (typeof ROLES)[keyof typeof ROLES];

/** The audience a federated credential must carry; az 2.74 sends none unless told (az-cli #31598). */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';
export const CSI_ADDON = 'azure-keyvault-secrets-provider';
export const CSI_DRIVER = 'secrets-store.csi.k8s.io';

export interface CloudFacts {
  /** `cloudName` of the CSI provider, and the name `az cloud set` takes. */
  name: Cloud;
  vaultDnsSuffix: string;
  /** `environmentType` of the External Secrets Operator's azurekv provider. */
  esoEnvironment: 'PublicCloud' | 'USGovernmentCloud' | 'ChinaCloud';
}

export const CLOUD_FACTS: Record<Cloud, CloudFacts> = {
  AzurePublicCloud: { name: 'AzurePublicCloud', vaultDnsSuffix: 'vault.azure.net', esoEnvironment: 'PublicCloud' },
  AzureUSGovernmentCloud: { name: 'AzureUSGovernmentCloud', vaultDnsSuffix: 'vault.usgovcloudapi.net', esoEnvironment: 'USGovernmentCloud' },
  AzureChinaCloud: { name: 'AzureChinaCloud', vaultDnsSuffix: 'vault.azure.cn', esoEnvironment: 'ChinaCloud' },
};

/**
 * How the CSI provider fetches each kind of object, and the least role that allows exactly that,
 * assigned on the object itself rather than the whole vault.
 * - secret: getSecret on the secret.
 * - cert (a certificate the app needs with its private key): fetched as its backing *secret*, which
 *   yields the private key and the certificate chain as PEM; getSecret on that secret.
 * - key: the provider calls keys/read and writes the public key; AKS guidance names Key Vault
 *   Certificate User, which on a key's own scope grants only keys/read.
 */
export interface Delivery {
  csiObjectType: ObjectType;
  role: Role;
  /** The collection in the object's resource ID: `<vault id>/<collection>/<name>`. */
  scopeCollection: 'secrets' | 'keys' | 'certificates';
}

export const DELIVERY: Record<ObjectType, Delivery> = {
  secret: { csiObjectType: 'secret', role: ROLES.secretsUser, scopeCollection: 'secrets' },
  cert: { csiObjectType: 'secret', role: ROLES.secretsUser, scopeCollection: 'secrets' },
  key: { csiObjectType: 'key', role: ROLES.certificateUser, scopeCollection: 'keys' },
};
