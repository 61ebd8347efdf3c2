import { relative, resolve } from 'node:path';
import type { FolderRunOptions } from '../run/target.js';
import { ourCommand } from './command-name.js';
import { UsageError } from './errors.js';
import type { Io } from './main.js';
import type { ParsedArgs } from './options.js';

/** What `apply` and `teardown` take besides the folder: the answers come from its kv-secrets.yaml. */
const ALLOWED = new Set(['dryRun', 'yes', 'help']);

export interface FolderArg {
  /** The folder, absolute. */
  root: string;
  /** The folder as the user named it (`.` for the current one), for messages and commands to paste. */
  shownRoot: string;
}

/**
 * The folder of `create-kv-secrets <command> [dir] [--dry-run] [--yes]`: one at most (default: the
 * current one), and no answer flag or other option, refused (exit 2) with what the command takes.
 */
export function folderCommandArgs(command: 'apply' | 'teardown', args: ParsedArgs, cwd: string): FolderArg {
  const [, dir, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`${command} takes one folder, got ${[dir, ...extra].map((p) => JSON.stringify(p)).join(', ')}`);
  const given =
    Object.keys(args.input).length > 0 ||
    Object.keys(args.removals).length > 0 ||
    Object.entries(args.options).some(([key, value]) => !ALLOWED.has(key) && value !== false && value !== undefined);
  if (given) {
    throw new UsageError(
      `${command} takes a folder, --dry-run and --yes only: the answers come from the folder's kv-secrets.yaml (change them there, and generate again); see ${ourCommand(`${command} --help`)}`,
    );
  }
  const root = resolve(cwd, dir ?? '.');
  return { root, shownRoot: relative(cwd, root) || '.' };
}

async function confirmOnTerminal(question: string): Promise<boolean> {
  const { confirm } = await import('../prompt/inquirer.js');
  try {
    return await confirm({ message: question, default: true });
  } catch {
    return false;
  }
}

/** How `apply` and `teardown` report, and whether they ask first: at a terminal, unless --yes. */
export function folderRunOptions(args: ParsedArgs, io: Io, resumeCommand: string): FolderRunOptions {
  const interactive = io.isInteractive === true;
  return {
    dryRun: args.options.dryRun,
    spinner: interactive,
    columns: process.stdout.columns,
    stdout: io.stdout,
    stderr: io.stderr,
    env: (io.env ?? process.env) as NodeJS.ProcessEnv,
    ...(interactive && !args.options.yes ? { confirm: confirmOnTerminal } : {}),
    resumeCommand,
  };
}
