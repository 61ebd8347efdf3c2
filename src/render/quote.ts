import { LONE_SURROGATE, yamlBlock, yamlDoubleQuoted, yamlScalar } from '../spec/index.js';

/**
 * Quoting for each target a value lands in. Templates pass every user value through one of these;
 * none of them trusts earlier validation: a value a target cannot hold is an error, never output
 * that reads back as something else. The YAML forms are written by src/spec/yaml-text.ts, which the
 * answers file and the CSI objects parameter share.
 */

export { yamlBlock, yamlScalar };
/** A YAML double-quoted scalar on one line: for values that should read as strings at a glance (IDs, flags). */
export const yamlString = yamlDoubleQuoted;

function representable(value: string, target: string, nul: boolean): string {
  if (LONE_SURROGATE.test(value)) throw new Error(`${JSON.stringify(value)} holds a lone UTF-16 surrogate, which ${target} cannot hold`);
  if (!nul && value.includes('\0')) throw new Error(`${JSON.stringify(value)} holds a NUL character, which ${target} cannot hold`);
  return value;
}

const SAFE_SHELL_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A POSIX shell word that expands to exactly `value`: bare when nothing in it is special. */
export function shellWord(value: string): string {
  return SAFE_SHELL_WORD.test(value) ? value : shellQuoted(value);
}

const SHELL_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `${NAME:-fallback}`: the shell variable NAME, or, when it is unset or empty, `fallback`, which is
 * shell text the template wrote (a command substitution), not a value to quote.
 */
export function shellVariableOr(name: string, fallback: string): string {
  if (!SHELL_VARIABLE.test(name)) throw new Error(`${JSON.stringify(name)} is not a shell variable name`);
  return `\${${name}:-${fallback}}`;
}

/**
 * A POSIX shell word in single quotes, whatever the value: for settings azure/setup.sh rewrites.
 * Inside single quotes every byte stands for itself; only NUL (which no shell variable holds) and
 * a lone surrogate (which UTF-8 cannot encode) cannot be written, and are refused.
 */
export function shellQuoted(value: string): string {
  representable(value, 'a shell word', false);
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Markdown inline code that shows `value` verbatim, whatever backticks it holds. */
export function inlineCode(value: string): string {
  representable(value, 'a Markdown file', true);
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}
