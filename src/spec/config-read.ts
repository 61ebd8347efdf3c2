import { LineCounter, parseDocument, isMap, isScalar, isSeq } from 'yaml';
import type { Pair, Node, YAMLMap } from 'yaml';
import { FIELDS } from './fields.js';
import type { FieldDef } from './fields.js';
import type { Describe } from './build.js';
import type { Problem, SpecInput } from './types.js';
import { CONFIG_API_VERSION, PLACEHOLDERS } from './config.js';
import { didYouMean } from './did-you-mean.js';

/*
 * Reading kv-secrets.yaml. Apart from the rest of src/spec (and not exported by its index) because it
 * needs a YAML library: only a run with --config, and apply, load this module and the library with it.
 */

export interface LoadedAnswers {
  input: SpecInput;
  /** Names a key of this file with its line, for buildSpec's messages. */
  describe: Describe;
}

export interface LoadedConfig extends LoadedAnswers {
  /** Present when the file lists several workloads: each app's answers over the shared ones. */
  apps?: LoadedAnswers[];
  /** Keys set at the top of the file (shared keys must be set there when apps share a setup). */
  topKeys: Set<string>;
  problems: Problem[];
}

interface Section {
  input: SpecInput;
  lines: Map<string, number>;
  itemLines: Map<string, number[]>;
}

/** Reads a kv-secrets.yaml text. Unknown keys and wrong shapes are problems naming file, key and line. */
export function parseConfig(text: string, fileName: string): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 0);
  const problems: Problem[] = [];
  const at = (line: number, key: string) => `${fileName}:${line} ${key}`;
  const describeIn = (section: Section, prefix: string, fallback?: Describe): Describe => (field, index) => {
    const line = section.lines.get(field.key);
    if (line === undefined && fallback) return fallback(field, index);
    const itemLine = index === undefined ? undefined : section.itemLines.get(field.key)?.[index];
    return at(itemLine ?? line ?? 1, `${prefix}${field.key}${index === undefined ? '' : `[${index}]`}`);
  };
  const empty = (): LoadedConfig => ({ input: {}, describe: (f) => at(1, f.key), topKeys: new Set(), problems });

  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    problems.push({ field: at(error.linePos?.[0].line ?? 1, '(yaml)'), value: '', rule: `is not valid YAML: ${error.message.split('\n')[0]}` });
    return empty();
  }
  if (!isMap(doc.contents)) {
    problems.push({ field: at(1, '(document)'), value: '', rule: 'must be a mapping of answers' });
    return empty();
  }

  /** One mapping of answers; `allowed` are the fields it may set, `prefix` names its key path. */
  const readSection = (map: YAMLMap<Node, Node>, prefix: string, allowed: (f: FieldDef) => boolean, extraKeys: string[]): Section & { extras: Map<string, Pair<Node, Node>> } => {
    const section = { input: {} as SpecInput, lines: new Map<string, number>(), itemLines: new Map<string, number[]>(), extras: new Map<string, Pair<Node, Node>>() };
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const line = lineOf(pair.key);
      if (extraKeys.includes(key)) {
        section.lines.set(key, line);
        section.extras.set(key, pair);
        continue;
      }
      const value: unknown = pair.value ? pair.value.toJSON() : null;
      const field = FIELDS.find((f) => f.key === key);
      if (!field || !allowed(field)) {
        const known = [...extraKeys, ...FIELDS.filter(allowed).map((f) => f.key)];
        const rule = field ? `is shared by every app: set it at the top of the file` : `is not a known key${didYouMean(key, known)} (known: ${known.join(', ')})`;
        problems.push({ field: at(line, `${prefix}${key}`), value: String(value), rule });
        continue;
      }
      section.lines.set(key, line);
      if (field.kind === 'list') {
        if (!Array.isArray(value)) {
          problems.push({ field: at(line, `${prefix}${key}`), value: String(value), rule: 'must be a list' });
          continue;
        }
        section.itemLines.set(key, ((pair.value as unknown as { items?: Node[] }).items ?? []).map(lineOf));
      }
      if ((key === 'clientId' || key === 'tenantId') && value === PLACEHOLDERS[key]) continue;
      section.input[field.key] = value as SpecInput[typeof field.key];
    }
    return section;
  };

  const top = readSection(doc.contents as YAMLMap<Node, Node>, '', () => true, ['apiVersion', 'apps']);
  const apiVersionPair = top.extras.get('apiVersion');
  const apiVersion = apiVersionPair?.value ? apiVersionPair.value.toJSON() : undefined;
  if (apiVersion !== CONFIG_API_VERSION) {
    problems.unshift({ field: at(top.lines.get('apiVersion') ?? 1, 'apiVersion'), value: String(apiVersion ?? ''), rule: `must be ${CONFIG_API_VERSION}` });
  }
  const describe = describeIn(top, '');
  const loaded: LoadedConfig = { input: top.input, describe, topKeys: new Set(top.lines.keys()), problems };

  const appsPair = top.extras.get('apps');
  if (appsPair) {
    const line = top.lines.get('apps')!;
    if (!isSeq(appsPair.value) || appsPair.value.items.length === 0 || !appsPair.value.items.every(isMap)) {
      problems.push({ field: at(line, 'apps'), value: '', rule: 'must be a list of app answers (mappings), at least one' });
      return loaded;
    }
    loaded.apps = (appsPair.value.items as YAMLMap<Node, Node>[]).map((map, i) => {
      const section = readSection(map, `apps[${i}].`, (f) => !f.shared, []);
      return { input: { ...top.input, ...section.input }, describe: describeIn(section, `apps[${i}].`, describe) };
    });
  }
  return loaded;
}
