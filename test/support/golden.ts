import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GUIDE_FLAGS } from './generate.js';

/** test/golden/<name>/ holds the whole folder each spec generates, committed as plain files. */
export const GOLDEN_ROOT = fileURLToPath(new URL('../golden/', import.meta.url));

export interface GoldenSpec {
  flags: string[];
  /** The folder still carries the client/tenant ID placeholders (IDs not given as flags). */
  placeholders: boolean;
}

export const IDS = {
  tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  client: '3f2c1b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  subscription: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9',
} as const;

export const GOLDEN_SPECS: Record<string, GoldenSpec> = {
  /** The guide's own example. */
  guide: { flags: GUIDE_FLAGS, placeholders: true },
  /** A key, a secret and a certificate, each delivered under an alias in a sub-folder. */
  'key-and-aliases': {
    flags: [
      '--app', 'signer', '--namespace', 'payments', '--resource-group', 'rg-payments', '--cluster', 'aks-prod',
      '--secret', 'signing-key:key:keys/signing.pem',
      '--secret', 'db-password:secret:db/password',
      '--secret', 'webhook-tls:cert:tls/webhook.pem',
    ],
    placeholders: true,
  },
  /** A vault and an identity that exist, every ID known, subscription and region pinned. */
  'existing-vault': {
    flags: [
      '--app', 'billing', '--namespace', 'billing', '--resource-group', 'rg-shared', '--cluster', 'aks-shared',
      '--vault', 'corp-billing-kv', '--existing-vault', '--identity', 'billing-wi',
      '--tenant-id', IDS.tenant, '--client-id', IDS.client, '--subscription', IDS.subscription, '--location', 'westeurope',
      '--secret', 'stripe-api-key', '--secret', 'db-password:secret:db/password',
    ],
    placeholders: false,
  },
  /** A sovereign cloud, no rotation, a non-default mount path and a pinned image. */
  'usgov-no-rotation': {
    flags: [
      '--app', 'ledger', '--namespace', 'gov', '--resource-group', 'rg-gov', '--cluster', 'aks-gov',
      '--cloud', 'AzureUSGovernmentCloud', '--no-rotation', '--mount-path', '/var/run/secrets/app',
      '--image', 'ghcr.io/acme/ledger@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '--secret', 'ledger-db', '--secret', 'ledger-tls:cert',
    ],
    placeholders: true,
  },
  /** The SDK path: the app reads Key Vault itself; a secret, a key and a certificate. */
  sdk: {
    flags: [
      '--app', 'orders', '--namespace', 'shop', '--resource-group', 'rg-shop', '--cluster', 'aks-shop', '--app-kind', 'sdk',
      '--image', 'shop.azurecr.io/orders:1.4.2',
      '--secret', 'db-password', '--secret', 'signing-key:key', '--secret', 'orders-tls:cert',
    ],
    placeholders: true,
  },
  /** A vault reached only through a private endpoint in the cluster's VNet. */
  'private-vault': {
    flags: [
      '--app', 'ledger', '--namespace', 'finance', '--resource-group', 'rg-fin', '--cluster', 'aks-fin',
      '--vault-network', 'private',
      '--private-endpoint-subnet', `/subscriptions/${IDS.subscription}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-fin/subnets/private-endpoints`,
      '--secret', 'ledger-db',
    ],
    placeholders: true,
  },
  /** An app on the SDK path whose vault's firewall lets in only the cluster's egress IP. */
  'firewall-vault': {
    flags: [
      '--app', 'billing', '--namespace', 'billing', '--resource-group', 'rg-bill', '--cluster', 'aks-bill', '--app-kind', 'sdk',
      '--vault-network', 'firewall', '--egress-ip', '20.50.10.7',
      '--secret', 'stripe-key',
    ],
    placeholders: true,
  },
  /** HTTPS through AKS application routing: the add-on reads the certificate itself (CSI app). */
  'ingress-app-routing': {
    flags: [...GUIDE_FLAGS, '--ingress', 'app-routing', '--host', 'myapp.contoso.com', '--tls-cert', 'myapp-tls'],
    placeholders: true,
  },
  /** Another ingress controller: the CSI driver syncs the certificate into a kubernetes.io/tls Secret. */
  'ingress-nginx-csi': {
    flags: [
      '--app', 'shop', '--namespace', 'web', '--resource-group', 'rg-web', '--cluster', 'aks-web',
      '--secret', 'db-password', '--ingress', 'nginx', '--host', 'shop.example.com', '--tls-cert', 'shop-tls', '--port', '3000',
    ],
    placeholders: true,
  },
  /** Another ingress controller for a legacy app: ESO's TLS ExternalSecret makes the Secret. */
  'ingress-nginx-eso': {
    flags: [
      '--app', 'legacy', '--namespace', 'web', '--resource-group', 'rg-web', '--cluster', 'aks-web', '--app-kind', 'legacy',
      '--secret', 'db-password', '--ingress', 'nginx', '--ingress-class', 'traefik', '--host', 'legacy.example.com', '--tls-cert', 'legacy-tls',
    ],
    placeholders: true,
  },
  /** Application routing for an app on ESO: the CSI add-on is turned on for the add-on alone. */
  'ingress-app-routing-eso': {
    flags: [
      '--app', 'portal', '--namespace', 'web', '--resource-group', 'rg-web', '--cluster', 'aks-web', '--app-kind', 'legacy', '--legacy-reads', 'secret-object',
      '--secret', 'api-key', '--ingress', 'app-routing', '--host', 'portal.example.com', '--tls-cert', 'portal-tls',
    ],
    placeholders: true,
  },
  /** Application routing for an app on the SDK path: the add-on alone reads the certificate, the app its secrets. */
  'ingress-app-routing-sdk': {
    flags: [
      '--app', 'orders', '--namespace', 'shop', '--resource-group', 'rg-shop', '--cluster', 'aks-shop', '--app-kind', 'sdk',
      '--image', 'registry.corp.example/orders:3', '--secret', 'db-password',
      '--ingress', 'app-routing', '--host', 'orders.example.com', '--tls-cert', 'orders-tls', '--port', '5000',
    ],
    placeholders: true,
  },
};

export interface TreeFile {
  content: Buffer;
  mode: number;
}

/** Every regular file under `dir` (dotfiles too), by path relative to it with forward slashes. */
export function readTree(dir: string): Map<string, TreeFile> {
  const files = new Map<string, TreeFile>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else {
        const full = join(dir, path);
        files.set(path, { content: readFileSync(full), mode: statSync(full).mode & 0o777 });
      }
    }
  };
  walk('');
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The mode each generated file must have: scripts executable, everything else plain. */
export function expectedMode(path: string): number {
  return path.endsWith('.sh') ? 0o755 : 0o644;
}
