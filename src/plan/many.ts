import { decide } from '../decide/index.js';
import { OUTCOMES } from '../decide/index.js';
import type { Problem, Spec } from '../spec/index.js';
import { serializeSpecs } from '../spec/index.js';
import { artifactsFor } from './artifacts.js';
import type { Artifact } from './artifacts.js';
import { ESO_CHART } from './azure-facts.js';
import { esoProblems } from './eso.js';
import { sdkProblems } from './sdk.js';
import { vaultNetworkProblems } from './vault-network.js';
import { ingressProblems, withIngress } from './ingress.js';
import type { SharedStore } from './eso.js';
import { buildSetupView } from './setup-view.js';
import type { SetupEntry, SetupView } from './setup-view.js';
import { buildView } from './view.js';
import type { View } from './view.js';

/** Azure allows 20 federated identity credentials on one managed identity. */
export const MAX_FEDERATED_CREDENTIALS = 20;

/** One file of a several-workload folder, with the values it is rendered from. */
export interface ManyArtifact {
  artifact: Artifact;
  view: object;
}

export interface ManyPlan {
  problems: Problem[];
  files: ManyArtifact[];
  setup: SetupView;
}

/** What the overview README and the shared files read. */
export interface ManyView {
  setup: SetupView;
  apps: { app: string; namespace: string; title: string; dir: string; view: View }[];
  sharedStore: SharedStore | null;
  artifacts: Pick<Artifact, 'path' | 'description'>[];
  answersYaml: string;
  vault: string;
  identity: string;
  cluster: string;
}

const SHARED_FILES = ['kv-secrets.yaml', 'azure/setup.sh', '.pre-commit-config.yaml', '.gitignore'];
const MEMBER_FILES = (path: string) => path === 'README.md' || path.startsWith('k8s/');

/**
 * Several workloads that share one vault, identity, cluster and resource group: a folder per app, and
 * one setup script in which no step is repeated. `where` names the file for problems.
 */
export function planMany(specs: Spec[], topKeys: Set<string>, where: string): ManyPlan {
  const problems: Problem[] = [];
  for (const key of ['vault', 'identity'] as const) {
    if (!topKeys.has(key)) problems.push({ field: `${where} ${key}`, value: '', rule: 'must be set at the top of the file: the apps share one' });
  }
  // The vault's network is shared: checked once, named by its key at the top of the file.
  problems.push(...vaultNetworkProblems(specs[0]!).map((p) => ({ ...p, field: `${where} ${p.field.replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}` })));
  const names = new Set<string>();
  const types = new Map<string, string>();
  specs.forEach((spec, i) => {
    if (names.has(spec.app)) problems.push({ field: `${where} apps[${i}].app`, value: spec.app, rule: 'names a second app the same; each app gets a folder of its own' });
    names.add(spec.app);
    for (const object of spec.secrets) {
      const known = types.get(object.name.toLowerCase());
      if (known && known !== object.type) problems.push({ field: `${where} apps[${i}].secrets`, value: object.name, rule: `is a ${object.type} here but a ${known} in another app` });
      types.set(object.name.toLowerCase(), object.type);
    }
  });

  const decided = specs.map((spec) => ({ spec, decision: decide(spec) }));
  const esoNamespaces = [...new Set(decided.filter((d) => d.decision.approach === 'eso').map((d) => d.spec.namespace))].sort();
  const vaultName = specs[0]!.vault.toLowerCase();
  const sharedStore: SharedStore | null =
    esoNamespaces.length > 1 ? { name: vaultName, serviceAccount: `${vaultName}-eso`, namespace: ESO_CHART.namespace, namespaces: esoNamespaces } : null;

  const files: ManyArtifact[] = [];
  const entries: SetupEntry[] = [];
  const sharedArtifacts: Artifact[] = [];
  if (sharedStore) {
    const first = decided.find((d) => d.decision.approach === 'eso')!;
    const storeSpec: Spec = { ...first.spec, app: sharedStore.name, namespace: sharedStore.namespace, serviceAccount: sharedStore.serviceAccount };
    const storeArtifacts = artifactsFor('eso').filter((a) => ['serviceaccount', 'secretstore', 'kustomization'].includes(a.snippet));
    const storeView = buildView(storeSpec, first.decision, storeArtifacts, { sharedStore });
    for (const artifact of storeArtifacts) {
      const shared = { ...artifact, path: `shared/${artifact.path}` };
      files.push({ artifact: shared, view: storeView });
      sharedArtifacts.push(shared);
    }
    entries.push({
      spec: { ...storeSpec, secrets: [] },
      approach: 'eso',
      dir: 'shared/',
      federatedAccounts: [{ namespace: sharedStore.namespace, serviceAccount: sharedStore.serviceAccount }],
      placeholderFiles: ['shared/k8s/serviceaccount.yaml'],
      shared: true,
    });
  }
  const apps: ManyView['apps'] = [];
  for (const { spec, decision } of decided) {
    const dir = `${spec.app}/`;
    const memberArtifacts = withIngress(artifactsFor(decision.approach, spec.workload), spec, decision.approach).filter(
      (a) => MEMBER_FILES(a.path) && !(sharedStore && decision.approach === 'eso' && a.snippet === 'secretstore'),
    );
    const view = buildView(spec, decision, memberArtifacts, { sharedStore: decision.approach === 'eso' ? sharedStore : null });
    const approachProblems = [...(decision.approach === 'eso' ? esoProblems(spec) : decision.approach === 'sdk' ? sdkProblems(spec) : []), ...ingressProblems(spec, decision.approach)];
    problems.push(...approachProblems.map((p) => ({ ...p, field: `${where} apps[${apps.length}].${p.field.replace(/^--/, '')}` })));
    for (const artifact of memberArtifacts) files.push({ artifact: { ...artifact, path: `${dir}${artifact.path}` }, view });
    entries.push({
      spec,
      approach: decision.approach,
      dir,
      federatedAccounts: decision.approach === 'eso' && sharedStore ? [] : [{ namespace: spec.namespace, serviceAccount: spec.serviceAccount }],
      placeholderFiles: memberArtifacts.filter((a) => ['serviceaccount', 'secretproviderclass', 'ingress-tls'].includes(a.snippet)).map((a) => `${dir}${a.path}`),
    });
    apps.push({ app: spec.app, namespace: spec.namespace, title: OUTCOMES[decision.approach].title, dir, view });
  }

  const setup = buildSetupView(entries);
  if (setup.federations.length > MAX_FEDERATED_CREDENTIALS) {
    problems.push({
      field: `${where} apps`,
      value: String(setup.federations.length),
      rule: `need ${setup.federations.length} federated credentials on identity ${specs[0]!.identity}; Azure allows ${MAX_FEDERATED_CREDENTIALS} per managed identity. Split the apps over two identities (two config files).`,
    });
  }

  const topArtifacts = artifactsFor('csi').filter((a) => SHARED_FILES.includes(a.path) || a.path === 'README.md');
  const readme = topArtifacts.find((a) => a.path === 'README.md')!;
  const view: ManyView = {
    setup,
    apps,
    sharedStore,
    artifacts: [
      ...topArtifacts.map(({ path, description }) => ({ path, description })),
      ...(sharedStore ? sharedArtifacts.map(({ path, description }) => ({ path, description })) : []),
    ],
    answersYaml: serializeSpecs(specs, decided.map((d) => d.decision.approach)),
    vault: specs[0]!.vault,
    identity: specs[0]!.identity,
    cluster: specs[0]!.cluster,
  };
  const top = topArtifacts.filter((a) => a !== readme).map((artifact) => ({ artifact, view }));
  files.unshift({ artifact: { ...readme, template: 'common/README-many.md' }, view }, ...top);
  return { problems, files, setup };
}
