/**
 * The same inputs as property.test.ts, a sample of them through the command itself (main() with a
 * temporary working folder): an input the pipeline refuses exits 2, says why on stderr and leaves the
 * folder empty; any other input exits 0 and writes exactly the rendered files, with their modes, and
 * nothing else. Also: a value that starts with `-` given apart from its flag is bad usage (exit 2).
 *
 * Runs: CLI_RUNS cases (default 150, ~3 s).
 */
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import fc from 'fast-check';
import { main } from '../src/cli/main.js';
import { parseArgv } from '../src/cli/options.js';
import { buildSpec } from '../src/spec/index.js';
import { planSetup } from '../src/plan/index.js';
import { renderPlan } from '../src/render/index.js';
import { RECORD_FILE } from '../src/write/index.js';
import { argvOf, flagInput, hostile } from './support/prop-arbitraries.js';

const RUNS = Number(process.env['KV_CLI_RUNS'] ?? 150);
const SEED = process.env['KV_PROP_SEED'] === undefined ? {} : { seed: Number(process.env['KV_PROP_SEED']) };
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kv-prop-cli-'));
  roots.push(dir);
  return dir;
}

/** Every entry under `dir`, as relative paths with modes; links and special files show as such. */
function tree(dir: string): Map<string, { mode: number; content?: Buffer }> {
  const out = new Map<string, { mode: number; content?: Buffer }>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      const path = relative(dir, full).split('\\').join('/');
      const stat = lstatSync(full);
      if (entry.isDirectory()) walk(full);
      else out.set(path, { mode: stat.mode & 0o777, ...(stat.isFile() ? { content: readFileSync(full) } : {}) });
    }
  };
  walk(dir);
  return out;
}

async function run(argv: string[], cwd: string) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t), cwd, isInteractive: false, env: { CI: 'true' } });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** What the pipeline alone says about argv: refused, or the files it renders. */
function expected(argv: string[]) {
  let input;
  try {
    input = parseArgv(argv).input;
  } catch {
    return null;
  }
  const built = buildSpec(input);
  if (!built.ok) return null;
  const plan = planSetup(built.spec);
  return plan.problems.length > 0 ? null : renderPlan(plan);
}

const stats = { refused: 0, written: 0 };
afterAll(() => console.info(`property-cli: ${stats.refused} refused with exit 2, ${stats.written} written with exit 0`));

test(`${RUNS} inputs through main(): exit 2 and nothing written, or exit 0 and exactly the files`, async () => {
  await fc.assert(
    fc.asyncProperty(flagInput, fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), async (input, separate) => {
      const cwd = tempDir();
      const argv = [...argvOf(input, separate), '--yes', 'out'];
      const files = expected(argv);
      const result = await run(argv, cwd);
      if (files === null) {
        stats.refused += 1;
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(/^create-kv-secrets: /);
        expect(result.stdout).toBe('');
        expect(readdirSync(cwd)).toEqual([]);
      } else {
        stats.written += 1;
        expect(result.code, result.stderr).toBe(0);
        expect(readdirSync(cwd)).toEqual(['out']);
        const written = tree(join(cwd, 'out'));
        // Exactly the files, and the record of what was generated.
        expect([...written.keys()].sort()).toEqual([...files.map((f) => f.path), RECORD_FILE].sort());
        for (const file of files) {
          const got = written.get(file.path)!;
          expect(got.mode, file.path).toBe(file.mode);
          expect(got.content?.equals(Buffer.from(file.content, 'utf8')), file.path).toBe(true);
        }
      }
      rmSync(cwd, { recursive: true, force: true });
    }),
    { numRuns: RUNS, ...SEED },
  );
  expect(stats.refused).toBeGreaterThan(RUNS / 10);
  expect(stats.written).toBeGreaterThan(RUNS / 10);
}, Math.max(60_000, RUNS * 200));

test('a value that starts with "-" given apart from its flag is bad usage: exit 2, nothing written', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('--app', '--image', '--secret', '--subscription', '--namespace'), hostile().map((v) => `-${v}`), async (flag, value) => {
      const cwd = tempDir();
      const result = await run([flag, value, '--yes', 'out'], cwd);
      expect(result.code).toBe(2);
      expect(readdirSync(cwd)).toEqual([]);
      rmSync(cwd, { recursive: true, force: true });
    }),
    { numRuns: 40, ...SEED },
  );
});
