/**
 * The walk's az lookups (src/run/az.ts) against a stand-in az: what they offer, and that every
 * failure (no az, signed out, slow, broken output) is quietly no suggestion, quickly.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azLookups } from '../src/run/az.js';
import { azArgvProblem } from '../src/spec/az-argv.js';
import { STAND_INS, Sandbox, callsOf, isNameCheck, mutating, parseCall } from './support/standin-harness.js';
import type { StandInState } from './support/standin-harness.js';

let dir: string;
let az: string;

const STAND_IN = `#!/bin/sh
# Stand-in az: logs each call, answers the walk's four read-only lists as AZ_MODE says.
printf '%s\\n' "$*" >> "$AZ_LOG"
printf '%s\\t' "$@" >> "$AZ_LOG.argv"; printf '\\n' >> "$AZ_LOG.argv"
case "$AZ_MODE" in
  signed-out) echo 'ERROR: Please run "az login" to setup account.' >&2; exit 1 ;;
  slow) sleep 5 ;;
  garbage) echo 'not json'; exit 0 ;;
esac
case "$1 $2" in
  "account list") echo '[{"id":"11111111-2222-3333-4444-555555555555","name":"Production","tenantId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","isDefault":true},{"id":"not-a-uuid","name":"Broken","tenantId":"x","isDefault":false}]' ;;
  "group list") echo '[{"name":"rg-pay","resourceGroup":null,"location":"westeurope"},{"name":"bad name!","location":"eastus"},{"name":"rg-b","location":"East US"}]' ;;
  "aks list") echo '[{"name":"aks-pay","resourceGroup":"rg-pay","location":"westeurope"}]' ;;
  "keyvault list") echo '[{"name":"pay-kv","resourceGroup":"rg-pay","location":"westeurope"},{"name":"x","resourceGroup":"rg-pay"}]' ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kv-az-'));
  az = join(dir, 'az');
  writeFileSync(az, STAND_IN);
  chmodSync(az, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lookups(mode: string, timeoutMs = 3000) {
  const log = join(dir, `${mode}-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const calls = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const argvs = () => readFileSync(`${log}.argv`, 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t').slice(0, -1));
  return { az: azLookups({ command: az, timeoutMs, env: { AZ_MODE: mode, AZ_LOG: log } }), calls, argvs };
}

describe('az lookups', () => {
  it('offer only what the matching flag would accept, sorted, each command run once', async () => {
    const { az: lookup, calls, argvs } = lookups('ok');
    expect(await lookup.subscriptions()).toEqual([
      { id: '11111111-2222-3333-4444-555555555555', name: 'Production', tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', isDefault: true },
    ]);
    // "bad name!" is no resource group name; "East US" is no location `--location` takes, so it is dropped alone.
    expect(await lookup.resourceGroups()).toEqual([{ name: 'rg-b' }, { name: 'rg-pay', location: 'westeurope' }]);
    expect(await lookup.clusters()).toEqual([{ name: 'aks-pay', resourceGroup: 'rg-pay', location: 'westeurope' }]);
    expect(await lookup.vaults('Staging')).toEqual([{ name: 'pay-kv', resourceGroup: 'rg-pay', location: 'westeurope' }]);
    await Promise.all([lookup.resourceGroups(), lookup.clusters(), lookup.subscriptions()]);
    const made = calls();
    expect(made).toHaveLength(4);
    for (const call of made) expect(call).toMatch(/--output=json --only-show-errors$/);
    expect(made.find((c) => c.startsWith('keyvault list'))).toContain('--resource-type=vault --subscription=Staging');
    // Every value glued to its option (src/spec/az-argv.ts), so that none is read as an option.
    expect(argvs().map(azArgvProblem)).toEqual([null, null, null, null]);
    lookup.close();
  });

  it('signed out: no suggestions, and no slower call after the first', async () => {
    const { az: lookup, calls } = lookups('signed-out');
    expect(await lookup.subscriptions()).toEqual([]);
    expect(await lookup.resourceGroups()).toEqual([]);
    expect(await lookup.clusters()).toEqual([]);
    expect(await lookup.vaults()).toEqual([]);
    expect(calls()).toEqual([expect.stringMatching(/^account list /)]);
  });

  it('no az on the PATH, or output that is not JSON: no suggestions', async () => {
    const missing = azLookups({ command: join(dir, 'no-such-az') });
    expect(await missing.subscriptions()).toEqual([]);
    expect(await missing.resourceGroups()).toEqual([]);
    const { az: garbage } = lookups('garbage');
    expect(await garbage.subscriptions()).toEqual([]);
  });

  it('slow: gives up at the timeout, and close() stops what is still running', async () => {
    const { az: slow } = lookups('slow', 300);
    const started = Date.now();
    expect(await slow.subscriptions()).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);

    const { az: closing } = lookups('slow', 10_000);
    const pending = closing.subscriptions();
    const closedAt = Date.now();
    closing.close();
    expect(await pending).toEqual([]);
    expect(Date.now() - closedAt).toBeLessThan(2000);
  });
});

describe("a new vault's name, asked of the stand-in az (test/stand-ins/az) as the walk asks it", { timeout: 60_000 }, () => {
  afterAll(() => Sandbox.removeAll());

  /** The walk's lookups on the stand-in, with the calls they made. */
  async function standIn(edit?: (state: StandInState) => void, env: NodeJS.ProcessEnv = {}) {
    const sb = await Sandbox.create(edit);
    const log = join(sb.dir, 'walk.argv.jsonl');
    writeFileSync(log, '');
    const lookups = azLookups({ command: join(STAND_INS, 'az'), env: sb.env({ STANDIN_LOG: log, ...env }) });
    const calls = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => parseCall(JSON.parse(line) as string[]));
    return { sb, lookups, calls };
  }

  it('taken in Azure: the reason ARM gives and the first free variant, with reads only, every value glued', async () => {
    const { lookups, calls } = await standIn((state) => { state.takenVaultNames = ['myapp-kv', 'myapp-kv-2']; });
    expect(await lookups.vaultName('myapp-kv')).toEqual({
      status: 'taken',
      reason: "The vault name 'myapp-kv' is already in use. Vault names are globally unique so it is possible that the name is already taken",
      variant: 'myapp-kv-3',
    });
    const made = calls();
    expect(made.map((c) => (isNameCheck(c) ? `name check ${JSON.parse(String(c.flags['--body'])).name}` : c.command))).toEqual([
      'account list', 'keyvault show', 'name check myapp-kv', 'keyvault show-deleted', 'name check myapp-kv-2', 'name check myapp-kv-3',
    ]);
    expect(mutating(made)).toEqual([]);
    expect(made.map((c) => azArgvProblem(c.argv))).toEqual(made.map(() => null));
    lookups.close();
  });

  it('free: usable, saying so; a vault of the subscription (looked for in the chosen one) is usable too', async () => {
    const { sb, lookups, calls } = await standIn();
    expect(await lookups.vaultName('myapp-kv')).toEqual({ status: 'usable', note: 'the name myapp-kv is free: azure/setup.sh will create the vault' });
    const created = await sb.az('keyvault', 'create', '--name', 'ours-kv', '--resource-group', 'myRG', '--location', 'eastus');
    expect(created.code, created.stderr).toBe(0);
    expect(await lookups.vaultName('ours-kv', 'Contoso Dev')).toEqual({ status: 'usable', note: 'vault ours-kv exists in this subscription' });
    expect(callsOf(calls(), 'keyvault show').map((c) => c.flags['--subscription'])).toEqual([undefined, 'Contoso Dev']);
    lookups.close();
  });

  it('signed out: unchecked, after the one `account list` that tells', async () => {
    const { lookups, calls } = await standIn((state) => { state.signedIn = false; });
    expect(await lookups.vaultName('myapp-kv')).toEqual({ status: 'unchecked' });
    expect(calls().map((c) => c.command)).toEqual(['account list']);
  });

  it('az cannot answer the name check: unchecked, never refused', async () => {
    const { lookups, calls } = await standIn(undefined, { STANDIN_FAIL: 'checkNameAvailability' });
    expect(await lookups.vaultName('myapp-kv')).toEqual({ status: 'unchecked' });
    expect(calls().filter(isNameCheck)).toHaveLength(1);
    lookups.close();
  });
});
