/**
 * Runs the generated azure/setup.sh with bash against the stand-in `az` in test/stand-ins: no Azure,
 * no network. Each scenario has its own sandbox (a temp dir with the stand-in's state, the generated
 * folders and per-run logs of every az call's argv and environment); a scenario runs once and
 * several tests inspect it. Set KEEP_STANDIN_SANDBOXES=1 to keep the sandboxes for a look.
 *
 * Every az call starts a node process (~50 ms), so scenarios are few and each serves many tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { parse } from 'yaml';
import { PLACEHOLDERS } from '../src/spec/index.js';
import { RECORD_FILE } from '../src/write/index.js';
import { IDENTITY_FIELDS, ROLE, Sandbox, VAULT_FIELDS, callsOf, filesOf, mutating, once, printedCommand } from './support/standin-harness.js';
import type { AzCall, Result, Run, StandInState } from './support/standin-harness.js';

const WORKLOAD = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster'];
const GUIDE = [...WORKLOAD, '--secret', 'db-password', '--secret', 'api-key', '--secret', 'tls-cert:cert'];
const ONE_SECRET = [...WORKLOAD, '--secret', 'db-password'];
const ONE_VALUE = 'QZX value\n';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Secret values that break naive shell code. Each carries the marker `QZX` (no hex letter, so it
 * cannot turn up inside an ID by chance), which must never appear outside Key Vault.
 */
const TRICKY: [name: string, value: string][] = [
  // leading and trailing spaces, both quotes, backslashes (`read` without -r eats them)
  ['db-password', `  QZXa "double" and 'single' C:\\new\\table\\\\share   `],
  // a leading dash (an argument to az or echo), expansions, globs, printf formats, a tab, non-ASCII
  ['api-key', '-QZXb --file /etc/passwd -n -e $(touch PWNED) `touch PWNED2` ${HOME} * ? %s %d %% \\n\ttab pässwörd 🔑 日本語 \u00a0'],
  // a trailing backslash
  ['trailing-backslash', 'QZXc ends in a backslash\\'],
];
const MARKER = 'QZX';
const linesOf = (values: string[]): string => values.map((v) => `${v}\n`).join('');

const vaultOf = (state: StandInState, name: string): StandInState => state.vaults[name];
const storedValue = (state: StandInState, vault: string, name: string): Buffer | undefined => {
  const secret = state.vaultData[vault]?.secrets[name];
  return secret && Buffer.from(secret.valueBase64 as string, 'base64');
};
const signedInUserId = (state: StandInState): string => state.users[0].id;
const identityOf = (state: StandInState): StandInState | undefined => state.identities['myRG/myapp-identity'];
const addonConfig = (state: StandInState): unknown => state.clusters['myRG/myCluster'].addonProfiles?.azureKeyvaultSecretsProvider?.config;

/** A call as [command, flags], the shape the order-and-flags assertions compare. */
const shape = (call: AzCall): [string, Record<string, string | true>] => [call.command, call.flags];
const commandLines = (calls: AzCall[]): string[] => calls.map((c) => c.argv.join(' '));

/** The message of a failed expectation on a run: its exit code and output, so it explains itself. */
function ran(run: Result, code = 0): string {
  return `exit ${run.code} (expected ${code})\n--- stderr ---\n${run.stderr}\n--- stdout ---\n${run.stdout}`;
}

/** A scene step through the stand-in must work. */
async function scene(step: Promise<Result>, context = ''): Promise<Result> {
  const result = await step;
  if (result.code !== 0) throw new Error(`setting the scene failed (exit ${result.code}): ${result.stderr}${context}`);
  return result;
}

const enableAddon = (sb: Sandbox, ...flags: string[]): Promise<Result> => scene(sb.az(
  'aks', 'enable-addons', '--resource-group', 'myRG', '--name', 'myCluster', '--addons', 'azure-keyvault-secrets-provider', ...flags, '--output', 'none',
));

afterAll(() => Sandbox.removeAll());

// A scenario runs up to a hundred az calls; a slow or busy machine gets time to spare.
describe.concurrent('azure/setup.sh against the stand-in az', { timeout: 90_000 }, () => {
  // ---- A fresh cluster, secrets only, with values that break naive shell code ----------------
  describe('a fresh setup with secrets only', () => {
    const fresh = once(async () => {
      const sb = await Sandbox.create();
      const folder = await sb.generate('app', [...WORKLOAD, ...TRICKY.flatMap(([name]) => ['--secret', name])]);
      const generated = filesOf(folder);
      const first = await sb.runSetup(folder, { stdin: linesOf(TRICKY.map(([, value]) => value)) });
      const state = sb.state();
      const filled = filesOf(folder);
      const second = await sb.runSetup(folder, { stdin: 'closed' });
      const afterSecond = filesOf(folder);
      const regenerated = filesOf(await sb.generate('regenerated', ['--yes', '--config', join(folder, 'kv-secrets.yaml')]));
      return { sb, folder, generated, first, state, filled, second, afterSecond, regenerated };
    });

    it('passes the cloud check: az names the public cloud AzureCloud', async ({ expect }) => {
      const { first } = await fresh();
      expect(first.stderr, ran(first)).not.toContain('az is set to');
      expect(first.code, ran(first)).toBe(0);
    });

    it('makes exactly these changes, in this order, with these flags', async ({ expect }) => {
      const { first, state } = await fresh();
      expect(first.code, ran(first)).toBe(0);
      const vaultId = vaultOf(state, 'myapp-kv').id as string;
      const identity = identityOf(state)!;
      const issuer = state.clusters['myRG/myCluster'].oidcIssuerProfile.issuerUrl as string;
      expect(issuer).toMatch(/^https:\/\/.+\/$/);
      expect(mutating(first.calls).map(shape)).toEqual([
        ['aks update', { '--resource-group': 'myRG', '--name': 'myCluster', '--enable-oidc-issuer': true, '--enable-workload-identity': true, '--query': 'oidcIssuerProfile.issuerUrl', '--output': 'tsv' }],
        ['aks enable-addons', {
          '--resource-group': 'myRG', '--name': 'myCluster', '--addons': 'azure-keyvault-secrets-provider',
          '--enable-secret-rotation': true, '--rotation-poll-interval': '2m', '--output': 'none',
        }],
        ['keyvault create', {
          '--name': 'myapp-kv', '--resource-group': 'myRG',
          '--enable-rbac-authorization': 'true', '--enable-purge-protection': 'true', '--query': VAULT_FIELDS, '--output': 'tsv',
        }],
        ['role assignment create', {
          '--assignee-object-id': signedInUserId(state), '--assignee-principal-type': 'User',
          '--role': ROLE.secretsOfficer, '--scope': vaultId, '--output': 'none',
        }],
        ...TRICKY.map(([name]) => ['keyvault secret set', { '--vault-name': 'myapp-kv', '--name': name, '--file': '/dev/stdin', '--output': 'none' }]),
        ['identity create', {
          '--resource-group': 'myRG', '--name': 'myapp-identity', '--tags': 'created-by=create-kv-secrets',
          '--query': IDENTITY_FIELDS, '--output': 'tsv',
        }],
        ['identity federated-credential create', {
          '--name': 'myCluster-production-myapp-sa', '--identity-name': 'myapp-identity', '--resource-group': 'myRG',
          '--issuer': issuer, '--subject': 'system:serviceaccount:production:myapp-sa', '--audiences': 'api://AzureADTokenExchange',
          '--output': 'none',
        }],
        ...TRICKY.map(([name]) => ['role assignment create', {
          '--assignee-object-id': identity.principalId, '--assignee-principal-type': 'ServicePrincipal',
          '--role': ROLE.secretsUser, '--scope': `${vaultId}/secrets/${name}`, '--output': 'none',
        }]),
      ]);
    });

    it('leaves Azure as the manifests expect it', async ({ expect }) => {
      const { first, state } = await fresh();
      expect(first.code, ran(first)).toBe(0);
      const cluster = state.clusters['myRG/myCluster'];
      expect(cluster.oidcIssuerProfile.enabled).toBe(true);
      expect(cluster.securityProfile.workloadIdentity).toEqual({ enabled: true });
      expect(addonConfig(state)).toEqual({ enableSecretRotation: 'true', rotationPollInterval: '2m' });
      expect(vaultOf(state, 'myapp-kv').properties).toMatchObject({ enableRbacAuthorization: true, enablePurgeProtection: true });
      expect(state.federatedCredentials['myRG/myapp-identity']).toEqual([expect.objectContaining({
        name: 'myCluster-production-myapp-sa', issuer: cluster.oidcIssuerProfile.issuerUrl,
        subject: 'system:serviceaccount:production:myapp-sa', audiences: ['api://AzureADTokenExchange'],
      })]);
    });

    it('stores every value byte for byte', async ({ expect }) => {
      const { first, state } = await fresh();
      expect(first.code, ran(first)).toBe(0);
      for (const [name, value] of TRICKY) {
        expect(storedValue(state, 'myapp-kv', name)?.toString('hex'), name).toBe(Buffer.from(value, 'utf8').toString('hex'));
      }
    });

    it('never puts a value in a command line, an environment, the output or a file', async ({ expect }) => {
      const { first, second, sb, folder } = await fresh();
      expect(first.calls.length).toBeGreaterThan(10);
      const leaks = (text: string): boolean => text.includes(MARKER) || TRICKY.some(([, value]) => text.includes(value.trim()));
      for (const run of [first, second]) {
        expect(run.calls.filter((c) => leaks(c.argv.join('\u0000'))).map((c) => c.argv)).toEqual([]);
        expect(run.envs.length).toBe(run.calls.length);
        expect(run.envs.flatMap((env) => Object.entries(env).filter(([k, v]) => leaks(k) || leaks(v)))).toEqual([]);
        expect(leaks(run.stdout), run.stdout).toBe(false);
        expect(leaks(run.stderr), run.stderr).toBe(false);
      }
      expect([...filesOf(folder)].filter(([, file]) => leaks(file.content.toString('utf8'))).map(([path]) => path)).toEqual([]);
      // Nor did any shell evaluate one.
      expect(['PWNED', 'PWNED2'].filter((f) => existsSync(join(sb.dir, f)) || existsSync(join(folder, f)))).toEqual([]);
    });

    it('fills the client and tenant IDs into the manifests, kv-secrets.yaml and itself', async ({ expect }) => {
      const { first, state, generated, filled } = await fresh();
      expect(first.code, ran(first)).toBe(0);
      const clientId = identityOf(state)!.clientId as string;
      const tenantId = vaultOf(state, 'myapp-kv').properties.tenantId as string;
      expect(clientId).toMatch(UUID);
      const text = (path: string): string => filled.get(path)!.content.toString('utf8');
      expect([...filled.keys()].sort()).toEqual([...generated.keys()].sort());
      const candidates = ['azure/setup.sh', 'kv-secrets.yaml', ...[...filled.keys()].filter((p) => p.startsWith('k8s/'))];
      const holdsPlaceholder = (content: string): boolean => content.includes(PLACEHOLDERS.clientId) || content.includes(PLACEHOLDERS.tenantId);
      expect(candidates.filter((path) => holdsPlaceholder(generated.get(path)!.content.toString('utf8'))).sort()).toEqual(
        ['azure/setup.sh', 'k8s/secretproviderclass.yaml', 'k8s/serviceaccount.yaml', 'kv-secrets.yaml'],
      );
      expect(candidates.filter((path) => holdsPlaceholder(text(path)))).toEqual([]);
      expect(parse(text('k8s/serviceaccount.yaml')).metadata.annotations).toMatchObject({
        'azure.workload.identity/client-id': clientId, 'azure.workload.identity/tenant-id': tenantId,
      });
      expect(parse(text('k8s/secretproviderclass.yaml')).spec.parameters).toMatchObject({ clientID: clientId, tenantID: tenantId });
      expect(parse(text('kv-secrets.yaml'))).toMatchObject({ clientId, tenantId });
      expect(text('azure/setup.sh')).toContain(`CLIENT_ID='${clientId}'`);
      expect(text('azure/setup.sh')).toContain(`TENANT_ID='${tenantId}'`);
      expect(filled.get('azure/setup.sh')!.mode).toBe(generated.get('azure/setup.sh')!.mode);
    });

    it('regenerates the filled folder byte for byte from its kv-secrets.yaml', async ({ expect }) => {
      const { first, filled, regenerated } = await fresh();
      expect(first.code, ran(first)).toBe(0);
      expect(parse(filled.get('kv-secrets.yaml')!.content.toString('utf8')).clientId).toMatch(UUID);
      expect([...regenerated.keys()].sort()).toEqual([...filled.keys()].sort());
      for (const [path, file] of filled) {
        // The record holds what each write generated: placeholders in the first, IDs in the second.
        if (path === RECORD_FILE) continue;
        expect(regenerated.get(path)!.content.toString('utf8'), path).toBe(file.content.toString('utf8'));
        expect(regenerated.get(path)!.mode, path).toBe(file.mode);
      }
    });

    it('a second run, stdin closed, changes nothing in Azure or in the folder', async ({ expect }) => {
      const { first, second, filled, afterSecond } = await fresh();
      expect(first.code, ran(first)).toBe(0);
      expect(second.code, ran(second)).toBe(0);
      expect(commandLines(mutating(second.calls))).toEqual([]);
      const texts = (files: typeof filled): string[][] => [...files].map(([path, f]) => [path, f.content.toString('utf8')]);
      expect(texts(afterSecond)).toEqual(texts(filled));
    });
  });

  // ---- The guide's example plus a key: objects the operator imports ---------------------------
  describe("the guide's example plus a key", () => {
    const guide = once(async () => {
      const sb = await Sandbox.create();
      const folder = await sb.generate('app', [...GUIDE, '--secret', 'signing-key:key']);
      const first = await sb.runSetup(folder, { stdin: linesOf(['QZX db value', 'QZX api value']) });
      const afterFirst = sb.state();
      const context = `\nafter run 1:\n${ran(first, 1)}`;
      if (!afterFirst.vaults['myapp-kv']) throw new Error(`run 1 created no vault${context}`);
      // The operator follows the script's advice, with the files at hand.
      writeFileSync(join(sb.dir, 'tls-cert.pfx'), 'stand-in PKCS#12 bytes');
      writeFileSync(join(sb.dir, 'signing-key.pem'), 'stand-in PEM bytes');
      const importsAsTold = [
        await sb.followPrinted(printedCommand(first.stderr, 'az keyvault certificate import')),
        await sb.followPrinted(printedCommand(first.stderr, 'az keyvault key import')),
      ];
      if (importsAsTold.some((r) => r.code !== 0)) {
        // An administrator with the roles for it imports them instead.
        const operator = sb.state().account.user;
        const admin = sb.state().servicePrincipals[0];
        sb.editState((s) => { s.account.user = { name: admin.appId, type: 'servicePrincipal' }; });
        for (const role of [ROLE.certificatesOfficer, ROLE.cryptoOfficer]) {
          await scene(sb.az('role', 'assignment', 'create', '--assignee-object-id', admin.id, '--assignee-principal-type', 'ServicePrincipal',
            '--role', role, '--scope', vaultOf(afterFirst, 'myapp-kv').id, '--output', 'none'), context);
        }
        await scene(sb.az('keyvault', 'certificate', 'import', '--vault-name', 'myapp-kv', '--name', 'tls-cert', '--file', 'tls-cert.pfx'), context);
        await scene(sb.az('keyvault', 'key', 'import', '--vault-name', 'myapp-kv', '--name', 'signing-key', '--pem-file', 'signing-key.pem'), context);
        sb.editState((s) => { s.account.user = operator; });
      }
      const second = await sb.runSetup(folder, { stdin: 'closed' });
      return { first, afterFirst, importsAsTold, second, afterSecond: sb.state() };
    });

    it('first run does all but the missing imports, then stops naming az keyvault certificate import and key import', async ({ expect }) => {
      const { first, afterFirst } = await guide();
      expect(first.code, ran(first, 1)).toBe(1);
      expect(first.stderr).toContain('import the missing keys and certificates above, then run this script again');
      expect(first.stderr).toContain('az keyvault certificate import --vault-name=myapp-kv --name=tls-cert --file=tls-cert.pfx');
      expect(first.stderr).toContain('az keyvault key import --vault-name=myapp-kv --name=signing-key --pem-file=signing-key.pem');
      expect(storedValue(afterFirst, 'myapp-kv', 'db-password')?.toString()).toBe('QZX db value');
      expect(storedValue(afterFirst, 'myapp-kv', 'api-key')?.toString()).toBe('QZX api value');
      // The identity, its federation and the secrets' roles are in place; the roles of the objects
      // still to be imported wait for them.
      const vaultId = vaultOf(afterFirst, 'myapp-kv').id as string;
      const principal = identityOf(afterFirst)!.principalId as string;
      expect(callsOf(first.calls, 'identity federated-credential create')).toHaveLength(1);
      expect(afterFirst.roleAssignments.filter((a: { principalId: string }) => a.principalId === principal).map((a: { scope: string }) => a.scope))
        .toEqual([`${vaultId}/secrets/db-password`, `${vaultId}/secrets/api-key`]);
      expect(first.stderr).toContain('secrets/tls-cert: its role waits for the import.');
      expect(first.stderr).toContain('keys/signing-key: its role waits for the import.');
    });

    it('the operator who ran the script can run the import commands it prints', async ({ expect }) => {
      const { importsAsTold } = await guide();
      expect(importsAsTold.map((r) => r.stderr)).toEqual(['', '']);
      expect(importsAsTold.map((r) => r.code)).toEqual([0, 0]);
    });

    it('after the imports, a run with stdin closed completes: a role on each imported object', async ({ expect }) => {
      const { second, afterSecond } = await guide();
      expect(second.code, ran(second)).toBe(0);
      const vaultId = vaultOf(afterSecond, 'myapp-kv').id as string;
      const principal = identityOf(afterSecond)!.principalId as string;
      const changes = mutating(second.calls);
      expect(changes.map((c) => c.command)).toEqual(Array(2).fill('role assignment create'));
      const role = (id: string, scope: string): Record<string, string> => ({
        '--assignee-object-id': principal, '--assignee-principal-type': 'ServicePrincipal', '--role': id, '--scope': `${vaultId}/${scope}`, '--output': 'none',
      });
      expect(callsOf(changes, 'role assignment create').map((c) => c.flags)).toEqual([
        // A certificate is mounted through its backing secret, which holds the private key too.
        role(ROLE.secretsUser, 'secrets/tls-cert'),
        role(ROLE.certificateUser, 'keys/signing-key'),
      ]);
    });
  });

  // ---- Existing vaults ------------------------------------------------------------------------
  describe('an existing vault', () => {
    /** A vault made by someone else, the script run against it, and the fix it prints applied. */
    const existing = (createFlags: string[], rerun: boolean) => once(async () => {
      const sb = await Sandbox.create();
      await scene(sb.az('keyvault', 'create', '--name', 'shared-kv', '--resource-group', 'myRG', ...createFlags, '--output', 'none'));
      const folder = await sb.generate('app', [...ONE_SECRET, '--vault', 'shared-kv', '--existing-vault']);
      const before = sb.state();
      const first = await sb.runSetup(folder, { stdin: ONE_VALUE });
      const afterFirst = sb.state();
      const fixCommand = first.stderr.includes('az keyvault update') ? printedCommand(first.stderr, 'az keyvault update') : undefined;
      const fix = fixCommand ? await sb.followPrinted(fixCommand) : undefined;
      const second = rerun ? await sb.runSetup(folder, { stdin: ONE_VALUE }) : undefined;
      return { before, first, afterFirst, fixCommand, fix, second, after: sb.state() };
    });
    const accessPolicies = existing(['--enable-rbac-authorization', 'false', '--enable-purge-protection', 'true'], true);
    const noPurgeProtection = existing(['--enable-rbac-authorization', 'true'], false);
    const touchesVault = (c: AzCall): boolean => c.command.startsWith('keyvault') || c.command.startsWith('role');

    it('in access-policy mode: exit 1, nothing changed in the vault, and the fix named', async ({ expect }) => {
      const { first, before, afterFirst, fixCommand } = await accessPolicies();
      expect(first.code, ran(first, 1)).toBe(1);
      expect(fixCommand).toBe('az keyvault update --name=shared-kv --enable-rbac-authorization=true');
      expect(mutating(first.calls).filter(touchesVault)).toEqual([]);
      expect(afterFirst.vaults).toEqual(before.vaults);
      expect(afterFirst.roleAssignments).toEqual([]);
    });

    it('in access-policy mode: the printed fix is a command az accepts, and then a rerun completes', async ({ expect }) => {
      const { fix, second, after } = await accessPolicies();
      expect(fix?.code, fix?.stderr).toBe(0);
      expect(second!.code, ran(second!)).toBe(0);
      expect(callsOf(second!.calls, 'keyvault create')).toEqual([]);
      expect(storedValue(after, 'shared-kv', 'db-password')?.toString()).toBe('QZX value');
    });

    it('without purge protection: exit 1, nothing changed in the vault, and the fix named', async ({ expect }) => {
      const { first, before, afterFirst, fixCommand } = await noPurgeProtection();
      expect(first.code, ran(first, 1)).toBe(1);
      expect(fixCommand).toBe('az keyvault update --name=shared-kv --enable-purge-protection=true');
      expect(mutating(first.calls).filter(touchesVault)).toEqual([]);
      expect(afterFirst.vaults).toEqual(before.vaults);
    });

    it('without purge protection: the printed fix is a command az accepts, and it turns the protection on', async ({ expect }) => {
      const { fix, after } = await noPurgeProtection();
      expect(fix?.code, fix?.stderr).toBe(0);
      expect(vaultOf(after, 'shared-kv').properties.enablePurgeProtection).toBe(true);
    });

    it('that is missing while --existing-vault says it exists: exit 1, no vault created', async ({ expect }) => {
      const sb = await Sandbox.create();
      const run = await sb.runSetup(await sb.generate('app', [...ONE_SECRET, '--vault', 'shared-kv', '--existing-vault']), { stdin: ONE_VALUE });
      expect(run.code, ran(run, 1)).toBe(1);
      expect(run.stderr).toContain('vault shared-kv was not found');
      expect(callsOf(run.calls, 'keyvault create')).toEqual([]);
    });

    it('that was deleted and is kept for recovery: exit 1 naming az keyvault recover, nothing created', async ({ expect }) => {
      const sb = await Sandbox.create();
      await scene(sb.az('keyvault', 'create', '--name', 'myapp-kv', '--resource-group', 'myRG', '--enable-purge-protection', 'true', '--output', 'none'));
      await scene(sb.az('keyvault', 'delete', '--name', 'myapp-kv'));
      const run = await sb.runSetup(await sb.generate('app', ONE_SECRET), { stdin: ONE_VALUE });
      expect(run.code, ran(run, 1)).toBe(1);
      expect(printedCommand(run.stderr, 'az keyvault recover')).toBe('az keyvault recover --name=myapp-kv');
      expect(callsOf(run.calls, 'keyvault create')).toEqual([]);
    });

    it('with thousands of secrets: one already there is still found, so the run asks for nothing', async ({ expect }) => {
      const sb = await Sandbox.create();
      await scene(sb.az('keyvault', 'create', '--name', 'myapp-kv', '--resource-group', 'myRG', '--enable-purge-protection', 'true', '--output', 'none'));
      sb.editState((s) => {
        const stored = { valueBase64: Buffer.from('QZX value').toString('base64'), managed: false };
        const byName: Record<string, unknown> = { 'db-password': stored };
        // Far more names than a pipe holds (64 KiB): `az keyvault secret list` prints about 400 KB.
        for (let i = 0; i < 15_000; i++) byName[`zz-other-team-secret-${String(i).padStart(5, '0')}`] = stored;
        s.vaultData['myapp-kv'].secrets = byName;
      });
      const run = await sb.runSetup(await sb.generate('app', ONE_SECRET), { stdin: 'closed' });
      expect(run.code, ran(run)).toBe(0);
      expect(callsOf(run.calls, 'keyvault secret set')).toEqual([]);
    });
  });

  // ---- Rotation, a service-principal operator -----------------------------------------------------
  it('rotation off on a cluster without the add-on: enable-addons with no rotation flags (signed in as a service principal)', async ({ expect }) => {
    const sb = await Sandbox.create((s) => { s.account.user = { name: s.servicePrincipals[0].appId, type: 'servicePrincipal' }; });
    const run = await sb.runSetup(await sb.generate('app', [...ONE_SECRET, '--no-rotation']), { stdin: ONE_VALUE });
    expect(run.code, ran(run)).toBe(0);
    expect(callsOf(run.calls, 'aks enable-addons').map((c) => c.flags)).toEqual([
      { '--resource-group': 'myRG', '--name': 'myCluster', '--addons': 'azure-keyvault-secrets-provider', '--output': 'none' },
    ]);
    expect(callsOf(run.calls, 'aks update').flatMap((c) => Object.keys(c.flags).filter((f) => f.includes('rotation')))).toEqual([]);
    const state = sb.state();
    expect(addonConfig(state)).toEqual({ enableSecretRotation: 'false', rotationPollInterval: '2m' });
    // The operator is the service principal, found with az ad sp show.
    const sp = state.servicePrincipals[0];
    expect(callsOf(run.calls, 'ad sp show').map((c) => c.flags['--id'])).toEqual([sp.appId]);
    expect(callsOf(run.calls, 'role assignment create')[0]!.flags).toMatchObject({
      '--assignee-object-id': sp.id, '--assignee-principal-type': 'ServicePrincipal', '--role': ROLE.secretsOfficer,
    });
  });

  // ---- A cluster set up in part already, an identity that exists -------------------------------
  describe('the add-on rotating for the whole cluster, --no-rotation, and a --client-id', () => {
    const given = '00000000-0000-4000-8000-000000000001';
    /** The add-on rotates already; the identity exists; the folder names a client ID. */
    const partly = (identityExists: boolean) => once(async () => {
      const sb = await Sandbox.create();
      await enableAddon(sb, '--enable-secret-rotation', '--rotation-poll-interval', '2m');
      if (identityExists) await scene(sb.az('identity', 'create', '--resource-group', 'myRG', '--name', 'myapp-identity', '--output', 'none'));
      const identity = identityOf(sb.state());
      const run = await sb.runSetup(await sb.generate('app', [...ONE_SECRET, '--no-rotation', '--client-id', given]), { stdin: ONE_VALUE });
      return { sb, identity, run, after: sb.state() };
    });
    const mismatch = partly(true);
    const missing = partly(false);

    it('rotation is left on as it is: no enable-addons, no rotation flags', async ({ expect }) => {
      const { run, after } = await mismatch();
      expect(callsOf(run.calls, 'aks enable-addons')).toEqual([]);
      expect(callsOf(run.calls, 'aks update').map((c) => c.flags)).toEqual([
        { '--resource-group': 'myRG', '--name': 'myCluster', '--enable-oidc-issuer': true, '--enable-workload-identity': true, '--query': 'oidcIssuerProfile.issuerUrl', '--output': 'tsv' },
      ]);
      expect(run.stderr).toContain('left as it is');
      expect(addonConfig(after)).toEqual({ enableSecretRotation: 'true', rotationPollInterval: '2m' });
    });

    it('a client ID that does not match the identity: exit 1 naming the right one; the identity is left alone', async ({ expect }) => {
      const { run, identity } = await mismatch();
      expect(run.code, ran(run, 1)).toBe(1);
      expect(run.stderr).toContain(`regenerate with --client-id ${identity!.clientId}`);
      const changes = mutating(run.calls);
      expect(changes.filter((c) => c.command.startsWith('identity'))).toEqual([]);
      expect(changes.filter((c) => c.flags['--assignee-object-id'] === identity!.principalId)).toEqual([]);
    });

    it('a client ID for an identity that does not exist: exit 1, nothing created', async ({ expect }) => {
      const { run } = await missing();
      expect(run.code, ran(run, 1)).toBe(1);
      expect(run.stderr).toContain('identity myapp-identity was not found');
      expect(mutating(run.calls).filter((c) => c.command.startsWith('identity'))).toEqual([]);
    });
  });

  // ---- Retries, on a cluster with the add-on on but not rotating -----------------------------------
  describe('flaky RBAC propagation, and the add-on on without rotation', () => {
    const flaky = once(async () => {
      const sb = await Sandbox.create();
      await enableAddon(sb);
      const run = await sb.runSetup(await sb.generate('app', [...WORKLOAD, '--secret', 'db-password', '--secret', 'api-key', '--rotation-interval', '5m']), {
        stdin: linesOf(['QZX db value', 'QZX api value']),
        env: { STANDIN_FAIL: 'role assignment create:2;keyvault secret set --vault-name=myapp-kv --name=db-password:1' },
      });
      return { run, state: sb.state() };
    });

    it('transient failures of role assignment create and of an upload are retried, and the run completes', async ({ expect }) => {
      const { run, state } = await flaky();
      expect(run.code, ran(run)).toBe(0);
      const creates = callsOf(run.calls, 'role assignment create');
      // Three tries for the first assignment (two failed), then one per assignment.
      expect(commandLines(creates.slice(0, 3))).toEqual(Array(3).fill(commandLines(creates)[0]));
      expect(creates).toHaveLength(3 + 2);
      expect(callsOf(run.calls, 'keyvault secret set').map((c) => c.flags['--name'])).toEqual(['db-password', 'db-password', 'api-key']);
      expect(run.stderr).toContain('trying again');
      expect(state.roleAssignments).toHaveLength(3);
      expect(storedValue(state, 'myapp-kv', 'db-password')?.toString()).toBe('QZX db value');
      expect(storedValue(state, 'myapp-kv', 'api-key')?.toString()).toBe('QZX api value');
    });

    it('rotation is turned on with az aks update, not enable-addons', async ({ expect }) => {
      const { run, state } = await flaky();
      expect(callsOf(run.calls, 'aks enable-addons')).toEqual([]);
      expect(callsOf(run.calls, 'aks update').map((c) => c.flags)).toEqual([
        { '--resource-group': 'myRG', '--name': 'myCluster', '--enable-oidc-issuer': true, '--enable-workload-identity': true, '--query': 'oidcIssuerProfile.issuerUrl', '--output': 'tsv' },
        { '--resource-group': 'myRG', '--name': 'myCluster', '--enable-secret-rotation': true, '--rotation-poll-interval': '5m', '--output': 'none' },
      ]);
      expect(addonConfig(state)).toEqual({ enableSecretRotation: 'true', rotationPollInterval: '5m' });
    });
  });

  it('a failure that lasts: tried once plus once per delay, then exit 1', async ({ expect }) => {
    const sb = await Sandbox.create();
    const run = await sb.runSetup(await sb.generate('app', ONE_SECRET), { stdin: ONE_VALUE, env: { STANDIN_FAIL: 'role assignment create' } });
    expect(run.code, ran(run, 1)).toBe(1);
    expect(callsOf(run.calls, 'role assignment create')).toHaveLength(4);
    expect(run.stderr).toContain('still fails after 4 tries');
    expect(callsOf(run.calls, 'keyvault secret set')).toEqual([]);
  });

  // ---- Clouds ---------------------------------------------------------------------------------
  describe('a US Government cloud spec', () => {
    const GOV = [...ONE_SECRET, '--cloud', 'AzureUSGovernmentCloud'];

    it('runs to the end when az is set to that cloud (az cloud set --name AzureUSGovernment)', async ({ expect }) => {
      const sb = await Sandbox.create();
      await scene(sb.az('cloud', 'set', '--name', 'AzureUSGovernment'));
      sb.editState((s) => { s.signedIn = true; }); // az login
      const folder = await sb.generate('app', GOV);
      const run = await sb.runSetup(folder, { stdin: ONE_VALUE });
      expect(run.code, ran(run)).toBe(0);
      const state = sb.state();
      expect(vaultOf(state, 'myapp-kv').properties.vaultUri).toBe('https://myapp-kv.vault.usgovcloudapi.net/');
      expect(storedValue(state, 'myapp-kv', 'db-password')?.toString()).toBe('QZX value');
      expect(parse(filesOf(folder).get('k8s/secretproviderclass.yaml')!.content.toString()).spec.parameters.cloudName).toBe('AzureUSGovernmentCloud');
    });

    it('stops before any change when az is set to another cloud, printing an az cloud set that az accepts', async ({ expect }) => {
      const sb = await Sandbox.create();
      const run = await sb.runSetup(await sb.generate('app', GOV), { stdin: ONE_VALUE });
      expect(run.code, ran(run, 1)).toBe(1);
      expect(mutating(run.calls)).toEqual([]);
      const fix = printedCommand(run.stderr, 'az cloud set');
      expect(fix).toBe('az cloud set --name=AzureUSGovernment');
      const followed = await sb.followPrinted(fix);
      expect(followed.code, followed.stderr).toBe(0);
    });
  });

  // ---- Sign-in checks ---------------------------------------------------------------------------
  it('stops before any change when az is too old, or not signed in', async ({ expect }) => {
    const runs: [Run, string][] = [];
    for (const [edit, message] of [
      [(s: StandInState) => { s.azVersion = '2.46.0'; }, 'az upgrade'],
      [(s: StandInState) => { s.signedIn = false; }, 'az login'],
    ] as const) {
      const sb = await Sandbox.create(edit);
      runs.push([await sb.runSetup(await sb.generate('app', ONE_SECRET)), message]);
    }
    for (const [run, message] of runs) {
      expect(run.code, ran(run, 1)).toBe(1);
      expect(run.stderr).toContain(message);
      expect(mutating(run.calls)).toEqual([]);
    }
  });

  // ---- Static checks ------------------------------------------------------------------------------
  it('every generated script passes bash -n and shellcheck', async ({ expect }) => {
    const sb = await Sandbox.create();
    const variants: Record<string, string[]> = {
      guide: GUIDE,
      tricky: [...WORKLOAD, ...TRICKY.flatMap(([name]) => ['--secret', name])],
      noRotation: [...ONE_SECRET, '--no-rotation'],
      gov: [...ONE_SECRET, '--cloud', 'AzureUSGovernmentCloud'],
      china: [...ONE_SECRET, '--cloud', 'AzureChinaCloud'],
      keysAndAliases: [...WORKLOAD, '--secret', 'signing-key:key', '--secret', 'tls:cert:tls.pem', '--secret', 'db:secret:db.txt'],
      existing: [...ONE_SECRET, '--vault', 'shared-kv', '--existing-vault', '--subscription', 'Contoso Prod', '--location', 'westeurope',
        '--client-id', '00000000-0000-4000-8000-000000000001', '--tenant-id', '00000000-0000-4000-8000-000000000002'],
      eso: [...ONE_SECRET, '--approach', 'eso'],
    };
    const scripts: string[] = [];
    for (const [name, flags] of Object.entries(variants)) scripts.push(join(await sb.generate(name, flags), 'azure', 'setup.sh'));
    for (const script of scripts) {
      const syntax = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
      expect(syntax.status, `${script}: ${syntax.stderr}`).toBe(0);
    }
    const lint = spawnSync('shellcheck', ['--shell=bash', ...scripts], { encoding: 'utf8' });
    expect(lint.error, 'shellcheck is not installed (CI installs it)').toBeUndefined();
    expect(lint.status, lint.stdout).toBe(0);
  });
});
