import type { Approach, FieldDef, FieldGroup } from '../spec/index.js';

/** A field's help as a question: the table's help, without the trailing note about flags. */
export function questionFor(field: FieldDef, emptyMeans?: string): string {
  const help = field.help.replace(/\s*\(--[^)]*\)\s*$/, '');
  return emptyMeans ? `${help} (empty: ${emptyMeans})` : help;
}

/** Wraps a paragraph to `width` columns, each line after the first indented by `indent`. */
export function wrap(text: string, width = 80, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const prefix = lines.length === 0 ? '' : indent;
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push((lines.length === 0 ? '' : indent) + line);
  return lines.join('\n');
}

/**
 * What each part of the walk is about, printed once before its first question: the guide's reasons,
 * so that the walk teaches while it asks.
 */
export const SECTION_INTROS: Record<FieldGroup | 'Folder', (approach: Approach) => string> = {
  Workload: () => 'The workload. The service account, vault and identity names derive from the app name.',
  Decision: () => "How the secrets reach the app, by the guide's decision tree.",
  Azure: () =>
    'Azure. The pod signs in through Workload Identity as a managed identity, and Key Vault RBAC lets that identity read each object: Pod → Workload Identity → Managed Identity → Key Vault RBAC → Secret. No client secret or service principal, so no secret is kept to reach the secrets.',
  Secrets: () =>
    'The Key Vault objects the app needs, by name. Values are never asked here: azure/setup.sh reads them hidden and pipes them into Key Vault.',
  Delivery: (approach) =>
    approach === 'csi'
      ? 'Rotation. The CSI driver polls Key Vault and updates the mounted files; the app must re-read them (or watch them) to see a new value.'
      : 'Rotation. The operator refreshes the synced Secret from Key Vault; pods that read it as env vars are restarted to see a new value.',
  Ingress: () =>
    'HTTPS. If an ingress serves the app, its TLS certificate can come from Key Vault too: with AKS application routing the add-on reads it itself; another controller needs it as a kubernetes.io/tls Secret.',
  Folder: () => 'Where to write the files.',
};
