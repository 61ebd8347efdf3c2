/**
 * What the signed-in Azure CLI can see, offered as choices during the walk. The walk never needs it:
 * every lookup resolves to an empty list when az is missing, signed out, slow or failing, and the
 * question is then asked as plain text; a new vault's name is then left unchecked, and the walk says
 * so. src/run implements it; tests pass their own.
 */
export interface AzureSubscription {
  id: string;
  name: string;
  tenantId: string;
  isDefault: boolean;
}

export interface AzureResource {
  name: string;
  resourceGroup?: string;
  location?: string;
}

/**
 * What az says of a name for a NEW vault (vault names are unique across all of Azure): usable (free,
 * or a vault the user has already; `note` says which), taken (with a free variant when one was
 * found), or unchecked (az missing, signed out, or no answer: azure/setup.sh asks again).
 */
export type VaultNameAnswer =
  | { status: 'usable'; note: string }
  | { status: 'taken'; reason: string; variant: string | null }
  | { status: 'unchecked' };

export interface AzureLookups {
  subscriptions(): Promise<AzureSubscription[]>;
  /** `subscription` absent: the signed-in default. */
  resourceGroups(subscription?: string): Promise<AzureResource[]>;
  /** Every AKS cluster of the subscription; the walk keeps those of the chosen resource group. */
  clusters(subscription?: string): Promise<AzureResource[]>;
  vaults(subscription?: string): Promise<AzureResource[]>;
  /** Never rejects; `subscription` is where the user's own vaults are looked for. */
  vaultName(name: string, subscription?: string): Promise<VaultNameAnswer>;
}

export const NO_AZURE: AzureLookups = {
  subscriptions: async () => [],
  resourceGroups: async () => [],
  clusters: async () => [],
  vaults: async () => [],
  vaultName: async () => ({ status: 'unchecked' }),
};
