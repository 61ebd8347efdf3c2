// The audit's part of npm run bench: `create-kv-secrets audit` against reading the same tree with the
// yaml library file by file (the issue's yardstick: at least 10x faster), on two generated trees of
// 10,000 files each, both of which the audit must read whole:
// - an infrastructure repository (the yardstick's tree): Kubernetes manifests most, Helm templates,
//   Terraform, Bicep, ARM JSON, scripts, Markdown, a few with the mistakes the audit finds;
// - an application repository: source code and tests most, docs, JSON settings, CI workflows, and its
//   deployment files beside them. Reported for what it shows, not held to 10x: reading the files is
//   most of both runs there, since neither parses source code (see the note at YAML_READER).
// Each run is a fresh node process, so each pays Node's start alike, and a third program that only
// reads the tree shows how much of each run reading alone is.
// The speed-up is printed two ways, each against the goal: whole runs, as the issue words it, and each
// run less Node's start (node -e 0, timed alongside), which is neither reading nor scanning: a fixed
// cost (about 110 ms on the 2-core machine, a third of the audit's whole run there) that pulls any
// ratio of two runs towards 1, so the ratio of whole runs tends to the second as a tree grows.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';

const FILES = 10_000;

const deployment = (i, withEnvSecret) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
  namespace: team-${i % 17}
  labels:
    app.kubernetes.io/name: svc-${i}
    app.kubernetes.io/part-of: shop
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: svc-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-${i}
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: svc-${i}
      containers:
        - name: app
          image: contoso.azurecr.io/svc-${i}:1.${i % 10}.0
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
${withEnvSecret ? `            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-${i}
                  key: password
` : ''}          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          volumeMounts:
            - name: secrets
              mountPath: /mnt/secrets-store
              readOnly: true
      volumes:
        - name: secrets
          csi:
            driver: secrets-store.csi.k8s.io
            readOnly: true
            volumeAttributes:
              secretProviderClass: svc-${i}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
spec:
  selector:
    app.kubernetes.io/name: svc-${i}
  ports:
    - port: 80
      targetPort: 8080
`;

const configMap = (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
  appsettings.json: |
    { "Logging": { "LogLevel": { "Default": "Information" } }, "Port": ${8000 + (i % 100)} }
`;

const secret = (i) => `apiVersion: v1
kind: Secret
metadata:
  name: db-${i}
type: Opaque
stringData:
  username: app
  password: "<set by the pipeline>"
`;

const helm = (i) => `apiVersion: v1
kind: Service
metadata:
  name: {{ include "chart.fullname" . }}-${i}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: http
  selector:
    {{- include "chart.selectorLabels" . | nindent 4 }}
`;

const terraform = (i) => `resource "azurerm_key_vault" "kv${i}" {
  name                       = "kv-${i}"
  location                   = var.location
  resource_group_name        = var.resource_group_name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
${i % 10 === 0 ? '' : '  purge_protection_enabled   = true\n'}}

resource "azurerm_role_assignment" "reader${i}" {
  scope                = azurerm_key_vault.kv${i}.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = var.principal_id
}
`;

const bicep = (i) => `param location string = resourceGroup().location

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${i}'
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
  }
}
`;

const arm = (i) => `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "st${i}",
      "location": "westeurope",
      "sku": { "name": "Standard_LRS" },
      "kind": "StorageV2"
    }
  ]
}
`;

const script = (i) => `#!/usr/bin/env bash
set -euo pipefail
az group create --name rg-${i} --location westeurope
az keyvault create --name kv-${i} --resource-group rg-${i} --enable-rbac-authorization true --enable-purge-protection true
kubectl apply -k k8s/
`;

const markdown = (i) => `# Service ${i}

Deploy with:

\`\`\`bash
kubectl apply -k k8s/
\`\`\`

Secrets come from Key Vault through the CSI driver; nothing to set here.
`;

const typescript = (i) => `import { readFileSync } from 'node:fs';
import express from 'express';
import { logger } from '../log/logger.js';
import { OrderRepository } from './order-repository-${i % 40}.js';

/** The settings this service reads: files the Secrets Store CSI driver mounts, never env vars. */
const SECRETS_DIR = '/mnt/secrets-store';
const readSecret = (name: string): string => readFileSync(\`\${SECRETS_DIR}/\${name}\`, 'utf8').trim();
${i % 100 === 0 ? `const LEGACY = 'Server=tcp:orders-${i}.database.windows.net;Database=orders;User ID=app;Password=Orders-${i}-Pa55;';\n` : ''}
export interface Order${i} {
  id: string;
  customer: string;
  lines: { sku: string; quantity: number; price: number }[];
  createdAt: Date;
}

export function ordersRouter${i}(repository: OrderRepository): express.Router {
  const router = express.Router();
  router.get('/orders/:id', async (req, res) => {
    const order = await repository.find(req.params.id);
    if (!order) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.json(order);
  });
  router.post('/orders', async (req, res) => {
    const total = (req.body.lines ?? []).reduce((sum: number, l: { quantity: number; price: number }) => sum + l.quantity * l.price, 0);
    logger.info({ customer: req.body.customer, total }, 'order received');
    const id = await repository.insert({ ...req.body, createdAt: new Date() });
    res.status(201).json({ id });
  });
  return router;
}

export function connect${i}(): { host: string; password: string } {
  return { host: readSecret('db-host'), password: readSecret('db-password') };
}
`;

const python = (i) => `"""Billing worker ${i}: reads invoices from the queue and writes them to storage."""
import json
import logging
from pathlib import Path

from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient

log = logging.getLogger(__name__)
SECRETS = Path("/mnt/secrets-store")


def storage_client(account: str) -> BlobServiceClient:
    # Workload identity: no key, no connection string.
    return BlobServiceClient(f"https://{account}.blob.core.windows.net", credential=DefaultAzureCredential())


def handle(message: str, client: BlobServiceClient) -> None:
    invoice = json.loads(message)
    name = f"invoices/{invoice['customer']}/{invoice['id']}.json"
    client.get_blob_client("billing", name).upload_blob(message, overwrite=True)
    log.info("stored %s (%d lines)", name, len(invoice.get("lines", [])))


def api_key() -> str:
    return (SECRETS / "billing-api-key").read_text().strip()
`;

const unitTest = (i) => `import { describe, expect, test } from 'vitest';
import { ordersRouter${i} } from '../src/orders-${i}.js';

describe('orders ${i}', () => {
  test('a missing order is a 404', async () => {
    const repository = { find: async () => undefined, insert: async () => 'id-1' };
    const router = ordersRouter${i}(repository as never);
    expect(router).toBeDefined();
  });

  test('totals add up', () => {
    const lines = [{ sku: 'a', quantity: 2, price: 3 }, { sku: 'b', quantity: 1, price: 4 }];
    expect(lines.reduce((s, l) => s + l.quantity * l.price, 0)).toBe(10);
  });
});
`;

const packageJson = (i) => `{
  "name": "@contoso/service-${i}",
  "version": "1.${i % 10}.0",
  "private": true,
  "type": "module",
  "scripts": { "build": "tsc -p .", "test": "vitest run", "start": "node dist/server.js" },
  "dependencies": { "express": "^4.19.2", "pino": "^9.0.0", "@azure/identity": "^4.2.0" },
  "devDependencies": { "typescript": "^5.4.0", "vitest": "^1.6.0" }
}
`;

const appSettings = (i) => `{
  "Logging": { "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning" } },
  "AllowedHosts": "*",
  "KeyVault": { "Uri": "https://kv-${i}.vault.azure.net/" },
  "Features": { "NewCheckout": ${i % 2 === 0}, "BatchSize": ${10 + (i % 50)} }
}
`;

const workflow = (i) => `name: deploy-${i}
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: azure/login@v2
        with:
          client-id: \${{ vars.AZURE_CLIENT_ID }}
          tenant-id: \${{ vars.AZURE_TENANT_ID }}
          subscription-id: \${{ vars.AZURE_SUBSCRIPTION_ID }}
      - run: az aks get-credentials --resource-group rg-${i} --name aks-${i}
      - run: kubectl apply -k k8s/
`;

const dockerfile = (i) => `FROM node:20-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-alpine
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY --from=build /app/node_modules ./node_modules
USER node
EXPOSE ${8000 + (i % 100)}
CMD ["node", "dist/server.js"]
`;

/** Each kind of file: its folder, its name and its maker. */
const KINDS = {
  deployment: ['k8s', 'deployment.yaml', (i) => deployment(i, i % 20 === 0)],
  configMap: ['k8s', 'configmap.yaml', configMap],
  secret: ['k8s', 'secret.yaml', secret],
  helm: ['chart/templates', 'service.yaml', helm],
  terraform: ['infra', 'main.tf', terraform],
  bicep: ['infra', 'main.bicep', bicep],
  arm: ['infra', 'azuredeploy.json', arm],
  script: ['scripts', 'deploy.sh', script],
  markdown: ['docs', 'README.md', markdown],
  typescript: ['src', 'orders.ts', typescript],
  python: ['worker', 'billing.py', python],
  unitTest: ['test', 'orders.test.ts', unitTest],
  packageJson: ['', 'package.json', packageJson],
  appSettings: ['config', 'appsettings.json', appSettings],
  workflow: ['.github/workflows', 'deploy.yaml', workflow],
  dockerfile: ['', 'Dockerfile', dockerfile],
};

/** Each tree: the share of each kind, out of 100 files. */
export const TREES = {
  // An infrastructure repository.
  infrastructure: { deployment: 40, configMap: 15, secret: 3, helm: 12, terraform: 10, bicep: 5, arm: 5, script: 5, markdown: 5 },
  // An application repository: its code, tests, docs and settings, with its deployment files.
  application: {
    typescript: 30, python: 10, unitTest: 15, markdown: 8, packageJson: 4, appSettings: 4, workflow: 2, dockerfile: 2,
    deployment: 12, configMap: 4, secret: 1, helm: 4, terraform: 2, bicep: 1, script: 1,
  },
};

/** Writes a tree of the shares; returns the paths of its files, relative to root. */
export function writeAuditTree(root, shares) {
  // Out of every 100 files, each kind has its share.
  const slots = Object.entries(shares).flatMap(([kind, share]) => Array(share).fill(KINDS[kind]));
  if (slots.length !== 100) throw new Error(`the shares of a tree add up to ${slots.length}, not 100`);
  const paths = [];
  for (let written = 0; written < FILES; written++) {
    const [folder, name, make] = slots[written % slots.length];
    const dir = join(root, `team-${written % 50}`, folder);
    mkdirSync(dir, { recursive: true });
    // A file known by its whole name (Dockerfile) gets a folder of its own instead of a prefix.
    const file = name.includes('.') ? join(dir, `${written}-${name}`) : join(dir, String(written), name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, make(written));
    paths.push(relative(root, file));
  }
  return paths;
}

// The yardstick: every file read as the audit reads it (the same tree; it has no folder or binary
// file the audit skips unread), YAML and JSON parsed with the yaml library (parseAllDocuments: the
// manifests hold several documents; JSON is YAML). Terraform, Bicep, scripts, Markdown and source code
// are read and not parsed, as the yaml library cannot: the audit does read and scan them, so this
// spares the yardstick work the audit does, which makes the comparison harder for the audit, not easier.
const YAML_READER = `
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parseAllDocuments } = require(process.argv[2]);
let files = 0;
const walk = (dir) => { for (const e of readdirSync(dir, { withFileTypes: true })) {
  const p = join(dir, e.name);
  if (e.isDirectory()) walk(p);
  else { const text = readFileSync(p, 'utf8'); files++; if (/\\.(ya?ml|json)$/.test(p)) parseAllDocuments(text); }
} };
walk(process.argv[1]);
`;

// Reading alone: the same walk and reads without a parse, the part of both runs no scanner can skip.
const READER = YAML_READER.replace(/const \{ parseAllDocuments \}.*\n/, '').replace(/ if \(.*parseAllDocuments\(text\);/, '');

/**
 * Times one run of node with args: wall time and CPU time (user + system, which bash's `time` reports
 * for a child), so that a busy machine, which stretches the wall time of both alike, shows too.
 */
function timed(args, cwd, exitCodes = [0]) {
  const script = 'TIMEFORMAT="%R %U %S"; time { "$@" >/dev/null; echo "exit $?" >&2; }';
  const result = spawnSync('bash', ['-c', script, 'bench', process.execPath, ...args], { cwd, encoding: 'utf8' });
  const [exit, times] = result.stderr.trim().split('\n').slice(-2);
  const [wall, user, system] = (times ?? '').split(' ').map(Number);
  if (!exitCodes.includes(Number(exit?.replace('exit ', ''))) || !Number.isFinite(wall)) {
    throw new Error(`node ${args.join(' ')} in ${cwd} failed: ${result.stderr}`);
  }
  return { wall: wall * 1000, cpu: (user + system) * 1000 };
}

/**
 * Writes the tree of each kind list and times, alternating, the audit, the yaml library's reading and
 * reading alone on it; returns every run in ms, per tree.
 */
export function benchAudit(root, bin, runs) {
  const yamlModule = createRequire(import.meta.url).resolve('yaml');
  return Object.entries(TREES).map(([name, shares]) => {
    const tree = join(root, `audit-tree-${name}`);
    const paths = writeAuditTree(tree, shares);
    const files = paths.length;
    const audit = [];
    const yaml = [];
    const read = [];
    const node = [];
    const named = [];
    // The audit exits 1 when it finds something, as it does on these trees.
    const auditRun = () => timed([bin, 'audit', '.', '--format', 'json'], tree, [0, 1]);
    // Warms the file cache, and checks that the audit works: a run that failed is no measurement (a
    // missing build once timed Node's error for a missing module, which exits 1 too).
    const report = spawnSync(process.execPath, [bin, 'audit', '.', '--format', 'json'], { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 30 });
    let scanned;
    try {
      scanned = JSON.parse(report.stdout).files;
    } catch {
      scanned = undefined;
    }
    if (scanned !== files) throw new Error(`the audit of ${tree} reported ${scanned} files, not ${files}: ${report.stderr}`);
    for (let i = 0; i < runs; i++) {
      audit.push(auditRun());
      yaml.push(timed(['-e', YAML_READER, tree, yamlModule], tree));
      read.push(timed(['-e', READER, tree], tree));
      node.push(timed(['-e', '0'], tree));
      // As pre-commit runs it: every file named on the command line (in one batch here).
      named.push(timed([bin, 'audit', '--format', 'json', ...paths], tree, [0, 1]));
    }
    return { name, files, audit, yaml, read, node, named };
  });
}

/** Prints the medians of benchAudit's runs: files per second, and the speed-up over the yaml library. */
export function printAudit(audited, runs, median) {
  const of = (xs, key) => median(xs.map((r) => r[key]));
  console.log(`audit:                 ${runs} runs of each, alternating, a fresh process each; medians; load ${loadavg()[0].toFixed(1)} (1 min) on ${cpus().length} cores`);
  for (const tree of audited) {
    const perSecond = (ms) => Math.round(tree.files / (ms / 1000));
    const [auditWall, auditCpu, yamlWall, yamlCpu, readWall, readCpu, nodeWall, nodeCpu, namedWall, namedCpu] = ['audit', 'yaml', 'read', 'node', 'named'].flatMap((run) => [of(tree[run], 'wall'), of(tree[run], 'cpu')]);
    // The issue holds the infrastructure tree to 10x, in both measures; a miss is said plainly.
    const goal = (wall, cpu) => (tree.name !== 'infrastructure' ? '' : Math.min(wall, cpu) >= 10 ? '  goal 10x: met' : '  goal 10x: NOT MET');
    const [wholeWall, wholeCpu] = [yamlWall / auditWall, yamlCpu / auditCpu];
    const [lessWall, lessCpu] = [(yamlWall - nodeWall) / (auditWall - nodeWall), (yamlCpu - nodeCpu) / (auditCpu - nodeCpu)];
    console.log(`  ${tree.name} tree, ${tree.files} files:`);
    console.log(`    audit:               ${auditWall.toFixed(0)} ms wall, ${auditCpu.toFixed(0)} ms CPU: ${perSecond(auditWall)} files/s, ${perSecond(auditWall - nodeWall)} beyond Node's start`);
    console.log(`    audit, files named:  ${namedWall.toFixed(0)} ms wall, ${namedCpu.toFixed(0)} ms CPU: ${perSecond(namedWall)} files/s  (each file an argument, as pre-commit passes them)`);
    console.log(`    yaml, file by file:  ${yamlWall.toFixed(0)} ms wall, ${yamlCpu.toFixed(0)} ms CPU  (parseAllDocuments of each YAML and JSON file)`);
    console.log(`    reading alone:       ${readWall.toFixed(0)} ms wall, ${readCpu.toFixed(0)} ms CPU  (the part of both no scanner skips)`);
    console.log(`    node -e 0:           ${nodeWall.toFixed(0)} ms wall, ${nodeCpu.toFixed(0)} ms CPU  (Node's start, which each run above pays)`);
    const x = (r) => `${r.toFixed(1)}x`;
    console.log(`    audit speed-up:      ${x(wholeWall)} wall, ${x(wholeCpu)} CPU, whole runs${goal(wholeWall, wholeCpu)}${tree.name === 'infrastructure' ? '' : '  (no goal: reading is most of both)'}`);
    console.log(`                         ${x(lessWall)} wall, ${x(lessCpu)} CPU, each less Node's start${goal(lessWall, lessCpu)}`);
    // No ratio of these: the audit's is a small difference of two noisy medians.
    console.log(`    CPU beyond reading:  audit ${(auditCpu - readCpu).toFixed(0)} ms, yaml ${(yamlCpu - readCpu).toFixed(0)} ms`);
  }
}
