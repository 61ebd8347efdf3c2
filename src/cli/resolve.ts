import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSpec, describeAsFlag } from '../spec/index.js';
import type { Describe, Spec, SpecInput } from '../spec/index.js';
import { planSetup } from '../plan/index.js';
import type { Plan } from '../plan/index.js';
import { UsageError } from './errors.js';
import { flagsOverFile, refuseRemovalsWithoutConfig } from './list-flags.js';
import type { ParsedArgs } from './options.js';

export interface GatheredInput {
  input: SpecInput;
  describe: Describe;
  /** A config file that lists several workloads: each one's answers. */
  apps?: GatheredInput[];
  /** Keys the config file set at its top. */
  topKeys?: Set<string>;
}

/** Answers from --config, then flags over them; messages name whichever the value came from. */
export async function gatherInput(args: ParsedArgs, cwd: string): Promise<GatheredInput> {
  if (args.options.config === undefined) {
    refuseRemovalsWithoutConfig(args.removals);
    return { input: args.input, describe: describeAsFlag };
  }
  const path = resolve(cwd, args.options.config);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${JSON.stringify(args.options.config)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  // Loaded here, not at start-up: it brings the YAML library, which a flags-only run never needs.
  const { parseConfig } = await import('../spec/config-read.js');
  const config = parseConfig(text, args.options.config);
  if (config.problems.length > 0) throw new UsageError('the config file has problems, nothing written:', config.problems);
  if (!config.apps) return { ...flagsOverFile(config.input, config.describe, args.input, args.removals, args.options.config), topKeys: config.topKeys };
  // Several apps: flags (and removals) for one app are refused (generateMany); the shared ones replace.
  const overFile = (describeInFile: Describe): Describe => (field, index) =>
    field.key in args.input ? describeAsFlag(field) : describeInFile(field, index);
  const apps = config.apps.map((app) => ({ input: app.input, describe: overFile(app.describe) }));
  return { input: { ...config.input, ...args.input }, describe: overFile(config.describe), topKeys: config.topKeys, apps };
}

/** Input → Spec → Plan, refusing (exit 2) anything invalid alone or for the chosen approach. */
export function resolvePlan({ input, describe }: GatheredInput): { spec: Spec; plan: Plan } {
  const built = buildSpec(input, describe);
  if (!built.ok) throw new UsageError('invalid input, nothing written:', built.problems);
  const plan = planSetup(built.spec);
  if (plan.problems.length > 0) throw new UsageError(`invalid input for the ${plan.decision.outcome.title}, nothing written:`, plan.problems);
  return { spec: built.spec, plan };
}
