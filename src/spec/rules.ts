/**
 * Validation rules. Each returns null when the value is allowed, or the rule it breaks, phrased so
 * that "<flag> <value>: <rule>" reads as a sentence. The sources of the limits are in the fact sheets.
 */
export type Rule = (value: string) => string | null;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOKS_LIKE_UUID = /^[0-9a-f-]{30,}$/i;
// Cs: a lone UTF-16 surrogate (a YAML "\ud800" escape can make one) has no UTF-8 form, so no file can hold it.
const CONTROL_OR_SPACE = /[\s\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
// Printable ASCII holds none of those: checked first, so that the usual value never makes V8 build
// the Unicode tables of the expressions above (a noticeable part of a run's start).
const hasControlOrSpace = (v: string) => !/^[\x21-\x7e]*$/.test(v) && CONTROL_OR_SPACE.test(v);
const hasControl = (v: string) => !/^[\x20-\x7e]*$/.test(v) && CONTROL.test(v);

export const dns1123Label: Rule = (v) =>
  v.length <= 63 && DNS1123_LABEL.test(v)
    ? null
    : 'must be a Kubernetes DNS-1123 label: 1-63 lower-case letters, digits or "-", starting and ending with a letter or digit';

/**
 * The service account the identity is federated with. Not `default`: every pod of the namespace that
 * names no account runs as it, and would get the identity.
 */
export const federatedServiceAccount: Rule = (v) =>
  v === 'default' ? 'must not be "default": every pod of the namespace that names no service account runs as it, and would get the identity' : dns1123Label(v);

export const dns1123Subdomain: Rule = (v) =>
  v.length <= 253 && DNS1123_SUBDOMAIN.test(v)
    ? null
    : 'must be a Kubernetes DNS-1123 subdomain: up to 253 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit';

export const imageReference: Rule = (v) =>
  v.length > 0 && v.length <= 1024 && !hasControlOrSpace(v)
    ? null
    : 'must be a container image reference (registry/name:tag or @sha256:digest) without spaces, newlines or control characters';

export const keyVaultName: Rule = (v) =>
  /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(v) && !v.includes('--')
    ? null
    : 'must be a Key Vault name: 3-24 letters, digits or "-", starting with a letter, ending with a letter or digit, without "--"';

export const keyVaultObjectName: Rule = (v) =>
  /^[A-Za-z0-9-]{1,127}$/.test(v) ? null : 'must be a Key Vault object name: 1-127 letters, digits or "-"';

/**
 * Where an object lands: a file under the CSI mount, or a key of a Kubernetes Secret. The CSI provider
 * rejects absolute paths and any ".."; the driver limits segments to 255 and paths to 4096 characters.
 * Segments are kept to the characters a Secret key allows so one alias serves both approaches.
 */
export const objectAlias: Rule = (v) => {
  const rule =
    'must be a relative path of segments made of letters, digits, "-", "_" or "." (no "..", no empty segment, each at most 255 characters, 4096 in all)';
  if (v.length === 0 || v.length > 4096 || v.includes('..')) return rule;
  const segments = v.split('/');
  return segments.every((s) => s.length > 0 && s.length <= 255 && s !== '.' && /^[-._A-Za-z0-9]+$/.test(s)) ? null : rule;
};

export const uuid: Rule = (v) => (UUID.test(v) ? null : 'must be a UUID like 00000000-0000-0000-0000-000000000000');

/** A subscription is given by ID or by name; something that tries to be an ID must be a whole one. */
export const subscription: Rule = (v) => {
  if (LOOKS_LIKE_UUID.test(v)) return uuid(v);
  return v.length > 0 && v.length <= 64 && !hasControl(v)
    ? null
    : 'must be a subscription ID (UUID) or name (1-64 characters, no control characters)';
};

const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;
/** A positive Go duration (time.ParseDuration), as the CSI driver, AKS and ESO read them. */
export const goDuration: Rule = (v) =>
  GO_DURATION.test(v) && /[1-9]/.test(v) ? null : 'must be a positive Go duration such as 2m, 90s, 1h30m';

export const resourceGroup: Rule = (v) =>
  (/^[-A-Za-z0-9_.()]{1,90}$/.test(v) || /^[-\p{L}\p{N}_.()]{1,90}$/u.test(v)) && !v.endsWith('.')
    ? null
    : 'must be a resource group name: 1-90 letters, digits, "-", "_", ".", "(" or ")", not ending in "."';

export const aksClusterName: Rule = (v) =>
  /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/.test(v)
    ? null
    : 'must be an AKS cluster name: 1-63 letters, digits, "-" or "_", starting and ending with a letter or digit';

export const managedIdentityName: Rule = (v) =>
  /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/.test(v)
    ? null
    : 'must be a managed identity name: 3-128 letters, digits, "-" or "_", starting with a letter or digit';

export const azureLocation: Rule = (v) =>
  /^[a-z][a-z0-9]{1,39}$/.test(v) ? null : 'must be an Azure location name as `az account list-locations` prints it, such as eastus';

export const absolutePath: Rule = (v) => {
  const rule = 'must be an absolute path of segments made of letters, digits, "-", "_" or "." (not "/", no "..")';
  if (!v.startsWith('/') || v === '/' || v.length > 1024) return rule;
  const segments = v.slice(1).replace(/\/$/, '').split('/');
  return segments.every((s) => s.length > 0 && s !== '.' && s !== '..' && /^[-._A-Za-z0-9]+$/.test(s)) ? null : rule;
};

// An ARM subnet ID: /subscriptions/<uuid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>.
const SUBNET_ID = /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Network\/virtualNetworks\/[\w][-\w.]{0,63}\/subnets\/[\w][-\w.]{0,79}$/i;

export const subnetResourceId: Rule = (v) =>
  SUBNET_ID.test(v)
    ? null
    : 'must be a subnet resource ID: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet> (az network vnet subnet show --query id)';

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_OR_CIDR = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}(\\/([0-9]|[12][0-9]|3[0-2]))?$`);

export const ipv4OrCidr: Rule = (v) => (IPV4_OR_CIDR.test(v) ? null : 'must be an IPv4 address or CIDR range, like 20.50.10.7 or 20.50.10.0/28');

export function oneOf(allowed: readonly string[]): Rule {
  return (v) => (allowed.includes(v) ? null : `must be one of ${allowed.join(', ')}`);
}

/**
 * An Ingress rule's host: a DNS-1123 subdomain, optionally with a leading `*.` wildcard label; not an IP
 * address (networking.k8s.io/v1 IngressRule.host).
 */
export const ingressHost: Rule = (v) => {
  const name = v.startsWith('*.') ? v.slice(2) : v;
  if (/^[0-9.]+$/.test(name)) return 'must be a host name, not an IP address';
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
    ? null
    : 'must be a lower-case DNS name such as app.example.com (a leading "*." wildcard is allowed)';
};

/** A TCP port number. */
export const port: Rule = (v) => (/^[1-9][0-9]{0,4}$/.test(v) && Number(v) <= 65535 ? null : 'must be a port number from 1 to 65535');
