import { GUIDE_EXAMPLE } from '../spec/index.js';
import { artifactsFor } from '../plan/index.js';
import type { Artifact } from '../plan/index.js';
import { renderPlan } from '../render/index.js';
import { APPROACHES, closestName } from '../spec/index.js';
import type { Approach } from '../spec/index.js';
import { ourCommand } from './command-name.js';
import { EXIT, UsageError } from './errors.js';
import type { Io } from './main.js';
import type { ParsedArgs } from './options.js';
import { LANGUAGE, fenced } from './output.js';
import { gatherInput, resolvePlan } from './resolve.js';

function listing(artifacts: Artifact[]): string {
  const width = Math.max(...artifacts.map((a) => a.snippet.length)) + 2;
  return artifacts.map((a) => `  ${a.snippet.padEnd(width)}${a.description}`).join('\n');
}

/** `snippet <name>`: one generated file, for docs; the guide's example values fill the gaps. */
/** How to reach the approach a snippet belongs to. */
const ELSEWHERE_HINTS: Record<Approach, string> = {
  csi: 'CSI driver setup: add --app-kind new (or --approach csi)',
  eso: 'External Secrets Operator setup: add --app-kind legacy (or --approach eso)',
  sdk: 'Azure SDK setup: add --app-kind sdk (or --approach sdk)',
};

export async function runSnippet(args: ParsedArgs, io: Io): Promise<number> {
  const [, name, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`snippet takes one name, got ${[name, ...extra].map((n) => JSON.stringify(n)).join(', ')}`);
  const gathered = await gatherInput(args, io.cwd);
  if (gathered.apps) throw new UsageError(`--config ${JSON.stringify(args.options.config)} lists several apps; a snippet shows one app's file: give its answers as flags, or a config with one app`);
  const { plan } = resolvePlan({ ...gathered, input: { ...GUIDE_EXAMPLE, ...gathered.input } });
  const artifacts = plan.artifacts;
  const approach = plan.decision.outcome.title;

  if (args.options.list || name === undefined) {
    if (name === undefined && !args.options.list) throw new UsageError(`snippet needs a name; the ${approach} setup has:\n${listing(artifacts)}`);
    if (args.options.json) io.stdout(`${JSON.stringify(artifacts.map((a) => ({ name: a.snippet, path: a.path, description: a.description })), null, 2)}\n`);
    else io.stdout(`Snippets of the ${approach} setup (${ourCommand('snippet <name>')}):\n${listing(artifacts)}\n`);
    return EXIT.ok;
  }

  const artifact = artifacts.find((a) => a.snippet === name);
  if (!artifact) {
    const elsewhere = APPROACHES.find((other) => other !== plan.decision.approach && artifactsFor(other).some((a) => a.snippet === name));
    const hint = elsewhere ? ` ${JSON.stringify(name)} belongs to the ${ELSEWHERE_HINTS[elsewhere]}.` : '';
    const meant = closestName(name, artifacts.map((a) => a.snippet));
    const guess = meant === undefined ? hint : ` Did you mean ${meant}?`;
    throw new UsageError(`snippet ${JSON.stringify(name)} is not a file of the ${approach} setup.${guess} Allowed:\n${listing(artifacts)}`);
  }
  const file = renderPlan({ ...plan, artifacts: [artifact] })[0]!;
  if (args.options.json) {
    io.stdout(`${JSON.stringify({ name: artifact.snippet, path: file.path, language: LANGUAGE[file.kind], description: artifact.description, content: file.content }, null, 2)}\n`);
  } else if (args.options.raw) {
    io.stdout(file.content);
  } else {
    io.stdout(`**${file.path}**: ${artifact.description}\n\n${fenced(file.content, LANGUAGE[file.kind])}`);
  }
  return EXIT.ok;
}
