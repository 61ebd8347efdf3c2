import { az, updateVault } from '../commands.js';
import { cannotCheck, finding, valueOf } from '../context.js';
import type { Context } from '../context.js';
import type { Finding, Vault } from '../types.js';

function firewallFinding(c: Context, vault: Vault): Finding | undefined {
  const { e } = c;
  if (vault.approvedPrivateEndpoints > 0) return undefined;
  const subnets = (valueOf(c.o.cluster)?.subnetIds ?? []);
  const evidence = {
    'properties.publicNetworkAccess': vault.publicNetworkAccess ?? '(not set: Enabled)',
    'properties.networkAcls.defaultAction': vault.defaultAction ?? '(not set: Allow)',
    'approved private endpoints': '0',
    'cluster subnets': subnets.join(', ') || '(AKS-managed network)',
  };
  const allowSubnets = subnets.map((subnet) => az('keyvault network-rule add', { name: e.vault, 'resource-group': e.resourceGroup, subnet }));
  if (vault.publicNetworkAccess?.toLowerCase() === 'disabled') {
    return finding('vault-firewall', 'error', `Vault ${e.vault} has public network access disabled and no approved private endpoint, so the cluster cannot reach it.`,
      evidence, [updateVault(e, 'public-network-access', 'Enabled'), ...allowSubnets]);
  }
  if (vault.defaultAction?.toLowerCase() !== 'deny') return undefined;
  const lower = vault.subnetRules.map((s) => s.toLowerCase());
  if (subnets.some((s) => lower.includes(s.toLowerCase()))) return undefined;
  return finding('vault-firewall', 'error', `Vault ${e.vault}'s network rules deny by default and allow none of the cluster's subnets, and it has no private endpoint: the cluster's requests are refused (ForbiddenByFirewall).`,
    { ...evidence, 'allowed subnets': vault.subnetRules.join(', ') || '(none)', 'allowed addresses': vault.ipRules.join(', ') || '(none)' },
    allowSubnets.length > 0 ? allowSubnets : [updateVault(e, 'default-action', 'Allow')]);
}

/** The vault itself: there, in RBAC mode, purge-protected, reachable. */
export function vaultFindings(c: Context): Finding[] {
  const { e, o } = c;
  if (o.vault.state === 'unknown') return [cannotCheck('vault-access-policies', `Key Vault ${e.vault}`, o.vault, 'its permission model, network rules, roles and objects')];
  if (o.vault.state === 'missing') {
    return [finding('vault-missing', 'error', `There is no Key Vault ${e.vault} in this subscription.`, { vault: e.vault },
      [az('keyvault create', { name: e.vault, 'resource-group': e.resourceGroup, 'enable-rbac-authorization': 'true', 'enable-purge-protection': 'true' })])];
  }
  const vault = o.vault.value;
  const findings: Finding[] = [];
  if (!vault.rbac) {
    findings.push(finding('vault-access-policies', 'error', `Vault ${e.vault} uses access policies, so Key Vault ignores every role assignment. Switch it to RBAC (its users then need Key Vault roles instead of access policies).`,
      { 'properties.enableRbacAuthorization': 'false' }, [updateVault(e, 'enable-rbac-authorization', 'true')]));
  }
  if (!vault.purgeProtection) {
    findings.push(finding('purge-protection-off', 'warning', `Vault ${e.vault} has no purge protection: a deleted secret can be purged for good (once on, it cannot be turned off).`,
      { 'properties.enablePurgeProtection': 'false' }, [updateVault(e, 'enable-purge-protection', 'true')]));
  }
  const firewall = firewallFinding(c, vault);
  if (firewall) findings.push(firewall);
  return findings;
}
