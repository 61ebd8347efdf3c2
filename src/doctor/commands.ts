import { shellWord } from '../render/quote.js';
import { ROLES, WORKLOAD_IDENTITY_AUDIENCE } from '../plan/azure-facts.js';
import { azArgv } from '../spec/az-argv.js';
import type { AzOption } from '../spec/az-argv.js';
import type { Collection, ExpectedSetup, FederatedCredential, Identity } from './types.js';

/**
 * The fix commands, as a person pastes them into a POSIX shell. The az argv comes from the one
 * builder (src/spec/az-argv.ts: every value glued as `--flag=value`, so that a value starting with `-`
 * can never read as a flag); every word is quoted for the shell only when it needs it.
 */
export function az(command: string, options: Record<string, AzOption>): string {
  return ['az', ...azArgv(command, options).map(shellWord)].join(' ');
}

export function kubectl(words: string[]): string {
  return ['kubectl', ...words.map(shellWord)].join(' ');
}

/** The role the generated setup grants per collection (src/plan/azure-facts.ts DELIVERY; fact sheet 4.2). */
export const READER_ROLE: Record<Collection, { name: string; id: string }> = {
  secrets: ROLES.secretsUser,
  keys: ROLES.certificateUser,
  certificates: ROLES.certificateUser,
};

/** Creates, or replaces (same name), the federated credential the setup needs. */
export function createCredential(e: ExpectedSetup, issuer: string, subject: string, name = e.credentialName): string {
  return az('identity federated-credential create', {
    name, 'identity-name': e.identity, 'resource-group': e.resourceGroup,
    issuer, subject, audiences: WORKLOAD_IDENTITY_AUDIENCE,
  });
}

export function deleteCredential(e: ExpectedSetup, credential: FederatedCredential): string {
  return az('identity federated-credential delete', {
    name: credential.name, 'identity-name': e.identity, 'resource-group': e.resourceGroup, yes: true,
  });
}

export function grantRead(identity: Identity, scope: string, collection: Collection): string {
  return az('role assignment create', {
    role: READER_ROLE[collection].id, 'assignee-object-id': identity.principalId,
    'assignee-principal-type': 'ServicePrincipal', scope,
  });
}

export function updateVault(e: ExpectedSetup, flag: string, value: string): string {
  return az('keyvault update', { name: e.vault, 'resource-group': e.resourceGroup, [flag]: value });
}

export function updateCluster(e: ExpectedSetup, flags: string[]): string {
  return az('aks update', { 'resource-group': e.resourceGroup, name: e.cluster, ...Object.fromEntries(flags.map((f) => [f, true])) });
}

/** Re-applies the generated manifests, when doctor runs on a generated folder. */
export function reapply(e: ExpectedSetup): string[] {
  return e.kustomization ? [kubectl(['apply', '--server-side', '-k', e.kustomization])] : [];
}

/** A JSON merge patch of one object, as one shell word. */
export function mergePatch(kind: string, name: string, namespace: string, patch: object): string {
  return kubectl(['patch', kind, name, '--namespace', namespace, '--type=merge', '-p', JSON.stringify(patch)]);
}
