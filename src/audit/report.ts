import { RULES } from './rules.js';
import type { Finding } from './types.js';

/** What one run found, for every output format. */
export interface AuditResult {
  findings: Finding[];
  files: number;
  skipped: Array<{ path: string; reason: string }>;
}

const SUPPRESS_HINT = 'Suppress one with a comment on its line or the line above: # kvs-audit: ignore KVS006 <reason>';

export function textReport(result: AuditResult): string {
  const { findings, files } = result;
  if (findings.length === 0) return `No findings in ${files} file${files === 1 ? '' : 's'} scanned.\n`;
  const lines = findings.map((f) => `${f.file}:${f.line}: ${f.rule} ${f.message}`);
  const fixes = RULES.filter((rule) => findings.some((f) => f.rule === rule.id)).map((rule) => {
    const count = findings.filter((f) => f.rule === rule.id).length;
    return `  ${rule.id} ${rule.title} (${count}): ${rule.why}\n    Fix: ${rule.fix}`;
  });
  const affected = new Set(findings.map((f) => f.file)).size;
  return `${lines.join('\n')}\n\nHow to fix:\n${fixes.join('\n')}\n\n${findings.length} finding${findings.length === 1 ? '' : 's'} in ${affected} of ${files} files scanned. ${SUPPRESS_HINT}\n`;
}

/** Files not read, one line each; binary files only counted, they are many and never configuration. */
export function skippedNote(result: AuditResult): string {
  const binary = result.skipped.filter((s) => s.reason === 'binary').length;
  const others = result.skipped.filter((s) => s.reason !== 'binary').map((s) => `audit: skipped ${s.path}: ${s.reason}`);
  if (binary > 0) others.push(`audit: skipped ${binary} binary file${binary === 1 ? '' : 's'}`);
  return others.length > 0 ? `${others.join('\n')}\n` : '';
}

export function jsonReport(result: AuditResult): string {
  const fix = new Map(RULES.map((r) => [r.id, r]));
  const findings = result.findings.map((f) => ({ ...f, title: fix.get(f.rule)!.title, fix: fix.get(f.rule)!.fix }));
  return `${JSON.stringify({ files: result.files, findings, skipped: result.skipped }, null, 2)}\n`;
}
