import type { Cloud, Problem, Spec } from '../spec/index.js';

/**
 * How pods (and the operator running azure/setup.sh) reach the vault: the one source of the names
 * setup.sh gives the private endpoint and its DNS, and of the zone each cloud resolves vaults in.
 */

/** The private DNS zone a vault's private endpoint is resolved in (Azure private endpoint DNS values, "Key Vault"). */
export const VAULT_PRIVATE_DNS_ZONES: Record<Cloud, string> = {
  AzurePublicCloud: 'privatelink.vaultcore.azure.net',
  AzureUSGovernmentCloud: 'privatelink.vaultcore.usgovcloudapi.net',
  AzureChinaCloud: 'privatelink.vaultcore.azure.cn',
};

/** The private-link sub-resource (group ID) of a Key Vault. */
export const VAULT_PRIVATE_LINK_GROUP = 'vault';

export interface VaultNetworkView {
  mode: Spec['vaultNetwork'];
  isPublic: boolean;
  isPrivate: boolean;
  isFirewall: boolean;
  /** Private: the subnet the endpoint goes in, its name, the DNS zone, the zone's link to the cluster's VNet, the zone group. */
  subnet: string;
  endpoint: string;
  dnsZone: string;
  dnsLink: string;
  zoneGroup: string;
  groupId: string;
  /** Firewall: the address to allow; empty: setup.sh reads the cluster's outbound IPs. */
  egressIp: string;
}

export function vaultNetworkView(spec: Spec): VaultNetworkView {
  return {
    mode: spec.vaultNetwork,
    isPublic: spec.vaultNetwork === 'public',
    isPrivate: spec.vaultNetwork === 'private',
    isFirewall: spec.vaultNetwork === 'firewall',
    subnet: spec.privateEndpointSubnet ?? '',
    endpoint: `${spec.vault}-pe`,
    dnsZone: VAULT_PRIVATE_DNS_ZONES[spec.cloud],
    dnsLink: `${spec.cluster}-vnet`,
    zoneGroup: 'vaultcore',
    groupId: VAULT_PRIVATE_LINK_GROUP,
    egressIp: spec.egressIp ?? '',
  };
}

/** Values that belong to one network mode, given with another, or missing where needed. */
export function vaultNetworkProblems(spec: Spec): Problem[] {
  const problems: Problem[] = [];
  if (spec.vaultNetwork === 'private' && spec.privateEndpointSubnet === undefined) {
    problems.push({ field: '--private-endpoint-subnet', value: '', rule: 'is needed with --vault-network private: the resource ID of the subnet the private endpoint goes in' });
  }
  if (spec.vaultNetwork !== 'private' && spec.privateEndpointSubnet !== undefined) {
    problems.push({ field: '--private-endpoint-subnet', value: spec.privateEndpointSubnet, rule: `is used only with --vault-network private, not ${spec.vaultNetwork}` });
  }
  if (spec.vaultNetwork !== 'firewall' && spec.egressIp !== undefined) {
    problems.push({ field: '--egress-ip', value: spec.egressIp, rule: `is used only with --vault-network firewall, not ${spec.vaultNetwork}` });
  }
  return problems;
}
