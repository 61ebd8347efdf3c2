import { AZ_FEATURES, PREFLIGHT_AZ_VERSION_ENV, minAzVersionFor } from '../spec/az-cli.js';
import type { AzFeature } from '../spec/az-cli.js';

/** One az feature as the generated files name it. */
export interface AzFeatureView {
  /** The release as people say it: `2.47` (az 2.47 or later). */
  release: string;
  /** The call that needs it: `az aks update --enable-workload-identity`. */
  usage: string;
  purpose: string | null;
}

/** What azure/setup.sh and the README say about the az they need. */
export interface AzCliView {
  /** The script's MIN_AZ_VERSION: the newest release among what it uses. */
  minVersion: string;
  /** The same as people say it: `2.59` (az 2.59 or later). */
  minRelease: string;
  /** What the script uses that sets its minimum, oldest first. */
  needs: AzFeatureView[];
  /** Every feature by name, for prose about one of them. */
  features: Record<keyof typeof AZ_FEATURES, AzFeatureView>;
  /** The variable through which `apply` hands the script the az version its preflight read. */
  preflightVersionEnv: string;
}

/** `2.47.0` as people say it: `2.47`. */
const releaseOf = (version: string): string => version.split('.').slice(0, 2).join('.');

function featureView(feature: AzFeature): AzFeatureView {
  return {
    release: releaseOf(feature.since),
    usage: ['az', feature.command, ...(feature.flag ? [feature.flag] : [])].join(' '),
    purpose: feature.purpose,
  };
}

/** `usesAppRouting`: the script turns application routing on (an Ingress certificate it serves). */
export function azCliView(usesAppRouting: boolean): AzCliView {
  const used: AzFeature[] = [AZ_FEATURES.workloadIdentity, ...(usesAppRouting ? [AZ_FEATURES.appRouting] : [])];
  const minVersion = minAzVersionFor(used);
  return {
    minVersion,
    minRelease: releaseOf(minVersion),
    needs: used.map(featureView),
    features: Object.fromEntries(Object.entries(AZ_FEATURES).map(([name, f]) => [name, featureView(f)])) as AzCliView['features'],
    preflightVersionEnv: PREFLIGHT_AZ_VERSION_ENV,
  };
}
