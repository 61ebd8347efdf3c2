/**
 * The one builder of az command lines (src/spec/az-argv.ts): every value glued to its option, so that
 * az's parser never reads a value that starts with `-` as an option of its own.
 */
import { describe, expect, it } from 'vitest';
import { azArgv, azArgvProblem } from '../src/spec/az-argv.js';
import { commandLine } from '../src/run/command.js';
import { az as doctorFix, createCredential, updateCluster, updateVault } from '../src/doctor/commands.js';
import type { ExpectedSetup } from '../src/doctor/types.js';

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

describe("doctor's printed fixes", () => {
  it('are built by azArgv: a resource group or name that starts with - stays the value of its option', () => {
    const e = { resourceGroup: '-rg', cluster: '-aks', vault: 'kv-1', identity: '-id', credentialName: 'fic' } as ExpectedSetup;
    expect(updateCluster(e, ['enable-oidc-issuer'])).toBe('az aks update --resource-group=-rg --name=-aks --enable-oidc-issuer');
    expect(updateVault(e, 'public-network-access', 'Enabled')).toBe('az keyvault update --name=kv-1 --resource-group=-rg --public-network-access=Enabled');
    expect(createCredential(e, 'https://issuer.example/x/', 'system:serviceaccount:ns:sa')).toBe(
      'az identity federated-credential create --name=fic --identity-name=-id --resource-group=-rg --issuer=https://issuer.example/x/ --subject=system:serviceaccount:ns:sa --audiences=api://AzureADTokenExchange',
    );
    // A word the shell would split or expand is quoted whole, option and value together.
    expect(doctorFix('role assignment delete', { ids: "/a b/c'd" })).toBe(`az role assignment delete '--ids=/a b/c'\\''d'`);
  });
});
