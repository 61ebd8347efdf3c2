import { relative, resolve } from 'node:path';
import { shellWord } from '../render/index.js';
import { confirmOnTerminal, loadFolder } from './apply.js';
import { ourCommand } from './command-name.js';
import { helpRows } from './help-layout.js';
import { EXIT, UsageError } from './errors.js';
import type { Io } from './main.js';
import type { ParsedArgs } from './options.js';

/** `create-kv-secrets teardown [dir]`: reads the folder as apply does; src/run/teardown.ts does the rest. */

export function teardownHelp(): string {
  return `${ourCommand('teardown')}: take down what apply put up; the vault and its secrets stay

Usage:
${helpRows([[ourCommand('teardown [dir] [--dry-run] [--yes]'), 'dir: a generated folder (default: the current one)']])}

Checks first, changing nothing: az signed in to the subscription of kv-secrets.yaml, the AKS
cluster, and kubectl's current context leading to it. Then deletes, each only when it is there:
the Kubernetes objects of each k8s/ folder (kubectl delete -k; for --workload existing only the
objects the component adds, never your Deployment), the identity's federated credentials, its
role assignments on the vault and its objects, and the managed identity itself when setup.sh
created it (tagged created-by=create-kv-secrets). Never the vault or a secret value: it prints
how to delete the vault by hand. A second run finds nothing to delete; after a failure, run
the same command again to resume.

Options:
  --dry-run    check, then print every command it would run; change nothing
  -y, --yes    do not ask (needed when stdin is not a terminal)
  -h, --help   show this help

Exit codes: 0 done, 1 a check or step failed (or not confirmed), 2 bad usage.
`;
}

const ALLOWED = new Set(['dryRun', 'yes', 'help']);

export async function runTeardown(args: ParsedArgs, io: Io): Promise<number> {
  if (args.options.help) {
    io.stdout(teardownHelp());
    return EXIT.ok;
  }
  const [, dir, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`teardown takes one folder, got ${[dir, ...extra].map((p) => JSON.stringify(p)).join(', ')}`);
  const given = Object.keys(args.input).length > 0 || Object.keys(args.removals).length > 0 || Object.entries(args.options).some(([key, value]) => !ALLOWED.has(key) && value !== false && value !== undefined);
  if (given) throw new UsageError(`teardown takes a folder, --dry-run and --yes only: the answers come from the folder's kv-secrets.yaml; see ${ourCommand('teardown --help')}`);
  const interactive = io.isInteractive === true;
  if (!args.options.dryRun && !args.options.yes && !interactive) {
    throw new UsageError('teardown deletes Kubernetes objects and Azure resources, and there is no terminal to confirm on: pass --yes (or --dry-run to see what it would do)');
  }
  const root = resolve(io.cwd, dir ?? '.');
  const shownRoot = relative(io.cwd, root) || '.';
  const { target, setup } = await loadFolder(root, shownRoot, args);
  const { teardownFolder } = await import('../run/teardown.js');
  return teardownFolder(
    { ...target, identity: setup.identity, federations: setup.federations.map((f) => f.name) },
    {
      dryRun: args.options.dryRun,
      spinner: interactive,
      columns: process.stdout.columns,
      stdout: io.stdout,
      stderr: io.stderr,
      env: (io.env ?? process.env) as NodeJS.ProcessEnv,
      ...(interactive && !args.options.yes ? { confirm: confirmOnTerminal } : {}),
      resumeCommand: ourCommand(`teardown ${shellWord(shownRoot)}${args.options.yes ? ' --yes' : ''}`),
    },
  );
}
