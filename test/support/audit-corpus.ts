/**
 * The audit's corpus (test/fixtures/audit/) as the audit reads it: its files hold no credential-looking
 * value, only tokens like @kvs-fake:client-secret@, which this fills in at test time with values of
 * the real shapes. So no secret scanner blocks the repository, and the audit still sees real shapes.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../fixtures/audit/', import.meta.url));
export const EXPECTATIONS = join(CORPUS, 'expected.txt');

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** Deterministic filler of base64 characters. */
const filler = (length: number, seed: string) => {
  let out = '';
  for (let i = 0; out.length < length; i++) out += base64(`${seed}-${i}-kvs-audit-corpus`).replace(/[=+/]/g, '');
  return out.slice(0, length);
};
const PEM_BODY = filler(64, 'pem');
const PEM = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ');
const PEM_END = ['-----END', 'RSA PRIVATE KEY-----'].join(' ');

export const FAKES: Record<string, () => string> = {
  'pem-begin': () => PEM,
  'pem-body': () => PEM_BODY,
  'pem-end': () => PEM_END,
  b64pem: () => base64(`${PEM}\n${PEM_BODY}\n${PEM_BODY}\n${PEM_END}\n`),
  'client-secret': () => `${filler(3, 'cs')}8Q~${filler(34, 'client')}`,
  'account-key': () => `${filler(86, 'account')}==`,
  b64conn: () => base64(`DefaultEndpointsProtocol=https;AccountName=orders;AccountKey=${filler(86, 'conn')}==;EndpointSuffix=core.windows.net`),
};

export function expandFakes(text: string): string {
  return text.replace(/@kvs-fake:(b64:[^@]*|[\w-]+)@/g, (_, name: string) => {
    if (name.startsWith('b64:')) return base64(name.slice(4));
    const make = FAKES[name];
    if (!make) throw new Error(`unknown corpus token @kvs-fake:${name}@`);
    return make();
  });
}

function* files(dir: string, prefix = ''): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, name)).isDirectory()) yield* files(join(dir, name), rel);
    else yield rel;
  }
}

/** A copy of the corpus with the tokens filled in; returns its folder. */
export function materializeCorpus(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kvs-audit-corpus-'));
  cpSync(CORPUS, dir, { recursive: true });
  for (const rel of files(dir)) {
    const path = join(dir, rel);
    const text = readFileSync(path, 'latin1');
    if (text.includes('@kvs-fake:')) writeFileSync(path, expandFakes(text));
  }
  return dir;
}

export interface Expected {
  rule: string;
  file: string;
  line: number;
}

/** expected.txt: `KVS001 k8s/secret-data.yaml:7  why`, one finding a line; # starts a comment. */
export function readExpectations(): Expected[] {
  return readFileSync(EXPECTATIONS, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^(KVS\d{3})\s+(\S+):(\d+)\b/.exec(line);
      if (!m) throw new Error(`expected.txt: cannot read "${line}"`);
      return { rule: m[1]!, file: m[2]!, line: Number(m[3]) };
    });
}
