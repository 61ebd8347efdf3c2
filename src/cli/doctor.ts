import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAME, FIELDS, buildSpec } from '../spec/index.js';
import type { Problem, Spec, SpecKey } from '../spec/index.js';
import { DELIVERY, federatedCredentialName, planSetup, secretProviderClassName } from '../plan/index.js';
import { shellWord } from '../render/index.js';
import { EXIT, UsageError } from './errors.js';
import type { Io } from './main.js';
import type { ParsedArgs } from './options.js';
import { gatherInput } from './resolve.js';
import type { Approach, ExpectedSetup } from '../doctor/types.js';

/**
 * `create-kv-secrets doctor [dir]`: reads a live setup (az, kubectl; changing nothing) and says why it
 * does not deliver its secrets. The reads are src/run/doctor-read.ts, the reasoning src/doctor.
 */

export function doctorHelp(): string {
  return `create-kv-secrets doctor: say why a live setup does not deliver its secrets, and how to fix it

Usage:
  create-kv-secrets doctor [dir] [--json]    dir: a generated folder (default: the current one)
  create-kv-secrets doctor --app NAME --resource-group NAME --cluster NAME [--namespace NS]
                           [--vault NAME] [--identity NAME] [--service-account NAME] [--json]

Reads Azure with az and the cluster with kubectl's current context, changes nothing, and never reads
a secret value (vault objects are listed by name). Findings follow the auth chain: Pod → Workload
Identity → Managed Identity → Key Vault RBAC → Secret, each with an id, what is wrong, the values it
compared, and the exact command that fixes it; the output ends with "healthy" or the first thing to
fix. A check it cannot make (no right to read something) is reported as unknown, never as healthy.

Options:
  --json       print {"findings":[{"id","severity","message","evidence","fix"}]}
  -h, --help   show this help

Exit codes: 0 healthy, 1 findings (errors, warnings or unknowns), 2 bad usage.
`;
}

/** The setup fields doctor takes as flags, when there is no folder. */
const FLAG_KEYS: SpecKey[] = ['app', 'namespace', 'serviceAccount', 'resourceGroup', 'cluster', 'vault', 'identity', 'subscription'];

function expectedFromSpec(spec: Spec, approach: Approach, folder: string | undefined, rerun: string): ExpectedSetup {
  const plan = planSetup(spec);
  const eso = plan.view.eso;
  return {
    app: spec.app, namespace: spec.namespace, serviceAccount: spec.serviceAccount, resourceGroup: spec.resourceGroup,
    cluster: spec.cluster, vault: spec.vault, identity: spec.identity, approach, rotation: spec.rotation,
    objects: spec.secrets.map((o) => ({ name: o.name, collection: DELIVERY[o.type].scopeCollection })),
    secretProviderClass: secretProviderClassName(spec),
    credentialName: federatedCredentialName(spec),
    ...(approach === 'eso' ? { store: { kind: eso.storeKind, name: eso.storeName, serviceAccount: eso.storeServiceAccount } } : {}),
    ...(folder !== undefined ? { kustomization: join(folder, 'k8s') } : {}),
    rerun,
  };
}

/** Flags only: the names, with the same defaults and rules as generating. */
function expectedFromFlags(args: ParsedArgs): { expected: ExpectedSetup; subscription?: string } {
  const extra = Object.keys(args.input).filter((k) => !FLAG_KEYS.includes(k as SpecKey));
  if (extra.length > 0) throw new UsageError(`doctor takes ${FLAG_KEYS.map((k) => `--${FIELDS.find((f) => f.key === k)!.flag}`).join(', ')} only; not ${extra.map((k) => `--${FIELDS.find((f) => f.key === k)?.flag ?? k}`).join(', ')}`);
  const app = typeof args.input.app === 'string' ? args.input.app : '';
  const values: Record<string, string> = {};
  const problems: Problem[] = [];
  for (const key of FLAG_KEYS) {
    const field = FIELDS.find((f) => f.key === key)!;
    const given = args.input[key];
    const value = typeof given === 'string' ? given : typeof field.defaultValue === 'function' ? field.defaultValue({ app }) : typeof field.defaultValue === 'string' ? field.defaultValue : undefined;
    if (value === undefined) {
      if (field.required || key === 'app') problems.push({ field: `--${field.flag}`, value: '', rule: 'is required without a generated folder' });
      continue;
    }
    const broken = field.rule?.(value);
    if (broken) problems.push({ field: `--${field.flag}`, value, rule: broken });
    values[key] = value;
  }
  if (problems.length > 0) throw new UsageError('doctor needs the names of the setup (or a generated folder):', problems);
  const v = values as Record<'app' | 'namespace' | 'serviceAccount' | 'resourceGroup' | 'cluster' | 'vault' | 'identity', string>;
  const flags = FLAG_KEYS.filter((k) => values[k] !== undefined && args.input[k] !== undefined).map((k) => `--${FIELDS.find((f) => f.key === k)!.flag}=${values[k]}`);
  return {
    expected: {
      app: v.app, namespace: v.namespace, serviceAccount: v.serviceAccount, resourceGroup: v.resourceGroup, cluster: v.cluster, vault: v.vault, identity: v.identity,
      secretProviderClass: secretProviderClassName(v),
      credentialName: federatedCredentialName(v),
      rerun: ['create-kv-secrets', 'doctor', ...flags].map(shellWord).join(' '),
    },
    ...(values['subscription'] !== undefined ? { subscription: values['subscription'] } : {}),
  };
}

async function expectedFromFolder(root: string, shown: string, args: ParsedArgs): Promise<{ expected: ExpectedSetup; subscription?: string }> {
  const configPath = join(root, CONFIG_FILE_NAME);
  const gathered = await gatherInput({ positionals: [], input: {}, removals: {}, options: { ...args.options, config: configPath } }, root);
  let input = gathered.input;
  let describe = gathered.describe;
  if (gathered.apps) {
    const app = typeof args.input.app === 'string' ? args.input.app : undefined;
    const names = gathered.apps.map((a) => String(a.input.app));
    const chosen = app === undefined && gathered.apps.length === 1 ? gathered.apps[0] : gathered.apps.find((a) => a.input.app === app);
    if (!chosen) throw new UsageError(`${join(shown, CONFIG_FILE_NAME)} lists several apps (${names.join(', ')}); choose one with --app NAME`);
    input = { ...gathered.input, ...chosen.input };
    describe = chosen.describe;
  } else if (Object.keys(args.input).some((k) => k !== 'app') || (args.input.app !== undefined && args.input.app !== gathered.input.app)) {
    throw new UsageError(`doctor reads the names from ${join(shown, CONFIG_FILE_NAME)}; flags go without a folder (--app only chooses one of several apps)`);
  }
  const built = buildSpec(input, describe);
  if (!built.ok) throw new UsageError(`${join(shown, CONFIG_FILE_NAME)} has problems:`, built.problems);
  const spec = built.spec;
  const approach = planSetup(spec).decision.approach;
  const rerun = ['create-kv-secrets', 'doctor', shown, ...(gathered.apps ? [`--app=${spec.app}`] : [])].map(shellWord).join(' ');
  const folder = gathered.apps ? join(shown, spec.app) : shown;
  return { expected: expectedFromSpec(spec, approach, existsSync(join(root, gathered.apps ? spec.app : '', 'k8s')) ? folder : undefined, rerun), ...(spec.subscription ? { subscription: spec.subscription } : {}) };
}

const ALLOWED = new Set(['json', 'help']);

/** `create-kv-secrets doctor [dir]`. */
export async function runDoctor(args: ParsedArgs, io: Io): Promise<number> {
  if (args.options.help) {
    io.stdout(doctorHelp());
    return EXIT.ok;
  }
  const [, dir, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`doctor takes one folder, got ${[dir, ...extra].map((p) => JSON.stringify(p)).join(', ')}`);
  if (Object.keys(args.removals).length > 0) throw new UsageError('doctor changes nothing: --remove-* options do not go with it');
  const options = Object.entries(args.options).filter(([key, value]) => !ALLOWED.has(key) && value !== false && value !== undefined).map(([key]) => key);
  if (options.length > 0) throw new UsageError(`doctor takes --json and the setup's names only, not --${options.map((o) => o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')}; see create-kv-secrets doctor --help`);
  const root = resolve(io.cwd, dir ?? '.');
  const shown = relative(io.cwd, root) || '.';
  const fromFolder = dir !== undefined || (Object.keys(args.input).length === 0 && existsSync(join(root, CONFIG_FILE_NAME)));
  if (fromFolder && !existsSync(join(root, CONFIG_FILE_NAME))) {
    throw new UsageError(`${shown} holds no ${CONFIG_FILE_NAME}: give a folder generated by create-kv-secrets, or the names as flags (see create-kv-secrets doctor --help)`);
  }
  const { expected, subscription } = fromFolder ? await expectedFromFolder(root, shown, args) : expectedFromFlags(args);
  const { runDiagnosis } = await import('./doctor-run.js');
  return runDiagnosis(expected, subscription, args.options.json, io);
}
