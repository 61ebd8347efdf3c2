import { blockEnd, braceDepths, listHasEntry } from './braces.js';
import type { Hit } from './types.js';

/**
 * Bicep: a vault this file declares (not `existing`), its accessPolicies and RBAC setting (KVS002) and
 * purge protection (KVS004); explicit `false` settings count in a module's params too.
 */

const RESOURCE = /^\s*resource\s+(\w+)\s+'([^']+)'\s*(existing\s*)?=/;

function vault(lines: readonly string[], start: number, end: number, name: string, hits: Hit[]): void {
  let purge = false;
  for (let row = start + 1; row <= end; row++) {
    const text = lines[row]!;
    if (/^\s*enablePurgeProtection\s*:/.test(text)) purge = true;
    const policies = /^\s*accessPolicies\s*:\s*\[(.*)$/.exec(text);
    if (policies && listHasEntry(policies[1]!, lines.slice(row + 1, end + 1))) {
      hits.push({ rule: 'KVS002', line: row + 1, message: `vault ${name} grants access with accessPolicies` });
    }
  }
  if (!purge) hits.push({ rule: 'KVS004', line: start + 1, message: `vault ${name} is created without enablePurgeProtection: true` });
}

/** What a Bicep text that declares or configures a vault mentions: the cheap look before its lines are read. */
export const BICEP_TRIGGER = /KeyVault|accessPolicies|PurgeProtection|RbacAuthorization|SoftDelete/i;

export function bicepHits(lines: readonly string[]): Hit[] {
  const depths = braceDepths(lines, 'bicep');
  const hits: Hit[] = [];
  for (let row = 0; row < lines.length; row++) {
    const text = lines[row]!;
    const line = row + 1;
    if (/^\s*\/\//.test(text)) continue;
    if (/^\s*enablePurgeProtection\s*:\s*false\b/.test(text)) hits.push({ rule: 'KVS004', line, message: 'enablePurgeProtection: false' });
    if (/^\s*enableSoftDelete\s*:\s*false\b/.test(text)) hits.push({ rule: 'KVS004', line, message: 'enableSoftDelete: false turns soft delete off' });
    if (/^\s*enableRbacAuthorization\s*:\s*false\b/.test(text)) hits.push({ rule: 'KVS002', line, message: 'enableRbacAuthorization: false keeps access policies' });
    const resource = RESOURCE.exec(text);
    if (!resource || resource[3]) continue;
    const [, name, type] = resource as unknown as [string, string, string];
    if (/(?:^|\/)accessPolicies(?:@|$)/i.test(type)) {
      hits.push({ rule: 'KVS002', line, message: `${name} adds a Key Vault access policy` });
    } else if (/^Microsoft\.KeyVault\/vaults@/i.test(type)) {
      vault(lines, row, blockEnd(depths, row), name, hits);
    }
  }
  return hits;
}
