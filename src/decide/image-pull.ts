/**
 * Advice, not a generator: an app that asks for an imagePullSecret usually needs none. Pull
 * credentials are a secret like any other, and the best one is no secret at all: AKS pulls from
 * Azure Container Registry as the cluster's kubelet identity once it has AcrPull on the registry
 * (`az aks update --attach-acr`, azure-cli acs/_roleassignments.py: role "acrpull" for the kubelet
 * identity on the registry). Only another private registry needs a kubernetes.io/dockerconfigjson
 * Secret, which the kubelet reads from the API (a mounted file does not serve); then ESO builds it
 * from Key Vault.
 */
import { azArgv } from '../spec/az-argv.js';

export type RegistryKind = 'acr' | 'public' | 'other';

export interface ImagePullAdvice {
  registry: string;
  kind: RegistryKind;
  /** One paragraph for the walk and the README. */
  text: string;
  /**
   * The az argv (after `az`) that makes pulls work, when there is one: words, not a command line, so
   * that the README quotes each for the shell as it quotes every value (a resource group may hold
   * parentheses).
   */
  azArgv: string[] | null;
}

const ACR_SUFFIXES = ['.azurecr.io', '.azurecr.us', '.azurecr.cn'];
/** Registries whose images are public as a rule: no pull credentials to think about. */
const PUBLIC_REGISTRIES = ['docker.io', 'mcr.microsoft.com', 'registry.k8s.io', 'quay.io', 'ghcr.io', 'public.ecr.aws'];

/** The registry host of an image reference, as the container runtime reads it (no host: Docker Hub). */
export function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  const isHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first.toLowerCase() : 'docker.io';
}

export function imagePullAdvice(image: string, cluster: { resourceGroup: string; cluster: string }): ImagePullAdvice {
  const registry = registryOf(image);
  const acr = ACR_SUFFIXES.find((suffix) => registry.endsWith(suffix));
  if (acr) {
    const name = registry.slice(0, -acr.length);
    return {
      registry,
      kind: 'acr',
      azArgv: azArgv('aks update', { 'resource-group': cluster.resourceGroup, name: cluster.cluster, 'attach-acr': name }),
      text: `The image comes from Azure Container Registry ${registry}: no imagePullSecret. Give the cluster's kubelet identity AcrPull on the registry once, and every node pulls as that identity, with no credential stored anywhere.`,
    };
  }
  const text = PUBLIC_REGISTRIES.includes(registry)
    ? `The image comes from ${registry}. A public image needs no imagePullSecret. If it is private, move it to Azure Container Registry (then the kubelet identity with AcrPull pulls it, no secret at all: az aks update --attach-acr), or keep the registry's credentials in Key Vault and let the External Secrets Operator build a kubernetes.io/dockerconfigjson Secret that the pod's imagePullSecrets names.`
    : `The image comes from ${registry}. If it needs credentials, keep them in Key Vault and let the External Secrets Operator build a kubernetes.io/dockerconfigjson Secret that the pod's imagePullSecrets names: the kubelet reads pull credentials only from such a Secret. Better still, mirror the image into Azure Container Registry: then the kubelet identity with AcrPull pulls it and no credential exists at all (az aks update --attach-acr).`;
  return { registry, kind: PUBLIC_REGISTRIES.includes(registry) ? 'public' : 'other', azArgv: null, text };
}
