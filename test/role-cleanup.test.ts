/**
 * An object taken out of the list loses its role on the next azure/setup.sh run (templates/common/
 * _setup-role-cleanup.hbs), against the stand-in az: the identity's assignments on objects of the vault
 * that the run did not grant are deleted; its other roles, and anyone else's, stay.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROLE, Sandbox, callsOf } from './support/standin-harness.js';
import type { StandInState } from './support/standin-harness.js';

const FLAGS = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster',
  '--secret', 'db-password', '--secret', 'api-key', '--secret', 'extra-one'];

afterAll(() => Sandbox.removeAll());

/** Each role assignment as `scope below the vault` for a principal, sorted. */
function objectScopes(state: StandInState, principalId: string): string[] {
  const vault = state.vaults['myapp-kv'].id.toLowerCase();
  return state.roleAssignments
    .filter((a: StandInState) => a.principalId === principalId && a.scope.toLowerCase().startsWith(`${vault}/`))
    .map((a: StandInState) => a.scope.slice(vault.length + 1))
    .sort();
}

describe('removing an object from the list', { timeout: 180_000 }, () => {
  it('--remove-secret, then setup.sh: that object loses its role, the others and everyone else keep theirs; a second run removes nothing', async () => {
    const sb = await Sandbox.create();
    const folder = await sb.generate('app', FLAGS);
    expect((await sb.runSetup(folder, { stdin: 'one\ntwo\nthree\n' })).code).toBe(0);
    const identity = sb.state().identities['myRG/myapp-identity'].principalId as string;
    expect(objectScopes(sb.state(), identity)).toEqual(['secrets/api-key', 'secrets/db-password', 'secrets/extra-one']);
    // Someone else's role on the object being removed, which must stay.
    const vaultId = sb.state().vaults['myapp-kv'].id as string;
    const other = sb.state().servicePrincipals[0].id as string;
    expect((await sb.az('role', 'assignment', 'create', '--assignee-object-id', other, '--assignee-principal-type', 'ServicePrincipal',
      '--role', ROLE.secretsUser, '--scope', `${vaultId}/secrets/api-key`, '--output', 'none')).code).toBe(0);
    const operatorRolesBefore = sb.state().roleAssignments.filter((a: StandInState) => a.scope === vaultId).length;

    await sb.generate('app', ['--yes', '--config', join(folder, 'kv-secrets.yaml'), '--remove-secret', 'api-key']);
    const second = await sb.runSetup(folder, { stdin: 'closed' });
    expect(second.code, second.stderr).toBe(0);
    expect(objectScopes(sb.state(), identity)).toEqual(['secrets/db-password', 'secrets/extra-one']);
    expect(objectScopes(sb.state(), other)).toEqual(['secrets/api-key']);
    expect(sb.state().roleAssignments.filter((a: StandInState) => a.scope === vaultId)).toHaveLength(operatorRolesBefore);
    expect(callsOf(second.calls, 'role assignment delete')).toHaveLength(1);
    expect(second.stderr).toContain('secrets/api-key: no longer in the list, its role for myapp-identity removed.');

    const third = await sb.runSetup(folder, { stdin: 'closed' });
    expect(third.code, third.stderr).toBe(0);
    expect(callsOf(third.calls, 'role assignment delete')).toEqual([]);
  });
});
