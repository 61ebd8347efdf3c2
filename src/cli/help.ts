import { FIELDS } from '../spec/index.js';
import type { FieldDef, FieldGroup } from '../spec/index.js';
import { ourCommand } from './command-name.js';
import { helpRow, helpRows } from './help-layout.js';
import { COMMAND_OPTIONS } from './options.js';
import { LIST_RULE, removeFlag } from './list-flags.js';

/** The field's help, then its choices, whether it is required, and its default: `Help. One of a|b. Default: a.` */
function fieldRow(field: FieldDef): string {
  const name = field.kind === 'boolean' ? `--[no-]${field.flag}` : `--${field.flag} ${field.valueName ?? 'VALUE'}`;
  const extras: string[] = [];
  if (field.choices) extras.push(`One of ${field.choices.join('|')}.`);
  if (field.required) extras.push('Required.');
  const fallback = field.defaultText ?? (typeof field.defaultValue === 'function' ? undefined : field.defaultValue);
  if (fallback !== undefined) extras.push(`Default: ${String(fallback)}.`);
  const main = helpRow(name, extras.length === 0 ? field.help : `${field.help}. ${extras.join(' ')}`);
  if (field.kind !== 'list') return main;
  return `${main}\n${helpRow(`--${removeFlag(field)} NAME`, `With --config: take the entry named NAME out of the file's ${field.key} (repeatable)`)}`;
}

export function helpText(): string {
  const groups: FieldGroup[] = ['Workload', 'Decision', 'Secrets', 'Azure', 'Delivery', 'Ingress'];
  const sections = groups.map((group) => [`${group}:`, ...FIELDS.filter((f) => f.group === group).map(fieldRow)].join('\n'));
  const command = [
    'Command:',
    ...COMMAND_OPTIONS.map((o) => helpRow(`${'short' in o ? `-${o.short}, ` : ''}--${o.flag}${'valueName' in o ? ` ${o.valueName}` : ''}`, o.help)),
  ].join('\n');
  return `create-kv-secrets: deliver Azure Key Vault secrets to an AKS workload the right way

Usage:
${helpRows([
  [ourCommand('[dir] [options]'), 'generate a project folder'],
  [ourCommand('snippet <name> [options]'), 'print one generated file as a Markdown block (--raw: bare)'],
  [ourCommand('snippet --list'), 'list the snippet names'],
  [ourCommand('apply [dir] [--dry-run]'), 'run a generated folder: az, kubectl, checks (apply --help)'],
  [ourCommand('teardown [dir] [--dry-run]'), 'take down what apply made; the vault stays (teardown --help)'],
  [ourCommand('audit [path...]'), "find the guide's common mistakes in existing files (audit --help)"],
  [ourCommand('doctor [dir] [--json]'), 'say why a live setup does not deliver its secrets (doctor --help)'],
])}

Snippets take the guide's example values (myapp, myRG, myCluster, db-password, api-key) for
whatever the flags leave out.

A new app that can read files gets the Secrets Store CSI Driver; a legacy app hard-wired to env vars
or a Kubernetes Secret gets the External Secrets Operator. Always Workload Identity, Key Vault RBAC
and purge protection; no secret value in any file, argument or env var.

${sections.join('\n\n')}

${LIST_RULE}

${command}

Example:
  ${ourCommand('--yes --app myapp --namespace production --resource-group myRG')} \\
    --cluster myCluster --secret db-password --secret api-key --secret tls-cert:cert

Exit codes: 0 done, 1 failed while working, 2 bad usage or input (nothing written), 130 cancelled.
`;
}
