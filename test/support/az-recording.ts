/**
 * Records the az command lines the tool produces, by running it against the stand-ins
 * (test/stand-ins, which log each call's argv): one generated folder per kind of setup, its
 * azure/setup.sh run alone with bash (it reads everything itself), and for the CSI folder the whole
 * life through the CLI: `apply` (its preflight, then setup.sh with what the preflight read), again
 * after the person imports a key and a certificate, again to change nothing, after a --remove-secret
 * (the role clean-up), then `doctor` and `teardown`; and the walk's lookups. Nothing is listed by
 * hand, so a changed template or command is recorded as it now is.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azLookups } from '../../src/run/az.js';
import { ApplySandbox } from './apply-harness.js';
import type { StandInState } from './standin-harness.js';

/** One az call as recorded: its argv (no `az`), and what produced it. */
export interface RecordedAzCall {
  argv: string[];
  /** The scene and the step, as `csi: apply`. */
  source: string;
}

interface Step {
  /** What produced the calls, for messages: the scene and the command. */
  label: string;
  /** The az calls' argv, in order. */
  argvs: string[][];
  code: number | null;
  stderr: string;
  /** The run must succeed, or the scene would record less than it claims to. */
  mustSucceed: boolean;
}

const WORKLOAD = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster'];

interface Scene {
  name: string;
  /** Flags after WORKLOAD, given the stand-in's state (IDs in it). */
  flags: (state: StandInState) => string[];
  /** Secret values, one a line, for the first run. */
  values: string;
  /** The Azure side before anything runs. */
  state?: (state: StandInState) => void;
  /** An az call that sets the scene before the first run (outside the recording). */
  prepare?: string[];
  /**
   * Keys and certificates the person imports (az argv, outside the recording) when the first run
   * stops and asks for them, as setup.sh says; then the run is repeated.
   */
  imports?: string[][];
  /**
   * Through `create-kv-secrets apply` (its preflight, then setup.sh with what the preflight read),
   * again to change nothing, after a --remove-secret (the role clean-up), then `doctor` and
   * `teardown`. Without: azure/setup.sh run alone with bash, once (and again after the imports),
   * reading everything itself.
   */
  full?: boolean;
}

const vnetIdOf = (state: StandInState): string =>
  `/subscriptions/${state.subscriptionId as string}/resourceGroups/myRG/providers/Microsoft.Network/virtualNetworks/aks-vnet`;

/** The cluster's nodes in a VNet with a subnet for private endpoints (as test/setup-vault-network.test.ts). */
function vnetScene(state: StandInState): void {
  const vnetId = vnetIdOf(state);
  state.vnets = {
    'myRG/aks-vnet': {
      id: vnetId, name: 'aks-vnet', location: 'eastus', resourceGroup: 'myRG',
      subnets: [{ id: `${vnetId}/subnets/nodes`, name: 'nodes' }, { id: `${vnetId}/subnets/private-endpoints`, name: 'private-endpoints' }],
    },
  };
  state.clusters['myRG/myCluster'].agentPoolProfiles = [{ name: 'nodepool1', vnetSubnetId: `${vnetId}/subnets/nodes` }];
}

const NEW_VAULT = ['keyvault', 'create', '--name', 'myapp-kv', '--resource-group', 'myRG', '--enable-rbac-authorization', 'true', '--enable-purge-protection', 'true', '--output', 'none'];

/** One folder per kind of setup; every one names its app myapp, so that their calls differ only where their setups do. */
const SCENES: Scene[] = [
  {
    name: 'csi',
    full: true,
    flags: (state) => ['--subscription', state.subscriptionId as string,
      '--secret', 'db-password', '--secret', 'api-key:secret:api/key.txt', '--secret', 'signing-key:key', '--secret', 'tls-cert:cert'],
    values: 'QZX one\nQZX two\n',
    imports: [
      ['keyvault', 'key', 'import', '--vault-name', 'myapp-kv', '--name', 'signing-key', '--pem-file', 'signing-key.pem'],
      ['keyvault', 'certificate', 'import', '--vault-name', 'myapp-kv', '--name', 'tls-cert', '--file', 'tls-cert.pfx'],
    ],
  },
  { name: 'eso-env', flags: () => ['--app-kind', 'legacy', '--secret', 'db-password'], values: 'QZX one\n' },
  { name: 'eso-object', flags: () => ['--app-kind', 'legacy', '--legacy-reads', 'secret-object', '--secret', 'db-password'], values: 'QZX one\n' },
  { name: 'sdk', flags: () => ['--app-kind', 'sdk', '--image', 'shop.azurecr.io/orders:1.4.2', '--secret', 'db-password'], values: 'QZX one\n' },
  { name: 'existing-vault', flags: () => ['--vault', 'myapp-kv', '--existing-vault', '--identity', 'myapp-wi', '--secret', 'db-password'], values: 'QZX one\n', prepare: NEW_VAULT },
  {
    name: 'private-vault',
    flags: (state) => ['--vault-network', 'private', '--private-endpoint-subnet', `${vnetIdOf(state)}/subnets/private-endpoints`, '--secret', 'db-password'],
    values: 'QZX one\n',
    state: vnetScene,
  },
  { name: 'firewall-vault', flags: () => ['--app-kind', 'sdk', '--vault-network', 'firewall', '--egress-ip', '20.50.10.7', '--secret', 'db-password'], values: 'QZX one\n' },
  {
    name: 'app-routing',
    flags: () => ['--secret', 'db-password', '--ingress', 'app-routing', '--host', 'web.example.com', '--tls-cert', 'tls-cert'],
    values: 'QZX one\n',
    imports: [['keyvault', 'certificate', 'import', '--vault-name', 'myapp-kv', '--name', 'tls-cert', '--file', 'tls-cert.pfx']],
  },
  {
    name: 'usgov',
    flags: () => ['--cloud', 'AzureUSGovernmentCloud', '--no-rotation', '--secret', 'db-password'],
    values: 'QZX one\n',
    state: (state) => { state.cloud = 'AzureUSGovernment'; },
  },
];

async function scene(sb: ApplySandbox, args: string[]): Promise<void> {
  const done = await sb.scene(...args);
  if (done.code !== 0) throw new Error(`scene step az ${args.join(' ')} failed: ${done.stderr}`);
}

/**
 * The az calls of a run: `apply`'s calls say their program; setup.sh's (test/support/standin-harness.ts)
 * are the stand-ins' log lines, where kubectl's and helm's start with the program's name.
 */
const azOnly = (calls: { argv: string[]; program?: string }[]): string[][] =>
  calls.filter((c) => (c.program ?? 'az') === 'az' && c.argv[0] !== 'kubectl' && c.argv[0] !== 'helm').map((c) => c.argv);

async function record(s: Scene, minAzVersion: Record<string, string>): Promise<Step[]> {
  const sb = await ApplySandbox.create(s.state);
  await sb.generate(s.name, [...WORKLOAD, ...s.flags(sb.state())]);
  const script = readFileSync(join(sb.dir, s.name, 'azure', 'setup.sh'), 'utf8');
  minAzVersion[s.name] = /^readonly MIN_AZ_VERSION=(\S+)$/m.exec(script)?.[1] ?? 'none';
  if (s.prepare) await scene(sb, s.prepare);
  const steps: Step[] = [];
  const step = async (label: string, mustSucceed: boolean, run: Promise<{ calls: { argv: string[]; program?: string }[]; code: number | null; stderr: string }>) => {
    const done = await run;
    steps.push({ label: `${s.name}: ${label}`, argvs: azOnly(done.calls), code: done.code, stderr: done.stderr, mustSucceed });
  };
  const cli = (args: string[], stdin: string) => sb.run(args, { stdin });
  const setup = (stdin: string) => s.full ? cli(['apply', s.name, '--yes'], stdin) : sb.sb.runSetup(join(sb.dir, s.name), { stdin, env: { HOME: sb.dir } });
  await step(s.full ? 'apply' : 'setup.sh', !s.imports, setup(s.values));
  if (s.imports) {
    for (const argv of s.imports) {
      const file = argv[argv.length - 1]!;
      writeFileSync(join(sb.dir, file), `stand-in bytes of ${file}`);
      await scene(sb, argv);
    }
    await step(`${s.full ? 'apply' : 'setup.sh'} after the imports`, true, setup('closed'));
  }
  if (!s.full) return steps;
  await step('apply that changes nothing', true, setup('closed'));
  // Role clean-up: an object taken out of the list loses its role on the next run.
  await sb.generate(s.name, ['--yes', '--config', join(sb.dir, s.name, 'kv-secrets.yaml'), '--remove-secret', 'api-key']);
  await step('apply after --remove-secret', true, setup('closed'));
  // doctor finds what it finds; only its reads matter here.
  await step('doctor', false, cli(['doctor', s.name, '--json'], 'closed'));
  await step('teardown', true, cli(['teardown', s.name, '--yes'], 'closed'));
  return steps;
}

/**
 * A recording az for the walk's lookups: logs its argv (NUL-separated, one call a line) and answers as
 * a signed-in az with one subscription and nothing in it, where every vault name is taken, so that
 * the walk asks all four lists and checks a vault name to the end (src/run/vault-name.ts).
 */
const LOOKUP_AZ = `#!/bin/sh
{ for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\n'; } >> "$AZ_RECORD"
case "$1 $2" in
  "account list") echo '[{"id":"11111111-2222-3333-4444-555555555555","name":"Dev","tenantId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","isDefault":true}]' ;;
  "keyvault show"|"keyvault show-deleted") echo "ERROR: (ResourceNotFound) The vault was not found." >&2; exit 3 ;;
  "rest "*) echo '{"nameAvailable":false,"reason":"AlreadyExists","message":"The vault name is already in use."}' ;;
  *) echo '[]' ;;
esac
`;

/** The walk's lookups (src/run/az.ts): the four lists and a vault name's check, each with a subscription given and without. */
async function walkLookups(): Promise<RecordedAzCall[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-walk-az-'));
  try {
    const az = join(dir, 'az');
    writeFileSync(az, LOOKUP_AZ, { mode: 0o755 });
    const log = join(dir, 'calls');
    writeFileSync(log, '');
    const lookups = azLookups({ command: az, env: { AZ_RECORD: log }, timeoutMs: 30_000 });
    await lookups.subscriptions();
    await Promise.all([undefined, '11111111-2222-3333-4444-555555555555'].flatMap((sub) =>
      [lookups.resourceGroups(sub), lookups.clusters(sub), lookups.vaults(sub), lookups.vaultName('myapp-kv', sub)]));
    lookups.close();
    return readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => ({ argv: line.split('\0').slice(0, -1), source: 'walk: lookups' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Recording {
  calls: RecordedAzCall[];
  /** Each scene's generated setup.sh's MIN_AZ_VERSION, by scene name (a source's first word). */
  minAzVersion: Record<string, string>;
  /** Steps that had to succeed and did not: the recording is incomplete. */
  failures: string[];
}

/** Runs every scene (`parallel` at a time) and the walk's lookups, and returns every az call they made. */
export async function recordAzCalls(parallel = 2): Promise<Recording> {
  const queue = [...SCENES];
  const steps: Step[] = [];
  const minAzVersion: Record<string, string> = {};
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let s = queue.shift(); s; s = queue.shift()) steps.push(...(await record(s, minAzVersion)));
  }));
  const calls = steps.flatMap((step) => step.argvs.map((argv) => ({ argv, source: step.label })));
  const failures = steps.filter((s) => s.mustSucceed && s.code !== 0)
    .map((s) => `${s.label} exited ${s.code}:\n${s.stderr.split('\n').slice(-15).join('\n')}`);
  return { calls: [...calls, ...(await walkLookups())], minAzVersion, failures };
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** The temporary files setup.sh makes (mktemp), under /tmp or $TMPDIR. */
const TEMP_FILE = new RegExp(`(?:/tmp|${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})/[\\w.-]+`, 'g');
/** The objects of the scenes: a command line per object is one shape. */
const OBJECT = /\b(?:db-password|api-key|signing-key|tls-cert)\b/g;

/**
 * The shape of an az command line: its words, with what differs only by which resource it is about
 * (IDs, temporary files, object names) put as placeholders. Command lines of one shape parse alike.
 */
export function azShape(argv: readonly string[]): string {
  return argv.map((word) => word.replace(GUID, '<id>').replace(TEMP_FILE, '<temp file>').replace(OBJECT, '<object>')).join(' ');
}

/** One command line of each shape (the first recorded), with every source that made that shape. */
export function distinctShapes(calls: RecordedAzCall[]): { shape: string; argv: string[]; sources: string[] }[] {
  const shapes = new Map<string, { shape: string; argv: string[]; sources: string[] }>();
  for (const call of calls) {
    const shape = azShape(call.argv);
    const entry = shapes.get(shape) ?? { shape, argv: call.argv, sources: [] };
    if (!entry.sources.includes(call.source)) entry.sources.push(call.source);
    shapes.set(shape, entry);
  }
  return [...shapes.values()];
}
