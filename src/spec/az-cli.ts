/**
 * What generated scripts need of the Azure CLI (az), and how `apply` hands its preflight's az version
 * to azure/setup.sh. The templates get these through the plan's view, `apply` reads them here, and
 * test/az-cli.test.ts holds them to az's release history (test/support/az-newer-flags.ts).
 */

/** An az command or flag a generated setup.sh uses that older az releases lack. */
export interface AzFeature {
  /** The first az release that has it (Azure/azure-cli, src/azure-cli/HISTORY.rst). */
  since: string;
  /** The command's words, as the script calls it (`aks update`). */
  command: string;
  /** The long flag the script needs; null: the whole command group is what is new. */
  flag: string | null;
  /** What it is for, where the command does not say it; null: the command says it. */
  purpose: string | null;
}

export const AZ_FEATURES = {
  /**
   * Every setup.sh turns workload identity on (`az aks update --enable-oidc-issuer
   * --enable-workload-identity`): az 2.47.0 added `--enable-workload-identity` to `az aks
   * create/update` (HISTORY.rst, 2.47.0, AKS, #25966). No older flag does it, so this is the oldest
   * az any generated script runs with.
   */
  workloadIdentity: { since: '2.47.0', command: 'aks update', flag: '--enable-workload-identity', purpose: null },
  /**
   * A setup.sh that serves an Ingress's certificate through application routing turns it on with
   * `az aks approuting enable`: az 2.59.0 added the `az aks approuting` command group (HISTORY.rst,
   * 2.59.0, ACS, #28463).
   */
  appRouting: { since: '2.59.0', command: 'aks approuting', flag: null, purpose: 'application routing' },
} as const satisfies Record<string, AzFeature>;

/** The az every generated setup.sh needs, whatever else it does. */
export const BASE_MIN_AZ_VERSION: string = AZ_FEATURES.workloadIdentity.since;

/**
 * The environment variable through which `apply` hands azure/setup.sh the az version its preflight
 * read, sparing the script one slow `az version` call.
 */
export const PREFLIGHT_AZ_VERSION_ENV = 'KV_SECRETS_PREFLIGHT_AZ_VERSION';

/** Compares dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The az a script that uses these features needs: the newest of their releases (at least the base). */
export function minAzVersionFor(features: readonly AzFeature[]): string {
  return features.reduce<string>((newest, f) => (compareVersions(f.since, newest) > 0 ? f.since : newest), BASE_MIN_AZ_VERSION);
}
