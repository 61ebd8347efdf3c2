/**
 * azure/setup.sh keeps secret values out of traces, the environment and argv whatever shell options
 * it inherits (issue 18), and stores each value exactly, a CRLF line ending dropped (issue 16).
 * Runs the generated script against the stand-in az (test/stand-ins/az), whose env log is read from
 * /proc/self/environ of each az process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import type { ExpectStatic } from 'vitest';
import { Sandbox, callsOf } from './support/standin-harness.js';
import type { Run } from './support/standin-harness.js';

const FLAGS = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster', '--secret', 'db-password', '--secret', 'api-key'];
// The marker QZX has no hex letter, so it cannot turn up inside an ID by chance.
const VALUES = ['QZX one "two" $HOME', '-QZX --file /etc/passwd'];
const MARKER = 'QZX';

afterAll(() => Sandbox.removeAll());

const stored = (sb: Sandbox, name: string): string | undefined => {
  const secret = sb.state().vaultData['myapp-kv']?.secrets[name];
  return secret && Buffer.from(secret.valueBase64 as string, 'base64').toString('utf8');
};

function expectNoValueOutside(expect: ExpectStatic, run: Run): void {
  expect(run.stderr).not.toContain(MARKER);
  expect(run.stdout).not.toContain(MARKER);
  for (const call of run.calls) expect(call.argv.join(' ')).not.toContain(MARKER);
  expect(run.envs.length).toBeGreaterThan(0);
  for (const env of run.envs) expect(JSON.stringify(env)).not.toContain(MARKER);
}

async function setUp(): Promise<{ sb: Sandbox; folder: string }> {
  const sb = await Sandbox.create();
  return { sb, folder: await sb.generate('app', FLAGS) };
}

describe.concurrent('azure/setup.sh and the shell options it inherits', { timeout: 600_000 }, () => {
  const cases: [what: string, options: { env?: NodeJS.ProcessEnv; bashArgs?: string[] }][] = [
    ['SHELLOPTS=xtrace', { env: { SHELLOPTS: 'xtrace' } }],
    ['SHELLOPTS=allexport', { env: { SHELLOPTS: 'allexport' } }],
    ['bash -x azure/setup.sh', { bashArgs: ['-x'] }],
  ];
  for (const [what, options] of cases) {
    it(`${what}: no value in any output, argv or az environment; each stored exactly`, async ({ expect }) => {
      const { sb, folder } = await setUp();
      const run = await sb.runSetup(folder, { ...options, stdin: VALUES.map((v) => `${v}\n`).join('') });
      expect(run.code, run.stderr).toBe(0);
      expectNoValueOutside(expect, run);
      expect(callsOf(run.calls, 'keyvault secret set')).toHaveLength(2);
      expect(stored(sb, 'db-password')).toBe(VALUES[0]);
      expect(stored(sb, 'api-key')).toBe(VALUES[1]);
    });
  }

  it('BASH_ENV naming a file that turns on set -x: refused before any value is read', async ({ expect }) => {
    const { sb, folder } = await setUp();
    const bashEnv = join(sb.dir, 'bash-env');
    writeFileSync(bashEnv, 'set -x\n');
    const run = await sb.runSetup(folder, { env: { BASH_ENV: bashEnv }, stdin: VALUES.map((v) => `${v}\n`).join('') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: BASH_ENV is set (${bashEnv}): bash ran that file before this script`);
    expect(run.stderr).toContain('env -u BASH_ENV bash');
    expect(run.calls).toEqual([]);
    expectNoValueOutside(expect, { ...run, envs: [{}] });
  });

  it('a function from the environment (BASH_FUNC_printf%%): refused before any value is read', async ({ expect }) => {
    const { sb, folder } = await setUp();
    const run = await sb.runSetup(folder, { env: { 'BASH_FUNC_printf%%': '() { builtin printf "$@"; echo "$*" >&2; }' }, stdin: VALUES.map((v) => `${v}\n`).join('') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: shell functions came with the environment (printf )');
    expect(run.calls).toEqual([]);
  });
});

describe.concurrent('azure/setup.sh and line endings', { timeout: 600_000 }, () => {
  it('CRLF lines on stdin: the carriage return is dropped, each value stored exactly', async ({ expect }) => {
    const { sb, folder } = await setUp();
    const run = await sb.runSetup(folder, { stdin: VALUES.map((v) => `${v}\r\n`).join('') });
    expect(run.code, run.stderr).toBe(0);
    expect(stored(sb, 'db-password')).toBe(VALUES[0]);
    expect(stored(sb, 'api-key')).toBe(VALUES[1]);
  });

  it('a carriage return inside a value: refused, nothing stored', async ({ expect }) => {
    const { sb, folder } = await setUp();
    const run = await sb.runSetup(folder, { stdin: 'QZX\rinside\nsecond\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: the value given for db-password holds a carriage return; Key Vault would store it as part of the value.');
    expect(run.stderr).not.toContain(MARKER);
    expect(callsOf(run.calls, 'keyvault secret set')).toEqual([]);
  });
});
