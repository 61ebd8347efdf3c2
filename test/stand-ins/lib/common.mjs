// What the stand-ins for kubectl and helm share with each other and with test/stand-ins/az: the state
// file, the call logs, injected failures and slow calls, and the kubeconfig that links a client to a
// cluster. Not a command (it sits below test/stand-ins, out of the PATH).
//
// Environment (the conventions of test/stand-ins/az):
//   STANDIN_STATE    the JSON file of the emulated world (required). test/stand-ins/az creates it; the
//                    clusters' Kubernetes side lives under its `kubernetes` key, by "resourceGroup/name".
//   STANDIN_LOG      if set, every call's argv is appended as one JSON line, the program's name first
//                    (`["kubectl","apply",...]`), so that one log holds the calls of all three stand-ins
//                    in order. (az's lines carry no name; no az command starts with kubectl or helm.)
//   STANDIN_ENV_LOG  if set, every call's environment is appended as one JSON line.
//   STANDIN_FAIL     injected failures, `SUBSTRING[:COUNT]` separated by `;`, matched against the
//                    command line WITH the program's name (`kubectl rollout status deployment/myapp ...`),
//                    so that one setting can aim at any of the three programs; a SUBSTRING that ends in
//                    `$` must end the command line (`--field-manager=create-kv-secrets$` is the apply,
//                    not its dry run). Counts live in the state file, shared with az's.
//   STANDIN_SLOW     `SUBSTRING:MILLISECONDS`, several separated by `;`: a matching call takes that much
//                    longer (kubectl apply: after each object, so that a kill lands between two objects).
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export class StandInError extends Error {
  constructor(exitCode, message) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function logCall(program, argv) {
  if (process.env.STANDIN_LOG) appendFileSync(process.env.STANDIN_LOG, `${JSON.stringify([program, ...argv])}\n`);
  if (process.env.STANDIN_ENV_LOG) appendFileSync(process.env.STANDIN_ENV_LOG, `${JSON.stringify(process.env)}\n`);
}

export function statePath(program) {
  const path = process.env.STANDIN_STATE;
  if (!path) throw new StandInError(2, `stand-in ${program}: set STANDIN_STATE to the JSON file that holds the emulated world`);
  if (!existsSync(path)) throw new StandInError(2, `stand-in ${program}: ${path} does not exist; test/stand-ins/az creates it (run any az command first)`);
  return path;
}

export function loadState(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Written only when something changed, and atomically (a killed call leaves the last whole state). */
export function saveState(path, state) {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  if (readFileSync(path, 'utf8') === text) return;
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function entries(variable) {
  return (process.env[variable] ?? '').split(';').filter(Boolean).map((entry) => {
    const counted = /^(.*):(\d+)$/.exec(entry);
    return counted ? [counted[1], Number(counted[2]), entry] : [entry, Infinity, entry];
  });
}

/** The message of an injected failure for this command line, if one is due (counted in the state). */
export function injectedFailure(state, commandLine) {
  for (const [substring, limit, entry] of entries('STANDIN_FAIL')) {
    const matches = substring.endsWith('$') ? commandLine.endsWith(substring.slice(0, -1)) : commandLine.includes(substring);
    if (!matches) continue;
    const done = state.injected?.[substring] ?? 0;
    if (done >= limit) continue;
    state.injected = { ...state.injected, [substring]: done + 1 };
    return `(InjectedFailure) STANDIN_FAIL '${entry}': failure ${done + 1}${limit === Infinity ? '' : ` of ${limit}`}`;
  }
  return undefined;
}

/** Milliseconds a matching STANDIN_SLOW entry asks this command line to take. */
export function slowness(commandLine) {
  return entries('STANDIN_SLOW').filter(([substring]) => commandLine.includes(substring)).reduce((ms, [, value]) => ms + value, 0);
}

export function sleep(ms) {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// ---- Kubeconfig -------------------------------------------------------------------------------
// The stand-in az writes kubeconfigs as JSON (which is YAML, so a real kubectl reads them too);
// kubectl and helm find their cluster through the current context's server URL.

/** The kubeconfig a client reads: --kubeconfig, else the first file of KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(flag) {
  if (flag) return resolve(flag);
  const fromEnv = (process.env.KUBECONFIG ?? '').split(':').find(Boolean);
  return fromEnv ? resolve(fromEnv) : join(process.env.HOME ?? homedir(), '.kube', 'config');
}

/**
 * The kubeconfig at `path` as an object ({} when missing or empty). `write` is for az: a default
 * ~/.kube/config outside the sandbox (the folder of the state file) is refused, so that a test that
 * forgot to set HOME cannot change the real one.
 */
export function readKubeconfig(path) {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new StandInError(1, `error: stand-in: the kubeconfig ${path} is not JSON (only the stand-in az writes the kubeconfigs these stand-ins read)`);
  }
}

export function guardSandbox(path, program) {
  const sandbox = dirname(resolve(process.env.STANDIN_STATE ?? '.'));
  if (!resolve(path).startsWith(`${sandbox}/`)) {
    throw new StandInError(2, `stand-in ${program}: refusing to write ${path} outside the sandbox ${sandbox}; set HOME (or --file) inside it`);
  }
}

export function writeKubeconfig(path, config) {
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

/** The current context of a kubeconfig: its name, cluster name, server and user. */
export function currentContext(config, contextFlag) {
  const name = contextFlag || config['current-context'];
  if (!name) return undefined;
  const context = (config.contexts ?? []).find((c) => c.name === name);
  if (!context) throw new StandInError(1, `error: context "${name}" does not exist`);
  const cluster = (config.clusters ?? []).find((c) => c.name === context.context?.cluster);
  return { name, cluster: context.context?.cluster, server: cluster?.cluster?.server, user: context.context?.user };
}

/** The emulated cluster a server URL names: its az key ("rg/name"), the managed cluster, and its Kubernetes side. */
export function clusterAt(state, server) {
  const host = server ? new URL(server).hostname.toLowerCase() : undefined;
  const key = Object.keys(state.clusters ?? {}).find((k) => state.clusters[k].fqdn?.toLowerCase() === host);
  if (!key) throw new StandInError(1, `Unable to connect to the server: dial tcp: lookup ${host}: no such host`);
  state.kubernetes ??= {};
  const kube = (state.kubernetes[key] ??= defaultKubernetes());
  if (kube.unreachable) throw new StandInError(1, `Unable to connect to the server: dial tcp ${host}:443: i/o timeout`);
  return { key, managedCluster: state.clusters[key], kube };
}

/**
 * A cluster's Kubernetes side, as the stand-ins keep it:
 *   namespaces[]      names of the namespaces
 *   objects{}         applied objects by "Kind/namespace/name" ("Kind//name" when cluster-scoped),
 *                     each with its field manager
 *   releases{}        Helm releases by "namespace/name": {chart, version, revision}
 *   denied[]          what the signed-in user may not do, as `kubectl auth can-i` words: "create deployments.apps",
 *                     "patch serviceaccounts", "create pods/exec", "create namespaces" (tests add to it)
 *   unreachable       true: every call fails to connect
 */
/** Drops a cluster's Kubernetes side that is still as defaultKubernetes() made it: reads change no state. */
export function pruneDefaults(state) {
  const fresh = JSON.stringify(defaultKubernetes());
  for (const [key, kube] of Object.entries(state.kubernetes ?? {})) if (JSON.stringify(kube) === fresh) delete state.kubernetes[key];
  if (state.kubernetes && Object.keys(state.kubernetes).length === 0) delete state.kubernetes;
}

export function defaultKubernetes() {
  return { namespaces: ['default', 'kube-node-lease', 'kube-public', 'kube-system'], objects: {}, releases: {}, denied: [] };
}
