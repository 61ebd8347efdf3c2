import type { Plan } from '../plan/index.js';
import type { Artifact, ArtifactKind } from '../plan/index.js';
import { template } from './environment.js';
import { checkYaml } from './yaml-check.js';

export * from './quote.js';

export interface RenderedFile {
  path: string;
  content: string;
  mode: number;
  kind: ArtifactKind;
}

/** A rendered file failed its own check: a bug in a template, never the user's input. */
export class RenderCheckError extends Error {
  override name = 'RenderCheckError';
}

/** Every YAML file is parsed again before anything is written (yaml-check.ts); a failure means a template bug. */
function checkRendered(file: RenderedFile): void {
  if (file.kind !== 'yaml') return;
  try {
    checkYaml(file.content);
  } catch (error) {
    throw new RenderCheckError(`${file.path} does not parse back as YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Renders each artifact with its own view (several workloads in one folder each have theirs). */
export function renderArtifacts(jobs: { artifact: Artifact; view: object }[]): RenderedFile[] {
  return jobs.map(({ artifact, view }) => {
    const file: RenderedFile = {
      path: artifact.path,
      content: template(artifact.template)(view),
      mode: artifact.mode,
      kind: artifact.kind,
    };
    checkRendered(file);
    return file;
  });
}

export function renderPlan(plan: Plan): RenderedFile[] {
  return renderArtifacts(plan.artifacts.map((artifact) => ({ artifact, view: plan.view })));
}
