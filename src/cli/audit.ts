import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { RULE_IDS, auditText, isRuleId } from '../audit/index.js';
import type { Finding, RuleId } from '../audit/index.js';
import { jsonReport, skippedNote, textReport } from '../audit/report.js';
import { sarifReport } from '../audit/sarif.js';
import type { AuditResult } from '../audit/report.js';
import { walkTree } from '../walk/index.js';
import { EXIT, UsageError } from './errors.js';
import type { Io } from './main.js';
import { version } from './version.js';
import { writeOut } from './write-out.js';

/** `create-kv-secrets audit [path...]`: the guide's mistakes in files a team already has. */

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export function auditHelp(): string {
  return `create-kv-secrets audit: find the guide's common mistakes in existing files

Usage:
  create-kv-secrets audit [path...] [--format text|json|sarif] [--ignore RULE]...

Scans files and folders (default: the current folder), skipping .git, node_modules and vendored
folders, binary files and files over 1 MB, never following a link out of the tree. Reads Kubernetes
YAML (Helm templates too), Terraform, Bicep, ARM JSON, shell and PowerShell scripts, and the code
blocks of Markdown. Secret values are never printed.

Rules:
${RULE_IDS.map((id) => `  ${id}`).join('\n')}
  (create-kv-secrets audit --format json prints each finding's rule title and fix)

Options:
  --format FORMAT   text (default), json, or sarif (SARIF 2.1.0, for GitHub code scanning)
  --ignore RULE     leave a rule out (repeatable, or comma separated: --ignore KVS006,KVS007)
  -h, --help        show this help

Suppress one finding with a comment on its line or the line above it:
  # kvs-audit: ignore KVS006 the legacy app reads env vars until it moves to files

Exit codes: 0 no finding, 1 findings, 2 bad usage (a flag, a value or a path).
`;
}

interface AuditOptions {
  format: Format;
  ignore: Set<RuleId>;
  paths: string[];
}

function parseAuditArgs(argv: string[]): AuditOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { format: { type: 'string' }, ignore: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/ To specify a positional argument starting with a '-'.*$/s, '').replace(/\.$/, '');
    throw new UsageError(`audit: ${message}; see create-kv-secrets audit --help`);
  }
  if (parsed.values.help) return 'help';
  const format = parsed.values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`audit: --format ${JSON.stringify(format)} is not a format; allowed: ${FORMATS.join(', ')}`);
  const ignore = new Set<RuleId>();
  for (const value of (parsed.values.ignore ?? []).flatMap((v) => v.split(','))) {
    const id = value.trim().toUpperCase();
    if (!isRuleId(id)) throw new UsageError(`audit: --ignore ${JSON.stringify(value)} is not a rule id; allowed: ${RULE_IDS.join(', ')}`);
    ignore.add(id);
  }
  return { format: format as Format, ignore, paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'] };
}

export async function runAudit(argv: string[], io: Io, version: string): Promise<number> {
  try {
    return audit(argv, io, version);
  } catch (error) {
    // This module is a file of its own in dist/ (scripts/build.mjs), with its own copy of UsageError,
    // which main()'s instanceof would not know: its usage errors are reported here, as main() does.
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`create-kv-secrets: ${error.message}\n`);
    return EXIT.usage;
  }
}

/**
 * `create-kv-secrets audit` started by bin/ straight from this file's bundle (dist/vendor/audit.cjs),
 * without the generator's bundle: teams run the audit on every commit (.pre-commit-hooks.yaml), and
 * loading the generator would cost it a tenth of a scan of a 10,000-file tree. main() still dispatches
 * `audit` here, for runs from the source.
 */
export async function auditMain(argv: string[]): Promise<number> {
  // A scan is a short run of many small files: V8's optimizing compiler spent more CPU compiling the
  // readers (the YAML reader most) than their optimized code saved, about a fifth of a 10,000-file
  // scan (npm run bench). Turned off for this process only, before any reader runs; the code it runs
  // is the same, only compiled more simply (V8's baseline tiers).
  setFlagsFromString('--no-opt');
  const io: Io = { stdout: (text) => writeOut(1, text), stderr: (text) => writeOut(2, text), cwd: process.cwd() };
  try {
    return await runAudit(argv, io, version());
  } catch (error) {
    // What main() says of an error no input explains.
    io.stderr(`create-kv-secrets: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

function audit(argv: string[], io: Io, version: string): number {
  const options = parseAuditArgs(argv);
  if (options === 'help') {
    io.stdout(auditHelp());
    return EXIT.ok;
  }
  const findings: Finding[] = [];
  const unreadable: AuditResult['skipped'] = [];
  const walked = walkTree(options.paths, io.cwd, ({ path, text }) => {
    try {
      for (const hit of auditText(path, text)) if (!options.ignore.has(hit.rule)) findings.push({ ...hit, file: path });
    } catch (error) {
      // A file past what the readers can follow (nested thousands deep) is noted, not a crash of the run.
      unreadable.push({ path, reason: `not audited: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
  if (walked.missing.length > 0) throw new UsageError(`audit: ${walked.missing.map((p) => JSON.stringify(p)).join(', ')}: no such file or folder`);
  const result: AuditResult = { findings, files: walked.files, skipped: [...walked.skipped, ...unreadable] };
  if (options.format === 'json') io.stdout(jsonReport(result));
  else if (options.format === 'sarif') io.stdout(sarifReport(result, version));
  else {
    io.stdout(textReport(result));
    io.stderr(skippedNote(result));
  }
  return findings.length > 0 ? EXIT.failure : EXIT.ok;
}
