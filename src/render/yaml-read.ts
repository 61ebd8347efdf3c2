/**
 * A strict reader for the YAML our templates emit, for the check every rendered YAML file passes
 * before it is written. It reads exactly this subset, each form as a YAML 1.2 reader (the `yaml`
 * package, core schema) reads it, and throws on anything else: a false alarm is a template bug to
 * fix; reading something differently from a real reader is never allowed.
 *
 * - documents: `---` lines (a leading one too); blank lines; `#` comment lines at any indentation;
 *   a file of only comments holds no document; a document with no content (YAML's null) is refused;
 * - block mappings (`key: value`, `key:` then a deeper block or a list at the key's column); keys are
 *   plain words of `A-Za-z0-9_./-` reading as strings, or double-quoted strings; no duplicates;
 * - block sequences (`- value`, `- key: v` with the mapping's further keys under the first, `- - x`);
 * - scalars on one line: plain (core schema: null, booleans, numbers, else a string), double-quoted
 *   (YAML's escapes), single-quoted; `[]`, `{}`, a flow sequence of quoted strings and plain words;
 *   a ` # comment` after any of these but a plain scalar;
 * - literal blocks `|`, `|-`, `|+` with an optional indentation digit, with at least one content line;
 * - a document's top level is a block mapping or sequence (or `[]`/`{}`) at column 0.
 * Refused besides: tabs outside literal content, trailing white space, a missing final line break,
 * characters that may not stand raw, anchors, aliases, tags, directives, `...`, folded and multi-line
 * scalars, other flow collections, and a plain scalar that holds `: ` or ` #` or starts with an indicator.
 */

/** The text is outside the subset or is not YAML; the message names the 1-based line. */
export class YamlSubsetError extends Error {
  override name = 'YamlSubsetError';
  constructor(readonly line: number, what: string) {
    super(`line ${line}: ${what}`);
  }
}

function fail(line: number, what: string): never {
  throw new YamlSubsetError(line, what);
}

/** Controls, DEL, C1 (NEL too), LS, PS, BOM, U+FFFE/F, lone surrogates: never raw in our output. */
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const WORD = /^[A-Za-z0-9_][A-Za-z0-9_./-]*/;
const TAIL = /^(?: +#.*)?$/;
const HEADER = /^\|(?:([1-9])([-+]?)|([-+])([1-9]?))?(?: +#.*)?$/;
const ESCAPES: Record<string, string> = {
  '\\': '\\', '"': '"', '/': '/', ' ': ' ', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', v: '\v', e: '\x1b',
  N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const STARTS: Record<string, string> = { '&': 'an anchor', '*': 'an alias', '!': 'a tag', '>': 'a folded block scalar', '{': 'a flow mapping other than {}' };

interface Line {
  no: number;
  indent: number;
  body: string;
}

/** The content lines of one document, skipping blank and comment lines; `held` is the line peeked at. */
class Reader {
  held: Line | undefined;
  constructor(readonly lines: string[], public pos: number, readonly end: number) {}
  peek(): Line | undefined {
    while (!this.held && this.pos < this.end) {
      const raw = this.lines[this.pos++]!;
      const no = this.pos;
      if (raw.includes('\t')) fail(no, 'a tab outside a literal block scalar');
      let indent = 0;
      while (raw.charCodeAt(indent) === 32) indent++;
      if (indent === raw.length || raw[indent] === '#') continue;
      if (raw.endsWith(' ')) fail(no, 'trailing white space');
      if (indent === 0 && /^(?:---|\.\.\.)/.test(raw)) fail(no, 'a document marker other than a bare --- line');
      this.held = { no, indent, body: raw.slice(indent) };
    }
    return this.held;
  }
  take(): Line {
    const line = this.held!;
    this.held = undefined;
    return line;
  }
}

/** One JS value per document, as `parseAllDocuments(text).map((d) => d.toJS())` gives it. */
export function readYamlDocuments(text: string): unknown[] {
  const bad = FORBIDDEN.exec(text);
  if (bad) fail(text.slice(0, bad.index).split('\n').length, `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} may not stand raw`);
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.pop() !== '') fail(lines.length + 1, 'no line break at the end of the file');
  const docs: unknown[] = [];
  for (let start = 0, i = 0; i <= lines.length; i++) {
    if (i < lines.length && lines[i] !== '---') continue;
    const reader = new Reader(lines, start, i);
    const first = reader.peek();
    if (first) docs.push(documentOf(reader, first));
    else if (start > 0) fail(start, 'an empty document (a YAML reader reads null)');
    start = i + 1;
  }
  return docs;
}

function documentOf(r: Reader, first: Line): unknown {
  if (first.indent !== 0) fail(first.no, 'the top level of a document must start at column 0');
  let value: unknown;
  if (/^(?:\[\]|\{\})(?: +#.*)?$/.test(first.body)) value = r.take().body[0] === '[' ? [] : {};
  else value = blockOf(r, first);
  const left = r.peek();
  if (left) fail(left.no, 'more content after the top-level node');
  return value;
}

const isItem = (body: string) => body === '-' || body.startsWith('- ');

/** A block mapping or sequence starting at `line` (peeked). */
function blockOf(r: Reader, line: Line): unknown {
  if (isItem(line.body)) return sequenceAt(r, line.indent, false);
  if (keyOf(line.body, line.no)) return mappingAt(r, line.indent);
  return fail(line.no, 'expected "key: value" or "- item" (a scalar on its own line is not in the subset)');
}

/** `key:` and what follows it, or undefined when the line is no mapping entry. */
function keyOf(body: string, no: number): [string, string] | undefined {
  let key: unknown;
  let length: number;
  if (body[0] === '"') [key, length] = quoted(body, no);
  else {
    const word = WORD.exec(body);
    if (!word) return undefined;
    [key, length] = [resolve(word[0]), word[0].length];
  }
  if (body[length] !== ':' || (length + 1 < body.length && body[length + 1] !== ' ')) return undefined;
  if (typeof key !== 'string') fail(no, `the key ${body.slice(0, length)} does not read as a string`);
  if (key === '__proto__' || length > 1024) fail(no, `the key ${body.slice(0, 40)} is not in the subset`);
  return [key, body.slice(length + 1).replace(/^ +/, '')];
}

function mappingAt(r: Reader, column: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let line = r.peek(); line && line.indent >= column; line = r.peek()) {
    if (line.indent > column) fail(line.no, 'unexpected indentation');
    const entry = keyOf(line.body, line.no);
    if (!entry) fail(line.no, isItem(line.body) ? 'a list item among the keys of a mapping' : 'expected "key: value"');
    if (Object.hasOwn(out, entry[0])) fail(line.no, `duplicate key ${entry[0]}`);
    r.take();
    out[entry[0]] = valueOf(r, column, line.no, entry[1], true);
  }
  return out;
}

function sequenceAt(r: Reader, column: number, indentless: boolean): unknown[] {
  const out: unknown[] = [];
  for (let line = r.peek(); line && line.indent >= column; line = r.peek()) {
    if (line.indent > column) fail(line.no, 'unexpected indentation');
    if (!isItem(line.body)) {
      if (indentless) break;
      fail(line.no, 'expected "- item"');
    }
    r.take();
    const after = line.body.slice(1);
    const rest = after.replace(/^ +/, '');
    if (isItem(rest) || keyOf(rest, line.no)) {
      // `- - x` or `- key: v`: the rest of the line is a block starting at its own column.
      r.held = { no: line.no, indent: column + 1 + after.length - rest.length, body: rest };
      out.push(blockOf(r, r.held));
    } else out.push(valueOf(r, column, line.no, rest, false));
  }
  return out;
}

/** The value after `key:` or `-` of a node at `column`. */
function valueOf(r: Reader, column: number, no: number, rest: string, inMapping: boolean): unknown {
  if (rest === '' || rest[0] === '#') {
    const next = r.peek();
    if (next && next.indent > column) return blockOf(r, next);
    if (inMapping && next && next.indent === column && isItem(next.body)) return sequenceAt(r, column, true);
    return null;
  }
  if (rest[0] === '|') return literal(r, column, no, rest);
  if (rest[0] === '"' || rest[0] === "'") {
    const [value, length] = quoted(rest, no);
    return tail(rest.slice(length), no, value);
  }
  if (rest[0] === '[') return flowSequence(rest, no);
  if (rest.startsWith('{}')) return tail(rest.slice(2), no, {});
  const start = STARTS[rest[0]!];
  if (start || /^[-?:](?: |$)|^[,[\]{}#|'"%@`]/.test(rest)) fail(no, `${start ?? `a plain scalar starting with ${rest[0]}`} is not in the subset`);
  if (rest.includes(': ') || rest.endsWith(':')) fail(no, `": " in the plain scalar ${rest}`);
  if (rest.includes(' #')) fail(no, `" #" in the plain scalar ${rest} (a comment after a plain scalar is not in the subset)`);
  return resolve(rest);
}

function tail<T>(rest: string, no: number, value: T): T {
  if (!TAIL.test(rest)) fail(no, `unexpected ${JSON.stringify(rest)} after a value`);
  return value;
}

/** A plain scalar under the YAML 1.2 core schema, as the `yaml` package resolves it. */
function resolve(plain: string): unknown {
  // Most plain scalars are words that start as no null, boolean or number does.
  if (!/^(?:[-+.0-9~nNtTfF]|$)/.test(plain)) return plain;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(plain)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(plain)) return plain[0] === 't' || plain[0] === 'T';
  if (/^0o[0-7]+$/.test(plain)) return parseInt(plain.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(plain)) return parseInt(plain, 10);
  if (/^0x[0-9a-fA-F]+$/.test(plain)) return parseInt(plain.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(plain)) return plain.endsWith('N') || plain.endsWith('n') ? NaN : plain[0] === '-' ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain)) return parseFloat(plain);
  return plain;
}

/** A quoted scalar at the start of `s`, with the length it takes; one line only. */
function quoted(s: string, no: number): [string, number] {
  if (s[0] === "'") {
    const m = /^'((?:[^']|'')*)'/.exec(s) ?? fail(no, 'an unterminated single-quoted string');
    return [m[1]!.replace(/''/g, "'"), m[0].length];
  }
  const m = /^"((?:[^"\\]|\\.)*)"/.exec(s) ?? fail(no, 'an unterminated double-quoted string');
  const value = m[1]!.replace(/\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/g, (_, x?: string, u?: string, U?: string, c?: string) => {
    const hex = x ?? u ?? U;
    if (hex === undefined) return ESCAPES[c!] ?? fail(no, `an unknown escape \\${c}`);
    const code = parseInt(hex, 16);
    return code > 0x10ffff ? fail(no, `the escape \\U${hex} is no code point`) : String.fromCodePoint(code);
  });
  return [value, m[0].length];
}

/** `[...]` on one line: quoted strings and plain words, separated by commas. */
function flowSequence(s: string, no: number): unknown[] {
  const out: unknown[] = [];
  let i = 1;
  const skip = () => {
    while (s[i] === ' ') i++;
  };
  skip();
  while (s[i] !== ']') {
    const rest = s.slice(i);
    const word = WORD.exec(rest);
    if (rest[0] === '"' || rest[0] === "'") {
      const [value, length] = quoted(rest, no);
      out.push(value);
      i += length;
    } else if (word) {
      out.push(resolve(word[0]));
      i += word[0].length;
    } else fail(no, 'a flow sequence item that is neither quoted nor a plain word');
    skip();
    if (s[i] === ',') {
      i++;
      skip();
      if (s[i] === ']') fail(no, 'a trailing comma in a flow sequence');
    } else if (s[i] !== ']') fail(no, 'expected "," or "]" in a flow sequence');
  }
  return tail(s.slice(i + 1), no, out);
}

/** A literal block scalar whose header is `header`, for a node at `column`: content lines deeper. */
function literal(r: Reader, column: number, no: number, header: string): string {
  const m = HEADER.exec(header) ?? fail(no, `the block scalar header ${header} is not in the subset`);
  const digit = m[1] ?? m[4];
  const chomping = m[2] || m[3];
  let indent = digit ? column + Number(digit) : 0;
  const content: string[] = [];
  let [empty, leading, leadingNo, first] = [0, 0, 0, -1];
  let p = r.pos;
  for (; p < r.end; p++) {
    const raw = r.lines[p]!;
    let spaces = 0;
    while (raw.charCodeAt(spaces) === 32) spaces++;
    const blank = spaces === raw.length;
    if (blank && (indent === 0 || spaces <= indent)) {
      if (indent === 0 && spaces > leading) [leading, leadingNo] = [spaces, p + 1];
      empty++;
      continue;
    }
    if (indent === 0) {
      if (spaces <= column) break;
      if (leading > spaces) fail(leadingNo, 'a leading empty line of a literal block has more spaces than its content');
      indent = spaces;
    }
    if (spaces < indent) break;
    if (!blank && first < 0) first = spaces;
    for (; empty > 0; empty--) content.push('');
    content.push(raw.slice(indent));
  }
  if (first < 0) fail(no, 'a literal block scalar with no content line');
  // The `yaml` package drops a last line of only spaces from a clipped or stripped block when it is no
  // deeper than the first content line (YAML keeps it when it is deeper than the block's indentation).
  const last = content[content.length - 1]!;
  if (chomping !== '+' && /^ *$/.test(last) && indent + last.length <= first) fail(p - empty, 'a literal block ending in a line of only spaces that readers read differently');
  r.pos = p;
  const text = content.join('\n');
  return chomping === '-' ? text : chomping === '+' ? text + '\n'.repeat(empty + 1) : `${text}\n`;
}
