import { decodeBase64, isPlaceholder, isReference } from './placeholder.js';
import type { Hit } from './types.js';

/**
 * KVS005, a secret committed: private keys, connection strings with a password or an account key,
 * literal client secrets (by key, and by the format Entra ID gives them). Messages say what was found,
 * never the value.
 */

const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/;
const KEY_BODY = /[A-Za-z0-9+/]{40,}/;
const CONN_PASSWORD = /(?:^|[;"'\s`?&])(?:password|pwd)\s*=\s*([^;"'\s`]*)/i;
const CONN_OTHER_PART = /(?:server|data source|host|user id|uid|user|username|database|initial catalog|address|addr)\s*=/i;
/** A storage or Service Bus key: base64, ended by the connection string's ; or its quote. */
const ACCOUNT_KEY = /\b(AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{20,}={0,2})(?=$|[;"'\s`])/;
const SAS_SIG = /[?&]sig=([A-Za-z0-9%+/=]{20,})/;
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"`]+:([^\s@/'"`]+)@[\w.-]/i;
const CLIENT_SECRET_KEY = /(?:client[_-]?secret|AZURE_CLIENT_SECRET)["']?\s*[:=]\s*(?:"([^"]*)"|'([^']*)'|([^\s"',;}#)]+))/i;
/** An Entra ID client secret: three characters, a digit, Q~, then 31 to 34 more. */
const ENTRA_SECRET = /(?:^|[^\w~.-])[\w~.-]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])/;
/** A cheap first look: a text without any of these needs no line-by-line scan. */
export const SECRET_TRIGGER = /PRIVATE KEY|password|pwd\s*=|AccountKey=|SharedAccess|sig=|:\/\/[^\s/:@]+:[^\s/@]+@|client.?secret|\dQ~/i;

/** What a value is, when it is a credential by its form (whatever its key is called). */
export function credentialKind(value: string, nextLines: readonly string[] = []): string | undefined {
  const key = PRIVATE_KEY.exec(value);
  if (key) {
    const after = value.slice(key.index + key[0].length);
    if (KEY_BODY.test(after) || nextLines.slice(0, 4).some((l) => KEY_BODY.test(l))) return `a private key (${key[1]})`;
  }
  const conn = CONN_PASSWORD.exec(value);
  if (conn && CONN_OTHER_PART.test(value) && !isPlaceholder(conn[1]!)) return 'a connection string with a password';
  const account = ACCOUNT_KEY.exec(value);
  if (account && account[2]!.length >= 20 && !isPlaceholder(account[2]!)) return `a connection string with ${account[1]}`;
  const sas = SAS_SIG.exec(value);
  if (sas && !isPlaceholder(sas[1]!)) return 'a SAS token (sig=)';
  const url = URL_PASSWORD.exec(value);
  if (url && !isPlaceholder(url[1]!) && !isReference(url[1]!)) return 'a URL with a password';
  if (ENTRA_SECRET.test(value)) return 'an Entra ID client secret';
  if (/"auths"\s*:/.test(value) && /"(?:auth|password)"\s*:\s*"[^"]{4,}"/.test(value)) return 'registry credentials (.dockerconfigjson)';
  return undefined;
}

/** A client secret written as a literal after a key that names one. */
function literalClientSecret(line: string): boolean {
  const m = CLIENT_SECRET_KEY.exec(line);
  if (!m) return false;
  const quoted = m[1] ?? m[2];
  const value = quoted ?? m[3]!;
  if (value.length < 8 || isPlaceholder(value)) return false;
  // Unquoted, a dotted name is a reference (var.x, azuread_application_password.app.value), not a value.
  if (quoted === undefined && (isReference(value) || /^[A-Za-z_][\w-]*(?:\.[\w-]+)+$/.test(value))) return false;
  return true;
}

export function secretHits(lines: readonly string[], firstLine: number): Hit[] {
  const hits: Hit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!SECRET_TRIGGER.test(line)) continue;
    const kind = credentialKind(line, lines.slice(i + 1, i + 5)) ?? (literalClientSecret(line) ? 'a literal client secret' : undefined);
    if (kind) hits.push({ rule: 'KVS005', line: i + firstLine, message: `${kind} is committed here (value masked)` });
  }
  return hits;
}

const SECRET_KEY_NAME = /pass|pwd|secret|token|key|credential|connection|conn[-_]?str|private|auth|\.docker(?:config)?(?:json|cfg)/i;

/** A value of a Kubernetes Secret's data (base64) or stringData: a credential when its key or its content says so. */
export function secretValueKind(key: string, value: string, base64: boolean): string | undefined {
  if (value.includes('{{') || isPlaceholder(value)) return undefined;
  const plain = base64 ? decodeBase64(value) ?? value : value;
  if (isPlaceholder(plain)) return undefined;
  const byForm = credentialKind(plain, plain.split('\n').slice(1, 5));
  if (byForm) return byForm;
  if (SECRET_KEY_NAME.test(key) && !/\.(?:crt|cert|pub)$|^ca\b|username|user$/i.test(key)) return `a value of "${key}"`;
  return undefined;
}
