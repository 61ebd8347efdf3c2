/**
 * What the signed-in Azure CLI can see, offered as choices during the walk. The walk never needs it:
 * every lookup resolves to an empty list when az is missing, signed out, slow or failing, and the
 * question is then asked as plain text. src/run implements it; tests pass their own.
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

export interface AzureLookups {
  subscriptions(): Promise<AzureSubscription[]>;
  /** `subscription` absent: the signed-in default. */
  resourceGroups(subscription?: string): Promise<AzureResource[]>;
  /** Every AKS cluster of the subscription; the walk keeps those of the chosen resource group. */
  clusters(subscription?: string): Promise<AzureResource[]>;
  vaults(subscription?: string): Promise<AzureResource[]>;
}

export const NO_AZURE: AzureLookups = {
  subscriptions: async () => [],
  resourceGroups: async () => [],
  clusters: async () => [],
  vaults: async () => [],
};
