// The YAML the stand-in kubectl reads: block mappings and sequences (indented or not under a key),
// plain, single- and double-quoted scalars, literal block scalars (`|`, `|-`, `|+`), `{}` and `[]`,
// comments, and `---` between documents: what create-kv-secrets generates and kustomize prints.
// Anything else (anchors, tags, flow collections with content, folded scalars) is refused loudly, so
// that a manifest the stand-in cannot read fails a test instead of passing it by accident.

export class YamlSubsetError extends Error {}

const BLANK = /^\s*(#.*)?$/;
const indentOf = (line) => /^ */.exec(line)[0].length;

/** Every document of a YAML stream, as plain values; empty documents are left out. */
export function parseAllDocuments(text, where = 'input') {
  const documents = [[]];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^---\s*$/.test(line)) documents.push([]);
    else documents.at(-1).push(line);
  }
  return documents.map((lines) => parseLines(lines, where)).filter((value) => value !== null && value !== undefined);
}

function parseLines(lines, where) {
  let i = 0;
  const fail = (message) => {
    throw new YamlSubsetError(`stand-in YAML reader: ${where}: line ${i + 1}: ${message} (not in the subset it reads)`);
  };
  const skipBlank = () => {
    while (i < lines.length && BLANK.test(lines[i])) i++;
  };

  /** A block node whose first line is indented at least `min`. */
  function node(min) {
    skipBlank();
    if (i >= lines.length || indentOf(lines[i]) < min) return null;
    const indent = indentOf(lines[i]);
    const text = lines[i].slice(indent);
    if (/\t/.test(lines[i].slice(0, indent + 1))) fail('a tab in the indentation');
    if (text === '-' || text.startsWith('- ')) return sequence(indent);
    if (splitKey(text)) return mapping(indent);
    const value = scalar(text, indent - 1);
    skipBlank();
    if (i < lines.length && indentOf(lines[i]) >= min) fail('a multi-line plain scalar');
    return value;
  }

  function sequence(indent) {
    const items = [];
    for (;;) {
      skipBlank();
      if (i >= lines.length || indentOf(lines[i]) !== indent) break;
      const text = lines[i].slice(indent);
      if (!(text === '-' || text.startsWith('- '))) break;
      const rest = text.slice(1).replace(/^ +/, '');
      if (rest === '' || rest.startsWith('#')) {
        i++;
        items.push(node(indent + 1));
        continue;
      }
      const column = indent + text.length - rest.length;
      if (splitKey(rest)) {
        // `- key: value` opens a mapping whose keys sit at the column of `key`.
        lines[i] = ' '.repeat(column) + rest;
        items.push(mapping(column));
      } else {
        i++;
        items.push(scalar(rest, indent));
      }
    }
    return items;
  }

  function mapping(indent) {
    const map = {};
    for (;;) {
      skipBlank();
      if (i >= lines.length) break;
      const at = indentOf(lines[i]);
      if (at < indent) break;
      if (at > indent) fail(`unexpected indentation (${at} spaces, expected ${indent})`);
      const text = lines[i].slice(indent);
      if (text === '-' || text.startsWith('- ')) break;
      const entry = splitKey(text);
      if (!entry) fail(`expected "key: value", got ${JSON.stringify(text)}`);
      if (Object.hasOwn(map, entry.key)) fail(`the key ${JSON.stringify(entry.key)} twice`);
      i++;
      if (entry.rest === '' || entry.rest.startsWith('#')) {
        skipBlank();
        const next = i < lines.length ? lines[i] : undefined;
        const nextText = next?.slice(indentOf(next));
        if (next !== undefined && indentOf(next) === indent && (nextText === '-' || nextText.startsWith('- '))) map[entry.key] = sequence(indent);
        else map[entry.key] = node(indent + 1);
      } else {
        map[entry.key] = scalar(entry.rest, indent);
      }
    }
    return map;
  }

  /** A scalar after `key:` or `- `; `parent` is the indentation its block scalar must exceed. */
  function scalar(text, parent) {
    const block = /^\|([+-]?)\s*(#.*)?$/.exec(text);
    if (block) return literal(block[1], parent);
    if (/^[>&*!%@`]/.test(text)) fail(`unsupported scalar ${JSON.stringify(text)}`);
    if (text.startsWith('"')) {
      const match = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(text);
      if (!match) fail(`an unterminated or trailing double-quoted scalar ${JSON.stringify(text)}`);
      try {
        return JSON.parse(`"${match[1]}"`);
      } catch {
        fail(`a double-quoted scalar with escapes beyond JSON's: ${text}`);
      }
    }
    if (text.startsWith("'")) {
      const match = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(text);
      if (!match) fail(`an unterminated single-quoted scalar ${JSON.stringify(text)}`);
      return match[1].replace(/''/g, "'");
    }
    const plain = text.replace(/\s+#.*$/, '').trim();
    if (plain === '{}') return {};
    if (plain === '[]') return [];
    if (/^[[{]/.test(plain)) fail(`a flow collection ${JSON.stringify(plain)}`);
    if (/^(true|false)$/.test(plain)) return plain === 'true';
    if (/^(null|~)?$/.test(plain)) return null;
    if (/^-?(0|[1-9][0-9]*)$/.test(plain)) return Number(plain);
    return plain;
  }

  function literal(chomp, parent) {
    const body = [];
    let indent;
    while (i < lines.length) {
      const line = lines[i];
      if (line.trim() === '') {
        body.push('');
        i++;
        continue;
      }
      const at = indentOf(line);
      if (at <= parent) break;
      indent ??= at;
      if (at < indent) fail('a literal block line indented less than its first');
      body.push(line.slice(indent));
      i++;
    }
    while (body.length > 0 && body.at(-1) === '' && chomp !== '+') body.pop();
    const text = body.join('\n');
    return chomp === '-' || text === '' ? text : `${text}\n`;
  }

  const value = node(0);
  skipBlank();
  if (i < lines.length) fail(`unexpected content ${JSON.stringify(lines[i])}`);
  return value;
}

/** `key: rest` with a plain or quoted key, or undefined when the text is not a mapping entry. */
function splitKey(text) {
  const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#\-?:,[\]{}][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*)|$)/.exec(text);
  if (!match) return undefined;
  const raw = match[1];
  const key = raw.startsWith('"') ? JSON.parse(raw) : raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
  return { key, rest: (match[2] ?? '').trim() };
}
