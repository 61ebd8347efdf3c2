/**
 * shellcheck on azure/setup.sh for a sample of the generated inputs of property.test.ts (shellcheck
 * takes ~0.3 s a script, too slow for every case there): SHELLCHECK_SAMPLE accepted specs (default
 * 30, both approaches, hostile free-form values included), plus one spec for each value in
 * SHELL_HOSTILE as the subscription name (the one free-form value azure/setup.sh carries), two at a time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { argvOf, flagInput } from './support/prop-arbitraries.js';
import { parseArgv } from '../src/cli/options.js';
import { buildSpec } from '../src/spec/index.js';
import { planSetup } from '../src/plan/index.js';
import { renderPlan } from '../src/render/index.js';

const SAMPLE = Number(process.env['SHELLCHECK_SAMPLE'] ?? 30);
const SEED = Number(process.env['KV_PROP_SEED'] ?? 20240607);
const SHELLCHECK = ['shellcheck', '/usr/bin/shellcheck'].find((c) => spawnSync(c, ['--version']).status === 0);

function shellcheck(script: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SHELLCHECK!, ['--shell=bash', '--severity=style', '--format=gcc', '-']);
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
    child.stdin.end(script);
  });
}

/** Subscription names that single quotes carry literally, and that look like mistakes to shellcheck. */
const SHELL_HOSTILE = ["a\\'b", '$(id)', '`id`', '${HOME}', "it's", 'back\\slash', "\\'\\'", '"x" $y `z`'];

/** Accepted inputs from the property's own generator, half CSI and half ESO. */
function sampleScripts(): { label: string; script: string }[] {
  const wanted = { csi: Math.ceil(SAMPLE / 2), eso: Math.floor(SAMPLE / 2) };
  const picked: { label: string; script: string }[] = [];
  for (const input of fc.sample(flagInput, { numRuns: SAMPLE * 40, seed: SEED })) {
    const built = buildSpec(parseArgv(argvOf(input)).input);
    if (!built.ok) continue;
    const plan = planSetup(built.spec);
    const approach = plan.decision.approach;
    if (plan.problems.length > 0 || wanted[approach] === 0) continue;
    wanted[approach] -= 1;
    picked.push({ label: `${approach} ${JSON.stringify(input).slice(0, 300)}`, script: renderPlan(plan).find((f) => f.path === 'azure/setup.sh')!.content });
    if (wanted.csi + wanted.eso === 0) break;
  }
  for (const [i, name] of SHELL_HOSTILE.entries()) {
    const flags = ['--app', 'web', '--resource-group', 'rg', '--cluster', 'aks', '--secret', 'db-password', '--subscription', name, ...(i % 2 ? ['--app-kind', 'legacy'] : [])];
    const built = buildSpec(parseArgv(flags).input);
    if (!built.ok) throw new Error(`subscription ${JSON.stringify(name)} refused: ${JSON.stringify(built.problems)}`);
    const plan = planSetup(built.spec);
    picked.push({ label: `subscription ${JSON.stringify(name)}`, script: renderPlan(plan).find((f) => f.path === 'azure/setup.sh')!.content });
  }
  return picked;
}

test(`shellcheck passes azure/setup.sh of ${SAMPLE} generated specs and ${SHELL_HOSTILE.length} hostile subscription names`, async () => {
  expect(SHELLCHECK, 'shellcheck is not installed (apt-get install -y shellcheck)').toBeDefined();
  const scripts = sampleScripts();
  expect(scripts).toHaveLength(SAMPLE + SHELL_HOSTILE.length);
  const failures: string[] = [];
  for (let i = 0; i < scripts.length; i += 2) {
    const results = await Promise.all(scripts.slice(i, i + 2).map(async (s) => ({ ...s, ...(await shellcheck(s.script)) })));
    for (const r of results) if (r.status !== 0 || r.output !== '') failures.push(`${r.label}\n${r.output}`);
  }
  expect(failures).toEqual([]);
}, 120_000);
