/**
 * Checks of generated YAML files, each as what reads it would: Deployment and ServiceAccount against
 * the Kubernetes schema (kubernetes-models) plus the rules of the CSI driver and Workload Identity,
 * Kustomization and the pre-commit config by shape, SecretProviderClass by spc-rules, and
 * kv-secrets.yaml by the generator's own loader (it must read back what it wrote).
 */
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ServiceAccount } from 'kubernetes-models/v1';
import { buildSpec } from '../../src/spec/index.js';
import { parseConfig } from '../../src/spec/config-read.js';
import { ClusterSecretStore, ExternalSecret, SecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { ID_PLACEHOLDERS, checkSecretProviderClass } from './spc-rules.js';
import { checkIngress, checkService, crossCheckIngress } from './ingress-rules.js';
import { checkExternalSecret, checkSecretStore } from './eso-rules.js';

export interface ManifestOptions {
  /** Client and tenant IDs may still be the placeholders azure/setup.sh fills in. Default false. */
  placeholdersAllowed?: boolean;
}

/** One parsed document of a checked file. */
export interface ParsedDocument {
  path: string;
  index: number;
  object: Record<string, unknown>;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const CSI_DRIVER = 'secrets-store.csi.k8s.io';
const WI_USE_LABEL = 'azure.workload.identity/use';
const WI_CLIENT_ID = 'azure.workload.identity/client-id';
const WI_TENANT_ID = 'azure.workload.identity/tenant-id';

/** Fields of a Kustomization (kustomize.config.k8s.io/v1beta1) a generator may plausibly write. */
const KUSTOMIZATION_KEYS = [
  'apiVersion', 'kind', 'metadata', 'resources', 'components', 'namespace', 'namePrefix', 'nameSuffix',
  'labels', 'commonLabels', 'commonAnnotations', 'images', 'replicas', 'patches', 'configMapGenerator',
  'secretGenerator', 'generatorOptions', 'buildMetadata', 'crds', 'openapi', 'sortOptions', 'transformers', 'validators',
  'generators', 'helmCharts', 'replacements',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function schemaProblems(validate: () => void): string[] {
  try {
    validate();
    return [];
  } catch (error) {
    return [`schema: ${error instanceof Error ? error.message : String(error)}`];
  }
}

function idProblem(where: string, value: unknown, placeholder: string, options: ManifestOptions): string | null {
  if (typeof value === 'string' && UUID.test(value)) return null;
  if (value === placeholder && options.placeholdersAllowed) return null;
  return `${where} ${JSON.stringify(value)}: must be a UUID${options.placeholdersAllowed ? ` or ${JSON.stringify(placeholder)}` : ''}`;
}

function checkMetadata(obj: Record<string, unknown>): string[] {
  const metadata = record(obj['metadata']);
  const problems: string[] = [];
  if (typeof metadata['name'] !== 'string' || metadata['name'] === '') problems.push('metadata.name: is required');
  if (typeof metadata['namespace'] !== 'string' || metadata['namespace'] === '') {
    problems.push('metadata.namespace: is required (apply -k must not depend on the current context)');
  }
  return problems;
}

/** Rules the API server, the CSI driver and the Workload Identity webhook apply beyond the schema. */
function deploymentRules(obj: Record<string, unknown>): string[] {
  const problems = checkMetadata(obj);
  const spec = record(obj['spec']);
  const template = record(spec['template']);
  const labels = record(record(template['metadata'])['labels']);
  const matchLabels = record(record(spec['selector'])['matchLabels']);
  if (Object.keys(matchLabels).length === 0) problems.push('spec.selector.matchLabels: is empty');
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) problems.push(`spec.selector.matchLabels.${key}: does not match the template's labels (the API server rejects this)`);
  }
  const pod = record(template['spec']);
  const volumes = list(pod['volumes']).map(record);
  const containers = [...list(pod['initContainers']), ...list(pod['containers'])].map(record);
  const names = (items: Record<string, unknown>[]) => items.map((i) => i['name']);
  const duplicates = (values: unknown[]) => values.filter((v, i) => values.indexOf(v) !== i);
  for (const name of duplicates(names(volumes))) problems.push(`volume ${String(name)}: defined twice`);
  for (const name of duplicates(names(containers))) problems.push(`container ${String(name)}: defined twice`);

  for (const container of list(pod['containers']).map(record)) {
    const resources = record(container['resources']);
    for (const bound of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (record(resources[bound])[resource] === undefined) problems.push(`container ${String(container['name'])}: resources.${bound}.${resource} is missing (policy-enforcing clusters reject it)`);
      }
    }
  }
  const csiVolumes = volumes.filter((v) => record(v['csi'])['driver'] === CSI_DRIVER);
  for (const volume of csiVolumes) {
    const csi = record(volume['csi']);
    const where = `volume ${String(volume['name'])}`;
    if (csi['readOnly'] !== true) problems.push(`${where}: csi.readOnly must be true (driver: "Readonly is not true in request")`);
    const spc = record(csi['volumeAttributes'])['secretProviderClass'];
    if (typeof spc !== 'string' || spc === '') problems.push(`${where}: csi.volumeAttributes.secretProviderClass is not set`);
  }
  const csiNames = csiVolumes.map((v) => v['name']);
  for (const container of containers) {
    for (const mount of list(container['volumeMounts']).map(record)) {
      const where = `container ${String(container['name'])} mount ${String(mount['name'])}`;
      if (!names(volumes).includes(mount['name'])) problems.push(`${where}: names no volume of the pod`);
      if (!csiNames.includes(mount['name'])) continue;
      if (mount['readOnly'] !== true) problems.push(`${where}: a secrets-store mount must be readOnly: true`);
      if (mount['subPath'] !== undefined || mount['subPathExpr'] !== undefined) problems.push(`${where}: subPath mounts never receive rotated content`);
    }
  }
  if (csiVolumes.length > 0) {
    const account = pod['serviceAccountName'];
    if (typeof account !== 'string' || account === '' || account === 'default') {
      problems.push('spec.template.spec.serviceAccountName: must name the federated service account (the default one matches no federated credential)');
    }
  }
  const use = labels[WI_USE_LABEL];
  if (use !== undefined && use !== 'true') problems.push(`pod label ${WI_USE_LABEL} ${JSON.stringify(use)}: must be the string "true"`);
  if (record(record(obj['metadata'])['labels'])[WI_USE_LABEL] !== undefined && use === undefined) {
    problems.push(`label ${WI_USE_LABEL}: belongs on the pod template, not the Deployment`);
  }
  return problems;
}

function serviceAccountRules(obj: Record<string, unknown>, options: ManifestOptions): string[] {
  const problems = checkMetadata(obj);
  const metadata = record(obj['metadata']);
  const annotations = record(metadata['annotations']);
  if (record(metadata['labels'])[WI_USE_LABEL] !== undefined) problems.push(`label ${WI_USE_LABEL}: belongs on the pod, not the service account`);
  const client = annotations[WI_CLIENT_ID];
  if (client === undefined) problems.push(`annotation ${WI_CLIENT_ID}: is missing`);
  else {
    const problem = idProblem(`annotation ${WI_CLIENT_ID}`, client, ID_PLACEHOLDERS.clientId, options);
    if (problem) problems.push(problem);
  }
  const tenant = annotations[WI_TENANT_ID];
  if (tenant !== undefined) {
    const problem = idProblem(`annotation ${WI_TENANT_ID}`, tenant, ID_PLACEHOLDERS.tenantId, options);
    if (problem) problems.push(problem);
  }
  return problems;
}

function kustomizationRules(obj: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(obj)) if (!KUSTOMIZATION_KEYS.includes(key)) problems.push(`${key}: is not a Kustomization field`);
  if ('secretGenerator' in obj) problems.push('secretGenerator: would put secret values in git');
  const resources = obj['resources'];
  if (!Array.isArray(resources) || resources.length === 0) {
    problems.push('resources: must be a non-empty list');
    return problems;
  }
  resources.forEach((resource, i) => {
    if (typeof resource !== 'string' || resource.trim() === '') problems.push(`resources[${i}] ${JSON.stringify(resource)}: must be a path`);
    else if (resource.startsWith('/') || resource.split('/').includes('..')) problems.push(`resources[${i}] ${JSON.stringify(resource)}: must stay inside the folder`);
    else if (resources.indexOf(resource) !== i) problems.push(`resources[${i}] ${JSON.stringify(resource)}: listed twice (kustomize: may not add resource twice)`);
  });
  return problems;
}

function preCommitRules(obj: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const repos = obj['repos'];
  if (!Array.isArray(repos) || repos.length === 0) return ['repos: must be a non-empty list'];
  repos.forEach((repo, i) => {
    const entry = record(repo);
    if (typeof entry['repo'] !== 'string') problems.push(`repos[${i}].repo: is required`);
    const remote = typeof entry['repo'] === 'string' && !['local', 'meta'].includes(entry['repo']);
    if (remote && (typeof entry['rev'] !== 'string' || entry['rev'] === '')) problems.push(`repos[${i}].rev: a remote repo needs a pinned rev (a string)`);
    const hooks = entry['hooks'];
    if (!Array.isArray(hooks) || hooks.length === 0) problems.push(`repos[${i}].hooks: must be a non-empty list`);
    else hooks.forEach((hook, j) => {
      if (typeof record(hook)['id'] !== 'string') problems.push(`repos[${i}].hooks[${j}].id: is required`);
      const args = record(hook)['args'];
      if (args !== undefined && (!Array.isArray(args) || args.some((a) => typeof a !== 'string'))) problems.push(`repos[${i}].hooks[${j}].args: must be a list of strings`);
    });
  });
  return problems;
}

function configRules(path: string, text: string): string[] {
  const loaded = parseConfig(text, path);
  const fmt = (p: { field: string; value: string; rule: string }) => `${p.field} ${JSON.stringify(p.value)}: ${p.rule}`;
  if (loaded.problems.length > 0) return loaded.problems.map(fmt);
  const built = buildSpec(loaded.input, loaded.describe);
  return built.ok ? [] : built.problems.map(fmt);
}

/** Parses every document of a YAML file; YAML errors and warnings are problems too. */
export function parseDocuments(path: string, yamlText: string): { documents: ParsedDocument[]; problems: string[] } {
  const problems: string[] = [];
  const documents: ParsedDocument[] = [];
  parseAllDocuments(yamlText, { uniqueKeys: true }).forEach((doc, index) => {
    for (const error of [...doc.errors, ...doc.warnings]) problems.push(`${path}#${index}: ${error.message.split('\n')[0]}`);
    if (doc.errors.length > 0) return;
    const object: unknown = doc.toJS();
    if (object === null || object === undefined) return;
    if (!isRecord(object)) problems.push(`${path}#${index}: a document must be a mapping`);
    else documents.push({ path, index, object });
  });
  if (documents.length === 0 && problems.length === 0) problems.push(`${path}: holds no document`);
  return { documents, problems };
}

/**
 * Every problem of one YAML file, each prefixed `<path>#<document> <kind>:`. An empty list means
 * every document is something we know and it passed its checks.
 */
export function validateManifest(path: string, yamlText: string, options: ManifestOptions = {}): string[] {
  const { documents, problems } = parseDocuments(path, yamlText);
  for (const { index, object } of documents) {
    const apiVersion = object['apiVersion'];
    const kind = object['kind'];
    const where = `${path}#${index} ${typeof kind === 'string' ? kind : '(no kind)'}:`;
    let found: string[];
    if (apiVersion === 'apps/v1' && kind === 'Deployment') {
      found = [...schemaProblems(() => new Deployment(object as never).validate()), ...deploymentRules(object)];
    } else if (apiVersion === 'v1' && kind === 'ServiceAccount') {
      found = [...schemaProblems(() => new ServiceAccount(object as never).validate()), ...serviceAccountRules(object, options)];
    } else if (kind === 'Kustomization') {
      found = apiVersion === 'kustomize.config.k8s.io/v1beta1' ? kustomizationRules(object) : [`apiVersion ${JSON.stringify(apiVersion)}: must be kustomize.config.k8s.io/v1beta1`];
    } else if (apiVersion === 'networking.k8s.io/v1' && kind === 'Ingress') {
      found = checkIngress(object);
    } else if (apiVersion === 'v1' && kind === 'Service') {
      found = checkService(object);
    } else if (kind === 'SecretStore' || kind === 'ClusterSecretStore') {
      const Model = kind === 'SecretStore' ? SecretStore : ClusterSecretStore;
      found = [...schemaProblems(() => new Model(object as never).validate()), ...checkSecretStore(object)];
    } else if (kind === 'ExternalSecret') {
      // Its provider rules need the store: crossCheckK8s applies them.
      found = schemaProblems(() => new ExternalSecret(object as never).validate());
    } else if (kind === 'SecretProviderClass') {
      found = checkSecretProviderClass(object, { placeholdersAllowed: options.placeholdersAllowed ?? false });
    } else if (apiVersion === 'create-kv-secrets/v1') {
      found = configRules(path, yamlText);
      if (!options.placeholdersAllowed) {
        for (const placeholder of Object.values(ID_PLACEHOLDERS)) {
          if (yamlText.includes(placeholder)) found.push(`${JSON.stringify(placeholder)}: is still a placeholder`);
        }
      }
    } else if (apiVersion === undefined && kind === undefined && 'repos' in object) {
      found = preCommitRules(object);
    } else {
      found = [`apiVersion ${JSON.stringify(apiVersion)} kind ${JSON.stringify(kind)}: is not a kind these checks know`];
    }
    problems.push(...found.map((p) => `${where} ${p}`));
  }
  return problems;
}

/**
 * What only the folder as a whole can show: the kustomization lists exactly the manifests; the pods
 * run as the federated service account; the SecretProviderClass they mount exists in their
 * namespace; every object shares one namespace; the SA annotations and the class name the same IDs.
 * `files` maps paths (k8s/...) to their text.
 */
export function crossCheckK8s(files: Map<string, string>): string[] {
  const problems: string[] = [];
  const manifests = [...files.keys()].filter((p) => p.startsWith('k8s/') && p.endsWith('.yaml'));
  const kustomizationPath = 'k8s/kustomization.yaml';
  const docs = manifests.flatMap((p) => parseDocuments(p, files.get(p)!).documents);
  const byKind = (kind: string) => docs.filter((d) => d.object['kind'] === kind).map((d) => d.object);

  const kustomization = byKind('Kustomization')[0];
  if (!kustomization) problems.push(`${kustomizationPath}: missing`);
  else {
    const listed = list(kustomization['resources']).map((r) => `k8s/${String(r)}`);
    for (const path of listed) if (!files.has(path)) problems.push(`${kustomizationPath}: lists ${path}, which is not generated`);
    for (const path of manifests) if (path !== kustomizationPath && !listed.includes(path)) problems.push(`${kustomizationPath}: does not list ${path}`);
  }

  const namespaced = docs.filter((d) => d.object['kind'] !== 'Kustomization');
  const namespaces = new Set(namespaced.map((d) => record(d.object['metadata'])['namespace']));
  if (namespaces.size > 1) problems.push(`manifests: span namespaces ${[...namespaces].map(String).join(', ')}`);

  problems.push(...crossCheckIngress(docs.map((d) => d.object)));
  const store = [...byKind('SecretStore'), ...byKind('ClusterSecretStore')][0];
  for (const es of byKind('ExternalSecret')) if (store) problems.push(...checkExternalSecret(es, store).map((p) => `ExternalSecret ${String(record(es['metadata'])['name'])}: ${p}`));

  const accounts = byKind('ServiceAccount');
  const classes = byKind('SecretProviderClass');
  const nameOf = (o: Record<string, unknown>) => record(o['metadata'])['name'];
  for (const deployment of byKind('Deployment')) {
    const pod = record(record(record(deployment['spec'])['template'])['spec']);
    const account = pod['serviceAccountName'];
    if (!accounts.some((a) => nameOf(a) === account)) problems.push(`Deployment ${String(nameOf(deployment))}: runs as ${String(account)}, which the folder does not define`);
    for (const volume of list(pod['volumes']).map(record)) {
      const spc = record(record(volume['csi'])['volumeAttributes'])['secretProviderClass'];
      if (spc !== undefined && !classes.some((c) => nameOf(c) === spc)) problems.push(`Deployment ${String(nameOf(deployment))}: mounts SecretProviderClass ${String(spc)}, which the folder does not define`);
    }
  }
  for (const spc of classes) {
    const parameters = record(record(spc['spec'])['parameters']);
    for (const account of accounts) {
      const annotations = record(record(account['metadata'])['annotations']);
      if (annotations[WI_CLIENT_ID] !== undefined && annotations[WI_CLIENT_ID] !== parameters['clientID']) {
        problems.push(`ServiceAccount ${String(nameOf(account))}: client-id ${JSON.stringify(annotations[WI_CLIENT_ID])} differs from the SecretProviderClass clientID ${JSON.stringify(parameters['clientID'])}`);
      }
      const tenant = parameters['tenantID'] ?? parameters['tenantId'];
      if (annotations[WI_TENANT_ID] !== undefined && annotations[WI_TENANT_ID] !== tenant) {
        problems.push(`ServiceAccount ${String(nameOf(account))}: tenant-id ${JSON.stringify(annotations[WI_TENANT_ID])} differs from the SecretProviderClass tenant ${JSON.stringify(tenant)}`);
      }
    }
  }
  return problems;
}
