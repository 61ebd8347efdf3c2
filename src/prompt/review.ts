import { exampleImage, FIELDS, formatSecretFlag } from '../spec/index.js';
import type { FieldDef, FieldGroup, Problem, SpecKey } from '../spec/index.js';
import type { WalkChecks, WalkState } from './state.js';
import { wrap } from './text.js';

const LABEL_WIDTH = 22;
const GROUPS: FieldGroup[] = ['Workload', 'Decision', 'Azure', 'Secrets', 'Delivery', 'Ingress'];
const TREE_KEYS: SpecKey[] = ['appKind', 'legacyReads'];

function row(label: string, value: string): string {
  return `  ${label.padEnd(LABEL_WIDTH - 1)} ${value}`;
}

/** A field's value as the review shows it, marked when it is the table's default. */
export function shownValue(state: WalkState, field: FieldDef): string {
  const value = state.value(field.key);
  const isDefault = state.input[field.key] === undefined;
  if (value === undefined) return `(${field.defaultText ?? 'not set'})`;
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
  const notes: string[] = [];
  if (isDefault) notes.push('default');
  const app = state.app();
  const subscription = field.key === 'subscription' ? state.subscriptions.find((s) => s.id === value) : undefined;
  if (subscription) notes.push(subscription.name);
  if (field.key === 'image' && app !== undefined && value === exampleImage({ app })) notes.push("the guide's example: set the real one");
  return notes.length > 0 ? `${text}   (${notes.join('; ')})` : text;
}

function decisionLines(state: WalkState): string[] {
  const decision = state.decision();
  const lines: string[] = [];
  for (const step of decision.path) {
    lines.push(`  ${step.question}  ${step.answer}`);
    lines.push(`    ${wrap(step.reason, 76, '    ')}`);
  }
  lines.push(`  ${wrap(`⇒ ${decision.outcome.title}: ${decision.outcome.summary}`, 78, '    ')}`);
  if (decision.override) lines.push(`    Warning: ${wrap(decision.override.warning, 76, '    ')}`);
  return lines;
}

/** The review screen: every answer that shapes the folder, grouped as --help groups the flags. */
export function reviewText(state: WalkState, checks: WalkChecks, problems: Problem[]): string {
  const out: string[] = ['', 'Review: nothing is written until you choose to generate.'];
  for (const group of GROUPS) {
    out.push('', group);
    if (group === 'Decision') out.push(...decisionLines(state));
    for (const field of FIELDS) {
      if (field.group !== group || TREE_KEYS.includes(field.key) || !state.applies(field.key)) continue;
      if (field.kind === 'list') {
        const previews = checks.deliveries(state.input);
        state.objects().forEach((object, i) => {
          const preview = previews?.[i];
          out.push(row(`--${field.flag}`, preview ? `${formatSecretFlag(object)}  → ${preview.text}` : formatSecretFlag(object)));
        });
        continue;
      }
      out.push(row(`--${field.flag}`, shownValue(state, field)));
    }
  }
  out.push('', row('Folder', state.dir ?? '(not chosen)'));
  if (problems.length > 0) {
    out.push('', 'Problems to fix before generating (choose "Change an answer"):');
    for (const p of problems) out.push(`  ${p.field}${p.value === '' ? '' : ` ${JSON.stringify(p.value)}`}: ${p.rule}`);
  }
  return `${out.join('\n')}\n\n`;
}
