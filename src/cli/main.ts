import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { renderPlan } from '../render/index.js';
import { ConflictError, TargetError, inspectTarget, writeFiles } from '../write/index.js';
import { EXIT, UsageError, formatProblems } from './errors.js';
import { helpText } from './help.js';
import { parseArgv } from './options.js';
import type { ParsedArgs } from './options.js';
import { filesAsMarkdown, reportLines, summary } from './output.js';
import { gatherInput, resolvePlan } from './resolve.js';
import { runSnippet } from './snippet.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function outputDir(args: ParsedArgs, app: string): string {
  const [positional, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`only one folder may be given, got ${args.positionals.map((p) => JSON.stringify(p)).join(', ')}`);
  if (positional !== undefined && args.options.out !== undefined && positional !== args.options.out) {
    throw new UsageError(`the folder is given twice: ${JSON.stringify(positional)} and --out ${JSON.stringify(args.options.out)}; give one`);
  }
  return positional ?? args.options.out ?? `${app}-kv-secrets`;
}

function generate(args: ParsedArgs, io: Io): number {
  const gathered = gatherInput(args, io.cwd);
  const { spec, plan } = resolvePlan(gathered);
  const files = renderPlan(plan);
  const dir = outputDir(args, spec.app);
  const target = resolve(io.cwd, dir);
  const shownDir = relative(io.cwd, target) || '.';
  const { options } = args;

  if (options.stdout) {
    io.stdout(options.json ? `${JSON.stringify(summary(shownDir, plan, files, undefined, false, true), null, 2)}\n` : filesAsMarkdown(files));
    return EXIT.ok;
  }
  if (options.dryRun) {
    const reports = inspectTarget(target, files);
    if (options.json) io.stdout(`${JSON.stringify(summary(shownDir, plan, files, reports, false, false), null, 2)}\n`);
    else io.stdout(`Would generate ${shownDir} (${plan.decision.outcome.title}); nothing written (--dry-run):\n${reportLines(reports, true)}\n`);
    return EXIT.ok;
  }
  const reports = writeFiles(target, files, { force: options.force });
  if (options.json) {
    io.stdout(`${JSON.stringify(summary(shownDir, plan, files, reports, true, false), null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout(`Generated ${shownDir}: ${plan.decision.outcome.title}\n${reportLines(reports, false)}\n\nNext:\n  cd ${shownDir}\n  bash azure/setup.sh\n  kubectl apply -k k8s/\n\nREADME.md explains each step and why.\n`);
  return EXIT.ok;
}

/** Runs the command and returns its exit code; never throws for anything the user can cause. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const args = parseArgv(argv);
    if (args.options.help) {
      io.stdout(helpText());
      return EXIT.ok;
    }
    if (args.options.version) {
      io.stdout(`${version()}\n`);
      return EXIT.ok;
    }
    if (args.positionals[0] === 'snippet') return runSnippet(args, io);
    return generate(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`create-kv-secrets: ${error.message}\n${error.problems.length > 0 ? `${formatProblems(error.problems)}\n` : ''}`);
      return EXIT.usage;
    }
    if (error instanceof ConflictError) {
      io.stderr(
        `create-kv-secrets: ${error.dir} holds files that differ from what would be generated; nothing written:\n${error.paths.map((p) => `  ${p}`).join('\n')}\nKeep your changes, generate elsewhere (--out), or overwrite these files with --force.\n`,
      );
      return EXIT.usage;
    }
    if (error instanceof TargetError) {
      io.stderr(`create-kv-secrets: ${error.message}; nothing written.\n`);
      return EXIT.usage;
    }
    io.stderr(`create-kv-secrets: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}
