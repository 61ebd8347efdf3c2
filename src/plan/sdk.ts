import { formatSecretFlag } from '../spec/index.js';
import type { KeyVaultObject, Problem, Spec } from '../spec/index.js';

/**
 * The SDK path: the app reads Key Vault itself. These facts feed the Deployment (the one env var it
 * sets) and the README's snippets, so that every language waits the same time between reads.
 */

/** The env var that carries the vault's URL: configuration, not a secret (the guide allows it). */
export const SDK_VAULT_URL_ENV = 'KEY_VAULT_URL';

/**
 * How long the snippets keep a value before reading it again. Key Vault allows 4,000 secret
 * transactions per 10 seconds per vault and region, and 5 times that per subscription
 * (learn.microsoft.com/azure/key-vault/general/service-limits); its throttling guidance asks apps to
 * cache values in memory (…/general/overview-throttling). Five minutes keeps a rotated value late by
 * at most that, at one read per object per replica.
 */
export const SDK_REFRESH_MINUTES = 5;

export const KEY_VAULT_SECRET_LIMIT = { transactions: '4,000', seconds: 10, subscriptionFactor: 5 } as const;

export interface SdkView {
  vaultUrlEnv: string;
  refreshMinutes: number;
  refreshSeconds: number;
  refreshMilliseconds: string;
  limit: typeof KEY_VAULT_SECRET_LIMIT;
  /** The object the snippets read as their example: the first one the app needs. */
  example: string;
  hasKeys: boolean;
  hasCerts: boolean;
}

export function sdkView(objects: readonly KeyVaultObject[]): SdkView {
  return {
    vaultUrlEnv: SDK_VAULT_URL_ENV,
    refreshMinutes: SDK_REFRESH_MINUTES,
    refreshSeconds: SDK_REFRESH_MINUTES * 60,
    refreshMilliseconds: `${SDK_REFRESH_MINUTES} * 60 * 1000`,
    limit: KEY_VAULT_SECRET_LIMIT,
    example: (objects.find((o) => o.type === 'secret') ?? objects[0])?.name ?? 'my-secret',
    hasKeys: objects.some((o) => o.type === 'key'),
    hasCerts: objects.some((o) => o.type === 'cert'),
  };
}

/** An alias names a file (CSI) or a Secret key (ESO); an app that calls Key Vault uses the object's own name. */
export function sdkProblems(spec: Spec): Problem[] {
  return spec.secrets
    .filter((object) => object.alias !== undefined)
    .map((object) => ({
      field: '--secret',
      value: formatSecretFlag(object),
      rule: `has an alias, but with --approach sdk the app reads each object by its Key Vault name; give ${object.name}:${object.type}`,
    }));
}
