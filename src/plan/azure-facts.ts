import type { Cloud, ObjectType } from '../spec/index.js';

/** Built-in Key Vault data roles, by role-definition GUID (fact sheet 4.2). */
export const ROLES = {
  secretsUser: { name: 'Key Vault Secrets User', id: '4633458b-17de-408a-b874-0445c86b69e6' },
  certificateUser: { name: 'Key Vault Certificate User', id: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba' },
  secretsOfficer: { name: 'Key Vault Secrets Officer', id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' },
  certificatesOfficer: { name: 'Key Vault Certificates Officer', id: 'a4417e6f-fecd-4de8-b567-7b0420556985' },
  cryptoOfficer: { name: 'Key Vault Crypto Officer', id: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603' },
} as const;
export type Role = (typeof ROLES)[keyof typeof ROLES];

/** The audience a federated credential must carry; az 2.74 sends none unless told (az-cli #31598). */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';
export const CSI_ADDON = 'azure-keyvault-secrets-provider';
export const CSI_DRIVER = 'secrets-store.csi.k8s.io';

/** A Helm chart, pinned: a version here is the one source of truth for the scripts and docs. */
export interface HelmChart {
  repoName: string;
  repoUrl: string;
  chart: string;
  version: string;
  release: string;
  namespace: string;
}

/** External Secrets Operator (ESO fact sheet, section 2). */
export const ESO_CHART: HelmChart = {
  repoName: 'external-secrets',
  repoUrl: 'https://charts.external-secrets.io',
  chart: 'external-secrets/external-secrets',
  version: '2.9.0',
  release: 'external-secrets',
  namespace: 'external-secrets',
};

/** Stakater Reloader, which restarts pods whose env vars come from a changed Secret (ESO fact sheet, section 8). */
export const RELOADER_CHART: HelmChart = {
  repoName: 'stakater',
  repoUrl: 'https://stakater.github.io/stakater-charts',
  chart: 'stakater/reloader',
  version: '2.2.16',
  release: 'reloader',
  namespace: 'reloader',
};

/** Endpoints ESO's docs give for Azure China with AKS Workload Identity (needs useAzureSDK: true). */
export interface CustomCloudConfig {
  activeDirectoryEndpoint: string;
  keyVaultEndpoint: string;
}

export interface CloudFacts {
  /** `cloudName` of the CSI provider (go-autorest names). */
  name: Cloud;
  /** The same cloud as `az cloud show --query name` prints it and `az cloud set --name` takes it. */
  azName: 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';
  vaultDnsSuffix: string;
  /** `environmentType` of the External Secrets Operator's azurekv provider. */
  esoEnvironment: 'PublicCloud' | 'USGovernmentCloud' | 'ChinaCloud';
  esoCustomCloud: CustomCloudConfig | null;
}

export const CLOUD_FACTS: Record<Cloud, CloudFacts> = {
  AzurePublicCloud: { name: 'AzurePublicCloud', azName: 'AzureCloud', vaultDnsSuffix: 'vault.azure.net', esoEnvironment: 'PublicCloud', esoCustomCloud: null },
  AzureUSGovernmentCloud: { name: 'AzureUSGovernmentCloud', azName: 'AzureUSGovernment', vaultDnsSuffix: 'vault.usgovcloudapi.net', esoEnvironment: 'USGovernmentCloud', esoCustomCloud: null },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    azName: 'AzureChinaCloud',
    vaultDnsSuffix: 'vault.azure.cn',
    esoEnvironment: 'ChinaCloud',
    esoCustomCloud: { activeDirectoryEndpoint: 'https://login.partner.microsoftonline.cn/', keyVaultEndpoint: 'https://vault.azure.cn/' },
  },
};

/**
 * How each kind of object is fetched (by the CSI provider, or by ESO through `remoteRef.key`), and the least role that allows exactly that,
 * assigned on the object itself rather than the whole vault.
 * - secret: getSecret on the secret.
 * - cert (a certificate the app needs with its private key): fetched as its backing *secret*, which
 *   yields the private key and the certificate chain as PEM; getSecret on that secret.
 * - key: the provider calls keys/read and writes the public key; AKS guidance names Key Vault
 *   Certificate User, which on a key's own scope grants only keys/read.
 */
export interface Delivery {
  csiObjectType: ObjectType;
  /**
   * ESO's `remoteRef.key` prefix: `secret/` for secrets and for a certificate with its private key
   * (its backing secret, PKCS#12 by default); `key/` returns the public key as a JWK JSON.
   */
  esoPrefix: 'secret/' | 'key/';
  role: Role;
  /** The collection in the object's resource ID: `<vault id>/<collection>/<name>`. */
  scopeCollection: 'secrets' | 'keys' | 'certificates';
}

export const DELIVERY: Record<ObjectType, Delivery> = {
  secret: { csiObjectType: 'secret', esoPrefix: 'secret/', role: ROLES.secretsUser, scopeCollection: 'secrets' },
  cert: { csiObjectType: 'secret', esoPrefix: 'secret/', role: ROLES.secretsUser, scopeCollection: 'secrets' },
  key: { csiObjectType: 'key', esoPrefix: 'key/', role: ROLES.certificateUser, scopeCollection: 'keys' },
};
