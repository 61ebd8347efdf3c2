import { stringify } from 'yaml';

/**
 * Quoting for each target a value lands in. Templates pass every user value through one of these;
 * none of them trusts earlier validation.
 */

/** A YAML scalar on one line: plain when YAML reads it back as the same string, quoted otherwise. */
export function yamlScalar(value: string): string {
  return stringify(value, { lineWidth: 0, blockQuote: false }).replace(/\n$/, '');
}

/** A YAML double-quoted scalar, for values that should read as strings at a glance (IDs, flags). */
export function yamlString(value: string): string {
  return stringify(value, { lineWidth: 0, blockQuote: false, defaultStringType: 'QUOTE_DOUBLE' }).replace(/\n$/, '');
}

/**
 * A YAML scalar for a key whose line starts at column `indent`; multi-line strings become a literal
 * block. The block is written as the value of a one-key mapping, so that the YAML library picks the
 * chomping and indentation indicators for content two columns in, and is then shifted as a whole.
 */
export function yamlBlock(value: string, indent: number): string {
  if (!value.includes('\n')) return yamlScalar(value);
  const entry = stringify({ k: value }, { lineWidth: 0, blockQuote: 'literal' }).replace(/\n$/, '');
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

/** A POSIX shell word in single quotes, whatever the value: for settings azure/setup.sh rewrites. */
export function shellQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Markdown inline code that shows `value` verbatim, whatever backticks it holds. */
export function inlineCode(value: string): string {
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}
