/**
 * The layout of every --help text (the command's, apply's, and any sub-command's): lines of at most
 * HELP_COLUMNS, with two-column rows whose description wraps under itself.
 */
export const HELP_COLUMNS = 100;

/** Where the descriptions of option rows start. */
const DESCRIPTION_COLUMN = 38;

/** `text`'s words filled into lines of at most `width` columns (a longer word stands alone). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/**
 * `  left    right`: right starts at `column` (on the next line when left reaches it) and wraps under
 * itself; a left part too long for one line is wrapped too, at spaces.
 */
export function helpRow(left: string, right: string, column = DESCRIPTION_COLUMN): string {
  const pad = ' '.repeat(column);
  const lefts = wrapWords(left, HELP_COLUMNS - 4).map((line, i) => `${i === 0 ? '  ' : '    '}${line}`);
  const rights = wrapWords(right, HELP_COLUMNS - column);
  const last = lefts[lefts.length - 1]!;
  const first = last.length <= column - 2 ? [...lefts.slice(0, -1), `${last.padEnd(column)}${rights[0]}`] : [...lefts, `${pad}${rights[0]}`];
  return [...first, ...rights.slice(1).map((line) => `${pad}${line}`)].join('\n');
}

/** Rows whose descriptions line up after the widest left part that fits (a command's usage lines, say). */
export function helpRows(rows: [string, string][]): string {
  const widest = Math.max(...rows.map(([left]) => left.length + 4).filter((width) => width <= DESCRIPTION_COLUMN + 12));
  const column = Number.isFinite(widest) ? widest : DESCRIPTION_COLUMN;
  return rows.map(([left, right]) => helpRow(left, right, column)).join('\n');
}
