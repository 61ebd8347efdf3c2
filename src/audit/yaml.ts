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

/** A key at the reader's column (sticky): quoted, or plain up to the first `: `. */
const KEY = /(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[\]}][^#]*?))[ \t]*:(?=[ \t]|$)/y;
const BLOCK_SCALAR = /^[|>][-+0-9]*$/;

function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * The end of a plain key at col (the index of its colon), or -1: most keys are a word followed by
 * `: ` or a line end, which this finds without a regular expression.
 */
function plainKeyEnd(text: string, col: number): number {
  for (let i = col; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) {
      const next = text.charCodeAt(i + 1);
      return i > col && (i + 1 === text.length || next === 32 || next === 9) ? i : -1;
    }
    // Anything but a letter, a digit, . _ - / marks a key this fast path leaves to the full expression.
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 45 || c === 47)) return -1;
  }
  return -1;
}

/** A value without its trailing comment, anchor or tag, unquoted. */
export function scalarText(raw: string): string {
  let v = raw.trim();
  if (v === '') return v;
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
  if (!v.includes('#')) return v;
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
    const blank = indent === text.length || ((text[indent] === '\t' || text[indent] === '\r') && text.trim() === '');
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
    const c0 = text[col];
    if ((c0 === '{' && text[col + 1] !== '{') || c0 === '[') {
      // A flow collection as an item or as the whole document.
      const target = parentItem ?? stack[stack.length - 1]!.node;
      row = readFlowInto(lines, row, col, firstLine, target);
      continue;
    }
    let name: string;
    let valueAt: number;
    const colon = plainKeyEnd(text, col);
    if (colon >= 0) {
      name = text.slice(col, colon);
      valueAt = colon + 1;
    } else {
      KEY.lastIndex = col;
      const key = KEY.exec(text);
      if (!key) {
        if (parentItem) parentItem.value = scalarText(text.slice(col));
        continue;
      }
      name = key[1] !== undefined ? key[1].replace(/\\(.)/g, '$1') : key[2] !== undefined ? key[2].replace(/''/g, "'") : key[3]!.trim();
      valueAt = col + key[0].length;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.col >= col) stack.pop();
    const node = addNode(stack[stack.length - 1]!.node, name, '', row + firstLine);
    while (text[valueAt] === ' ' || text[valueAt] === '\t') valueAt++;
    const v0 = text[valueAt];
    if ((v0 === '{' && text[valueAt + 1] !== '{') || v0 === '[') {
      row = readFlowInto(lines, row, valueAt, firstLine, node);
      stack.push({ node, col, item: false, inline: true });
      continue;
    }
    const after = text.slice(valueAt);
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
