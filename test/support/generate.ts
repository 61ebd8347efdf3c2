import { parseArgv } from '../../src/cli/options.js';
import { buildSpec } from '../../src/spec/index.js';
import type { Spec } from '../../src/spec/index.js';
import { planSetup } from '../../src/plan/index.js';
import type { Plan } from '../../src/plan/index.js';
import { renderPlan } from '../../src/render/index.js';
import type { RenderedFile } from '../../src/render/index.js';

/** The guide's example, as flags. */
export const GUIDE_FLAGS = [
  '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster',
  '--secret', 'db-password', '--secret', 'api-key', '--secret', 'tls-cert:cert',
];

export function specFrom(flags: string[]): Spec {
  const built = buildSpec(parseArgv(flags).input);
  if (!built.ok) throw new Error(`bad flags: ${JSON.stringify(built.problems)}`);
  return built.spec;
}

/** Renders a folder in memory from flags, as the CLI would (no file system). */
export function generate(flags: string[]): { spec: Spec; plan: Plan; files: Map<string, RenderedFile> } {
  const spec = specFrom(flags);
  const plan = planSetup(spec);
  const files = new Map(renderPlan(plan).map((f) => [f.path, f]));
  return { spec, plan, files };
}

export function fileText(files: Map<string, RenderedFile>, path: string): string {
  const file = files.get(path);
  if (!file) throw new Error(`no generated file ${path}; have ${[...files.keys()].join(', ')}`);
  return file.content;
}
