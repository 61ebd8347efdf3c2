/** A fenced code block of a Markdown file: its info-string language and its lines. */
export interface CodeBlock {
  language: string;
  /** Index (0-based) of the block's first content line in the file. */
  from: number;
  lines: string[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`{]*)/;

export function codeBlocks(lines: readonly string[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (let row = 0; row < lines.length; row++) {
    const open = FENCE.exec(lines[row]!);
    if (!open) continue;
    const fence = open[1]!;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const from = row + 1;
    let end = from;
    while (end < lines.length && !close.test(lines[end]!)) end++;
    // Console sessions: the prompt is not part of the command.
    const body = lines.slice(from, end).map((l) => l.replace(/^\s*(?:\$|PS [^>]*>|>)\s/, ''));
    blocks.push({ language: open[2]!.toLowerCase(), from, lines: body });
    row = end;
  }
  return blocks;
}
