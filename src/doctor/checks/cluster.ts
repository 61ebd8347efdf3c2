import { CSI_ADDON } from '../../plan/azure-facts.js';
import { az, updateCluster } from '../commands.js';
import { cannotCheck, finding } from '../context.js';
import type { Context } from '../context.js';
import type { Finding } from '../types.js';

/** The AKS cluster's side: OIDC issuer, Workload Identity, the CSI add-on and its rotation. */
export function clusterFindings({ e, o, approach }: Context): Finding[] {
  if (o.cluster.state === 'unknown') {
    return [cannotCheck('oidc-disabled', `AKS cluster ${e.cluster}`, o.cluster, 'its OIDC issuer, Workload Identity and the CSI add-on')];
  }
  if (o.cluster.state === 'missing') {
    return [finding('oidc-disabled', 'unknown', `There is no AKS cluster ${e.cluster} in resource group ${e.resourceGroup} (or it is in another subscription: az account set --subscription=...).`, { cluster: `${e.resourceGroup}/${e.cluster}` }, [])];
  }
  const mc = o.cluster.value;
  const where = `AKS cluster ${e.cluster}`;
  const findings: Finding[] = [];
  if (!mc.issuerUrl) {
    findings.push(finding('oidc-disabled', 'error', `${where} has no OIDC issuer, so Entra ID cannot check its service-account tokens (it cannot be turned off again once on).`,
      { 'oidcIssuerProfile.issuerUrl': '(none)' }, [updateCluster(e, mc.workloadIdentity ? ['enable-oidc-issuer'] : ['enable-oidc-issuer', 'enable-workload-identity'])]));
  }
  if (!mc.workloadIdentity) {
    findings.push(finding('workload-identity-disabled', 'error', `${where} does not run the Workload Identity webhook, which gives pods their federated token.`,
      { 'securityProfile.workloadIdentity.enabled': 'false' }, [updateCluster(e, mc.issuerUrl ? ['enable-workload-identity'] : ['enable-oidc-issuer', 'enable-workload-identity'])]));
  }
  if (approach === 'csi' && !mc.csiAddon) {
    findings.push(finding('csi-addon-disabled', 'error', `${where} does not run the Secrets Store CSI driver add-on (${CSI_ADDON}), so no pod can mount a SecretProviderClass.`,
      { 'addonProfiles.azureKeyvaultSecretsProvider.enabled': 'false' },
      [az('aks enable-addons', { addons: CSI_ADDON, 'resource-group': e.resourceGroup, name: e.cluster, 'enable-secret-rotation': e.rotation })]));
  }
  if (approach === 'csi' && mc.csiAddon && e.rotation === true && !mc.rotation) {
    findings.push(finding('rotation-disabled', 'warning', `The setup asks for rotation, but the CSI add-on of ${where} does not poll Key Vault: mounted files keep the value they had at the pod's start.`,
      { 'addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation': 'false', 'kv-secrets.yaml rotation': 'true' },
      [updateCluster(e, ['enable-secret-rotation'])]));
  }
  return findings;
}
