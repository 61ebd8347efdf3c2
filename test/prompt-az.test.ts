/**
 * The walk's az lookups (src/run/az.ts) against a stand-in az: what they offer, and that every
 * failure (no az, signed out, slow, broken output) is quietly no suggestion, quickly.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azLookups } from '../src/run/az.js';
import { azArgvProblem } from '../src/run/az-argv.js';

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
    // Every value glued to its option (src/run/az-argv.ts), so that none is read as an option.
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
