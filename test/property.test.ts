/**
 * Property: whatever a user types, create-kv-secrets either refuses it (buildSpec or the plan names a
 * problem; the CLI exits 2 and writes nothing: see property-cli.test.ts) or generates a folder in which
 * - every YAML file passes the render's check (it parses without error or warning and reads the same
 *   under YAML 1.2 and YAML 1.1, what kubectl's sigs.k8s.io/yaml reads), and is exactly the intended documents: every user value unchanged
 *   where it belongs, no extra document or key (test/support/prop-oracle.ts);
 * - kv-secrets.yaml reads back (parseConfig, buildSpec) as the very same Spec;
 * - azure/setup.sh passes `bash -n`, and bash reads every value it was given back unchanged: the
 *   Settings block, each object, each federation, the placeholder files, the closing hints
 *   (test/support/prop-bash.ts).
 *
 * Inputs (test/support/prop-arbitraries.ts) cover every field of the flag table, valid and hostile, and
 * both approaches (CSI for `--app-kind new`, ESO for legacy apps reading env vars or a Secret object).
 *
 * Runs: RUNS cases (default 2000, ~15 s on 2 idle cores; KV_PROP_RUNS=20000 for a long soak). A failure
 * prints fast-check's seed and the shrunk input; replay with KV_PROP_SEED=<seed>.
 */
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { parseArgv } from '../src/cli/options.js';
import { buildSpec } from '../src/spec/index.js';
import { parseConfig } from '../src/spec/config-read.js';
import type { Spec } from '../src/spec/index.js';
import { planSetup } from '../src/plan/index.js';
import { inlineCode, renderPlan } from '../src/render/index.js';
import type { RenderedFile } from '../src/render/index.js';
import { FIELDS } from '../src/spec/index.js';
import { VALID, argvOf, expectedArgs, flagInput } from './support/prop-arbitraries.js';
import type { FlagInput } from './support/prop-arbitraries.js';
import { BashChecker } from './support/prop-bash.js';
import { approachOf, csiObjects, expectedCsiObjects, expectedDocuments, expectedPaths, expectedSetup, expectedSpec } from './support/prop-oracle.js';

const RUNS = Number(process.env['KV_PROP_RUNS'] ?? 2000);
const SEED = process.env['KV_PROP_SEED'] === undefined ? undefined : Number(process.env['KV_PROP_SEED']);
const params = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });

type Outcome = { refused: 'parse' | 'spec' | 'plan' } | { spec: Spec; files: RenderedFile[] };

/** The CLI's own pipeline, in memory: argv → Spec → Plan → files. */
export function pipeline(argv: string[]): Outcome {
  let input;
  try {
    input = parseArgv(argv).input;
  } catch {
    return { refused: 'parse' };
  }
  const built = buildSpec(input);
  if (!built.ok) return { refused: 'spec' };
  const plan = planSetup(built.spec);
  if (plan.problems.length > 0) return { refused: 'plan' };
  return { spec: built.spec, files: renderPlan(plan) };
}

/**
 * One YAML file's documents. That it parses without error or warning and reads the same as YAML 1.1
 * (kubectl) is the render's own check (src/render/yaml-check.ts), which every case passes through.
 */
function readYaml(file: RenderedFile): unknown[] {
  return parseAllDocuments(file.content).map((d) => d.toJS());
}

function checkFolder(input: FlagInput, spec: Spec, files: RenderedFile[]): void {
  // Every value given arrives unchanged; the rest are the table's defaults.
  expect(spec).toEqual(expectedSpec(input));
  const byPath = new Map(files.map((f) => [f.path, f]));
  expect([...byPath.keys()]).toEqual(expectedPaths(spec));
  for (const file of files) expect(file.mode, file.path).toBe(file.path.endsWith('.sh') ? 0o755 : 0o644);

  const expected = expectedDocuments(spec);
  for (const file of files.filter((f) => f.kind === 'yaml')) {
    const docs = readYaml(file);
    expect(docs, file.path).toEqual(expected[file.path]);
  }
  expect(Object.keys(expected).every((p) => byPath.has(p))).toBe(true);
  if (approachOf(spec) === 'csi') {
    const spc = readYaml(byPath.get('k8s/secretproviderclass.yaml')!)[0] as { spec: { parameters: { objects: string } } };
    expect(csiObjects(spc.spec.parameters.objects)).toEqual(expectedCsiObjects(spec));
  }

  // The answers file holds the keys the approach uses, as given; the others read back as their
  // defaults, which the approach's files never read: it regenerates the same folder, byte for byte.
  const config = parseConfig(byPath.get('kv-secrets.yaml')!.content, 'kv-secrets.yaml');
  expect(config.problems).toEqual([]);
  const again = buildSpec(config.input);
  if (!again.ok) throw new Error(JSON.stringify(again.problems));
  const used = (s: Spec) => FIELDS.filter((f) => f.only === undefined || f.only === approachOf(spec)).map((f) => [f.key, s[f.key]]);
  expect(used(again.spec)).toEqual(used(spec));
  expect(renderPlan(planSetup(again.spec))).toEqual(files);

  // The README names the workload and its Azure resources verbatim.
  const readme = byPath.get('README.md')!.content;
  for (const value of [spec.app, spec.namespace, spec.vault, spec.cluster, spec.resourceGroup, spec.identity]) expect(readme).toContain(inlineCode(value));
}

const stats = { cases: 0, accepted: 0, csi: 0, eso: 0, refused: { parse: 0, spec: 0, plan: 0 }, scripts: 0 };
const bash = new BashChecker();
afterAll(() => {
  bash.close();
  console.info(`property: ${stats.cases} cases, ${stats.accepted} generated (${stats.csi} CSI, ${stats.eso} ESO), ${stats.scripts} scripts through bash, refused: ${JSON.stringify(stats.refused)}`);
});

describe('every input is refused, or gives a folder that reads back exactly', () => {
  test('the arbitraries cover every field of the flag table', () => {
    expect(Object.keys(VALID).sort()).toEqual(FIELDS.map((f) => f.key).sort());
  });

  test('the generator is varied: many valid folders of both approaches, many refusals, hostile values that pass', () => {
    const SPECIAL = /[^A-Za-z0-9._/:@-]/;
    const counts = { cases: 0, accepted: 0, csi: 0, eso: 0, refused: 0, hostileFreeForm: 0, hostileGiven: 0 };
    for (const input of fc.sample(flagInput, { numRuns: 1000, seed: 7 })) {
      counts.cases += 1;
      if (Object.values(input).some((v) => typeof v === 'string' && /[\n:#{}&*!|>'"%@`$;\\]|^-/.test(v))) counts.hostileGiven += 1;
      const outcome = pipeline(argvOf(input));
      if ('refused' in outcome) {
        counts.refused += 1;
        continue;
      }
      counts.accepted += 1;
      counts[approachOf(outcome.spec)] += 1;
      if ([outcome.spec.image, outcome.spec.subscription ?? '', outcome.spec.resourceGroup].some((v) => SPECIAL.test(v))) counts.hostileFreeForm += 1;
    }
    console.info(`generator sample: ${JSON.stringify(counts)}`);
    expect(counts.accepted / counts.cases).toBeGreaterThanOrEqual(0.3);
    expect(counts.refused / counts.cases).toBeGreaterThanOrEqual(0.3);
    expect(counts.csi / counts.accepted).toBeGreaterThanOrEqual(0.25);
    expect(counts.eso / counts.accepted).toBeGreaterThanOrEqual(0.25);
    expect(counts.hostileFreeForm / counts.accepted).toBeGreaterThanOrEqual(0.3);
    expect(counts.hostileGiven / counts.cases).toBeGreaterThanOrEqual(0.5);
  });

  test(`${RUNS} inputs: YAML, answers file and azure/setup.sh round-trip every value`, async () => {
    await fc.assert(
      fc.asyncProperty(flagInput, fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), async (input, separate) => {
        stats.cases += 1;
        const argv = argvOf(input, separate);
        // argv reads back as typed, whatever the value holds.
        expect(parseArgv(argv).input).toEqual(expectedArgs(input));
        const outcome = pipeline(argv);
        if ('refused' in outcome) {
          stats.refused[outcome.refused] += 1;
          return;
        }
        stats.accepted += 1;
        stats[approachOf(outcome.spec)] += 1;
        checkFolder(input, outcome.spec, outcome.files);

        const script = outcome.files.find((f) => f.path === 'azure/setup.sh')!.content;
        const probe = await bash.check(script);
        stats.scripts += 1;
        expect(probe.syntaxErrors, 'bash -n azure/setup.sh').toBe('');
        expect(probe.syntaxStatus).toBe(0);
        expect(probe.probeErrors, 'probe of azure/setup.sh').toBe('');
        expect(probe.probeStatus).toBe(0);
        const want = expectedSetup(outcome.spec);
        for (const [name, value] of Object.entries(want.vars)) {
          if (Array.isArray(value)) expect(value, name).toContain(probe.vars[name]);
          else expect(probe.vars[name], name).toBe(value);
        }
        expect(probe.objects).toEqual(want.objects);
        expect(probe.federations).toEqual(want.federations);
        expect(probe.files).toEqual(want.files);
        const printed = probe.printed.flat();
        for (const arg of printed) expect(want.printable, 'a closing hint prints a value it was not given').toContain(arg);
        for (const value of want.mustPrint) expect(printed).toContain(value);
      }),
      params(RUNS),
    );
  }, Math.max(60_000, RUNS * 50));
});
