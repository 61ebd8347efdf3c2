import { blockEnd, braceDepths, listHasEntry } from './braces.js';
import type { Hit } from './types.js';

/**
 * Terraform: vaults this configuration creates (azurerm_key_vault, azapi_resource of
 * Microsoft.KeyVault/vaults), access policies (KVS002) and purge protection (KVS004). A data source only
 * reads a vault, so it is never a finding; a module's explicit `= false` (or legacy policies on) is.
 */

const HEADER = /^\s*(resource|data|module)\s+"([^"]+)"(?:\s+"([^"]+)")?\s*\{/;
const RBAC_OFF = /^\s*(?:enable_rbac_authorization|rbac_authorization_enabled)\s*=\s*false\b/;
const PURGE = /^\s*purge_protection_enabled\s*=\s*(\S+)/;
const SOFT_DELETE_OFF = /^\s*soft_delete_enabled\s*=\s*false\b/;
const LEGACY_POLICIES_ON = /^\s*legacy_access_policies_enabled\s*=\s*true\b/;
/** A line any of the checks below could match; most lines of a file are not. */
const INTERESTING = /rbac_authorization|legacy_access|purge_protection|soft_delete|^\s*resource\s/;

function azurermVault(lines: readonly string[], depths: readonly number[], start: number, end: number, name: string, hits: Hit[]): void {
  const inner = depths[start]! + 1;
  let purge: string | undefined;
  for (let row = start + 1; row <= end; row++) {
    if (depths[row] !== inner) continue;
    const text = lines[row]!;
    const line = row + 1;
    if (/^\s*access_policy\s*\{/.test(text) || /^\s*dynamic\s+"access_policy"/.test(text)) {
      hits.push({ rule: 'KVS002', line, message: `azurerm_key_vault.${name} grants access with an access_policy block` });
    }
    const list = /^\s*access_policy\s*=\s*\[(.*)$/.exec(text);
    if (list && listHasEntry(list[1]!, lines.slice(row + 1, end + 1))) {
      hits.push({ rule: 'KVS002', line, message: `azurerm_key_vault.${name} grants access with access_policy entries` });
    }
    const purgeSet = PURGE.exec(text);
    if (purgeSet) purge = purgeSet[1];
  }
  if (purge === undefined) hits.push({ rule: 'KVS004', line: start + 1, message: `azurerm_key_vault.${name} is created without purge_protection_enabled = true` });
}

function azapiVault(lines: readonly string[], start: number, end: number, name: string, hits: Hit[]): void {
  const body = lines.slice(start, end + 1);
  const type = body.map((l) => /^\s*type\s*=\s*"(Microsoft\.KeyVault\/vaults(?:\/accessPolicies)?)@/i.exec(l)?.[1]).find(Boolean);
  if (!type) return;
  if (/accessPolicies$/i.test(type)) {
    hits.push({ rule: 'KVS002', line: start + 1, message: `azapi_resource.${name} adds a Key Vault access policy` });
    return;
  }
  let purge = false;
  body.forEach((text, i) => {
    const line = start + i + 1;
    const purgeSet = /\benablePurgeProtection"?\s*[=:]\s*(\S+)/.exec(text);
    if (purgeSet) {
      purge = true;
      if (/^false\b/.test(purgeSet[1]!)) hits.push({ rule: 'KVS004', line, message: `azapi_resource.${name} sets enablePurgeProtection = false` });
    }
    if (/\benableSoftDelete"?\s*[=:]\s*false\b/.test(text)) hits.push({ rule: 'KVS004', line, message: `azapi_resource.${name} turns soft delete off` });
    if (/\benableRbacAuthorization"?\s*[=:]\s*false\b/.test(text)) hits.push({ rule: 'KVS002', line, message: `azapi_resource.${name} sets enableRbacAuthorization = false` });
    const policies = /\baccessPolicies"?\s*[=:]\s*\[(.*)$/.exec(text);
    if (policies && listHasEntry(policies[1]!, body.slice(i + 1))) hits.push({ rule: 'KVS002', line, message: `azapi_resource.${name} grants access with accessPolicies` });
  });
  if (!purge) hits.push({ rule: 'KVS004', line: start + 1, message: `azapi_resource.${name} creates a vault without enablePurgeProtection = true` });
}

/** What a Terraform text that declares or configures a vault mentions: the cheap look before its lines are read. */
export const TERRAFORM_TRIGGER = /key_vault|KeyVault|purge_protection|rbac_authorization|access_polic/i;

export function terraformHits(lines: readonly string[]): Hit[] {
  const depths = braceDepths(lines, 'hcl');
  const hits: Hit[] = [];
  for (let row = 0; row < lines.length; row++) {
    const text = lines[row]!;
    const line = row + 1;
    if (!INTERESTING.test(text) || /^\s*(?:#|\/\/)/.test(text)) continue;
    // Explicit settings count wherever they are: a module's inputs as much as a resource's.
    if (RBAC_OFF.test(text)) hits.push({ rule: 'KVS002', line, message: 'RBAC authorization is turned off: the vault uses access policies' });
    if (LEGACY_POLICIES_ON.test(text)) hits.push({ rule: 'KVS002', line, message: 'legacy_access_policies_enabled = true keeps access policies' });
    if (/^false\b/.test(PURGE.exec(text)?.[1] ?? '')) hits.push({ rule: 'KVS004', line, message: 'purge_protection_enabled = false' });
    if (SOFT_DELETE_OFF.test(text)) hits.push({ rule: 'KVS004', line, message: 'soft_delete_enabled = false' });
    const header = depths[row] === 0 ? HEADER.exec(text) : null;
    if (!header || header[1] !== 'resource') continue;
    const [, , type, name = ''] = header;
    if (type === 'azurerm_key_vault_access_policy') {
      hits.push({ rule: 'KVS002', line, message: `azurerm_key_vault_access_policy.${name} grants access through an access policy` });
    } else if (type === 'azurerm_key_vault') {
      azurermVault(lines, depths, row, blockEnd(depths, row), name, hits);
    } else if (type === 'azapi_resource') {
      azapiVault(lines, row, blockEnd(depths, row), name, hits);
    }
  }
  return hits;
}
