/**
 * Whether a value only stands for a secret: a template or variable, an angle-bracket hint, a word that
 * says "fill me in". Such values are not committed secrets (KVS005) however their key is named.
 */
const STANDS_FOR = /[<>]|\$\{|\$\(|\{\{|#\{|\(\(|%[A-Za-z_]+%|@Microsoft\.KeyVault|\[parameters\(|\[variables\(|changeme|change[-_ ]me|replace[-_ ]?(?:me|with|this)|placeholder|example|dummy|sample|redacted|your[-_]?(?:password|secret|key|client|token|pass)/i;
const PLAIN_WORD = /^(?:password|passwd|secret|pass|pwd|token|value|string|null|none|nil|true|false|undefined|empty|todo|tbd|xxx+|\*+|\.+|-+|_+)$/i;

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (v.startsWith('$') || v.startsWith('%')) return true; // $VAR, %VAR%
  if (PLAIN_WORD.test(v) || /^(.)\1+$/.test(v)) return true;
  return STANDS_FOR.test(v);
}

/** A reference to a value held elsewhere (Terraform var.x, a resource's attribute, env lookups). */
export function isReference(value: string): boolean {
  return /^(?:var|local|data|module|each|azurerm_\w+|azuread_\w+|random_\w+|secrets|env|vars|process\.env|os\.environ|Environment)\b[.[]/.test(value.trim());
}

/** Decodes a base64 value of a Secret's data, or returns undefined when it is not base64. */
export function decodeBase64(value: string): string | undefined {
  const v = value.replace(/\s+/g, '');
  if (v.length === 0 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  return Buffer.from(v, 'base64').toString('utf8');
}
