/**
 * What a user meets before anything is generated: did-you-mean for a mistyped flag, config key or
 * snippet name; --help that fits 100 columns (every sub-command's too); --json errors that a script can
 * read; and the name under which commands of ours are printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { commandNameOf, ourCommandLines } from '../src/cli/command-name.js';
import { closestName, editDistance } from '../src/spec/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'kv-ux-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: scratch });
  return { code, stdout, stderr };
}

describe('did you mean', () => {
  it('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('namespace', 'namespace')).toBe(0);
    expect(editDistance('namsepace', 'namespace')).toBe(1);
    expect(editDistance('nmespace', 'namespace')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('names the closest known name, only when it is close enough to be a typo', () => {
    const known = ['--namespace', '--name', '--app', '--apply'];
    expect(closestName('--namspace', known)).toBe('--namespace');
    expect(closestName('--aply', known)).toBe('--apply');
    expect(closestName('--zzzzzz', known)).toBeUndefined();
    expect(closestName('RESOURCEGROUP', ['resourceGroup'])).toBe('resourceGroup');
  });

  it('an unknown flag: exit 2, with the flag meant', async () => {
    const result = await run(['--namspace', 'web']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("create-kv-secrets: Unknown option '--namspace': did you mean --namespace? (see --help)\n");
    expect((await run(['--qqqqqqqq'])).stderr).toBe("create-kv-secrets: Unknown option '--qqqqqqqq'; see --help\n");
  });

  it('an unknown key in kv-secrets.yaml, and in a secret entry', async () => {
    const config = join(scratch, 'typo.yaml');
    const header = 'apiVersion: create-kv-secrets/v1\napp: web\nresourceGroup: rg\ncluster: c\n';
    writeFileSync(config, `${header}namespce: web\nsecrets: [a]\n`);
    const key = await run(['--yes', '--config', config, '--out', join(scratch, 'never')]);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('typo.yaml:5 namespce "web": is not a known key; did you mean namespace? (known: ');
    writeFileSync(config, `${header}secrets:\n  - name: a\n    tpye: key\n`);
    const entry = await run(['--yes', '--config', config, '--out', join(scratch, 'never')]);
    expect(entry.code).toBe(2);
    expect(entry.stderr).toContain('tpye "key": is not a known key; did you mean type? (name, type, alias)');
  });

  it('an unknown snippet name', async () => {
    const result = await run(['snippet', 'servicaccount']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Did you mean serviceaccount?');
  });
});

describe('--help', () => {
  /** The main help, and that of every sub-command its Usage lists. */
  async function helps(): Promise<Map<string, string>> {
    const main = (await run(['--help'])).stdout;
    const usage = main.slice(main.indexOf('Usage:'), main.indexOf('\n\n', main.indexOf('Usage:')));
    const commands = [...new Set([...usage.matchAll(/create-kv-secrets ([a-z][a-z-]+)/g)].map((m) => m[1]!))];
    const texts = new Map([['', main]]);
    for (const command of commands) texts.set(command, (await run([command, '--help'])).stdout);
    return texts;
  }

  it('every line of every help fits 100 columns, and no parenthesis follows another: `(a) (b)`', async () => {
    const texts = await helps();
    expect([...texts.keys()]).toContain('apply');
    for (const [command, text] of texts) {
      expect(text, command).toMatch(/Usage:/);
      for (const line of text.split('\n')) {
        expect(line.length, `${command || 'main'} help: ${line}`).toBeLessThanOrEqual(100);
        expect(line, `${command || 'main'} help`).not.toMatch(/\) \(/);
      }
    }
  });
});

describe('--json errors', () => {
  it('a bad value: the human message on stderr, JSON on stdout naming flag and value, exit 2', async () => {
    const result = await run(['--json', '--yes', '--app', 'Web_1', '--resource-group', 'rg', '--cluster', 'c', '--secret', 'a', '--out', join(scratch, 'never')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--app "Web_1": must be a Kubernetes DNS-1123 label');
    expect(JSON.parse(result.stdout)).toEqual({
      error: { flag: '--app', value: 'Web_1', message: expect.stringMatching(/^invalid input, nothing written: --app "Web_1": must be/) },
    });
  });

  it('several problems are listed; an argv that does not parse is JSON too', async () => {
    const several = await run(['--json', '--yes', '--app', 'Web_1', '--cluster', 'c']);
    expect(several.code).toBe(2);
    const { error } = JSON.parse(several.stdout) as { error: { flag: string; problems: { flag: string }[] } };
    expect(error.problems.map((p) => p.flag).sort()).toEqual(['--app', '--resource-group', '--secret']);
    const unknown = await run(['--json', '--namspace', 'x']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({ error: { flag: '--namspace', value: '', message: expect.stringContaining('did you mean --namespace?') } });
  });

  it('without --json, stdout stays empty on an error', async () => {
    expect((await run(['--namspace', 'x'])).stdout).toBe('');
  });
});

describe('the command name printed', () => {
  const cwd = '/home/me/src/create-kv-secrets';
  it.each([
    ['npx (registry or tarball): npm’s link in node_modules/.bin', '/home/me/.npm/_npx/0a1b/node_modules/.bin/create-kv-secrets', 'npx create-kv-secrets'],
    ['a project dependency', '/home/me/app/node_modules/.bin/create-kv-secrets', 'npx create-kv-secrets'],
    ['installed globally', '/usr/local/bin/create-kv-secrets', 'create-kv-secrets'],
    ['a clone, from its root', '/home/me/src/create-kv-secrets/bin/create-kv-secrets.cjs', 'node bin/create-kv-secrets.cjs'],
    ['a clone, from a folder beside it', '/home/me/src/other/bin/create-kv-secrets.cjs', 'node ../other/bin/create-kv-secrets.cjs'],
    ['a clone, from far away', '/opt/tools/create-kv-secrets/bin/create-kv-secrets.cjs', 'node /opt/tools/create-kv-secrets/bin/create-kv-secrets.cjs'],
    ['our source, in tests', '/home/me/src/create-kv-secrets/node_modules/vitest/vitest.mjs', 'create-kv-secrets'],
  ])('%s', (_how, script, name) => {
    expect(commandNameOf({ script, cwd })).toBe(name);
  });

  it('a long command is broken with ` \\` between flags, every line within 100 columns', () => {
    const groups = [['web-kv-secrets', '--yes'], ...Array.from({ length: 12 }, (_, i) => [`--flag-${i}`, `value-number-${i}`])];
    const lines = ourCommandLines(groups).split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines[0]).toMatch(/^ {2}create-kv-secrets web-kv-secrets --yes --flag-0 value-number-0 /);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/ \\$/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {4}--flag-/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });
});
