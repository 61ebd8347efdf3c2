// The audit's part of npm run bench: a generated tree of 10,000 files shaped like an infrastructure
// repository (Kubernetes manifests most, Helm templates, Terraform, Bicep, ARM JSON, scripts, Markdown;
// a few with the mistakes the audit finds), scanned by `create-kv-secrets audit`, against reading the
// same tree with the yaml library file by file (parseAllDocuments of every YAML and JSON file, the
// other files read). Both run as a fresh node process, so each pays Node's start alike.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

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

/** Writes the tree; returns how many files it holds. */
export function writeAuditTree(root) {
  const kinds = [
    ['k8s', 'deployment.yaml', (i) => deployment(i, i % 20 === 0), 40],
    ['k8s', 'configmap.yaml', configMap, 15],
    ['k8s', 'secret.yaml', secret, 3],
    ['chart/templates', 'service.yaml', helm, 12],
    ['infra', 'main.tf', terraform, 10],
    ['infra', 'main.bicep', bicep, 5],
    ['infra', 'azuredeploy.json', arm, 5],
    ['scripts', 'deploy.sh', script, 5],
    ['docs', 'README.md', markdown, 5],
  ];
  // Out of every 100 files, each kind has its share (the shares add up to 100).
  const slots = kinds.flatMap((kind) => Array(kind[3]).fill(kind));
  let written = 0;
  for (; written < FILES; written++) {
    const [folder, name, make] = slots[written % slots.length];
    const dir = join(root, `team-${written % 50}`, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${written}-${name}`), make(written));
  }
  return written;
}

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

/**
 * Times one run of node with args: wall time and CPU time (user + system, which bash's `time` reports
 * for a child), so that a busy machine, which stretches the wall time of both alike, shows too.
 */
function timed(args, cwd) {
  const result = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; time "$@" >/dev/null', 'bench', process.execPath, ...args], { cwd, encoding: 'utf8' });
  const [wall, user, system] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (result.status !== 0 && !Number.isFinite(wall)) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return { wall: wall * 1000, cpu: (user + system) * 1000 };
}

/** Times the audit and the yaml-library reading of the same tree, alternating; returns every run in ms. */
export function benchAudit(root, bin, runs) {
  const tree = join(root, 'audit-tree');
  const files = writeAuditTree(tree);
  const yamlModule = createRequire(import.meta.url).resolve('yaml');
  const audit = [];
  const yaml = [];
  timed([bin, 'audit', '.', '--format', 'json'], tree); // warm the file cache and the compile cache
  for (let i = 0; i < runs; i++) {
    audit.push(timed([bin, 'audit', '.', '--format', 'json'], tree));
    yaml.push(timed(['-e', YAML_READER, tree, yamlModule], tree));
  }
  return { files, audit, yaml };
}
