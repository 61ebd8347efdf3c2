import { secretValueKind } from './secrets.js';
import { allNodes, child, hasContent, isTemplated } from './tree.js';
import type { Node } from './tree.js';
import type { Hit } from './types.js';

/**
 * The Kubernetes rules, over the light model of YAML or JSON documents: a Secret with data (KVS001)
 * and the credentials in its values (KVS005), service-principal credentials on the way to Key Vault
 * (KVS003), secrets as env vars (KVS006), AAD Pod Identity (KVS007). A resource is any mapping with a
 * `kind`, so `kind: List` items, Helm templates and nested objects are found alike.
 */

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']); // Go's strconv.ParseBool, which the provider uses

function nameOf(resource: Node): string {
  const name = child(child(resource, 'metadata'), 'name')?.value;
  return name && !isTemplated(name) ? ` "${name}"` : '';
}

function secretResource(resource: Node, hits: Hit[]): void {
  const stores = ['data', 'stringData'].map((key) => child(resource, key)).filter((store): store is Node => hasContent(store));
  if (stores.length === 0) return;
  const first = stores[0]!;
  hits.push({ rule: 'KVS001', line: first.line, message: `Kubernetes Secret${nameOf(resource)} holds ${first.key} in the repository` });
  for (const store of stores) {
    for (const entry of store.children) {
      if (entry.key === undefined || entry.key === '{{') continue;
      const kind = secretValueKind(entry.key, entry.value, store.key === 'data');
      if (kind) hits.push({ rule: 'KVS005', line: entry.line, message: `Secret${nameOf(resource)} ${store.key}: ${kind} is committed here (value masked)` });
    }
  }
}

function resourceHits(resource: Node, kind: Node, hits: Hit[]): void {
  switch (kind.value) {
    case 'Secret':
      secretResource(resource, hits);
      break;
    case 'AzureIdentity':
    case 'AzureIdentityBinding':
      hits.push({ rule: 'KVS007', line: kind.line, message: `${kind.value}${nameOf(resource)} belongs to AAD Pod Identity, which is deprecated` });
      break;
  }
}

/** The sequence item a key belongs to, when its parent chain is item → list key `listKey`. */
function itemOf(node: Node, listKey: string): Node | undefined {
  const item = node.parent;
  return item && item.key === undefined && item.parent?.key === listKey ? item : undefined;
}

function keyHits(node: Node, hits: Hit[]): void {
  const parent = node.parent;
  switch (node.key) {
    case 'secretKeyRef': {
      const item = parent?.key === 'valueFrom' ? parent.parent : undefined;
      if (item && item.key === undefined && item.parent?.key === 'env') {
        const name = child(item, 'name')?.value;
        const shown = name && !isTemplated(name) ? ` ${name}` : '';
        hits.push({ rule: 'KVS006', line: item.line, message: `env var${shown} takes its value from a Secret (secretKeyRef)` });
      }
      break;
    }
    case 'secretRef': {
      const item = itemOf(node, 'envFrom');
      if (item) hits.push({ rule: 'KVS006', line: item.line, message: 'envFrom turns a whole Secret into env vars (secretRef)' });
      break;
    }
    case 'nodePublishSecretRef': {
      const driver = child(parent, 'driver')?.value;
      if (parent?.key === 'csi' && (driver === undefined || driver === 'secrets-store.csi.k8s.io' || isTemplated(driver))) {
        hits.push({ rule: 'KVS003', line: node.line, message: 'the CSI volume reaches Key Vault with service-principal credentials (nodePublishSecretRef)' });
      }
      break;
    }
    case 'name': {
      if (node.value === 'AZURE_CLIENT_SECRET' && itemOf(node, 'env')) {
        hits.push({ rule: 'KVS003', line: node.line, message: 'the workload gets a service-principal secret (env AZURE_CLIENT_SECRET)' });
      }
      break;
    }
    case 'authType': {
      if (parent?.key === 'azurekv' && node.value === 'ServicePrincipal') {
        hits.push({ rule: 'KVS003', line: node.line, message: 'the External Secrets store reaches Key Vault as a service principal (authType: ServicePrincipal)' });
      }
      break;
    }
    case 'authSecretRef': {
      // ESO's default authType is ServicePrincipal: a client secret or certificate without one is that too.
      const credential = child(node, 'clientSecret') ?? child(node, 'clientCertificate');
      if (parent?.key === 'azurekv' && credential && !child(parent, 'authType')) {
        hits.push({ rule: 'KVS003', line: node.line, message: `the External Secrets store reaches Key Vault with a ${credential.key} (authType defaults to ServicePrincipal)` });
      }
      break;
    }
    case 'usePodIdentity': {
      if (TRUE.has(node.value)) hits.push({ rule: 'KVS007', line: node.line, message: 'usePodIdentity: "true" uses AAD Pod Identity, which is deprecated' });
      break;
    }
    case 'aadpodidbinding': {
      hits.push({ rule: 'KVS007', line: node.line, message: 'the aadpodidbinding label binds the pod to AAD Pod Identity, which is deprecated' });
      break;
    }
    case 'secretGenerator': {
      if (!parent?.parent) {
        for (const item of node.children) {
          if (['literals', 'files', 'envs'].some((k) => hasContent(child(item, k)))) {
            hits.push({ rule: 'KVS001', line: item.line, message: 'a Kustomize secretGenerator makes a Kubernetes Secret from values kept in the repository' });
          }
        }
      }
      break;
    }
    case 'kind':
      if (parent) resourceHits(parent, node, hits);
      break;
  }
}

export function kubernetesHits(documents: readonly Node[]): Hit[] {
  const hits: Hit[] = [];
  for (const node of allNodes(documents)) if (node.key !== undefined) keyHits(node, hits);
  return hits;
}
