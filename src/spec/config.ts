import { LineCounter, parseDocument, isMap, isScalar, stringify } from 'yaml';
import type { Pair, Node } from 'yaml';
import { FIELDS } from './fields.js';
import type { FieldDef } from './fields.js';
import type { Describe } from './build.js';
import type { Problem, Spec, SpecInput } from './types.js';

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

/** The answers file: every resolved answer, in table order, so that it regenerates the same folder. */
export function serializeSpec(spec: Spec): string {
  const answers: Record<string, unknown> = { apiVersion: CONFIG_API_VERSION };
  for (const field of FIELDS) {
    const value = spec[field.key];
    if (value !== undefined) answers[field.key] = value;
    else if (field.key === 'clientId' || field.key === 'tenantId') answers[field.key] = PLACEHOLDERS[field.key];
  }
  // Every string double-quoted, so that an ID filled in by azure/setup.sh reads exactly as a given one.
  return stringify(answers, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}

export interface LoadedConfig {
  input: SpecInput;
  /** Names a key of this file with its line, for buildSpec's messages. */
  describe: Describe;
  problems: Problem[];
}

/** Reads a kv-secrets.yaml text. Unknown keys and wrong shapes are problems naming file, key and line. */
export function parseConfig(text: string, fileName: string): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 0);
  const lines = new Map<string, number>();
  const itemLines = new Map<string, number[]>();
  const describe: Describe = (field: FieldDef, index?: number) =>
    index === undefined
      ? `${fileName}:${lines.get(field.key) ?? 1} ${field.key}`
      : `${fileName}:${itemLines.get(field.key)?.[index] ?? lines.get(field.key) ?? 1} ${field.key}[${index}]`;
  const problems: Problem[] = [];
  const fail = (line: number, key: string, value: string, rule: string) => {
    problems.push({ field: `${fileName}:${line} ${key}`, value, rule });
    return { input: {}, describe, problems };
  };

  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    return fail(error.linePos?.[0].line ?? 1, '(yaml)', '', `is not valid YAML: ${error.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) return fail(1, '(document)', '', 'must be a mapping of answers');

  const input: SpecInput = {};
  let apiVersion: unknown;
  for (const pair of doc.contents.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = lineOf(pair.key);
    const value: unknown = pair.value ? pair.value.toJSON() : null;
    if (key === 'apiVersion') {
      lines.set(key, line);
      apiVersion = value;
      continue;
    }
    const field = FIELDS.find((f) => f.key === key);
    if (!field) {
      problems.push({ field: `${fileName}:${line} ${key}`, value: String(value), rule: `is not a known key (known: apiVersion, ${FIELDS.map((f) => f.key).join(', ')})` });
      continue;
    }
    lines.set(key, line);
    if (field.kind === 'list') {
      if (!Array.isArray(value)) {
        problems.push({ field: `${fileName}:${line} ${key}`, value: String(value), rule: 'must be a list' });
        continue;
      }
      const seq = pair.value as unknown as { items?: Node[] };
      itemLines.set(key, (seq.items ?? []).map(lineOf));
    }
    if (key === 'clientId' || key === 'tenantId') {
      if (value === PLACEHOLDERS[key]) continue;
    }
    input[field.key] = value as SpecInput[typeof field.key];
  }
  if (apiVersion !== CONFIG_API_VERSION) {
    problems.unshift({ field: `${fileName}:${lines.get('apiVersion') ?? 1} apiVersion`, value: String(apiVersion ?? ''), rule: `must be ${CONFIG_API_VERSION}` });
  }
  return { input, describe, problems };
}
