import type { FindingId } from './types.js';

/**
 * Error texts that pods' events and ExternalSecret / SecretStore
 * conditions carry, and the finding each one points to. One row per signature, with where the text
 * was read upstream; the tests hold each row to that text, verbatim.
 */
export interface Signature {
  /** Matched case-sensitively anywhere in the message. */
  text: string;
  finding: FindingId;
  /** What the text means, for the evidence. */
  meaning: string;
  source: string;
}

export const SIGNATURES: readonly Signature[] = [
  {
    // Entra ID names the mismatching claim in the longer codes; these are checked first.
    text: 'AADSTS700211',
    finding: 'fic-issuer-mismatch',
    meaning: 'Entra ID found no federated credential with the token\'s issuer',
    source: 'https://github.com/Azure/azure-workload-identity/issues/1200',
  },
  {
    text: 'AADSTS7002138',
    finding: 'fic-subject-mismatch',
    meaning: 'Entra ID found no federated credential with the token\'s subject (matched case-sensitively)',
    source: 'https://github.com/Azure/login/issues/517',
  },
  {
    text: 'AADSTS700213',
    finding: 'fic-subject-mismatch',
    meaning: 'Entra ID found no federated credential with the token\'s subject (namespace and service account)',
    source: 'https://github.com/Azure/azure-workload-identity/issues/1200 (comment of 2025-04-22)',
  },
  {
    text: 'AADSTS70021',
    finding: 'fic-missing',
    meaning: 'Entra ID found no federated credential matching the token\'s issuer, subject and audience',
    source: 'https://github.com/MicrosoftDocs/azure-docs/issues/106441',
  },
  {
    text: 'AADSTS700016',
    finding: 'clientid-mismatch',
    meaning: 'the client ID is no application or managed identity of that tenant',
    source: 'https://github.com/Azure/aad-pod-identity/issues/1277',
  },
  {
    text: 'Identity not found',
    finding: 'clientid-mismatch',
    meaning: 'the node\'s identity endpoint (IMDS) has no identity with that client ID: the SecretProviderClass has no workload-identity clientID',
    source: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/1356 (meaning: maintainer in #991)',
  },
  {
    text: 'Multiple user assigned identities exist',
    finding: 'clientid-mismatch',
    meaning: 'the provider asked the node\'s identity endpoint without a client ID: the SecretProviderClass has no workload-identity clientID',
    source: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/853',
  },
  {
    text: 'ForbiddenByRbac',
    finding: 'role-missing',
    meaning: 'Key Vault refused the read: no role assignment lets this principal read the object',
    source: 'https://github.com/piyushsachdeva/Terraform_AKS/issues/2',
  },
  {
    text: 'DeniedWithNoValidRBAC',
    finding: 'role-missing',
    meaning: 'Key Vault refused the read: no role assignment lets this principal read the object',
    source: 'https://github.com/piyushsachdeva/Terraform_AKS/issues/2',
  },
  {
    text: 'ForbiddenByFirewall',
    finding: 'vault-firewall',
    meaning: 'the vault firewall refused the caller\'s address',
    source: 'AKS CSI troubleshooting text in the search index (file id 28269551261; its repository is not shown)',
  },
  {
    text: 'Public network access is disabled',
    finding: 'vault-firewall',
    meaning: 'the vault takes no public traffic, and the request did not come through an approved private endpoint',
    source: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/873',
  },
  {
    text: 'SecretNotFound',
    finding: 'object-missing',
    meaning: 'the vault holds no secret of that name',
    source: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/497',
  },
  {
    text: 'failed to get secretproviderclass',
    finding: 'spc-missing',
    meaning: 'the CSI driver found no SecretProviderClass of that name in the pod\'s namespace',
    source: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/590',
  },
  {
    text: 'driver name secrets-store.csi.k8s.io not found',
    finding: 'csi-addon-disabled',
    meaning: 'the Secrets Store CSI driver is not running on the pod\'s node',
    source: 'https://github.com/wolfi-dev/os/pull/2527',
  },
];

/** The first signature a message carries (the table's order puts the more specific codes first). */
export function signatureOf(message: string): Signature | undefined {
  return SIGNATURES.find((s) => message.includes(s.text));
}
