/**
 * The one builder of az command lines (src/run/az-argv.ts): every value glued to its option, so that
 * az's parser never reads a value that starts with `-` as an option of its own.
 */
import { describe, expect, it } from 'vitest';
import { azArgv, azArgvProblem } from '../src/run/az-argv.js';
import { commandLine } from '../src/run/command.js';

describe('azArgv', () => {
  it('glues each value to its option, bare switches, and leaves out undefined and false', () => {
    expect(azArgv('aks show', { 'resource-group': '-rg', name: 'aks1', output: 'json', 'only-show-errors': true, subscription: undefined, debug: false })).toEqual([
      'aks', 'show', '--resource-group=-rg', '--name=aks1', '--output=json', '--only-show-errors',
    ]);
  });

  it('keeps a value with spaces, quotes or = as one word, and prints it so a shell reads it back', () => {
    const argv = azArgv('aks list', { query: "[?name=='a b'].id" });
    expect(argv).toEqual(['aks', 'list', "--query=[?name=='a b'].id"]);
    expect(commandLine('az', argv)).toBe(`az aks list '--query=[?name=='\\''a b'\\''].id'`);
  });

  it('refuses a command word or option name it could not have meant', () => {
    expect(() => azArgv('aks --name x')).toThrow(/command word/);
    expect(() => azArgv('aks show', { '-g': 'rg' })).toThrow(/long option name/);
  });

  it('azArgvProblem accepts only command words, then --option or --option=value', () => {
    expect(azArgvProblem(azArgv('keyvault secret set', { 'vault-name': 'kv', name: '-x', file: '/dev/stdin' }))).toBeNull();
    expect(azArgvProblem(['version'])).toBeNull();
    expect(azArgvProblem(['aks', 'show', '--resource-group', 'rg'])).toMatch(/word 4 \("rg"\)/);
    expect(azArgvProblem(['aks', 'show', '-g=rg'])).toMatch(/is not --option/);
    expect(azArgvProblem(['aks', 'show', '--name=a', 'extra'])).toMatch(/"extra"/);
  });
});
