import { allNodes, child } from './tree.js';
import type { Node } from './tree.js';
import type { Hit } from './types.js';

/**
 * ARM templates (JSON, comments allowed): a Microsoft.KeyVault/vaults resource the template deploys
 * (not one marked `existing`), its access policies and RBAC setting (KVS002), purge protection (KVS004).
 * A value written as an expression ("[parameters('x')]") is not known here and is not a finding.
 */

const isExpression = (value: string) => value.startsWith('[') && value.endsWith(']');

function vault(resource: Node, type: Node, hits: Hit[]): void {
  if (child(resource, 'existing')?.value === 'true') return;
  const props = child(resource, 'properties');
  if (props && props.children.length === 0 && isExpression(props.value)) return;
  const name = child(resource, 'name')?.value ?? '';
  const shown = name && !isExpression(name) ? ` ${name}` : '';
  const purge = child(props, 'enablePurgeProtection');
  if (!purge) hits.push({ rule: 'KVS004', line: type.line, message: `vault${shown} is deployed without enablePurgeProtection: true` });
  else if (purge.value === 'false') hits.push({ rule: 'KVS004', line: purge.line, message: `vault${shown} sets enablePurgeProtection: false` });
  const softDelete = child(props, 'enableSoftDelete');
  if (softDelete?.value === 'false') hits.push({ rule: 'KVS004', line: softDelete.line, message: `vault${shown} turns soft delete off` });
  const rbac = child(props, 'enableRbacAuthorization');
  if (rbac?.value === 'false') hits.push({ rule: 'KVS002', line: rbac.line, message: `vault${shown} sets enableRbacAuthorization: false` });
  const policies = child(props, 'accessPolicies');
  if (policies && policies.children.length > 0) hits.push({ rule: 'KVS002', line: policies.line, message: `vault${shown} grants access with accessPolicies` });
}

export function armHits(root: Node): Hit[] {
  const hits: Hit[] = [];
  for (const node of allNodes([root])) {
    if (node.key !== 'type' || !node.parent) continue;
    if (/^Microsoft\.KeyVault\/vaults$/i.test(node.value)) vault(node.parent, node, hits);
    else if (/^(?:Microsoft\.KeyVault\/vaults\/)?accessPolicies$/i.test(node.value)) {
      hits.push({ rule: 'KVS002', line: node.line, message: 'the template adds a Key Vault access policy' });
    }
  }
  return hits;
}

/** JSON with comments as plain JSON of the same lines: every comment blanked out, strings kept. */
export function blankJsonComments(text: string): string {
  if (!text.includes('//') && !text.includes('/*')) return text;
  return text.replace(/"(?:[^"\\\n]|\\.)*"?|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, (match) => (match[0] === '"' ? match : match.replace(/[^\n]/g, ' ')));
}
