import { keyVaultName } from '../spec/index.js';
import { azArgv } from '../spec/az-argv.js';

/**
 * Key Vault names are unique across all of Azure, so `<app>-kv` is often taken by someone else. Asked
 * of ARM's checkNameAvailability (REST API "Vaults - Check Name Availability", api-version
 * 2021-10-01), through `az rest`, which signs the call and fills in {subscriptionId}: `az keyvault
 * check-name` checks managed HSM names only (azure-cli's keyvault custom.py, check_name_availability).
 */
export const NAME_CHECK_API_VERSION = '2021-10-01';

/** The `az` arguments that ask whether `name` is free for a vault; the answer is {nameAvailable, reason, message}. */
export function nameCheckArgs(name: string): string[] {
  return azArgv('rest', {
    method: 'post',
    url: `/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/checkNameAvailability?api-version=${NAME_CHECK_API_VERSION}`,
    body: JSON.stringify({ name, type: 'Microsoft.KeyVault/vaults' }),
    output: 'json',
  });
}

export interface NameCheck {
  available: boolean;
  message: string;
}

/** Reads the answer; null when it is not one (then nothing is known, and nothing is refused). */
export function parseNameCheck(stdout: string): NameCheck | null {
  try {
    const answer = JSON.parse(stdout) as { nameAvailable?: unknown; message?: unknown };
    if (typeof answer?.nameAvailable !== 'boolean') return null;
    return { available: answer.nameAvailable, message: typeof answer.message === 'string' ? answer.message : '' };
  } catch {
    return null;
  }
}

/**
 * Names to offer in place of a taken one, in order: `<name>-2` … `<name>-9`, shortened to fit the
 * 24 characters a vault name may have, each one a valid vault name.
 */
export function vaultNameVariants(name: string): string[] {
  const base = name.replace(/-?\d*$/, '') || name;
  const variants: string[] = [];
  for (let n = 2; n <= 9; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 24 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (candidate.toLowerCase() !== name.toLowerCase() && keyVaultName(candidate) === null) variants.push(candidate);
  }
  return variants;
}

/** The first variant `isFree` says is free (it answers true, false, or null: unknown), or null. */
export async function freeVariant(name: string, isFree: (candidate: string) => Promise<boolean | null>): Promise<string | null> {
  for (const candidate of vaultNameVariants(name)) {
    if ((await isFree(candidate)) === true) return candidate;
  }
  return null;
}

export interface VaultNameFacts {
  /** What the check found, in words, for the progress line. */
  found: string;
  /** False when az gave no answer: nothing is known of the name (the walk says it was not checked). */
  known: boolean;
  /** The name cannot be used: why, and a free one to use instead (null: none found). */
  taken?: { message: string; variant: string | null };
}

type Az = (args: string[]) => Promise<{ ok: boolean; stdout: string }>;

/**
 * Before azure/setup.sh creates the vault: a vault of that name in this subscription (or one deleted
 * and kept for recovery, which setup.sh names) is the user's own; otherwise the name must be free in
 * all of Azure. An answer az cannot give counts as free here: setup.sh asks again before it creates.
 * `subscription` (absent: az's current one) is where the user's own vaults are looked for; the name
 * check itself is the same from any subscription.
 */
export async function checkVaultName(az: Az, vault: string, subscription?: string): Promise<VaultNameFacts> {
  const shown = await az(azArgv('keyvault show', { name: vault, subscription, query: 'id', output: 'tsv' }));
  if (shown.ok && shown.stdout.trim() !== '') return { found: `vault ${vault} exists in this subscription`, known: true };
  const ask = async (name: string) => {
    const result = await az(nameCheckArgs(name));
    return result.ok ? parseNameCheck(result.stdout) : null;
  };
  const answer = await ask(vault);
  if (answer === null) return { found: `could not ask whether ${vault} is free; azure/setup.sh asks again before it creates the vault`, known: false };
  if (answer.available) return { found: `the name ${vault} is free: azure/setup.sh will create the vault`, known: true };
  // Taken: by a vault of this subscription that was deleted and is kept for recovery, it is still the user's.
  const deleted = await az(azArgv('keyvault show-deleted', { name: vault, subscription, output: 'none' }));
  if (deleted.ok) return { found: `vault ${vault} is deleted and kept for recovery: azure/setup.sh will say how to recover it`, known: true };
  const variant = await freeVariant(vault, async (name) => (await ask(name))?.available ?? null);
  return { found: '', known: true, taken: { message: answer.message.replace(/\.$/, ''), variant } };
}
