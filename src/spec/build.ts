import { FIELDS, fieldByKey } from './fields.js';
import type { FieldDef } from './fields.js';
import { duplicateProblems, parseKeyVaultObject } from './secrets.js';
import type { KeyVaultObject, Problem, Spec, SpecInput, SpecKey } from './types.js';

/** Names where a value came from in messages: a flag by default, a config key path when read from a file. */
export type Describe = (field: FieldDef, index?: number) => string;
export const describeAsFlag: Describe = (field) => `--${field.flag}`;

export type BuildResult = { ok: true; spec: Spec } | { ok: false; problems: Problem[] };

/** Fields that are needed when nothing can prompt, and are absent from `input`. */
export function missingRequired(input: SpecInput): FieldDef[] {
  return FIELDS.filter((f) => f.required && isAbsent(input[f.key]));
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Turns raw answers into a Spec: types checked, defaults derived from the app name, every rule
 * applied. All problems are reported at once, each naming its flag (or key), value and rule.
 */
export function buildSpec(input: SpecInput, describe: Describe = describeAsFlag): BuildResult {
  const problems: Problem[] = missingRequired(input).map((f) => ({
    field: describe(f),
    value: '',
    rule: `is required (pass ${describeAsFlag(f)}${f.valueName ? ` ${f.valueName}` : ''})`,
  }));
  const values: Partial<Record<SpecKey, unknown>> = {};

  const app = typeof input.app === 'string' ? input.app : '';
  // Names derived from a missing or broken app name would only repeat its problem.
  const appUsable = app !== '' && fieldByKey('app').rule?.(app) === null;
  for (const field of FIELDS) {
    const given = input[field.key];
    const where = describe(field);
    if (field.kind === 'list') {
      if (given === undefined) continue;
      const list = Array.isArray(given) ? given : [given];
      const objects: KeyVaultObject[] = [];
      list.forEach((entry, index) => {
        const parsed = parseKeyVaultObject(entry, describe(field, index));
        problems.push(...parsed.problems);
        if (parsed.object) objects.push(parsed.object);
      });
      problems.push(...duplicateProblems(objects, where));
      values[field.key] = objects;
      continue;
    }
    let value: unknown = given;
    let derived = false;
    if (isAbsent(value) && field.defaultValue !== undefined) {
      derived = typeof field.defaultValue === 'function';
      if (derived && !appUsable) continue;
      value = typeof field.defaultValue === 'function' ? field.defaultValue({ app }) : field.defaultValue;
    }
    if (isAbsent(value)) continue;
    if (field.kind === 'boolean') {
      if (typeof value !== 'boolean') problems.push({ field: where, value: String(value), rule: 'must be true or false' });
      else values[field.key] = value;
      continue;
    }
    if (typeof value !== 'string') {
      problems.push({ field: where, value: String(value), rule: 'must be a string' });
      continue;
    }
    const broken = field.rule?.(value);
    if (broken) {
      problems.push({
        field: where,
        value,
        rule: derived ? `${broken} (derived from --app; pass ${describeAsFlag(field)} to choose another)` : broken,
      });
      continue;
    }
    values[field.key] = value;
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, spec: values as Spec };
}
