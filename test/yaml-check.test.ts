/**
 * src/render/yaml-check.ts, the check every generated YAML file passes before it is written: what it
 * refuses (each a template bug that would reach the cluster as something else) and what it lets through.
 */
import { describe, expect, it } from 'vitest';
import { checkYaml } from '../src/render/yaml-check.js';

describe('the check of a rendered YAML file', () => {
  it('passes well-formed YAML, several documents, comments and literal blocks', () => {
    expect(() => checkYaml('# a comment\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: "yes"\n  b: |\n    line\n---\n- x\n- 1\n')).not.toThrow();
  });

  it.each([
    ['broken syntax', 'a: [1, 2\n', /flow sequence|Missing|end/i],
    ['a duplicate key', 'a: 1\na: 2\n', /unique/i],
    ['a tab for indentation', 'a:\n\tb: 1\n', /tab|indent/i],
    ['an empty document', 'a: 1\n---\n# nothing\n', /document 2 is empty/],
    ['a plain yes (a boolean to kubectl, a string in YAML 1.2)', 'enabled: yes\n', /reads differently as YAML 1\.1/],
    ['a plain 0777 (octal to kubectl)', 'mode: 0777\n', /reads differently as YAML 1\.1/],
    ['a date-looking plain scalar (a timestamp to kubectl)', 'when: 2024-01-02\n', /YAML 1\.1/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => checkYaml(text)).toThrow(message);
  });
});
