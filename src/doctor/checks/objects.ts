import { az } from '../commands.js';
import { cannotCheck, finding } from '../context.js';
import type { Context } from '../context.js';
import type { Collection, Finding } from '../types.js';

const NOUN: Record<Collection, string> = { secrets: 'secret', keys: 'key', certificates: 'certificate' };

/** How to put the missing object in the vault; a value is read hidden, never given in argv. */
function upload(c: Context, collection: Collection, name: string): string[] {
  const { e } = c;
  if (collection === 'secrets') {
    if (e.kustomization) return [`bash ${e.kustomization.replace(/k8s\/?$/, 'azure/setup.sh')}`];
    return [`(IFS= read -rs -p ${JSON.stringify(`Value of ${name}: `)} value && printf '%s' "$value") | ${az('keyvault secret set', { 'vault-name': e.vault, name, file: '/dev/stdin', output: 'none' })}`];
  }
  if (collection === 'keys') return [az('keyvault key import', { 'vault-name': e.vault, name, 'pem-file': `${name}.pem` })];
  return [az('keyvault certificate import', { 'vault-name': e.vault, name, file: `${name}.pfx` })];
}

/** Every object the SecretProviderClass or ExternalSecret names must be in the vault: one missing object fails the whole mount. */
export function objectFindings(c: Context): Finding[] {
  const { e, o } = c;
  if (o.vault.state !== 'found') return [];
  const findings: Finding[] = [];
  for (const collection of ['secrets', 'keys', 'certificates'] as const) {
    const wanted = c.objects.filter((x) => x.collection === collection);
    if (wanted.length === 0) continue;
    const read = o.vaultObjects[collection];
    if (read.state !== 'found') {
      findings.push(read.state === 'unknown'
        ? cannotCheck('object-missing', `the ${collection} of ${e.vault} (names only)`, read, `whether ${wanted.map((x) => x.name).join(', ')} exist`)
        : finding('object-missing', 'unknown', `Could not list the ${collection} of ${e.vault}.`, {}, []));
      continue;
    }
    const names = read.value.map((n) => n.toLowerCase());
    for (const object of wanted.filter((x) => !names.includes(x.name.toLowerCase()))) {
      findings.push(finding('object-missing', 'error', `${e.vault} holds no ${NOUN[collection]} ${object.name}; one missing object fails the whole mount.`,
        { [`${collection} in ${e.vault}`]: read.value.join(', ') || '(none)', wanted: object.name }, upload(c, collection, object.name)));
    }
  }
  return findings;
}
