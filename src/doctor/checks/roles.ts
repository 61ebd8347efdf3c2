import { az, grantRead, READER_ROLE } from '../commands.js';
import { cannotCheck, finding, valueOf } from '../context.js';
import type { Context } from '../context.js';
import type { Collection, ExpectedObject, Finding, Identity, RoleAssignment, Vault } from '../types.js';

/** Role assignments can take this long to reach Key Vault (fact sheet 3.9). */
export const PROPAGATION_MS = 10 * 60 * 1000;

/** Built-in roles that can read each collection (fact sheet 4.2), by role-definition GUID. */
const READS: Record<Collection, string[]> = {
  secrets: ['4633458b-17de-408a-b874-0445c86b69e6', 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7', '00482a5a-887f-4fb3-b363-3b7fe8e74483'],
  keys: ['db79e9a7-68ee-4b58-9aeb-b90e7c24fcba', '12338af0-0e69-4776-bea7-57ae8d297424', '21090545-7ca7-4776-b22c-e363652d74d2', '14b46e9e-c2b7-41b4-b07b-48a6ebf60603', '00482a5a-887f-4fb3-b363-3b7fe8e74483'],
  certificates: ['db79e9a7-68ee-4b58-9aeb-b90e7c24fcba', '21090545-7ca7-4776-b22c-e363652d74d2', 'a4417e6f-fecd-4de8-b567-7b0420556985', '00482a5a-887f-4fb3-b363-3b7fe8e74483'],
};

const covers = (scope: string, target: string) => target.toLowerCase() === scope.toLowerCase() || target.toLowerCase().startsWith(`${scope.toLowerCase()}/`);

/** A 403 from Key Vault's RBAC in an event or condition. */
export const forbiddenByRbac = (messages: string[]) => messages.find((m) => m.includes('ForbiddenByRbac') || m.includes('DeniedWithNoValidRBAC'));

function objectFinding(c: Context, identity: Identity, vault: Vault, object: ExpectedObject): Finding | undefined {
  const { e, o } = c;
  const target = `${vault.id}/${object.collection}/${object.name}`;
  const atObject = o.objectRoles[`${object.collection}/${object.name}`];
  const assignments: RoleAssignment[] = [...(valueOf(o.vaultRoles) ?? []), ...(atObject ? valueOf(atObject) ?? [] : [])];
  const grants = (a: RoleAssignment) => READS[object.collection].includes(a.roleId) && covers(a.scope, target);
  const ours = assignments.filter((a) => a.principalId.toLowerCase() === identity.principalId.toLowerCase() && grants(a));
  const what = `${object.collection.slice(0, -1)} ${object.name}`;
  if (ours.length > 0) {
    const forbidden = forbiddenByRbac(c.messages);
    const young = ours.filter((a) => a.createdOn !== undefined && o.now - a.createdOn < PROPAGATION_MS);
    if (!forbidden || young.length !== ours.length) return undefined;
    const newest = Math.max(...young.map((a) => a.createdOn!));
    const waitSeconds = Math.ceil((PROPAGATION_MS - (o.now - newest)) / 1000);
    return finding('role-propagating', 'warning', `The role on ${what} was granted ${Math.round((o.now - newest) / 60000)} min ago and is still propagating; wait up to ten minutes (Key Vault refused the read with 403 meanwhile).`,
      { assignment: young[0]!.id, createdOn: new Date(newest).toISOString(), 'seen': forbidden }, [`sleep ${waitSeconds} && ${e.rerun}`]);
  }
  const grant = grantRead(identity, target, object.collection);
  const others = valueOf(o.cluster)?.otherIdentities ?? [];
  const wrongPrincipal = assignments.filter(grants).find((a) =>
    a.principalId.toLowerCase() === identity.clientId.toLowerCase() || others.some((i) => i.objectId.toLowerCase() === a.principalId.toLowerCase()));
  if (wrongPrincipal) {
    const who = wrongPrincipal.principalId.toLowerCase() === identity.clientId.toLowerCase()
      ? `the clientId of ${e.identity} (roles take the principalId)`
      : others.find((i) => i.objectId.toLowerCase() === wrongPrincipal.principalId.toLowerCase())!.what;
    return finding('role-wrong-principal', 'error', `${wrongPrincipal.roleName} on ${what} is granted to ${who}, not to the principal the pod signs in as.`,
      { 'granted to': wrongPrincipal.principalId, [`principalId of ${e.identity}`]: identity.principalId, scope: wrongPrincipal.scope },
      [grant, az('role assignment delete', { ids: wrongPrincipal.id })]);
  }
  if (o.vaultRoles.state === 'unknown') return cannotCheck('role-missing', `role assignments on ${e.vault}`, o.vaultRoles, `whether ${e.identity} may read ${what}`);
  if (atObject?.state === 'unknown') return cannotCheck('role-missing', `role assignments on ${what}`, atObject, `whether ${e.identity} may read it`);
  const held = assignments.filter((a) => a.principalId.toLowerCase() === identity.principalId.toLowerCase() && covers(a.scope, target)).map((a) => a.roleName);
  return finding('role-missing', 'error', `${e.identity} (principal ${identity.principalId}) has no role that can read ${what}: it needs ${READER_ROLE[object.collection].name} on the object or the vault.`,
    { principalId: identity.principalId, scope: target, 'its roles there': held.join(', ') || '(none)' }, [grant]);
}

/** One finding per object the identity cannot read, with the exact grant. */
export function roleFindings(c: Context): Finding[] {
  const identity = valueOf(c.o.identity);
  const vault = valueOf(c.o.vault);
  // No identity or vault: their own findings say so; no RBAC mode: role assignments are ignored anyway.
  if (!identity || !vault || !vault.rbac) return [];
  return c.objects.flatMap((object) => objectFinding(c, identity, vault, object) ?? []);
}
