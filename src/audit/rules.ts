import type { RuleId } from './types.js';

export interface RuleInfo {
  id: RuleId;
  /** A short name, PascalCase, as SARIF's reportingDescriptor.name asks. */
  name: string;
  /** The guide's mistake, in one line. */
  title: string;
  /** Why it matters, in the guide's words. */
  why: string;
  /** The fix in the guide's terms: which command of this tool generates the replacement. */
  fix: string;
  /** GitHub code scanning's 0-10 score, which sorts alerts into low..critical. */
  severity: number;
}

const BOTH = 'create-kv-secrets --app-kind new generates the Secrets Store CSI Driver setup (files), --app-kind legacy the External Secrets Operator setup (for an app that cannot read files)';

/** The guide's "Common mistakes", one rule each (KVS007, pod identity, is what the guide replaces with Workload Identity). */
export const RULES: readonly RuleInfo[] = [
  {
    id: 'KVS001',
    name: 'KubernetesSecretWithData',
    title: 'Kubernetes Secret with data',
    why: 'Storing secrets in Kubernetes Secrets "temporarily": there is no temporary, it stays until someone deletes it.',
    fix: `Keep the value in Key Vault and delete this Secret: ${BOTH}.`,
    severity: 7.5,
  },
  {
    id: 'KVS002',
    name: 'KeyVaultAccessPolicies',
    title: 'Key Vault access policies instead of RBAC',
    why: 'Access policies are legacy: enable RBAC authorization on the vault and grant Azure roles.',
    fix: 'Enable RBAC authorization (az keyvault update --enable-rbac-authorization true) and grant "Key Vault Secrets User"; the azure/setup.sh that create-kv-secrets generates does both.',
    severity: 5.0,
  },
  {
    id: 'KVS003',
    name: 'ServicePrincipalCredentialForKeyVault',
    title: 'A credential used to reach Key Vault',
    why: 'A service principal needs client credentials stored somewhere: use Workload Identity, zero secrets to manage secrets.',
    fix: `Use Workload Identity (a federated credential, no secret): ${BOTH}.`,
    severity: 7.0,
  },
  {
    id: 'KVS004',
    name: 'KeyVaultWithoutPurgeProtection',
    title: 'Key Vault without purge protection',
    why: 'Without soft delete and purge protection an accidental deletion loses secrets for good.',
    fix: 'Turn purge protection on (az keyvault update --enable-purge-protection true, or enablePurgeProtection / purge_protection_enabled = true); create-kv-secrets creates vaults with it.',
    severity: 5.0,
  },
  {
    id: 'KVS005',
    name: 'CommittedSecret',
    title: 'A secret committed',
    why: 'Committing secrets to git: the value is in every clone and in history.',
    fix: 'Rotate the value, remove it from git history, and keep it in Key Vault (create-kv-secrets\' azure/setup.sh reads it hidden); the generated .pre-commit-config.yaml runs detect-secrets on every commit, and this audit can run beside it (the create-kv-secrets-audit pre-commit hook).',
    severity: 9.0,
  },
  {
    id: 'KVS006',
    name: 'SecretAsEnvironmentVariable',
    title: 'A secret delivered as an environment variable',
    why: 'Environment variables appear in process listings, crash dumps and debug endpoints: mount secrets as files.',
    fix: 'Mount it as a file: create-kv-secrets --app-kind new generates the Secrets Store CSI Driver setup. An app that only reads env vars: --app-kind legacy --legacy-reads env (External Secrets Operator), and suppress this finding with the reason.',
    severity: 4.0,
  },
  {
    id: 'KVS007',
    name: 'DeprecatedPodIdentity',
    title: 'Deprecated AAD Pod Identity',
    why: 'AAD Pod Identity is deprecated: Workload Identity replaces it.',
    fix: `Move to Workload Identity: ${BOTH}.`,
    severity: 4.0,
  },
];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}
