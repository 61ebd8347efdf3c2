import { addNode } from './tree.js';
import type { Node } from './tree.js';

/**
 * Reads flow collections ({...}, [...]): YAML's flow style and JSON alike, into the light model. It is
 * forgiving: a malformed collection ends where the reading stops making sense, and what was read stays.
 */
export class FlowReader {
  row: number;
  col: number;
  private depth = 0;
  /** Set when a collection ran to the end of the text without its closing bracket. */
  unclosed = false;

  constructor(private readonly lines: readonly string[], row: number, col: number, private readonly firstLine: number) {
    this.row = row;
    this.col = col;
  }

  private get lineNo(): number {
    return this.row + this.firstLine;
  }

  private get ch(): string | undefined {
    const text = this.lines[this.row];
    if (text === undefined) return undefined;
    return this.col < text.length ? text[this.col] : '\n';
  }

  /** Skips blanks, line ends and # comments (at a token boundary a # always starts one). */
  skipSpace(): void {
    for (;;) {
      const text = this.lines[this.row];
      if (text === undefined) return;
      while (this.col < text.length && (text[this.col] === ' ' || text[this.col] === '\t' || text[this.col] === '\r')) this.col++;
      if (this.col < text.length && text[this.col] !== '#') return;
      this.row++;
      this.col = 0;
    }
  }

  /** Reads one value into target: a collection becomes its children, a scalar its value. */
  readValue(target: Node): void {
    this.skipSpace();
    const c = this.ch;
    const text = this.lines[this.row] ?? '';
    if (c === '{' && text[this.col + 1] !== '{') this.readCollection(target, '}');
    else if (c === '[') this.readCollection(target, ']');
    else target.value = this.readScalar();
  }

  private readCollection(target: Node, close: '}' | ']'): void {
    if (++this.depth > 200) throw new Error('nested more than 200 levels deep');
    this.col++;
    for (;;) {
      this.skipSpace();
      const c = this.ch;
      if (c === undefined) {
        this.unclosed = true;
        break;
      }
      if (c === close) {
        this.col++;
        break;
      }
      if (c === ',') {
        this.col++;
        continue;
      }
      if (c === '}' || c === ']') break; // the other closer: malformed, let the outer collection have it
      const line = this.lineNo;
      if (close === '}') {
        const key = this.readScalar();
        const node = addNode(target, key, '', line);
        this.skipSpace();
        if (this.ch === ':') {
          this.col++;
          this.skipSpace();
          const next: string | undefined = this.ch;
          if (next !== ',' && next !== '}') this.readValue(node);
        }
      } else {
        const item = addNode(target, undefined, '', line);
        this.readValue(item);
        this.skipSpace();
        if (this.ch === ':' && item.children.length === 0) {
          // [key: value], a single-pair mapping as an item
          this.col++;
          const pair = addNode(item, item.value, '', line);
          item.value = '';
          this.readValue(pair);
        }
      }
    }
    this.depth--;
  }

  private readScalar(): string {
    const text = this.lines[this.row] ?? '';
    const c = this.ch;
    if (c === '"' || c === "'") return this.readQuoted(c);
    const start = this.col;
    if (text.startsWith('{{', start)) {
      const end = text.indexOf('}}', start + 2);
      this.col = end < 0 ? text.length : end + 2;
      return text.slice(start, this.col);
    }
    let end = start;
    while (end < text.length) {
      const ch = text[end]!;
      if (ch === ',' || ch === '{' || ch === '}' || ch === '[' || ch === ']') break;
      if (ch === ':' && (end + 1 >= text.length || ' \t,{}[]'.includes(text[end + 1]!))) break;
      if (ch === '#' && end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) break;
      end++;
    }
    if (end === start && end < text.length && text[end] !== ':') end++; // never stand still
    this.col = end;
    return text.slice(start, end).trim();
  }

  /** A quoted scalar, which YAML lets run over lines (folded into spaces). */
  private readQuoted(quote: '"' | "'"): string {
    let out = '';
    this.col++;
    for (;;) {
      const text = this.lines[this.row];
      if (text === undefined) return out;
      while (this.col < text.length) {
        const ch = text[this.col]!;
        if (quote === '"' && ch === '\\') {
          const next = text[this.col + 1] ?? '';
          out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          this.col += 2;
          continue;
        }
        if (ch === quote) {
          if (quote === "'" && text[this.col + 1] === "'") {
            out += "'";
            this.col += 2;
            continue;
          }
          this.col++;
          return out;
        }
        out += ch;
        this.col++;
      }
      this.row++;
      this.col = 0;
      out += ' ';
    }
  }
}

/** A whole JSON text (comments already blanked out) as one document. */
export function readJson(lines: readonly string[], firstLine = 1): Node {
  const root = addNode(undefined, undefined, '', firstLine);
  const reader = new FlowReader(lines, 0, 0, firstLine);
  reader.readValue(root);
  return root;
}
