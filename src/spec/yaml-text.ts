/**
 * Writing YAML text: the one place that decides how a value becomes a YAML scalar, block or document.
 * No YAML library: a generation must not pay for loading one, and every choice here is simple enough
 * to hold for every reader of the files: YAML 1.2 (the `yaml` package, our own config reader) and
 * YAML 1.1 as Kubernetes and the CSI provider read them (go-yaml), where `yes`, `on`, `y`, `1_000`,
 * `1:20`, `0B1` and dates are not strings. When in doubt a value is double-quoted, which every reader
 * reads the same.
 */

/** Half of a UTF-16 surrogate pair without its other half: no UTF-8 file can hold it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Characters a YAML file may not hold raw (C0 and C1 controls, DEL, U+FFFE/U+FFFF, a BOM), and those
 * YAML 1.1 readers (libyaml, go-yaml) take for line breaks (NEL, LS, PS): written raw, they would end
 * a line or change the value.
 */
const YAML_ESCAPED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
const YAML_ESCAPED_ALL = new RegExp(YAML_ESCAPED.source, 'g');

/**
 * A YAML double-quoted scalar on one line, whatever the value. JSON's string syntax is YAML's
 * double-quoted style; the characters JSON leaves raw but YAML must not are escaped too.
 */
export function yamlDoubleQuoted(value: string): string {
  return JSON.stringify(value).replace(YAML_ESCAPED_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A word that reads as a string everywhere when written plain: it starts with a letter or `/` (no
 * number, date, indicator or `.inf` starts so) and holds no space, `#`, quote or flow character; a
 * `:` inside is followed by more of the word, so it never starts a mapping.
 */
const PLAIN_WORD = /^[A-Za-z/][A-Za-z0-9._/@:-]*$/;
/** Words YAML 1.1 or 1.2 reads as booleans or null, in any casing. */
const KEYWORD = /^(?:y|yes|n|no|true|false|on|off|null)$/i;
/** A bare exponent (`e3`, `E-5`): the `yaml` package's YAML 1.1 schema reads it as a float (NaN). */
const BARE_EXPONENT = /^[eE][-+]?[0-9]+$/;
/** A Go duration (`1h`, `90s`, `1h30m`): a number with a unit, which no reader takes for a number. */
const DURATION = /^(?:[0-9]+(?:\.[0-9]+)?(?:ns|us|ms|s|m|h))+$/;

/** Whether `value` may stand plain: every YAML reader reads it back as this very string. */
export function readsAsPlainString(value: string): boolean {
  return (PLAIN_WORD.test(value) && !value.endsWith(':') && !KEYWORD.test(value) && !BARE_EXPONENT.test(value)) || DURATION.test(value);
}

/** A YAML scalar on one line: plain when every reader reads it as the same string, double-quoted otherwise. */
export function yamlScalar(value: string): string {
  return readsAsPlainString(value) ? value : yamlDoubleQuoted(value);
}

/**
 * A multi-line string as a literal block scalar (`|`), for a key whose line starts at column `indent`:
 * the content goes two columns deeper, with the chomping indicator that keeps its trailing newlines
 * exact and an indentation indicator when its first line starts with a space or is empty. Values a
 * literal block cannot hold exactly (a carriage return, characters that must be escaped, a line of
 * nothing but blanks, nothing but white space) are double-quoted instead; a one-line value is a scalar.
 */
export function yamlBlock(value: string, indent: number): string {
  if (!value.includes('\n')) return yamlScalar(value);
  // A line of nothing but blanks is where YAML readers disagree on a literal block's indentation.
  if (value.includes('\r') || YAML_ESCAPED.test(value) || LONE_SURROGATE.test(value) || /(?:^|\n)[\t ]+(?:\n|$)/.test(value) || /^\s*$/.test(value)) {
    return yamlDoubleQuoted(value);
  }
  const chomping = !value.endsWith('\n') ? '-' : value.endsWith('\n\n') ? '+' : '';
  const indentation = /^[\n ]/.test(value) ? '2' : '';
  const content = chomping === '-' ? value : value.slice(0, -1);
  const pad = ' '.repeat(indent + 2);
  return [`|${indentation}${chomping}`, ...content.split('\n').map((line) => (line === '' ? '' : pad + line))].join('\n');
}

type Data = string | number | boolean | null | readonly Data[] | { readonly [key: string]: Data | undefined };

/** A mapping key: plain when it is a word, double-quoted otherwise. */
const key = (name: string) => (/^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !KEYWORD.test(name) ? name : yamlDoubleQuoted(name));

function scalarOf(value: string | number | boolean | null, quoteStrings: boolean): string {
  if (typeof value === 'string') return quoteStrings ? yamlDoubleQuoted(value) : yamlScalar(value);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${value} has no YAML form here`);
  return String(value);
}

const isEmpty = (value: Data): boolean => (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** Lines of a block collection whose entries start at column `indent`. */
function blockLines(value: readonly Data[] | { readonly [key: string]: Data | undefined }, indent: number, quoteStrings: boolean): string[] {
  const pad = ' '.repeat(indent);
  const nested = (item: Data, prefix: string, childIndent: number): string[] => {
    if (item === null || typeof item !== 'object') return [`${prefix} ${scalarOf(item, quoteStrings)}`];
    if (isEmpty(item)) return [`${prefix} ${Array.isArray(item) ? '[]' : '{}'}`];
    return [prefix, ...blockLines(item, childIndent, quoteStrings)];
  };
  if (Array.isArray(value)) {
    return value.flatMap((item: Data) => {
      if (item === null || typeof item !== 'object' || isEmpty(item)) return nested(item, `${pad}-`, indent + 2);
      // A mapping or sequence in a sequence starts on the dash's line, the way Kubernetes manifests read.
      const [first = '', ...rest] = blockLines(item, indent + 2, quoteStrings);
      return [`${pad}- ${first.slice(indent + 2)}`, ...rest];
    });
  }
  return Object.entries(value).flatMap(([name, item]) =>
    item === undefined ? [] : nested(item, `${pad}${key(name)}:`, indent + 2),
  );
}

/**
 * A YAML document of plain data (mappings, sequences, strings, numbers, booleans, null), in block style
 * with sequences indented under their key. `quoteStrings` double-quotes every string, so that a value
 * edited in place later (an ID azure/setup.sh fills in) reads exactly as one given from the start.
 */
export function yamlDocument(value: { readonly [key: string]: Data | undefined } | readonly Data[], options: { quoteStrings?: boolean } = {}): string {
  if (isEmpty(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  return `${blockLines(value, 0, options.quoteStrings === true).join('\n')}\n`;
}
