import type { Problem, Spec } from '../spec/index.js';
import { decide } from '../decide/index.js';
import type { Decision } from '../decide/index.js';
import { artifactsFor } from './artifacts.js';
import type { Artifact } from './artifacts.js';
import { buildView } from './view.js';
import { esoProblems } from './eso.js';
import { sdkProblems } from './sdk.js';
import { vaultNetworkProblems } from './vault-network.js';
import { ingressProblems, withIngress } from './ingress.js';
import type { View } from './view.js';

export * from './artifacts.js';
export * from './azure-facts.js';
export * from './names.js';
export * from './eso.js';
export * from './sdk.js';
export * from './workload.js';
export * from './vault-network.js';
export * from './ingress.js';
export type { View, ObjectView } from './view.js';

export interface Plan {
  decision: Decision;
  /** Input that is valid alone but not for the chosen approach; nothing may be rendered while any. */
  problems: Problem[];
  artifacts: Artifact[];
  view: View;
}

/** Spec → the files to generate and the values they are rendered from. Pure. */
export function planSetup(spec: Spec): Plan {
  const decision = decide(spec);
  const artifacts = withIngress(artifactsFor(decision.approach, spec.workload), spec, decision.approach);
  const view = buildView(spec, decision, artifacts);
  const approachProblems = decision.approach === 'eso' ? esoProblems(spec) : decision.approach === 'sdk' ? sdkProblems(spec) : [];
  const problems = [...approachProblems, ...vaultNetworkProblems(spec), ...ingressProblems(spec, decision.approach)];
  return { decision, problems, artifacts, view };
}
export * from './many.js';
export * from './setup-view.js';
