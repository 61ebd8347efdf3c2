import { parse, stringify } from 'yaml';

/**
 * Quoting for each target a value lands in. Templates pass every user value through one of these;
 * none of them trusts earlier validation: a value a target cannot hold is an error, never output
 * that reads back as something else.
 */

/** Half of a UTF-16 surrogate pair without its other half: no UTF-8 file can hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function representable(value: string, target: string, nul: boolean): string {
  if (LONE_SURROGATE.test(value)) throw new Error(`${JSON.stringify(value)} holds a lone UTF-16 surrogate, which ${target} cannot hold`);
  if (!nul && value.includes('\0')) throw new Error(`${JSON.stringify(value)} holds a NUL character, which ${target} cannot hold`);
  return value;
}

/**
 * Go's number syntax as go-yaml v2 reads a plain scalar (underscores dropped, 0b/0o/0x in either case,
 * leading zeros) and its timestamps: strings YAML 1.1 and 1.2 may both leave alone.
 */
const GO_YAML_NUMBER = /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][-+]?[0-9_]+)?)$/;
const GO_YAML_TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ])/;

/**
 * Whether a plain scalar reads back as `value` for every reader of the generated files: YAML 1.2 (the
 * `yaml` package, our own config reader) and YAML 1.1 as Kubernetes reads manifests (sigs.k8s.io/yaml on
 * go-yaml v2), where `yes`, `on`, `y`, `1_000`, `1:20`, `0B1` and dates are not strings.
 */
function plainReadsBack(plain: string, value: string): boolean {
  if (GO_YAML_NUMBER.test(value) || GO_YAML_TIMESTAMP.test(value)) return false;
  try {
    return parse(plain) === value && parse(plain, { version: '1.1' }) === value;
  } catch {
    return false;
  }
}

/**
 * Characters a YAML file may not hold raw (C0 and C1 controls, DEL, U+FFFE/U+FFFF, a BOM), and those
 * YAML 1.1 readers (libyaml, go-yaml) take for line breaks (NEL, LS, PS): written raw, they would end
 * a line or change the value.
 */
const YAML_ESCAPED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

/**
 * A YAML scalar on one line: plain when every YAML reader (1.2 and 1.1) reads it back as the same
 * string, double-quoted otherwise.
 */
export function yamlScalar(value: string): string {
  const plain = stringify(value, { lineWidth: 0, blockQuote: false }).replace(/\n$/, '');
  const safe = !/^["']/.test(plain) && !/[\n\r\t]/.test(value) && !YAML_ESCAPED.test(value) && !LONE_SURROGATE.test(value);
  return safe && plainReadsBack(plain, value) ? plain : yamlString(value);
}

/**
 * A YAML double-quoted scalar on one line, whatever the value: for values that should read as strings
 * at a glance (IDs, flags), and for every value that cannot be plain. JSON's string syntax is YAML's
 * double-quoted style; the characters JSON leaves raw but YAML must not are escaped too. (The YAML
 * library's own double-quoted style folds long or multi-line values onto several lines, which breaks
 * at the indentation a template puts them.)
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(new RegExp(YAML_ESCAPED.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A YAML scalar for a key whose line starts at column `indent`; multi-line strings become a literal
 * block. The block is written as the value of a one-key mapping, so that the YAML library picks the
 * chomping and indentation indicators for content two columns in, and is then shifted as a whole.
 */
export function yamlBlock(value: string, indent: number): string {
  if (!value.includes('\n') || value.includes('\r') || YAML_ESCAPED.test(value) || LONE_SURROGATE.test(value)) return yamlScalar(value);
  const entry = stringify({ k: value }, { lineWidth: 0, blockQuote: 'literal' }).replace(/\n$/, '');
  if (!entry.startsWith('k: |')) return yamlString(value);
  const pad = ' '.repeat(indent);
  return entry
    .slice('k: '.length)
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

const SAFE_SHELL_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A POSIX shell word that expands to exactly `value`: bare when nothing in it is special. */
export function shellWord(value: string): string {
  return SAFE_SHELL_WORD.test(value) ? value : shellQuoted(value);
}

/**
 * A POSIX shell word in single quotes, whatever the value: for settings azure/setup.sh rewrites.
 * Inside single quotes every byte stands for itself; only NUL (which no shell variable holds) and
 * a lone surrogate (which UTF-8 cannot encode) cannot be written, and are refused.
 */
export function shellQuoted(value: string): string {
  representable(value, 'a shell word', false);
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Markdown inline code that shows `value` verbatim, whatever backticks it holds. */
export function inlineCode(value: string): string {
  representable(value, 'a Markdown file', true);
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}
