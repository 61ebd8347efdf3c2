import { byChain, firstToFix, LINK } from './context.js';
import { CHAIN, CHAIN_TITLES } from './types.js';
import type { ExpectedSetup, Finding } from './types.js';

/** `--json`: exactly `{"findings":[{"id","severity","message","evidence","fix"}]}` (issue 13's contract). */
export function jsonReport(findings: Finding[]): string {
  const shaped = [...findings].sort(byChain).map(({ id, severity, message, evidence, fix }) => ({ id, severity, message, evidence, fix }));
  return `${JSON.stringify({ findings: shaped }, null, 2)}\n`;
}

const MARK = { error: 'x', warning: '!', unknown: '?' } as const;

function findingLines(f: Finding): string[] {
  return [
    `  ${MARK[f.severity]} ${f.id}${f.severity === 'error' ? '' : ` (${f.severity})`}: ${f.message}`,
    ...Object.entries(f.evidence).map(([what, value]) => `      ${what}: ${value}`),
    ...(f.fix.length > 0 ? ['    fix:', ...f.fix.map((line) => `      ${line}`)] : []),
  ];
}

/** Findings grouped by the auth chain, ending with "healthy" or the first thing to fix. */
export function humanReport(e: ExpectedSetup, findings: Finding[], approach: string): string {
  const lines = [`create-kv-secrets doctor: ${e.app} in namespace ${e.namespace} (${approach}), vault ${e.vault}, identity ${e.identity}, cluster ${e.resourceGroup}/${e.cluster}`, ''];
  for (const link of CHAIN) {
    const here = findings.filter((f) => LINK[f.id] === link).sort(byChain);
    lines.push(`${CHAIN_TITLES[link]}: ${here.length === 0 ? 'ok' : ''}`.trimEnd());
    for (const f of here) lines.push(...findingLines(f));
  }
  const first = firstToFix(findings);
  lines.push('');
  if (!first) {
    lines.push('healthy: every link from the pod to its secrets checks out.');
  } else {
    const counts = (['error', 'unknown', 'warning'] as const).map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    lines.push(`${counts.map(([s, n]) => `${n} ${s}${n === 1 || s === 'unknown' ? '' : 's'}`).join(', ')}. First to fix: ${first.id}${first.fix.length > 0 ? `\n  ${first.fix.join('\n  ')}` : ` (${first.message})`}`);
  }
  return `${lines.join('\n')}\n`;
}
