import { FIELDS } from '../spec/index.js';
import type { FieldDef, FieldGroup } from '../spec/index.js';
import { COMMAND_OPTIONS } from './options.js';
import { LIST_RULE, removeFlag } from './list-flags.js';

const WIDTH = 38;

function row(left: string, right: string): string {
  return left.length >= WIDTH - 2 ? `  ${left}\n${' '.repeat(WIDTH)}${right}` : `  ${left.padEnd(WIDTH - 2)}${right}`;
}

function fieldRow(field: FieldDef): string {
  const name = field.kind === 'boolean' ? `--[no-]${field.flag}` : `--${field.flag} ${field.valueName ?? 'VALUE'}`;
  const extras: string[] = [];
  if (field.required) extras.push('required');
  const fallback = field.defaultText ?? (typeof field.defaultValue === 'function' ? undefined : field.defaultValue);
  if (fallback !== undefined) extras.push(`default: ${String(fallback)}`);
  if (field.choices) extras.unshift(field.choices.join('|'));
  const main = row(name, extras.length > 0 ? `${field.help} (${extras.join('; ')})` : field.help);
  if (field.kind !== 'list') return main;
  return `${main}\n${row(`--${removeFlag(field)} NAME`, `With --config: take the entry named NAME out of the file's ${field.key} (repeatable)`)}`;
}

export function helpText(): string {
  const groups: FieldGroup[] = ['Workload', 'Decision', 'Secrets', 'Azure', 'Delivery'];
  const sections = groups.map((group) => [`${group}:`, ...FIELDS.filter((f) => f.group === group).map(fieldRow)].join('\n'));
  const command = [
    'Command:',
    ...COMMAND_OPTIONS.map((o) => row(`${'short' in o ? `-${o.short}, ` : ''}--${o.flag}${'valueName' in o ? ` ${o.valueName}` : ''}`, o.help)),
  ].join('\n');
  return `create-kv-secrets: deliver Azure Key Vault secrets to an AKS workload the right way

Usage:
  create-kv-secrets [dir] [options]            generate a project folder
  create-kv-secrets snippet <name> [options]   print one generated file as a Markdown block (--raw: bare)
  create-kv-secrets snippet --list             list the snippet names
  create-kv-secrets apply [dir] [--dry-run]    run a generated folder: az, kubectl, checks (apply --help)
  create-kv-secrets audit [path...]            find the guide's common mistakes in existing files (audit --help)
  create-kv-secrets doctor [dir] [--json]      say why a live setup does not deliver its secrets (doctor --help)

Snippets take the guide's example values (myapp, myRG, myCluster, db-password, api-key) for
whatever the flags leave out.

A new app that can read files gets the Secrets Store CSI Driver; a legacy app hard-wired to env vars
or a Kubernetes Secret gets the External Secrets Operator. Always Workload Identity, Key Vault RBAC
and purge protection; no secret value in any file, argument or env var.

${sections.join('\n\n')}

${LIST_RULE}

${command}

Example:
  create-kv-secrets --yes --app myapp --namespace production --resource-group myRG \\
    --cluster myCluster --secret db-password --secret api-key --secret tls-cert:cert

Exit codes: 0 done, 1 failed while working, 2 bad usage or input (nothing written), 130 cancelled.
`;
}
