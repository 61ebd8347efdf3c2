import { FlowReader } from './flow.js';
import { addNode } from './tree.js';
import type { Node } from './tree.js';

/**
 * Reads block YAML line by line into the light model (tree.ts): one root per document (--- splits them),
 * each key or `- ` item a node at its indentation. Block scalars (| and >) are kept as one value; a
 * flow collection ({...} or [...], even a whole document written as JSON) is handed to the flow reader;
 * Helm template lines ({{- if }}, {{ toYaml . | nindent 4 }}) count as content of the key above them
 * without closing it, so a templated Secret still shows its data.
 */

interface Open {
  node: Node;
  col: number;
  item: boolean;
  /** A key whose value sat on its own line: a sequence at its own column still belongs to it. */
  inline: boolean;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[\]}][^#]*?))[ \t]*:(?=[ \t]|$)/;
const BLOCK_SCALAR = /^[|>][-+0-9]*$/;

function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && text[i] === ' ') i++;
  return i;
}

/** A value without its trailing comment, anchor or tag, unquoted. */
export function scalarText(raw: string): string {
  let v = raw.trim();
  while (/^[&!]/.test(v)) {
    const space = v.search(/\s/);
    v = space < 0 ? '' : v.slice(space).trim();
  }
  if (v.startsWith('"')) {
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(v);
    return quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : v.slice(1);
  }
  if (v.startsWith("'")) {
    const quoted = /^'((?:[^']|'')*)'/.exec(v);
    return quoted ? quoted[1]!.replace(/''/g, "'") : v.slice(1);
  }
  const comment = v.search(/\s#/);
  return (comment < 0 ? v : v.slice(0, comment)).trim();
}

/**
 * Reads the flow collection at (row, col) into target and returns the row it ends on. One left open
 * (a template that only looks like one) is dropped, so that it cannot swallow the rest of the file.
 */
function readFlowInto(lines: readonly string[], row: number, col: number, firstLine: number, target: Node): number {
  const before = target.children.length;
  const reader = new FlowReader(lines, row, col, firstLine);
  reader.readValue(target);
  if (reader.unclosed) {
    target.children.length = before;
    target.value = lines[row]!.slice(col).trim();
    return row;
  }
  return Math.max(row, Math.min(reader.row, lines.length - 1));
}

export function readYaml(lines: readonly string[], firstLine = 1): Node[] {
  const docs: Node[] = [];
  let root!: Node;
  let stack!: Open[];
  const startDocument = (row: number) => {
    root = addNode(undefined, undefined, '', row + firstLine);
    docs.push(root);
    stack = [{ node: root, col: -1, item: false, inline: false }];
  };
  startDocument(0);
  let blockOf: { node: Node; limit: number; from: number } | undefined;
  const closeBlock = (row: number) => {
    if (!blockOf) return;
    blockOf.node.value = lines.slice(blockOf.from, row).map((l) => l.trim()).join('\n').trim();
    blockOf = undefined;
  };

  for (let row = 0; row < lines.length; row++) {
    const text = lines[row]!;
    const indent = indentOf(text);
    const blank = indent === text.length || text.trim() === '';
    if (blockOf) {
      if (blank || indent > blockOf.limit) continue;
      closeBlock(row);
    }
    if (blank) continue;
    const first = text[indent]!;
    if (first === '#') continue;
    if (indent === 0 && (text.startsWith('---') || text.startsWith('...')) && (text.length === 3 || /\s/.test(text[3]!))) {
      startDocument(row + 1);
      continue;
    }
    if (first === '{' && text[indent + 1] === '{') {
      // A template line: content of the deepest open key left of it, which it leaves open.
      let owner = stack.length - 1;
      while (owner > 0 && stack[owner]!.col >= indent) owner--;
      addNode(stack[owner]!.node, '{{', text.trim(), row + firstLine);
      continue;
    }
    let col = indent;
    let parentItem: Node | undefined;
    while (text[col] === '-' && (col + 1 === text.length || text[col + 1] === ' ' || text[col + 1] === '\t')) {
      while (stack.length > 1) {
        const top = stack[stack.length - 1]!;
        if (top.col > col || (top.col === col && (top.item || top.inline))) stack.pop();
        else break;
      }
      parentItem = addNode(stack[stack.length - 1]!.node, undefined, '', row + firstLine);
      stack.push({ node: parentItem, col, item: true, inline: false });
      col++;
      while (text[col] === ' ' || text[col] === '\t') col++;
    }
    if (col >= text.length || text[col] === '#') continue;
    const rest = text.slice(col);
    if ((rest[0] === '{' && rest[1] !== '{') || rest[0] === '[') {
      // A flow collection as an item or as the whole document.
      const target = parentItem ?? stack[stack.length - 1]!.node;
      row = readFlowInto(lines, row, col, firstLine, target);
      continue;
    }
    const key = KEY.exec(rest);
    if (!key) {
      if (parentItem) parentItem.value = scalarText(rest);
      continue;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.col >= col) stack.pop();
    const name = key[1] !== undefined ? key[1].replace(/\\(.)/g, '$1') : key[2] !== undefined ? key[2].replace(/''/g, "'") : key[3]!.trim();
    const node = addNode(stack[stack.length - 1]!.node, name, '', row + firstLine);
    const after = rest.slice(key[0].length).trim();
    if ((after[0] === '{' && after[1] !== '{') || after[0] === '[') {
      row = readFlowInto(lines, row, text.indexOf(after[0], col + key[0].length), firstLine, node);
      stack.push({ node, col, item: false, inline: true });
      continue;
    }
    const value = scalarText(after);
    if (BLOCK_SCALAR.test(value)) {
      // Its lines are those indented past the key (past the key's column, not the dash, in `- run: |`).
      blockOf = { node, limit: col, from: row + 1 };
      stack.push({ node, col, item: false, inline: true });
      continue;
    }
    node.value = value;
    stack.push({ node, col, item: false, inline: value !== '' });
  }
  closeBlock(lines.length);
  return docs;
}
