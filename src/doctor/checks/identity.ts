import { WORKLOAD_IDENTITY_AUDIENCE } from '../../plan/azure-facts.js';
import { az, createCredential, deleteCredential, kubectl, mergePatch } from '../commands.js';
import { cannotCheck, finding, valueOf } from '../context.js';
import type { Context } from '../context.js';
import { nameOf, text } from '../kube.js';
import type { Finding, Identity } from '../types.js';

/** Entra ID allows this many federated credentials per identity (fact sheet 3.8). */
export const CREDENTIAL_LIMIT = 20;
const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';
const TENANT_ID_ANNOTATION = 'azure.workload.identity/tenant-id';

/** Why an issuer differs, when it is the usual cause: a trailing slash, or letter case. */
function issuerHint(cluster: string, credential: string): string {
  if (cluster.replace(/\/$/, '') === credential.replace(/\/$/, '')) return ' (they differ only in the trailing "/": Entra ID compares them exactly)';
  if (cluster.toLowerCase() === credential.toLowerCase()) return ' (they differ only in letter case: Entra ID compares them case-sensitively)';
  return ' (a credential made for another, or re-created, cluster)';
}

function credentialFindings(c: Context, identity: Identity): Finding[] {
  const { e, o, tokenAccount } = c;
  if (o.credentials.state !== 'found') {
    return o.credentials.state === 'unknown' ? [cannotCheck('fic-missing', `the federated credentials of ${e.identity}`, o.credentials, 'the federation')] : [];
  }
  const issuer = valueOf(o.cluster)?.issuerUrl;
  // No issuer (oidc-disabled) or no cluster read: the credential cannot be judged yet.
  if (!issuer) return [];
  const credentials = o.credentials.value;
  const subject = `system:serviceaccount:${tokenAccount.namespace}:${tokenAccount.name}`;
  const listed = credentials.map((f) => `${f.name}: ${f.issuer} ${f.subject}`).join('; ') || '(none)';
  const exact = credentials.find((f) => f.issuer === issuer && f.subject === subject);
  if (exact) {
    if (exact.audiences.length === 1 && exact.audiences[0] === WORKLOAD_IDENTITY_AUDIENCE) return [];
    return [finding('fic-audience', 'error', `Federated credential ${exact.name} has audiences ${JSON.stringify(exact.audiences)}; the token's audience is exactly ${WORKLOAD_IDENTITY_AUDIENCE}.`,
      { 'credential audiences': exact.audiences.join(', ') || '(none)', 'token audience': WORKLOAD_IDENTITY_AUDIENCE }, [createCredential(e, issuer, subject, exact.name)])];
  }
  const evidence = { 'token issuer (cluster)': issuer, 'token subject': subject, [`credentials of ${e.identity}`]: listed };
  const sameSubject = credentials.find((f) => f.subject === subject);
  if (sameSubject) {
    // Replacing that credential (same name) needs no room.
    return [finding('fic-issuer-mismatch', 'error', `Federated credential ${sameSubject.name} trusts issuer ${sameSubject.issuer}, not this cluster's ${issuer}${issuerHint(issuer, sameSubject.issuer)}.`,
      { 'token issuer (cluster)': issuer, 'credential issuer': sameSubject.issuer, 'token subject': subject }, [createCredential(e, issuer, subject, sameSubject.name)])];
  }
  if (credentials.length >= CREDENTIAL_LIMIT) {
    // A credential for a cluster other than this one is the likeliest to be unused.
    const spare = credentials.find((f) => f.issuer !== issuer) ?? credentials.at(-1)!;
    return [finding('fic-limit', 'error', `Identity ${e.identity} has ${credentials.length} federated credentials, the most Entra ID allows (${CREDENTIAL_LIMIT}), and none for subject ${subject}: delete one it no longer needs (${spare.name}?) to add it.`,
      { ...evidence, credentials: String(credentials.length), limit: String(CREDENTIAL_LIMIT) }, [deleteCredential(e, spare), createCredential(e, issuer, subject)])];
  }
  const sameIssuer = credentials.filter((f) => f.issuer === issuer);
  if (sameIssuer.length > 0) {
    return [finding('fic-subject-mismatch', 'error', `No federated credential trusts subject ${subject}; the ones for this cluster trust ${sameIssuer.map((f) => f.subject).join(', ')} (namespace and service account must match exactly${c.approach === 'eso' && e.store ? '; ESO presents the token of the store\'s service account' : ''}).`,
      { ...evidence, 'credential subjects': sameIssuer.map((f) => f.subject).join(', ') }, [createCredential(e, issuer, subject)])];
  }
  return [finding('fic-missing', 'error', `Identity ${e.identity} has no federated credential for this cluster's issuer and subject ${subject}, so Entra ID refuses the token exchange.`,
    evidence, [createCredential(e, issuer, subject)])];
}

/** What a wrong client ID is, when it is a usual mistake. */
function describeClientId(c: Context, identity: Identity, value: string): string {
  if (value === '') return 'empty';
  if (value.toLowerCase() === identity.principalId.toLowerCase()) return `the identity's principalId (object ID), not its clientId`;
  if (value.startsWith('/subscriptions/')) return 'a resource ID, not a client ID';
  const other = valueOf(c.o.cluster)?.otherIdentities.find((i) => i.clientId.toLowerCase() === value.toLowerCase());
  if (other) return `the client ID of ${other.what}, not of ${c.e.identity}`;
  return `not the client ID of ${c.e.identity}`;
}

function clientIdFindings(c: Context, identity: Identity): Finding[] {
  const { e, o, tokenAccount } = c;
  const findings: Finding[] = [];
  const wrong = (value: string) => value.toLowerCase() !== identity.clientId.toLowerCase();
  if (c.approach === 'csi' && c.spc) {
    const clientId = text(c.spc, 'spec', 'parameters', 'clientID') ?? '';
    if (wrong(clientId)) {
      findings.push(finding('clientid-mismatch', 'error', `SecretProviderClass ${nameOf(c.spc)} has clientID ${JSON.stringify(clientId)}, which is ${describeClientId(c, identity, clientId)}.`,
        { 'spec.parameters.clientID': clientId || '(not set)', [`clientId of ${e.identity}`]: identity.clientId },
        [mergePatch('secretproviderclass', nameOf(c.spc), e.namespace, { spec: { parameters: { clientID: identity.clientId } } })]));
    }
  }
  const account = valueOf(o.serviceAccounts[`${tokenAccount.namespace}/${tokenAccount.name}`] ?? { state: 'missing' });
  // The default account is pod-default-serviceaccount's business; CSI mounts do not read the annotation, ESO and the SDK's webhook do.
  if (account && tokenAccount.name !== 'default') {
    const annotated = text(account, 'metadata', 'annotations', CLIENT_ID_ANNOTATION);
    if ((annotated !== undefined || c.approach === 'eso' || c.approach === 'sdk') && wrong(annotated ?? '')) {
      findings.push(finding('clientid-mismatch', 'error', `Service account ${tokenAccount.namespace}/${tokenAccount.name} has ${CLIENT_ID_ANNOTATION} ${JSON.stringify(annotated ?? '')}, which is ${describeClientId(c, identity, annotated ?? '')}.`,
        { [`metadata.annotations["${CLIENT_ID_ANNOTATION}"]`]: annotated ?? '(not set)', [`clientId of ${e.identity}`]: identity.clientId },
        [kubectl(['annotate', 'serviceaccount', tokenAccount.name, '--namespace', tokenAccount.namespace, `${CLIENT_ID_ANNOTATION}=${identity.clientId}`, '--overwrite'])]));
    }
    const tenant = text(account, 'metadata', 'annotations', TENANT_ID_ANNOTATION);
    if (tenant !== undefined && tenant.toLowerCase() !== identity.tenantId.toLowerCase()) {
      findings.push(finding('tenant-mismatch', 'error', `Service account ${tokenAccount.namespace}/${tokenAccount.name} has ${TENANT_ID_ANNOTATION} ${tenant}; identity ${e.identity} is in tenant ${identity.tenantId}.`,
        { [`metadata.annotations["${TENANT_ID_ANNOTATION}"]`]: tenant, [`tenantId of ${e.identity}`]: identity.tenantId },
        [kubectl(['annotate', 'serviceaccount', tokenAccount.name, '--namespace', tokenAccount.namespace, `${TENANT_ID_ANNOTATION}=${identity.tenantId}`, '--overwrite'])]));
    }
  }
  if (c.approach === 'csi' && c.spc) {
    const tenant = text(c.spc, 'spec', 'parameters', 'tenantID') ?? text(c.spc, 'spec', 'parameters', 'tenantId') ?? '';
    const vaultTenant = valueOf(o.vault)?.tenantId ?? identity.tenantId;
    if (tenant.toLowerCase() !== vaultTenant.toLowerCase()) {
      findings.push(finding('tenant-mismatch', 'error', `SecretProviderClass ${nameOf(c.spc)} has tenantID ${JSON.stringify(tenant)}; vault ${e.vault} is in tenant ${vaultTenant}.`,
        { 'spec.parameters.tenantID': tenant || '(not set)', [`tenantId of ${e.vault}`]: vaultTenant },
        [mergePatch('secretproviderclass', nameOf(c.spc), e.namespace, { spec: { parameters: { tenantID: vaultTenant } } })]));
    }
  }
  return findings;
}

/** The user-assigned identity, its federated credentials, and where its client and tenant IDs are written. */
export function identityFindings(c: Context): Finding[] {
  const { e, o } = c;
  if (o.identity.state === 'unknown') return [cannotCheck('clientid-mismatch', `managed identity ${e.identity}`, o.identity, 'its client ID and federated credentials')];
  if (o.identity.state === 'missing') {
    return [finding('identity-missing', 'error', `There is no managed identity ${e.identity} in resource group ${e.resourceGroup}.`, { identity: `${e.resourceGroup}/${e.identity}` },
      [az('identity create', { name: e.identity, 'resource-group': e.resourceGroup })])];
  }
  return [...credentialFindings(c, o.identity.value), ...clientIdFindings(c, o.identity.value)];
}
