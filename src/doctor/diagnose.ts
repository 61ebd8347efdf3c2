import { clusterFindings } from './checks/cluster.js';
import { esoFindings } from './checks/eso.js';
import { identityFindings } from './checks/identity.js';
import { objectFindings } from './checks/objects.js';
import { podFindings } from './checks/pod.js';
import { roleFindings } from './checks/roles.js';
import { vaultFindings } from './checks/vault.js';
import { byChain, contextOf, finding } from './context.js';
import type { Context } from './context.js';
import { signatureOf } from './signatures.js';
import type { ExpectedSetup, Finding, FindingId, ObservedWorld } from './types.js';

/**
 * What an event or condition adds: its text as evidence of the finding it points to. When no check
 * made that finding, the text alone does: a check that could not be made is then no longer unknown,
 * and a finding no read could show (a pod's view of the vault) still gets its id.
 */
function withSignatures(c: Context, findings: Finding[]): Finding[] {
  const result = [...findings];
  const seen = new Set<FindingId>();
  for (const message of c.messages) {
    const signature = signatureOf(message);
    if (!signature || seen.has(signature.finding)) continue;
    seen.add(signature.finding);
    // Propagation explains a 403 better than a missing role the checks did not find.
    if (signature.finding === 'role-missing' && result.some((f) => f.id === 'role-propagating')) continue;
    const index = result.findIndex((f) => f.id === signature.finding);
    const evidence = { [`seen (${signature.text}: ${signature.meaning})`]: message };
    if (index === -1) {
      if (checkedAndFine(c, signature.finding)) continue;
      result.push(finding(signature.finding, 'error', `A pod or ExternalSecret reports: ${signature.meaning}.`, evidence, []));
      continue;
    }
    const existing = result[index]!;
    result[index] = { ...existing, severity: existing.severity === 'unknown' ? 'error' : existing.severity, evidence: { ...existing.evidence, ...evidence } };
  }
  return result;
}

/**
 * Whether the reads showed this part of the chain in order, so that an event about it is older than
 * the state it describes (events outlive a fix by up to an hour).
 */
function checkedAndFine(c: Context, id: FindingId): boolean {
  const { o } = c;
  switch (id) {
    case 'fic-missing': case 'fic-issuer-mismatch': case 'fic-subject-mismatch':
      return o.credentials.state === 'found' && o.cluster.state === 'found';
    case 'clientid-mismatch':
      return o.identity.state === 'found' && (c.approach !== 'csi' || c.spc !== undefined);
    case 'role-missing':
      return o.vaultRoles.state === 'found' && o.identity.state === 'found' && c.objects.length > 0;
    case 'vault-firewall':
      return o.vault.state === 'found';
    case 'object-missing':
      return c.objects.length > 0 && c.objects.every((x) => o.vaultObjects[x.collection].state === 'found');
    case 'spc-missing':
      return o.spcs.state === 'found' && o.deployment.state === 'found';
    case 'csi-addon-disabled':
      return o.cluster.state === 'found';
    default:
      return false;
  }
}

/** Every finding about the setup, in the order of the auth chain; none means healthy. */
export function diagnose(expected: ExpectedSetup, observed: ObservedWorld): Finding[] {
  const c = contextOf(expected, observed);
  const findings = [
    ...podFindings(c),
    ...clusterFindings(c),
    ...identityFindings(c),
    ...vaultFindings(c),
    ...roleFindings(c),
    ...objectFindings(c),
    ...esoFindings(c),
  ];
  return withCauseFixes(withSignatures(c, findings)).sort(byChain);
}

/** A store or ExternalSecret that is not Ready is fixed by fixing its cause, when a finding names it. */
function withCauseFixes(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    if (f.fix.length > 0 || (f.id !== 'eso-store-not-ready' && f.id !== 'externalsecret-not-ready')) return f;
    const cause = signatureOf(f.message);
    const fixes = cause ? findings.find((g) => g.id === cause.finding)?.fix ?? [] : [];
    return fixes.length > 0 ? { ...f, fix: fixes } : f;
  });
}
