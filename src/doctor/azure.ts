import { field, list, text } from './kube.js';
import type { AksCluster, FederatedCredential, Identity, RoleAssignment, Vault } from './types.js';

/** az's JSON, as `az ... --output json` prints it, into the few facts doctor compares. */

export function parseCluster(json: unknown): AksCluster {
  const addon = field(json, 'addonProfiles', 'azureKeyvaultSecretsProvider');
  const others: AksCluster['otherIdentities'] = [];
  const kubelet = field(json, 'identityProfile', 'kubeletidentity');
  if (text(kubelet, 'clientId') && text(kubelet, 'objectId')) others.push({ what: 'the kubelet identity', clientId: text(kubelet, 'clientId')!, objectId: text(kubelet, 'objectId')! });
  if (text(addon, 'identity', 'clientId') && text(addon, 'identity', 'objectId')) {
    others.push({ what: 'the CSI add-on\'s identity', clientId: text(addon, 'identity', 'clientId')!, objectId: text(addon, 'identity', 'objectId')! });
  }
  return {
    issuerUrl: field(json, 'oidcIssuerProfile', 'enabled') === true ? text(json, 'oidcIssuerProfile', 'issuerUrl') || null : null,
    workloadIdentity: field(json, 'securityProfile', 'workloadIdentity', 'enabled') === true,
    csiAddon: field(addon, 'enabled') === true,
    rotation: text(addon, 'config', 'enableSecretRotation') === 'true',
    otherIdentities: others,
    subnetIds: [...new Set(list(json, 'agentPoolProfiles').map((p) => text(p, 'vnetSubnetId') ?? '').filter(Boolean))],
  };
}

export function parseIdentity(json: unknown): Identity {
  return { id: text(json, 'id') ?? '', clientId: text(json, 'clientId') ?? '', principalId: text(json, 'principalId') ?? '', tenantId: text(json, 'tenantId') ?? '' };
}

export function parseCredentials(json: unknown): FederatedCredential[] {
  return (Array.isArray(json) ? json : []).map((f) => ({
    name: text(f, 'name') ?? '',
    issuer: text(f, 'issuer') ?? '',
    subject: text(f, 'subject') ?? '',
    audiences: list(f, 'audiences').filter((a): a is string => typeof a === 'string'),
  }));
}

export function parseVault(json: unknown): Vault {
  const p = field(json, 'properties');
  return {
    id: text(json, 'id') ?? '',
    tenantId: text(p, 'tenantId') ?? '',
    rbac: field(p, 'enableRbacAuthorization') === true,
    purgeProtection: field(p, 'enablePurgeProtection') === true,
    publicNetworkAccess: text(p, 'publicNetworkAccess') ?? null,
    defaultAction: text(p, 'networkAcls', 'defaultAction') ?? null,
    ipRules: list(p, 'networkAcls', 'ipRules').map((r) => text(r, 'value') ?? '').filter(Boolean),
    subnetRules: list(p, 'networkAcls', 'virtualNetworkRules').map((r) => text(r, 'id') ?? '').filter(Boolean),
    approvedPrivateEndpoints: list(p, 'privateEndpointConnections').filter((c) => text(c, 'privateLinkServiceConnectionState', 'status') === 'Approved').length,
  };
}

export function parseRoleAssignments(json: unknown): RoleAssignment[] {
  return (Array.isArray(json) ? json : []).map((a) => {
    const created = Date.parse(text(a, 'createdOn') ?? '');
    return {
      id: text(a, 'id') ?? '',
      principalId: text(a, 'principalId') ?? '',
      roleId: (text(a, 'roleDefinitionId') ?? '').split('/').pop()!.toLowerCase(),
      roleName: text(a, 'roleDefinitionName') ?? '',
      scope: text(a, 'scope') ?? '',
      ...(Number.isNaN(created) ? {} : { createdOn: created }),
    };
  });
}
