import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { CommandResult } from './command.js';
import { azArgv } from '../spec/az-argv.js';
import { commandLine, runCommand } from './command.js';
import { PreflightFailure, checkAzureAndCluster, checkContext, resourceName } from './preflight.js';
import { plainProgress, spinnerProgress } from './progress.js';
import type { Progress } from './progress.js';
import type { ApplyTarget, FolderRunOptions } from './target.js';

/**
 * `create-kv-secrets teardown`: takes down what `apply` (and azure/setup.sh) put up, in the reverse
 * order, and never the vault or a secret value:
 *
 *   preflight (read-only) → per folder: kubectl delete → federated credentials → the identity's role
 *   assignments on this vault and its objects → the managed identity, only when setup.sh created it
 *
 * Every step looks before it deletes and deletes only what it found, so a second run finds nothing
 * and a failed run resumes where it stopped.
 */

export const TEARDOWN_EXIT = { ok: 0, failed: 1 } as const;

/** setup.sh tags the identity it creates with this; an identity without it is the user's, and kept. */
export const CREATED_TAG = { key: 'created-by', value: 'create-kv-secrets' } as const;

export interface TeardownTarget extends ApplyTarget {
  identity: string;
  /** The federated credentials' names, as setup.sh created them. */
  federations: string[];
}

/** `confirm` is asked once the preflight passed, before the first deletion. */
export type TeardownOptions = FolderRunOptions;

/** A user value as one kubectl argv word: `--name=value` can never be read as another flag (az: azArgv). */
const opt = (name: string, value: string) => `--${name}=${value}`;

class StepFailure extends Error {
  constructor(readonly step: string, readonly detail: string) {
    super(step);
  }
}

interface KubeDeletion {
  /** kubectl's arguments after `--context NAME`. */
  args: string[];
  what: string;
}

/**
 * What `kubectl delete` takes down per folder: a kustomization whole; a component of `--workload
 * existing` only the objects it adds (kind and name), never the user's own Deployment it patches.
 */
export function kubeDeletions(target: ApplyTarget): KubeDeletion[] {
  // The shared store goes last: the other folders' objects use it.
  const apps = [...target.apps].reverse();
  return apps.flatMap((app): KubeDeletion[] => {
    const dir = join(target.root, app.k8sDir);
    const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { kind?: string; resources?: string[] };
    if (kustomization.kind !== 'Component') return [{ args: ['delete', opt('kustomize', app.k8sDir), '--ignore-not-found'], what: `${app.k8sDir}/` }];
    return (kustomization.resources ?? []).flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).flatMap((doc) => {
        const o = doc.toJSON() as { kind?: string; apiVersion?: string; metadata?: { name?: string; namespace?: string } } | null;
        if (!o?.kind || !o.metadata?.name) return [];
        const namespace = o.metadata.namespace ?? app.namespace;
        const resource = resourceName({ kind: o.kind, apiVersion: o.apiVersion ?? '', name: o.metadata.name, namespace });
        return [{ args: ['delete', resource, o.metadata.name, opt('namespace', namespace), '--ignore-not-found'], what: `${o.kind} ${o.metadata.name}` }];
      }),
    );
  });
}

/** The part of a role assignment's ID before `/providers/Microsoft.Authorization/...`: its scope. */
const scopeOf = (id: string) => id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]*$/i, '');

/** A scope on this vault or below it (its secrets, keys, certificates); compared without case, as ARM does. */
export function onVault(id: string, target: ApplyTarget): boolean {
  const vault = `/resourcegroups/${target.resourceGroup}/providers/microsoft.keyvault/vaults/${target.vault}`.toLowerCase();
  const scope = scopeOf(id).toLowerCase();
  return scope.endsWith(vault) || scope.includes(`${vault}/`);
}

function byHand(target: TeardownTarget): string {
  return [
    `Left as it is: Key Vault ${target.vault}${target.existingVault ? ' (it was there before this setup)' : ''} and every secret in it. To delete the vault by hand:`,
    `  ${commandLine('az', azArgv('keyvault delete', { name: target.vault, 'resource-group': target.resourceGroup }))}`,
    `Soft delete keeps a deleted vault, and its name, recoverable for its retention days (az keyvault recover);`,
    `with purge protection on, as setup.sh creates it, \`az keyvault purge\` is refused until they have passed.`,
    `Namespaces are left too: other workloads may live there.`,
  ].join('\n');
}

export async function teardownFolder(target: TeardownTarget, options: TeardownOptions): Promise<number> {
  const output = { write: options.stdout, writePrompt: options.stderr, ...(options.columns ? { columns: options.columns } : {}) };
  const progress: Progress = options.spinner ? spinnerProgress(output) : plainProgress(output);
  const run = (file: string, args: string[], o: { timeoutMs?: number } = {}): Promise<CommandResult> =>
    runCommand(file, args, { env: options.env, cwd: target.root, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
  const identity = { name: target.identity, 'resource-group': target.resourceGroup };
  const fic = { 'identity-name': target.identity, 'resource-group': target.resourceGroup };
  const resume = `  ${options.resumeCommand}`;
  try {
    progress.line(`${options.dryRun ? 'Dry run of the teardown of' : 'Tearing down'} ${target.shownRoot}: ${target.title}; AKS cluster ${target.cluster} (resource group ${target.resourceGroup})`);
    progress.section('Preflight (read-only)');
    let context: string;
    try {
      const ctx = { target, run, progress, dryRun: options.dryRun, ...(options.confirm ? { confirm: options.confirm } : {}) };
      const { hosts } = await checkAzureAndCluster(ctx);
      context = await checkContext(ctx, hosts);
    } catch (error) {
      if (!(error instanceof PreflightFailure)) throw error;
      progress.fail(error.message);
      const fixes = error.fixes.length > 0 ? ['Fix:', ...error.fixes.map((f) => `  ${f}`)] : [];
      options.stderr([`\ncreate-kv-secrets teardown: ${error.message}; nothing was deleted.`, ...(error.detail ? [error.detail] : []), ...fixes, 'Then run again:', resume, ''].join('\n'));
      return TEARDOWN_EXIT.failed;
    }
    const kube = kubeDeletions(target);
    const kubectl = (args: string[]) => ['--context', context, ...args];

    if (options.dryRun) {
      const lines = [
        '\nWhat teardown would run (each step looks first, and deletes only what it finds):',
        ...kube.map((k) => `  ${commandLine('kubectl', kubectl(k.args))}`),
        `  ${commandLine('az', azArgv('identity show', identity))}`,
        ...target.federations.map((name) => `  ${commandLine('az', azArgv('identity federated-credential delete', { ...fic, name, yes: true }))}`),
        `  az role assignment list --all --query "[?principalId=='PRINCIPAL_ID'].id" --output tsv`,
        `  az role assignment delete --ids ID...   (those on ${target.vault} and its objects only)`,
        `  ${commandLine('az', azArgv('identity delete', identity))}   (only when tagged ${CREATED_TAG.key}=${CREATED_TAG.value}: setup.sh created it)`,
        '',
        byHand(target),
        '\nNothing was changed.',
        '',
      ];
      options.stdout(lines.join('\n'));
      return TEARDOWN_EXIT.ok;
    }
    if (options.confirm && !(await options.confirm(`Delete the Kubernetes objects of ${target.shownRoot}, and the federation and roles of identity ${target.identity} (the vault and its secrets stay)?`))) {
      options.stderr('create-kv-secrets teardown: nothing was deleted.\n');
      return TEARDOWN_EXIT.failed;
    }

    progress.section(`Kubernetes: context ${context}`);
    for (const k of kube) {
      progress.begin(`Deleting ${k.what}`);
      const result = await run('kubectl', kubectl(k.args));
      if (!result.ok) throw new StepFailure(`Deleting ${k.what}`, result.stderr.trim());
      const deleted = result.stdout.trim();
      progress.succeed(deleted ? `${k.what}: ${deleted.split('\n').join(', ')}` : `${k.what}: nothing to delete`);
    }

    progress.section('Azure');
    progress.begin(`Managed identity ${target.identity}`);
    const shown = await run('az', azArgv('identity show', { ...identity, output: 'json' }));
    if (!shown.ok) {
      if (!/ResourceNotFound|was not found/.test(shown.stderr)) throw new StepFailure(`Managed identity ${target.identity}`, shown.stderr.trim());
      progress.succeed(`Managed identity ${target.identity}: gone already, and its credentials and roles with it: nothing to delete`);
    } else {
      const found = JSON.parse(shown.stdout) as { principalId?: string; tags?: Record<string, string> | null };
      // It goes into a JMESPath query below: nothing but a UUID may.
      if (!/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(found.principalId ?? '')) throw new StepFailure(`Managed identity ${target.identity}`, 'az identity show returned no usable principal ID');
      progress.succeed();
      await deleteFederations(target, run, progress, fic);
      await deleteRoles(target, run, progress, found.principalId ?? '');
      const step = `Deleting managed identity ${target.identity}`;
      progress.begin(step);
      if (found.tags?.[CREATED_TAG.key] !== CREATED_TAG.value) {
        progress.succeed(`Managed identity ${target.identity}: kept, it has no tag ${CREATED_TAG.key}=${CREATED_TAG.value} (it was there before this setup)`);
      } else {
        const deleted = await run('az', azArgv('identity delete', identity));
        if (!deleted.ok) throw new StepFailure(step, deleted.stderr.trim());
        progress.succeed(`Managed identity ${target.identity}: deleted (setup.sh created it)`);
      }
    }
    options.stdout(`\nDone: ${target.shownRoot} is taken down from ${target.cluster}.\n${byHand(target)}\n`);
    return TEARDOWN_EXIT.ok;
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    progress.fail();
    options.stderr(
      [`\ncreate-kv-secrets teardown: stopped at "${error.step}":`, ...error.detail.split('\n').map((l) => `    ${l}`), 'Nothing after this step was run. Fix the cause, then resume with:', resume, ''].join('\n'),
    );
    return TEARDOWN_EXIT.failed;
  } finally {
    progress.close();
  }
}

type Run = (file: string, args: string[]) => Promise<CommandResult>;

async function deleteFederations(target: TeardownTarget, run: Run, progress: Progress, fic: Record<string, string>): Promise<void> {
  const step = `Federated credentials of ${target.identity}`;
  progress.begin(step);
  const listed = await run('az', azArgv('identity federated-credential list', { ...fic, query: '[].name', output: 'json' }));
  if (!listed.ok) throw new StepFailure(step, listed.stderr.trim());
  const present = new Set((JSON.parse(listed.stdout || '[]') as string[]).map((n) => n.toLowerCase()));
  const ours = target.federations.filter((n) => present.has(n.toLowerCase()));
  for (const name of ours) {
    const deleted = await run('az', azArgv('identity federated-credential delete', { ...fic, name, yes: true }));
    if (!deleted.ok) throw new StepFailure(step, deleted.stderr.trim());
  }
  progress.succeed(ours.length > 0 ? `${step}: deleted ${ours.join(', ')}` : `${step}: nothing to delete`);
}

async function deleteRoles(target: TeardownTarget, run: Run, progress: Progress, principalId: string): Promise<void> {
  const step = `Roles of ${target.identity} on ${target.vault}`;
  progress.begin(step);
  // The identity's assignments across the subscription (`--scope` would list only those at the vault
  // itself, not below it), one call, as azure/setup.sh lists them.
  const listed = await run('az', azArgv('role assignment list', { all: true, assignee: principalId, query: '[].id', output: 'tsv' }));
  if (!listed.ok) throw new StepFailure(step, listed.stderr.trim());
  const ids = listed.stdout.split('\n').map((l) => l.trim()).filter((id) => id !== '' && onVault(id, target));
  // One call per assignment: a value glued to its option is never read as an option, and argparse
  // keeps only the last of repeated `--ids=` options.
  for (const id of ids) {
    const deleted = await run('az', azArgv('role assignment delete', { ids: id, output: 'none' }));
    if (!deleted.ok) throw new StepFailure(step, deleted.stderr.trim());
  }
  progress.succeed(ids.length > 0 ? `${step}: deleted ${ids.length} (${ids.map((id) => scopeOf(id).replace(/^.*\/vaults\/[^/]+\/?/i, '') || 'the vault').join(', ')})` : `${step}: nothing to delete`);
}
