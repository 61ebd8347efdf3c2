import { shellWord } from '../render/index.js';
import { loadFolder } from './apply.js';
import { ourCommand } from './command-name.js';
import { helpRows } from './help-layout.js';
import { EXIT, UsageError } from './errors.js';
import { folderCommandArgs, folderRunOptions } from './folder-command.js';
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

/** `create-kv-secrets teardown [dir]`. */
export async function runTeardown(args: ParsedArgs, io: Io): Promise<number> {
  if (args.options.help) {
    io.stdout(teardownHelp());
    return EXIT.ok;
  }
  const { root, shownRoot } = folderCommandArgs('teardown', args, io.cwd);
  if (!args.options.dryRun && !args.options.yes && io.isInteractive !== true) {
    throw new UsageError('teardown deletes Kubernetes objects and Azure resources, and there is no terminal to confirm on: pass --yes (or --dry-run to see what it would do)');
  }
  const { target, setup } = await loadFolder(root, shownRoot, args);
  const { teardownFolder } = await import('../run/teardown.js');
  return teardownFolder(
    { ...target, identity: setup.identity, federations: setup.federations.map((f) => f.name) },
    folderRunOptions(args, io, ourCommand(`teardown ${shellWord(shownRoot)}${args.options.yes ? ' --yes' : ''}`)),
  );
}
