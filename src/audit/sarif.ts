import type { AuditResult } from './report.js';
import { RULES } from './rules.js';

/**
 * SARIF 2.1.0, as GitHub code scanning takes it (github/codeql-action/upload-sarif): paths relative
 * to the checkout (%SRCROOT%), one reportingDescriptor per rule with its fix as help, and a
 * security-severity that sorts the alerts.
 */

const level = (severity: number) => (severity >= 7 ? 'error' : 'warning');

/** A relative path as a URI reference: each segment percent-encoded, the slashes kept. */
const uriOf = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function sarifReport(result: AuditResult, version: string): string {
  const index = new Map(RULES.map((rule, i) => [rule.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'create-kv-secrets audit',
            version,
            semanticVersion: version,
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.why },
              help: { text: rule.fix, markdown: `**${rule.title}.** ${rule.why}\n\n**Fix:** ${rule.fix}` },
              defaultConfiguration: { level: level(rule.severity) },
              properties: { tags: ['security', 'azure-key-vault', 'kubernetes'], precision: 'high', 'security-severity': rule.severity.toFixed(1) },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: result.findings.map((finding) => {
          const rule = RULES[index.get(finding.rule)!]!;
          return {
            ruleId: finding.rule,
            ruleIndex: index.get(finding.rule)!,
            level: level(rule.severity),
            message: { text: `${finding.message}. ${rule.fix}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(finding.file), uriBaseId: '%SRCROOT%' }, region: { startLine: finding.line } } }],
          };
        }),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.skipped.map((s) => ({
              level: 'note',
              message: { text: `skipped: ${s.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(s.path), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
