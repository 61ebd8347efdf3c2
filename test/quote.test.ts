import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { inlineCode, shellQuoted, shellVariableOr, shellWord, yamlBlock, yamlScalar, yamlString } from '../src/render/quote.js';

const HOSTILE = [
  'plain', '', ' lead', 'trail ', "it's", 'say "hi"', 'a: b', 'a #b', '# c', '{x}', '[y]', '&a', '*b', '!t', '|p', '>f',
  "'", '"', '%x', '@y', '`z`', '- item', '---', '...', 'yes', 'no', 'true', '0x1F', '1e3', '~', 'null', 'a\nb', 'a\n\nb\n',
  'tab\there', '$(id)', '`id`', 'a;b', 'a&&b', 'a|b', '\\', 'back\\slash\\', '*', '?', '[a]', '~root', 'ünïcødé ✓', '\u2028',
  'x'.repeat(5000), '-n', '--', '\r\n',
];

describe('YAML quoting', () => {
  it.each(HOSTILE.map((v) => [JSON.stringify(v).slice(0, 40), v]))('round-trips %s', (_label, value) => {
    for (const render of [yamlScalar, yamlString]) {
      const text = `a:\n  key: ${render(value)}\n  other: 1\n`;
      expect(parse(text)).toEqual({ a: { key: value, other: 1 } });
    }
    const block = `a:\n  key: ${yamlBlock(value, 2)}\n  other: 1\n`;
    expect(parse(block)).toEqual({ a: { key: value, other: 1 } });
  });

  it('keeps simple values readable', () => {
    expect(yamlScalar('myapp')).toBe('myapp');
    expect(yamlScalar('true')).toBe('"true"');
    expect(yamlString('myapp')).toBe('"myapp"');
  });
});

describe('shell quoting', () => {
  it.each(HOSTILE.filter((v) => !v.includes('\0')).map((v) => [JSON.stringify(v).slice(0, 40), v]))('bash reads %s back unchanged', (_label, value) => {
    for (const quote of [shellWord, shellQuoted]) {
      const out = execFileSync('bash', ['-c', `printf '%s' ${quote(value)}`], { encoding: 'utf8' });
      expect(out).toBe(value);
    }
  });

  it('leaves safe words bare', () => {
    expect(shellWord('myapp-kv')).toBe('myapp-kv');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellQuoted('abc')).toBe("'abc'");
  });
});

describe('a shell variable with a fallback', () => {
  it('is the variable when set and not empty, else the fallback', () => {
    const read = (env: Record<string, string>) =>
      execFileSync('bash', ['-c', `v=${shellVariableOr('KV_X', "$(printf 'from az')")}; printf '%s' "$v"`], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
    expect(read({ KV_X: '2.60.0' })).toBe('2.60.0');
    expect(read({ KV_X: '' })).toBe('from az');
    expect(read({})).toBe('from az');
  });

  it('refuses a name bash would not read as one variable', () => {
    for (const name of ['', '1X', 'A-B', 'A}', 'A:-x', '$(id)']) expect(() => shellVariableOr(name, 'x'), name).toThrow('is not a shell variable name');
  });
});

describe('Markdown inline code', () => {
  it('fences values that hold backticks', () => {
    expect(inlineCode('a')).toBe('`a`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`a')).toBe('`` `a ``');
  });
});

describe('the helpers the templates are compiled against', () => {
  it('are exactly the helpers the renderer registers', async () => {
    const { HELPERS } = await import('../src/render/environment.js');
    const { HELPER_NAMES } = (await import('../scripts/embed-templates.mjs' as string)) as { HELPER_NAMES: string[] };
    expect([...HELPER_NAMES].sort()).toEqual(Object.keys(HELPERS).sort());
  });
});
