/**
 * fast-check arbitraries for the whole flag table (src/spec/fields.ts): for every field a generator of
 * values its rule accepts (including the awkward ones: YAML 1.1 booleans and numbers, unicode, shell
 * and YAML specials where a field allows them) and a generator of hostile strings. A generated input
 * is a set of flags as a user would type them; `argvOf` turns it into argv.
 *
 * Hostile strings here are harmless if they ever ran: `$(id)`, `` `id` ``, `;true`: a broken quote
 * shows up as a value that differs, never as damage.
 */
import fc from 'fast-check';
import { FIELDS } from '../../src/spec/index.js';
import type { SpecKey } from '../../src/spec/index.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const chars = (s: string) => [...s];

function stringOf(alphabet: string[], minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
}

/** Pieces that break YAML, shell words, Markdown or terminals when pasted unquoted. */
export const HOSTILE_FRAGMENTS = [
  '\n', '\r\n', '\r', '\t', ' ', ': ', ':', ' #', '#', '{}', '{', '}', '[', ']', ',', '&', '&a', '*', '*a', '!', '!!str', '|', '|-', '>', '>-',
  "'", '"', '%', '%YAML', '@', '`', '-', '- ', '--', '---', '...', '?', '? ', '~', '=', '<<', '<', '$', '$(id)', '${HOME}', '$((1+1))',
  '`id`', ';', ';true', '&&', '||', '\\', '\\n', '\\\'', '[a]', '*.*', '#!', '%s', '%n', '{{x}}', '{{> x}}', '\u0000', '\u0007',
  '\u001b[31m', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u200b', '\u00ad', '\ud800', '\udfff', '\u007f', '\u0080', '\u009b', '\ufffe', 'ü', 'é', 'ß', 'Ω', '✓',
  '😀', '中文', 'ﬁ', 'İ', '\u212a', '٣', 'Ⅻ',
];

/** Strings YAML 1.2 or 1.1 (what kubectl reads) takes for something other than a string. */
export const YAML_LOOKALIKES = [
  'yes', 'no', 'y', 'n', 'on', 'off', 'true', 'false', 'null', 'nan', 'inf', 'Yes', 'NO', 'Y', 'N', 'ON', 'Off', 'TRUE', 'False', 'Null',
  'NULL', '1e3', '1E3', '0x1f', '0X1F', '0b1', '0B1', '0o7', '0O7', '017', '09', '1_000', '1:20', '123', '-1', '+1', '.5', '1.', '.inf',
  '.NaN', '~', '2001-12-14', '2001-1-2', '2001-12-14t21:59:43.10-05:00', '0', '-', '--', '-x', '-0',
];

function matching(rule: (v: string) => boolean, candidates: string[]): string[] {
  return candidates.filter(rule);
}

/** Many short values, some long ones, some at the limit. */
function sized(pick: (max: number) => fc.Arbitrary<string>, limit: number): fc.Arbitrary<string> {
  return fc.oneof({ weight: 6, arbitrary: pick(Math.min(12, limit)) }, { weight: 1, arbitrary: pick(limit) });
}

const alnumLower = chars(LOWER + DIGITS);
const alnum = chars(LOWER + UPPER + DIGITS);

/** A Kubernetes DNS-1123 label. */
export const dnsLabel: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: sized((max) => fc.tuple(fc.constantFrom(...alnumLower), stringOf([...alnumLower, '-'], 0, Math.max(0, max - 2)), fc.constantFrom(...alnumLower)).map(([a, b, c]) => a + b + c), 63) },
  { weight: 1, arbitrary: fc.constantFrom(...alnumLower) },
  { weight: 2, arbitrary: fc.constantFrom(...matching((v) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v), YAML_LOOKALIKES)) },
);

/** Letters first, short: names derived from it (`<app>-kv`, `<app>-identity`) stay valid. */
export const appName: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...chars(LOWER)), stringOf([...alnumLower, '-'], 0, 10), fc.constantFrom(...alnumLower)).map(([a, b, c]) => (a + b + c).replace(/--+/g, '-')) },
  { weight: 2, arbitrary: dnsLabel },
);

export const dnsSubdomain: fc.Arbitrary<string> = fc
  .array(dnsLabel, { minLength: 1, maxLength: 4 })
  .map((labels) => labels.join('.'))
  .filter((v) => v.length <= 253);

export const keyVaultName: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...chars(LOWER + UPPER)), stringOf([...alnum, '-'], 1, 22), fc.constantFrom(...alnum))
  .map(([a, b, c]) => (a + b + c).replace(/--+/g, '-'))
  .filter((v) => v.length >= 3);

export const objectName: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: sized((max) => stringOf([...alnum, '-'], 1, max), 127) },
  { weight: 2, arbitrary: fc.constantFrom(...matching((v) => /^[A-Za-z0-9-]{1,127}$/.test(v), YAML_LOOKALIKES)) },
);

const aliasSegment = stringOf([...alnum, '-', '_', '.'], 1, 12).filter((s) => s !== '.' && !s.includes('..'));
/** A file under the mount, a Secret key, or an env var name: aliases serve all three. */
export const objectAlias: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...chars(LOWER + UPPER + '_')), stringOf([...alnum, '_'], 0, 12)).map(([a, b]) => a + b) },
  { weight: 2, arbitrary: fc.array(aliasSegment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')) },
  { weight: 2, arbitrary: fc.constantFrom(...matching((v) => /^[-._A-Za-z0-9]+$/.test(v) && v !== '.' && !v.includes('..'), YAML_LOOKALIKES), 'tls.crt', '_', 'A_B') },
);

export const secretEntry: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: objectName },
  { weight: 2, arbitrary: fc.tuple(objectName, fc.constantFrom('secret', 'key', 'cert')).map(([n, t]) => `${n}:${t}`) },
  { weight: 3, arbitrary: fc.tuple(objectName, fc.constantFrom('secret', 'key', 'cert'), objectAlias).map(([n, t, a]) => `${n}:${t}:${a}`) },
);

/** Names Key Vault takes once: case-insensitively distinct, so most lists are valid. */
export const secretList: fc.Arbitrary<string[]> = fc.uniqueArray(secretEntry, {
  minLength: 1,
  maxLength: 5,
  selector: (entry) => entry.split(':')[0]!.toLowerCase(),
});

/** Printable, no white space: what an image reference may hold, hostile characters included. */
const NON_SPACE = [
  ...chars(LOWER + UPPER + DIGITS + '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'),
  'ü', 'é', 'Ω', '✓', '😀', '中', 'ﬁ', '\u212a',
];
export const image: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(dnsLabel, dnsLabel, fc.constantFrom('latest', '1.2.3', 'v1', 'sha')).map(([r, n, t]) => `${r}.azurecr.io/${n}:${t}`) },
  { weight: 1, arbitrary: fc.tuple(dnsLabel, fc.stringMatching(/^[0-9a-f]{64}$/)).map(([n, d]) => `registry.example.com/${n}@sha256:${d}`) },
  { weight: 4, arbitrary: stringOf(NON_SPACE, 1, 40) },
  { weight: 2, arbitrary: fc.constantFrom(...YAML_LOOKALIKES, '---', '...', '#x', '&a', '*a', '!t', '|', '>', "'", '"', '%x', '@x', '`x`', '{}', '[]', '-a', '$(id)', '`id`', 'a;b', "it's", 'a"b', '\\', '*', '?') },
  { weight: 1, arbitrary: fc.tuple(stringOf(NON_SPACE, 1, 8), fc.integer({ min: 100, max: 1016 })).map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)) },
);

/** Printable with spaces and quotes: subscription names allow almost anything on one line. */
const PRINTABLE = [...NON_SPACE, ' ', ' ', "'", '"', '$', '`', '\\'];
export const subscription: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 5, arbitrary: stringOf(PRINTABLE, 1, 64) },
  { weight: 1, arbitrary: fc.constantFrom('My Subscription', "Dev's sub", 'a "b" c', '$(id)', '`id`', '; true', '-x', ' lead', 'trail ', '*', 'yes') },
);

const UNICODE_RG = ['ü', 'Ω', '中', '٣', 'Ⅻ', '²', 'é'];
export const resourceGroup: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: stringOf([...alnum, '-', '_', '.', '(', ')'], 1, 20) },
  { weight: 1, arbitrary: stringOf([...alnum, '-', '_', '.', '(', ')', ...UNICODE_RG], 1, 90) },
  { weight: 1, arbitrary: fc.constantFrom(...matching((v) => /^[-\p{L}\p{N}_.()]{1,90}$/u.test(v), YAML_LOOKALIKES), '(rg)', 'rg.prod', '-rg') },
).filter((v) => !v.endsWith('.'));

export const clusterName: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...alnum), stringOf([...alnum, '_', '-'], 0, 20), fc.constantFrom(...alnum)).map(([a, b, c]) => a + b + c) },
  { weight: 1, arbitrary: fc.constantFrom(...alnum) },
  { weight: 1, arbitrary: fc.constantFrom(...matching((v) => /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/.test(v), YAML_LOOKALIKES)) },
);

export const location = fc.tuple(fc.constantFrom(...chars(LOWER)), stringOf(alnumLower, 1, 15)).map(([a, b]) => a + b);

export const uuid = fc.tuple(fc.uuid(), fc.boolean()).map(([u, upper]) => (upper ? u.toUpperCase() : u));

export const identityName = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...alnum), stringOf([...alnum, '_', '-'], 2, 20)).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.constantFrom('yes', 'null', 'true', '1_000', '0B1', '1e3', '123') },
);

export const goDuration = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('2m', '1h', '90s', '1h30m', '500ms', '1.5h', '.5s', '10µs', '10us', '1ns', '3m0s', '0s', '0') },
  { weight: 2, arbitrary: fc.array(fc.tuple(fc.nat(999), fc.constantFrom('ns', 'us', 'µs', 'ms', 's', 'm', 'h')), { minLength: 1, maxLength: 3 }).map((parts) => parts.map(([n, u]) => `${n}${u}`).join('')) },
);

const pathSegment = stringOf([...alnum, '-', '_', '.'], 1, 10).filter((s) => s !== '.' && s !== '..');
export const mountPath = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.array(pathSegment, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([s, slash]) => `/${s.join('/')}${slash ? '/' : ''}`) },
  { weight: 1, arbitrary: fc.constantFrom('/mnt/secrets', '/yes', '/-x', '/a.b/c-d_e', '/null', '/1e3') },
);

/**
 * Hostile strings: every fragment above, alone, mixed into a valid-looking value, or repeated until very
 * long; plus arbitrary unicode (lone surrogates included).
 */
export function hostile(base: fc.Arbitrary<string> = dnsLabel): fc.Arbitrary<string> {
  const fragment = fc.constantFrom(...HOSTILE_FRAGMENTS);
  return fc.oneof(
    { weight: 3, arbitrary: fragment },
    { weight: 4, arbitrary: fc.tuple(base, fragment, base, fc.nat(2)).map(([a, f, b, where]) => (where === 0 ? f + a : where === 1 ? a + f + b : a + f)) },
    { weight: 2, arbitrary: fc.array(fc.oneof(fragment, base), { minLength: 2, maxLength: 6 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 10 }) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fragment, base), fc.integer({ min: 64, max: 5000 })).map(([s, n]) => s.repeat(Math.ceil(n / Math.max(1, s.length)))) },
    { weight: 1, arbitrary: base.map((v) => `-${v}`) },
    { weight: 1, arbitrary: fc.constantFrom('', '---', '-', '--', 'a\n---\nb: c', 'x\nkind: Secret', "x' ; true '", 'x" ; true "', '$(id)', '`id`') },
  );
}

export type FlagValue = string | boolean | string[];
/** What the user gives, by field key; absent keys are not passed. */
export type FlagInput = Partial<Record<SpecKey, FlagValue>>;

/** Values each field's rule accepts (or, for enums, its choices). Every field of the table has one. */
export const VALID: Record<SpecKey, fc.Arbitrary<FlagValue>> = {
  app: appName,
  namespace: dnsLabel,
  image,
  serviceAccount: dnsLabel,
  // The oracle describes the demo Deployment; test/workload.test.ts builds existing-workload folders with kustomize.
  workload: fc.constant('demo'),
  deployment: dnsSubdomain,
  container: dnsLabel,
  appKind: fc.constantFrom('new', 'legacy'),
  legacyReads: fc.constantFrom('env', 'secret-object'),
  approach: fc.constantFrom('csi', 'eso'),
  targetSecret: dnsSubdomain,
  secrets: secretList,
  vault: keyVaultName,
  existingVault: fc.boolean(),
  resourceGroup,
  cluster: clusterName,
  location,
  subscription,
  tenantId: uuid,
  identity: identityName,
  clientId: uuid,
  cloud: fc.constantFrom('AzurePublicCloud', 'AzureUSGovernmentCloud', 'AzureChinaCloud'),
  rotation: fc.boolean(),
  rotationInterval: goDuration,
  refreshInterval: goDuration,
  storeKind: fc.constantFrom('SecretStore', 'ClusterSecretStore'),
  installEso: fc.boolean(),
  mountPath,
  // Private needs a subnet, which the network tests cover (test/vault-network.test.ts); here the modes that need nothing more.
  vaultNetwork: fc.constantFrom('public', 'firewall'),
  privateEndpointSubnet: fc
    .tuple(uuid, resourceGroup, fc.stringMatching(/^[a-zA-Z][-\w.]{0,20}$/), fc.stringMatching(/^[a-zA-Z][-\w.]{0,20}$/))
    .map(([sub, rg, vnet, subnet]) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`),
  egressIp: fc.tuple(fc.ipV4(), fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })).map(([ip, bits]) => (bits === undefined ? ip : `${ip}/${bits}`)),
  // The oracle models the folder without an ingress (test/golden and test/setup-ingress.test.ts cover
  // the ingress branches): only `none` is valid-looking, and its follow-ups are never given with it.
  ingress: fc.constant('none'),
  host: dnsSubdomain,
  tlsCert: objectName,
  ingressClass: dnsSubdomain,
  port: fc.integer({ min: 1, max: 65535 }).map(String),
};

/** How often a field is left out (its default applies); required fields are always given when valid. */
const PRESENT: Partial<Record<SpecKey, number>> = {
  vaultNetwork: 0.3, privateEndpointSubnet: 0, egressIp: 0, approach: 0.15, location: 0.5, subscription: 0.6, tenantId: 0.4, clientId: 0.4, vault: 0.8, appKind: 0.9,
  ingress: 0.3, host: 0, tlsCert: 0, ingressClass: 0, port: 0,
};

function hostileFor(key: SpecKey): fc.Arbitrary<FlagValue> {
  const field = FIELDS.find((f) => f.key === key)!;
  if (field.kind === 'boolean') return fc.boolean();
  const valid = VALID[key] as fc.Arbitrary<string>;
  if (field.kind === 'list') {
    const entry = fc.oneof(hostile(objectName), fc.tuple(objectName, hostile(fc.constantFrom('secret', 'key', 'cert'))).map(([n, t]) => `${n}:${t}`), fc.tuple(objectName, fc.constantFrom('secret', 'key', 'cert'), hostile(objectAlias)).map(([n, t, a]) => `${n}:${t}:${a}`));
    return fc.tuple(secretList, fc.array(entry, { minLength: 1, maxLength: 2 })).map(([ok, bad]) => [...ok, ...bad]);
  }
  return hostile(valid);
}

/**
 * One user's flags. Half of the inputs are valid-looking in every field (free-form fields still carry
 * hostile characters they allow); the others have one to three fields replaced by hostile strings.
 */
export const flagInput: fc.Arbitrary<FlagInput> = fc
  .tuple(
    fc.record(Object.fromEntries(FIELDS.map((f) => [f.key, VALID[f.key]])) as Record<SpecKey, fc.Arbitrary<FlagValue>>),
    fc.record(Object.fromEntries(FIELDS.map((f) => [f.key, fc.double({ min: 0, max: 1, noNaN: true })])) as Record<SpecKey, fc.Arbitrary<number>>),
    fc.oneof({ weight: 1, arbitrary: fc.constant([] as SpecKey[]) }, { weight: 1, arbitrary: fc.subarray(FIELDS.map((f) => f.key), { minLength: 1, maxLength: 3 }) }),
    fc.constantFrom(...FIELDS.map((f) => f.key)).chain((key) => hostileFor(key).map((value) => [key, value] as const)),
    fc.array(fc.constantFrom(...FIELDS.map((f) => f.key)).chain((key) => hostileFor(key).map((value) => [key, value] as const)), { maxLength: 2 }),
  )
  .map(([valid, dice, broken, first, more]) => {
    const input: FlagInput = {};
    for (const field of FIELDS) {
      const keep = field.required ? 1 : (PRESENT[field.key] ?? 0.7);
      if (dice[field.key] < keep) input[field.key] = valid[field.key];
    }
    if (broken.length > 0) {
      for (const [key, value] of [first, ...more]) input[key] = value;
    }
    return input;
  });

/** A field's flag as typed: `--flag=value`, or `--flag value` when the value cannot be read as an option. */
export function argvOf(input: FlagInput, separate: boolean[] = []): string[] {
  const argv: string[] = [];
  let i = 0;
  const push = (flag: string, value: string) => {
    const apart = separate[i++ % Math.max(1, separate.length)] ?? false;
    if (apart && !value.startsWith('-')) argv.push(`--${flag}`, value);
    else argv.push(`--${flag}=${value}`);
  };
  for (const field of FIELDS) {
    const value = input[field.key];
    if (value === undefined) continue;
    if (typeof value === 'boolean') argv.push(value ? `--${field.flag}` : `--no-${field.flag}`);
    else if (Array.isArray(value)) for (const entry of value) push(field.flag, entry);
    else push(field.flag, value);
  }
  return argv;
}

/** What parseArgv must read back from argvOf: the same values, booleans as given. */
export function expectedArgs(input: FlagInput): FlagInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
