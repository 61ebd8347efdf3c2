import { FIELDS } from './fields.js';
import type { FieldDef } from './fields.js';
import type { Approach, Spec } from './types.js';
import { yamlDocument } from './yaml-text.js';

export const CONFIG_API_VERSION = 'create-kv-secrets/v1';
export const CONFIG_FILE_NAME = 'kv-secrets.yaml';

/**
 * IDs that are not known when the folder is generated stand in the files as these markers;
 * azure/setup.sh replaces them with the real IDs once it has them.
 */
export function placeholder(name: string): string {
  return `<${name}: filled in by azure/setup.sh>`;
}
export const PLACEHOLDERS = {
  clientId: placeholder('client-id'),
  tenantId: placeholder('tenant-id'),
} as const;

function answersOf(spec: Spec, fields: readonly FieldDef[]): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const field of fields) {
    const value = spec[field.key];
    if (value !== undefined) answers[field.key] = value;
    else if (field.key === 'clientId' || field.key === 'tenantId') answers[field.key] = PLACEHOLDERS[field.key];
  }
  return answers;
}

function toYaml(answers: Record<string, unknown>): string {
  // Every string double-quoted, so that an ID filled in by azure/setup.sh reads exactly as a given one.
  return yamlDocument(answers as Parameters<typeof yamlDocument>[0], { quoteStrings: true });
}

/** The fields a setup with these approaches uses: a field of one approach only goes when none has it. */
const usedBy = (approaches: Approach[]) => (field: FieldDef) => field.only === undefined || approaches.includes(field.only);

/**
 * The answers file: every resolved answer the setup uses, in table order, so that it regenerates the
 * same folder (a key it leaves out takes its default, which the approach's files never read).
 */
export function serializeSpec(spec: Spec, approach: Approach): string {
  return toYaml({ apiVersion: CONFIG_API_VERSION, ...answersOf(spec, FIELDS.filter(usedBy([approach]))) });
}

/** The answers file of several workloads: what they share once at the top, then each app's own. */
export function serializeSpecs(specs: Spec[], approaches: Approach[]): string {
  const shared = answersOf(specs[0]!, FIELDS.filter((f) => f.shared).filter(usedBy(approaches)));
  const apps = specs.map((spec, i) => answersOf(spec, FIELDS.filter((f) => !f.shared).filter(usedBy([approaches[i]!]))));
  return toYaml({ apiVersion: CONFIG_API_VERSION, ...shared, apps });
}
