import type { Hit } from './types.js';

/**
 * Inline suppression: `kvs-audit: ignore KVS006 <reason>` in a comment of any syntax (#, //, <!-- -->)
 * on the finding's line or the line above it; several ids may be listed, comma or space separated.
 */
const SUPPRESS = /kvs-audit:\s*ignore\s+((?:KVS\d{3}[\s,]*)+)/i;

export function suppressed(lines: readonly string[], hit: Hit): boolean {
  for (const row of [hit.line - 1, hit.line - 2]) {
    const text = lines[row];
    if (text === undefined || !text.includes('kvs-audit')) continue;
    const ids: string[] = SUPPRESS.exec(text)?.[1]?.toUpperCase().match(/KVS\d{3}/g) ?? [];
    if (ids.includes(hit.rule)) return true;
  }
  return false;
}
