import { basename, isAbsolute, relative, sep } from 'node:path';
import { shellWord } from '../render/index.js';

/**
 * How the user started this command, so that every command of ours we print can be pasted as it is:
 * - `npx create-kv-secrets`: run by npx (from the registry or a tarball: npm's link in node_modules/.bin),
 *   or installed into a project's node_modules;
 * - `create-kv-secrets`: installed globally (`npm install -g`), started through the link npm made;
 * - `node bin/create-kv-secrets.cjs`: a clone or an unpacked copy, by the path from the working folder.
 * Anything else (our code run from source, by the tests) prints the plain name.
 */
export interface Launch {
  /** process.argv[1]: the script node was given, made absolute but with links kept. */
  script: string | undefined;
  cwd: string;
}

const NAME = 'create-kv-secrets';

export function commandNameOf({ script, cwd }: Launch): string {
  if (script === undefined) return NAME;
  const file = basename(script);
  const installed = script.split(sep).includes('node_modules');
  // npm's link to our bin: node_modules/.bin/ in a project, the global prefix's bin/ otherwise.
  if (/^create-kv-secrets(\.cmd|\.ps1)?$/i.test(file)) return installed ? `npx ${NAME}` : NAME;
  if (file !== `${NAME}.cjs` || basename(script.slice(0, -file.length - 1)) !== 'bin') return NAME;
  if (installed) return `npx ${NAME}`;
  const fromCwd = relative(cwd, script);
  const path = isAbsolute(fromCwd) || fromCwd.split(sep).filter((part) => part === '..').length > 2 ? script : fromCwd;
  return `node ${shellWord(path)}`;
}

let name: string | undefined;

/** The command that started this process, as the user can type it again (computed once). */
export function commandName(): string {
  name ??= commandNameOf({ script: process.argv[1], cwd: process.cwd() });
  return name;
}

/** A command line of ours to print: `rest` (already shell-quoted) after the command's name, `apply web`, say. */
export function ourCommand(rest = ''): string {
  return rest === '' ? commandName() : `${commandName()} ${rest}`;
}

/**
 * A long command of ours to print, as lines joined by ` \` that a shell reads as one: `groups` are
 * words that stay on one line (a flag and its value), already shell-quoted; lines after the first are
 * indented two more spaces than `indent`, and lines are filled to `width` columns where they can be.
 */
export function ourCommandLines(groups: string[][], indent = '  ', width = 100): string {
  const lines: string[] = [];
  let line = `${indent}${commandName()}`;
  let holdsGroup = false;
  for (const group of groups) {
    const words = group.join(' ');
    // Room is kept for the ` \` that ends a line; a group longer than a line gets one of its own.
    if (holdsGroup && line.length + 1 + words.length + 2 > width) {
      lines.push(`${line} \\`);
      line = `${indent}  ${words}`;
    } else {
      line = `${line} ${words}`;
    }
    holdsGroup = true;
  }
  return [...lines, line].join('\n');
}
