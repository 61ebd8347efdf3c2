/**
 * Brace depth at the start of each line of HCL (Terraform) or Bicep, with strings, ${} interpolations,
 * comments and heredocs skipped: enough to find where a block ends and which lines are its attributes.
 */
export type BraceLanguage = 'hcl' | 'bicep';

interface Mode {
  kind: 'string' | 'interpolation' | 'comment' | 'multiline';
  quote?: string;
  braces?: number;
}

/** The only characters that change the state, per language: the scan jumps from one to the next. */
const SPECIAL: Record<BraceLanguage, RegExp> = { hcl: /["{}#/*<\\$]/g, bicep: /['{}/*\\$]/g };

/** depths[i] is the depth at the start of line i; depths[lines.length] the depth at the end. */
export function braceDepths(lines: readonly string[], lang: BraceLanguage): number[] {
  const depths = new Array<number>(lines.length + 1).fill(0);
  const quote = lang === 'hcl' ? '"' : "'";
  const special = SPECIAL[lang];
  const modes: Mode[] = [];
  let depth = 0;
  let heredocEnd: RegExp | undefined;
  for (let row = 0; row < lines.length; row++) {
    depths[row] = depth;
    const text = lines[row]!;
    if (heredocEnd) {
      if (heredocEnd.test(text)) heredocEnd = undefined;
      continue;
    }
    for (let i = 0; i < text.length; i++) {
      special.lastIndex = i;
      const next = special.exec(text);
      if (!next) break;
      i = next.index;
      const c = text[i]!;
      const top = modes[modes.length - 1];
      if (top?.kind === 'comment') {
        if (c === '*' && text[i + 1] === '/') {
          modes.pop();
          i++;
        }
        continue;
      }
      if (top?.kind === 'multiline') {
        if (text.startsWith("'''", i)) {
          modes.pop();
          i += 2;
        }
        continue;
      }
      if (top?.kind === 'string') {
        if (c === '\\') i++;
        else if (c === top.quote) modes.pop();
        else if (c === '$' && text[i + 1] === '{') {
          modes.push({ kind: 'interpolation', braces: 0 });
          i++;
        }
        continue;
      }
      if ((c === '#' && lang === 'hcl') || (c === '/' && text[i + 1] === '/')) break;
      if (c === '/' && text[i + 1] === '*') {
        modes.push({ kind: 'comment' });
        i++;
      } else if (c === quote) {
        if (lang === 'bicep' && text.startsWith("'''", i)) {
          modes.push({ kind: 'multiline' });
          i += 2;
        } else modes.push({ kind: 'string', quote });
      } else if (lang === 'hcl' && c === '<' && text[i + 1] === '<') {
        const heredoc = /^<<-?\s*([A-Za-z_]\w*)\s*$/.exec(text.slice(i));
        if (heredoc) {
          heredocEnd = new RegExp(`^\\s*${heredoc[1]}\\s*$`);
          break;
        }
      } else if (c === '{') {
        if (top?.kind === 'interpolation') top.braces!++;
        else depth++;
      } else if (c === '}') {
        if (top?.kind === 'interpolation') {
          if (top.braces === 0) modes.pop();
          else top.braces!--;
        } else depth = Math.max(0, depth - 1);
      }
    }
    // Neither language lets a quoted string run past its line: close what a stray quote opened.
    while (modes.length > 0 && modes[modes.length - 1]!.kind !== 'comment' && modes[modes.length - 1]!.kind !== 'multiline') modes.pop();
  }
  depths[lines.length] = depth;
  return depths;
}

/** The last line of the block whose header is line `start`. */
export function blockEnd(depths: readonly number[], start: number): number {
  const outer = depths[start]!;
  for (let row = start; row < depths.length - 1; row++) if (depths[row + 1]! <= outer) return row;
  return depths.length - 2;
}

/** Whether the list opened by `[` at the end of `rest` (or on the next lines) has an entry. */
export function listHasEntry(rest: string, following: readonly string[]): boolean {
  const after = rest.trim();
  if (after !== '') return !after.startsWith(']');
  const next = following.find((l) => l.trim() !== '' && !/^\s*(?:\/\/|#)/.test(l));
  return next !== undefined && !next.trim().startsWith(']');
}
