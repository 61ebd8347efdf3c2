/**
 * Our own reading of what the Secrets Store CSI Driver (v1.6) and its Azure provider (v1.8) accept in
 * a SecretProviderClass, written from the fact sheet (reference/csi-driver-and-azure-cli.md, sections
 * 1-2), independently of the generator: a generated manifest must pass these rules, not merely parse.
 *
 * `checkSecretProviderClass` returns every problem it finds, each as `<where> <value>: <rule>`; an
 * empty list means the provider would accept the object (as far as a file can tell).
 */
import { parseDocument, isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';

export const SPC_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';

/**
 * What the generated files hold until azure/setup.sh knows the IDs. Spelled out here rather than
 * imported, so that a change of the generator's markers is noticed (spc-rules.test.ts compares them).
 */
export const ID_PLACEHOLDERS = {
  clientId: '<client-id: filled in by azure/setup.sh>',
  tenantId: '<tenant-id: filled in by azure/setup.sh>',
} as const;

export interface SpcCheckOptions {
  /** Accept exactly `ID_PLACEHOLDERS` for clientID / tenantID (a folder before azure/setup.sh ran). */
  placeholdersAllowed: boolean;
  /** metadata.namespace must be set (the driver looks the class up in the pod's namespace). Default true. */
  requireNamespace?: boolean;
  /** Only Workload Identity is acceptable (the guide's rule): pod identity and VM identity are problems. Default true. */
  workloadIdentityOnly?: boolean;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Go strconv.ParseBool. */
const GO_BOOLS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
/** go-autorest environment names the provider's cloudName takes (case-insensitive). */
const CLOUD_NAMES = ['AzurePublicCloud', 'AzureUSGovernmentCloud', 'AzureChinaCloud', 'AzureGermanCloud', 'AzureStackCloud'];
/** `az cloud` names: a common mix-up, since the two tools name the same clouds differently. */
const AZ_CLI_CLOUD_NAMES: Record<string, string> = {
  azurecloud: 'AzurePublicCloud',
  azureusgovernment: 'AzureUSGovernmentCloud',
};

/** spec.parameters keys the Azure provider reads (exact case). */
const PARAMETER_KEYS = [
  'keyvaultName',
  'tenantID',
  'tenantId',
  'clientID',
  'usePodIdentity',
  'useVMManagedIdentity',
  'userAssignedIdentityID',
  'useAzureTokenProxy',
  'cloudName',
  'cloudEnvFileName',
  'objects',
];
const IDENTITY_FLAGS = ['usePodIdentity', 'useVMManagedIdentity', 'useAzureTokenProxy'] as const;

/** Fields of one `objects.array[]` item (KeyVaultObject yaml tags, case-sensitive). */
const OBJECT_KEYS = [
  'objectName',
  'objectType',
  'objectAlias',
  'objectVersion',
  'objectVersionHistory',
  'objectFormat',
  'objectEncoding',
  'filePermission',
] as const;
const OBJECT_TYPES = ['secret', 'key', 'cert'];
const OBJECT_FORMATS = ['pem', 'pfx'];
const OBJECT_ENCODINGS = ['utf-8', 'base64', 'hex'];

const MAX_PATH = 4096;
const MAX_SEGMENT = 255;
const INT32_MAX = 2 ** 31 - 1;

/** One object of the `objects` parameter, as the provider reads it. */
export interface SpcObject {
  objectName: string;
  objectType: string;
  objectAlias?: string;
  objectVersion?: string;
  objectVersionHistory?: number;
  objectFormat?: string;
  objectEncoding?: string;
  filePermission?: string;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : value === undefined ? '(absent)' : JSON.stringify(value) ?? String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type Report = (where: string, value: unknown, rule: string) => void;

function collector(): { problems: string[]; report: Report } {
  const problems: string[] = [];
  return { problems, report: (where, value, rule) => problems.push(`${where} ${show(value)}: ${rule}`) };
}

/** The files one object becomes under the mount (objectVersionHistory > 1 makes a folder of versions). */
export function filesOf(object: SpcObject): string[] {
  const base = object.objectAlias ? object.objectAlias : object.objectName;
  const history = object.objectVersionHistory ?? 0;
  if (history <= 1) return [base];
  return Array.from({ length: history }, (_, i) => `${base}/${i}`);
}

/**
 * The provider's validateFileName plus the driver's atomic-writer path rules: relative, no "..",
 * each segment at most 255 characters, at most 4096 in all. Empty segments are refused too: the
 * provider would accept `a//b`, but no generator should write it.
 */
export function fileNameProblem(name: string): string | null {
  if (name.trim() === '') return 'file name must not be empty';
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name) || name.startsWith('\\')) return 'file name must be a relative path';
  if (name.includes('..')) return "file name must not contain '..'";
  if (name.length > MAX_PATH) return `path must be at most ${MAX_PATH} characters`;
  const segments = name.split('/');
  if (segments.some((s) => s.length > MAX_SEGMENT)) return `each path segment must be at most ${MAX_SEGMENT} characters`;
  if (segments.some((s) => s === '' || s === '.')) return 'path must not have empty or "." segments';
  return null;
}

/**
 * Parses the `objects` parameter exactly as the provider does: a YAML mapping whose `array` key (this
 * case) holds YAML strings, each a mapping of one object. Returns the objects it could read.
 */
export function parseObjectsParameter(text: string, report: Report, where = 'spec.parameters.objects'): SpcObject[] {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    report(where, text, `is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    return [];
  }
  const root: unknown = doc.toJS();
  if (!isRecord(root)) {
    report(where, text, 'must be a YAML mapping with the key "array"');
    return [];
  }
  for (const key of Object.keys(root)) {
    if (key !== 'array') {
      report(`${where}.${key}`, root[key], key.toLowerCase() === 'array' ? 'the key must be exactly "array" (the provider would mount nothing)' : 'is not read by the provider (only "array")');
    }
  }
  const array = root['array'];
  if (array === undefined) {
    report(where, text, 'has no "array" key: the provider would mount nothing and report no error');
    return [];
  }
  if (!Array.isArray(array)) {
    report(`${where}.array`, array, 'must be a list');
    return [];
  }
  if (array.length === 0) report(`${where}.array`, array, 'is empty: nothing would be mounted');

  // Items must be YAML *strings* (block scalars in practice), each holding one object's YAML.
  const arrayNode = isMap(doc.contents) ? (doc.contents.get('array', true) as Node | undefined) : undefined;
  const objects: SpcObject[] = [];
  array.forEach((item, index) => {
    const itemWhere = `${where}.array[${index}]`;
    const node = isSeq(arrayNode) ? arrayNode.items[index] : undefined;
    if (typeof item !== 'string' || (node !== undefined && !isScalar(node))) {
      report(itemWhere, item, 'must be a YAML string holding the object (e.g. a "- |" block), not a nested mapping');
      return;
    }
    const object = parseObjectItem(item, itemWhere, report);
    if (object) objects.push(object);
  });
  return objects;
}

function parseObjectItem(text: string, where: string, report: Report): SpcObject | undefined {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    report(where, text, `is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    return undefined;
  }
  const raw: unknown = doc.toJS();
  if (!isRecord(raw)) {
    report(where, text, 'must be a YAML mapping of objectName, objectType, ...');
    return undefined;
  }
  let broken = false;
  const fail: Report = (w, v, r) => {
    broken = true;
    report(w, v, r);
  };
  for (const key of Object.keys(raw)) {
    if (!(OBJECT_KEYS as readonly string[]).includes(key)) {
      const near = OBJECT_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      fail(`${where}.${key}`, raw[key], near ? `keys are case-sensitive: the provider reads "${near}" and ignores this` : `is not a field of a Key Vault object (known: ${OBJECT_KEYS.join(', ')})`);
    }
  }
  // Go's decoder turns null into "", and trims every string field.
  const text_ = (key: (typeof OBJECT_KEYS)[number]): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      fail(`${where}.${key}`, value, 'must be a string (quote it)');
      return undefined;
    }
    return value.trim();
  };
  const objectName = text_('objectName');
  const objectType = text_('objectType');
  const objectAlias = text_('objectAlias');
  const objectVersion = text_('objectVersion');
  const objectFormat = text_('objectFormat');
  const objectEncoding = text_('objectEncoding');
  const filePermission = raw['filePermission'];

  if (!objectName) fail(`${where}.objectName`, objectName, 'is required');
  else if (!/^[A-Za-z0-9-]{1,127}$/.test(objectName)) fail(`${where}.objectName`, objectName, 'must be a Key Vault object name: 1-127 letters, digits or "-"');
  if (objectType === undefined || !OBJECT_TYPES.includes(objectType)) {
    fail(`${where}.objectType`, objectType, 'must be exactly secret, key or cert (lower case)');
  }
  if (objectAlias) {
    const problem = fileNameProblem(objectAlias);
    if (problem) fail(`${where}.objectAlias`, objectAlias, problem);
  }
  if (objectFormat !== undefined && objectFormat !== '') {
    if (!OBJECT_FORMATS.includes(objectFormat.toLowerCase())) fail(`${where}.objectFormat`, objectFormat, 'must be pem or pfx');
    if (objectType !== 'secret') fail(`${where}.objectFormat`, objectFormat, 'is only supported for objectType: secret');
  }
  if (objectEncoding !== undefined && objectEncoding !== '') {
    if (!OBJECT_ENCODINGS.includes(objectEncoding.toLowerCase())) fail(`${where}.objectEncoding`, objectEncoding, 'must be utf-8, base64 or hex');
    if (objectType !== 'secret') fail(`${where}.objectEncoding`, objectEncoding, 'is only supported for objectType: secret');
  }
  let objectVersionHistory: number | undefined;
  const history = raw['objectVersionHistory'];
  if (history !== undefined && history !== null) {
    if (typeof history !== 'number' || !Number.isInteger(history) || history < 0 || history > INT32_MAX) {
      fail(`${where}.objectVersionHistory`, history, 'must be an unquoted non-negative integer (int32)');
    } else {
      objectVersionHistory = history;
    }
  }
  if (filePermission !== undefined && filePermission !== null) {
    // The provider parses it base 8 and silently uses mode 0 when that fails: a file nobody can read.
    if (typeof filePermission !== 'string') fail(`${where}.filePermission`, filePermission, 'must be a quoted octal string such as "0644"');
    else if (!/^0?[0-7]{3}$/.test(filePermission.trim())) fail(`${where}.filePermission`, filePermission, 'must be an octal file mode such as "0644" (a bad one silently becomes 0)');
  }
  if (broken || !objectName || !objectType) return undefined;
  const object: SpcObject = { objectName, objectType };
  if (objectAlias) object.objectAlias = objectAlias;
  if (objectVersion) object.objectVersion = objectVersion;
  if (objectVersionHistory !== undefined) object.objectVersionHistory = objectVersionHistory;
  if (objectFormat) object.objectFormat = objectFormat;
  if (objectEncoding) object.objectEncoding = objectEncoding;
  if (typeof filePermission === 'string') object.filePermission = filePermission.trim();
  return object;
}

/** Two objects may not write the same file, nor a file where another needs a folder. */
function fileClashes(objects: SpcObject[], report: Report, where: string): string[] {
  const owner = new Map<string, number>();
  objects.forEach((object, index) => {
    for (const file of filesOf(object)) {
      const problem = fileNameProblem(file);
      if (problem) report(`${where}.array[${index}]`, file, problem);
      const first = owner.get(file);
      if (first !== undefined) report(`${where}.array[${index}]`, file, `writes the same file as array[${first}]`);
      else owner.set(file, index);
    }
  });
  const files = [...owner.keys()];
  for (const file of files) {
    for (const other of files) {
      if (other.startsWith(`${file}/`)) report(where, file, `is both a file and the folder of ${JSON.stringify(other)}`);
    }
  }
  return files;
}

function checkId(where: string, value: string, placeholder: string, options: SpcCheckOptions, report: Report, extra: (v: string) => boolean = () => false): void {
  if (UUID.test(value) || extra(value)) return;
  if (value === placeholder) {
    if (!options.placeholdersAllowed) report(where, value, 'is still the placeholder: azure/setup.sh has not filled it in');
    return;
  }
  report(where, value, options.placeholdersAllowed ? `must be a UUID or exactly ${JSON.stringify(placeholder)}` : 'must be a UUID');
}

function checkSecretObjects(value: unknown, files: string[], report: Report): void {
  if (!Array.isArray(value)) {
    report('spec.secretObjects', value, 'must be a list');
    return;
  }
  value.forEach((entry, i) => {
    const where = `spec.secretObjects[${i}]`;
    if (!isRecord(entry)) {
      report(where, entry, 'must be a mapping');
      return;
    }
    const { secretName, type, data } = entry;
    if (typeof secretName !== 'string' || secretName === '') report(`${where}.secretName`, secretName, 'secret name is empty');
    else if (secretName.length > 253 || !DNS1123_SUBDOMAIN.test(secretName)) report(`${where}.secretName`, secretName, 'must be a DNS-1123 subdomain');
    if (typeof type !== 'string' || type === '') report(`${where}.type`, type, 'secret type is empty');
    if (!Array.isArray(data) || data.length === 0) {
      report(`${where}.data`, data, 'data is empty');
      return;
    }
    data.forEach((item, j) => {
      const at = `${where}.data[${j}]`;
      if (!isRecord(item)) return report(at, item, 'must be a mapping of objectName and key');
      if (typeof item['objectName'] !== 'string' || item['objectName'] === '') report(`${at}.objectName`, item['objectName'], 'is empty');
      else if (!files.includes(item['objectName'])) report(`${at}.objectName`, item['objectName'], 'matches no mounted file (objectAlias if set, else objectName)');
      if (typeof item['key'] !== 'string' || item['key'] === '') report(`${at}.key`, item['key'], 'key in secretObjects.data is empty');
      else if (type === 'kubernetes.io/tls' && !['tls.key', 'tls.crt'].includes(item['key'])) report(`${at}.key`, item['key'], "only 'tls.key' and 'tls.crt' are supported for kubernetes.io/tls");
    });
  });
}

/** Every problem the CSI driver or the Azure provider would have with `obj`, a parsed SecretProviderClass. */
export function checkSecretProviderClass(obj: unknown, options: SpcCheckOptions): string[] {
  const { problems, report } = collector();
  const requireNamespace = options.requireNamespace ?? true;
  const workloadIdentityOnly = options.workloadIdentityOnly ?? true;
  if (!isRecord(obj)) {
    report('(document)', obj, 'must be a mapping');
    return problems;
  }
  if (obj['apiVersion'] !== SPC_API_VERSION) {
    report('apiVersion', obj['apiVersion'], obj['apiVersion'] === 'secrets-store.csi.x-k8s.io/v1alpha1' ? `is deprecated; use ${SPC_API_VERSION}` : `must be ${SPC_API_VERSION}`);
  }
  if (obj['kind'] !== 'SecretProviderClass') report('kind', obj['kind'], 'must be SecretProviderClass');

  const metadata = obj['metadata'];
  if (!isRecord(metadata)) {
    report('metadata', metadata, 'must be a mapping with name and namespace');
  } else {
    const { name, namespace } = metadata;
    if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) report('metadata.name', name, 'must be a DNS-1123 subdomain');
    if (namespace === undefined) {
      if (requireNamespace) report('metadata.namespace', namespace, "is required: the driver looks the class up in the pod's namespace only");
    } else if (typeof namespace !== 'string' || namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
      report('metadata.namespace', namespace, 'must be a DNS-1123 label');
    }
  }

  const spec = obj['spec'];
  if (!isRecord(spec)) {
    report('spec', spec, 'must be a mapping with provider and parameters');
    return problems;
  }
  for (const key of Object.keys(spec)) {
    if (!['provider', 'parameters', 'secretObjects'].includes(key)) report(`spec.${key}`, spec[key], 'is not a field of SecretProviderClass v1 (provider, parameters, secretObjects)');
  }
  if (spec['provider'] !== 'azure') report('spec.provider', spec['provider'], 'must be azure');

  const parameters = spec['parameters'];
  if (!isRecord(parameters) || Object.keys(parameters).length === 0) {
    report('spec.parameters', parameters, 'must be a non-empty mapping (driver: "parameters not set")');
    return problems;
  }
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters)) {
    const where = `spec.parameters.${key}`;
    if (typeof value !== 'string') {
      report(where, value, 'must be a string: the CRD allows only strings (quote booleans and numbers)');
      continue;
    }
    if (!PARAMETER_KEYS.includes(key)) {
      const near = PARAMETER_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      report(where, value, near ? `keys are case-sensitive: the provider reads "${near}" and ignores this` : 'is not read by the Azure provider');
      continue;
    }
    params[key] = value.trim();
  }

  // Identity mode: at most one of the use* flags, each a Go boolean.
  const enabled: string[] = [];
  for (const flag of IDENTITY_FLAGS) {
    const value = params[flag];
    if (value === undefined || value === '') continue;
    if (!GO_BOOLS.includes(value)) report(`spec.parameters.${flag}`, value, `failed to parse ${flag} flag: must be true or false`);
    else if (GO_TRUE.includes(value)) enabled.push(flag);
  }
  if (enabled.length > 1) report('spec.parameters', enabled.join(', '), 'only one identity mode can be enabled at a time');
  if (workloadIdentityOnly) {
    for (const flag of enabled.filter((f) => f !== 'useAzureTokenProxy')) {
      report(`spec.parameters.${flag}`, params[flag], 'must not be true: only Workload Identity (clientID) is acceptable');
    }
  }
  const usesClientId = !enabled.includes('usePodIdentity') && !enabled.includes('useVMManagedIdentity');
  if (usesClientId) {
    const clientId = params['clientID'];
    if (!clientId) report('spec.parameters.clientID', clientId, 'is required for Workload Identity (without it the provider falls back to a service principal secret)');
    else checkId('spec.parameters.clientID', clientId, ID_PLACEHOLDERS.clientId, options, report);
  }
  if (params['userAssignedIdentityID']) {
    if (!UUID.test(params['userAssignedIdentityID'])) report('spec.parameters.userAssignedIdentityID', params['userAssignedIdentityID'], 'must be a UUID');
  }

  // Cloud.
  const cloudName = params['cloudName'];
  if (cloudName) {
    const known = CLOUD_NAMES.find((c) => c.toLowerCase() === cloudName.toLowerCase());
    const azName = AZ_CLI_CLOUD_NAMES[cloudName.toLowerCase()];
    if (azName) report('spec.parameters.cloudName', cloudName, `is the az CLI's name; the provider needs ${azName}`);
    else if (!known) report('spec.parameters.cloudName', cloudName, `must be one of ${CLOUD_NAMES.join(', ')}`);
    else if (known === 'AzureGermanCloud') report('spec.parameters.cloudName', cloudName, 'is a retired cloud');
    else if (known === 'AzureStackCloud' && !params['cloudEnvFileName']) report('spec.parameters.cloudEnvFileName', undefined, 'is required with AzureStackCloud');
  }
  const isStack = cloudName?.toLowerCase() === 'azurestackcloud';

  // Vault and tenant.
  const vault = params['keyvaultName'];
  if (!vault) report('spec.parameters.keyvaultName', vault, 'keyvaultName is not provided');
  else if (vault.length < 3 || vault.length > 24) report('spec.parameters.keyvaultName', vault, 'must be between 3 and 24 chars');
  else if (!/^[-A-Za-z0-9]+$/.test(vault)) report('spec.parameters.keyvaultName', vault, 'must match [-a-zA-Z0-9]{3,24}');

  const tenantKey = params['tenantID'] ? 'tenantID' : params['tenantId'] ? 'tenantId' : undefined;
  if (!tenantKey) report('spec.parameters.tenantID', undefined, 'tenantId is not provided');
  else checkId(`spec.parameters.${tenantKey}`, params[tenantKey]!, ID_PLACEHOLDERS.tenantId, options, report, (v) => isStack && v === 'adfs');
  if (params['tenantID'] && params['tenantId'] && params['tenantID'] !== params['tenantId']) {
    report('spec.parameters.tenantId', params['tenantId'], 'differs from tenantID (the provider reads tenantID and ignores it)');
  }

  // Objects.
  let files: string[] = [];
  const objects = params['objects'];
  if (!objects) report('spec.parameters.objects', objects, 'objects is not set');
  else files = fileClashes(parseObjectsParameter(objects, report), report, 'spec.parameters.objects');

  if (spec['secretObjects'] !== undefined) checkSecretObjects(spec['secretObjects'], files, report);
  return problems;
}

/** The Key Vault objects a (valid) SecretProviderClass mounts, for cross-checks with other files. */
export function objectsOf(obj: unknown): SpcObject[] {
  const spec = isRecord(obj) ? obj['spec'] : undefined;
  const parameters = isRecord(spec) ? spec['parameters'] : undefined;
  const objects = isRecord(parameters) ? parameters['objects'] : undefined;
  if (typeof objects !== 'string') return [];
  return parseObjectsParameter(objects, () => {});
}
