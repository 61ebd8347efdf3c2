import { describe, expect, it } from 'vitest';
import { FINDING_IDS, SIGNATURES, diagnose, firstToFix, humanReport, jsonReport, signatureOf } from '../src/doctor/index.js';
import type { ExpectedSetup, FindingId, KubeObject, ObservedWorld } from '../src/doctor/index.js';
import {
  CLIENT_ID, ISSUER, KUBELET, NOW, PRINCIPAL_ID, TENANT, VAULT_ID, expected, externalSecret, found, missing, podEvent, secretStore, spc, unknown, world,
} from './doctor/worlds.js';
import { UPSTREAM_TEXTS } from './doctor/upstream-texts.js';

type Break = (o: ObservedWorld, e: ExpectedSetup) => void;
const kube = <T>(read: { state: string; value?: T }) => read.value as T;
const podSpec = (o: ObservedWorld) => (kube<KubeObject>(o.deployment) as any).spec.template.spec;
const spcParams = (o: ObservedWorld) => (kube<KubeObject[]>(o.spcs)[0] as any).spec.parameters;

function run(approach: 'csi' | 'eso', breakIt: Break = () => {}) {
  const o = world(approach);
  const e = expected(approach);
  breakIt(o, e);
  return diagnose(e, o);
}

describe('doctor: healthy worlds', () => {
  it.each(['csi', 'eso'] as const)('a healthy %s setup has no findings', (approach) => {
    expect(run(approach)).toEqual([]);
    const text = humanReport(expected(approach), [], approach);
    expect(text).toMatch(/\nhealthy: /);
    expect(JSON.parse(jsonReport([]))).toEqual({ findings: [] });
  });
});

/** One world per id, broken in exactly that way; `fix` must appear among the finding's fix lines. */
const BROKEN: [FindingId, 'csi' | 'eso', Break, RegExp][] = [
  ['oidc-disabled', 'csi', (o) => { kube<any>(o.cluster).issuerUrl = null; }, /^az aks update --resource-group=myRG --name=myCluster --enable-oidc-issuer$/],
  ['workload-identity-disabled', 'csi', (o) => { kube<any>(o.cluster).workloadIdentity = false; }, /--enable-workload-identity$/],
  ['csi-addon-disabled', 'csi', (o) => { kube<any>(o.cluster).csiAddon = false; }, /^az aks enable-addons --addons=azure-keyvault-secrets-provider --resource-group=myRG --name=myCluster --enable-secret-rotation$/],
  ['rotation-disabled', 'csi', (o) => { kube<any>(o.cluster).rotation = false; }, /^az aks update --resource-group=myRG --name=myCluster --enable-secret-rotation$/],
  ['fic-missing', 'csi', (o) => { o.credentials = found([]); }, /^az identity federated-credential create --name=myCluster-web-myapp --identity-name=id-myapp --resource-group=myRG --issuer=https:\/\/eastus\.oic\.prod-aks\.azure\.com\/.*\/ --subject=system:serviceaccount:web:myapp --audiences=api:\/\/AzureADTokenExchange$/],
  ['fic-issuer-mismatch', 'csi', (o) => { kube<any[]>(o.credentials)[0].issuer = ISSUER.replace(/\/$/, ''); }, /--name=myCluster-web-myapp .*--issuer=https:\/\/.*\/ --subject/],
  ['fic-subject-mismatch', 'csi', (o) => { kube<any[]>(o.credentials)[0].subject = 'system:serviceaccount:default:myapp'; }, /--subject=system:serviceaccount:web:myapp/],
  ['fic-subject-mismatch', 'eso', (o, e) => { e.store!.serviceAccount = { name: 'eso-store', namespace: 'web' }; o.serviceAccounts['web/eso-store'] = found({ metadata: { name: 'eso-store', namespace: 'web', annotations: { 'azure.workload.identity/client-id': CLIENT_ID } } }); }, /--subject=system:serviceaccount:web:eso-store/],
  ['fic-audience', 'csi', (o) => { kube<any[]>(o.credentials)[0].audiences = ['api://AzureADTokenExchange/']; }, /--audiences=api:\/\/AzureADTokenExchange$/],
  ['fic-limit', 'csi', (o) => { o.credentials = found(Array.from({ length: 20 }, (_, i) => ({ name: `other-${i}`, issuer: `https://other.example/${i}/`, subject: 'system:serviceaccount:x:y', audiences: ['api://AzureADTokenExchange'] }))); }, /^az identity federated-credential delete --name=other-0 --identity-name=id-myapp --resource-group=myRG --yes$/],
  ['identity-missing', 'csi', (o) => { o.identity = missing(); }, /^az identity create --name=id-myapp --resource-group=myRG$/],
  ['clientid-mismatch', 'csi', (o) => { spcParams(o).clientID = PRINCIPAL_ID; }, /^kubectl patch secretproviderclass myapp-secrets --namespace web --type=merge -p '\{"spec":\{"parameters":\{"clientID":"6f0a4f8e-2a57-4b5e-8d6a-1c9e3c1b2d44"\}\}\}'$/],
  ['tenant-mismatch', 'csi', (o) => { spcParams(o).tenantID = '00000000-0000-4000-8000-000000000000'; }, /"tenantID":"72f988bf-86f1-41af-91ab-2d7cd011db47"/],
  ['vault-missing', 'csi', (o) => { o.vault = missing(); }, /^az keyvault create --name=kv-myapp --resource-group=myRG --enable-rbac-authorization=true --enable-purge-protection=true$/],
  ['vault-access-policies', 'csi', (o) => { kube<any>(o.vault).rbac = false; }, /^az keyvault update --name=kv-myapp --resource-group=myRG --enable-rbac-authorization=true$/],
  ['purge-protection-off', 'csi', (o) => { kube<any>(o.vault).purgeProtection = false; }, /--enable-purge-protection=true$/],
  ['vault-firewall', 'csi', (o) => { kube<any>(o.vault).publicNetworkAccess = 'Disabled'; }, /^az keyvault update --name=kv-myapp --resource-group=myRG --public-network-access=Enabled$/],
  ['vault-firewall', 'csi', (o) => { Object.assign(kube<any>(o.cluster), { subnetIds: ['/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/aks'] }); kube<any>(o.vault).defaultAction = 'Deny'; }, /^az keyvault network-rule add --name=kv-myapp --resource-group=myRG --subnet=\/subscriptions\/s\/.*\/subnets\/aks$/],
  ['role-missing', 'csi', (o) => { o.vaultRoles = found([]); }, /^az role assignment create --role=4633458b-17de-408a-b874-0445c86b69e6 --assignee-object-id=a1b2c3d4-0000-4000-8000-000000000001 --assignee-principal-type=ServicePrincipal --scope=\/subscriptions\/.*\/vaults\/kv-myapp\/secrets\/db-password$/],
  ['role-missing', 'csi', (o, e) => { e.objects = [{ name: 'signing', collection: 'keys' }]; spcParams(o).objects = 'array:\n  - |\n    objectName: signing\n    objectType: key\n'; o.vaultObjects.keys = found(['signing']); }, /--role=db79e9a7-68ee-4b58-9aeb-b90e7c24fcba .*\/keys\/signing$/],
  ['role-wrong-principal', 'csi', (o) => { kube<any[]>(o.vaultRoles)[0].principalId = CLIENT_ID; }, /^az role assignment delete --ids=.*\/roleAssignments\/r1$/],
  ['role-wrong-principal', 'csi', (o) => { kube<any[]>(o.vaultRoles)[0].principalId = KUBELET.objectId; }, /^az role assignment create .*--assignee-object-id=a1b2c3d4/],
  ['object-missing', 'csi', (o) => { o.vaultObjects.secrets = found(['other']); }, /^bash myapp-kv-secrets\/azure\/setup\.sh$/],
  ['workload-missing', 'csi', (o) => { o.deployment = missing(); }, /^kubectl apply --server-side -k myapp-kv-secrets\/k8s$/],
  ['serviceaccount-missing', 'csi', (o) => { o.serviceAccounts['web/myapp'] = missing(); }, /^kubectl apply --server-side -k myapp-kv-secrets\/k8s$/],
  ['spc-missing', 'csi', (o) => { o.spcs = found([]); o.spcsAllNamespaces = found([]); }, /^kubectl apply --server-side -k myapp-kv-secrets\/k8s$/],
  ['spc-wrong-namespace', 'csi', (o) => { o.spcs = found([]); o.spcsAllNamespaces = found([spc('default')]); }, /^kubectl apply --server-side -k /],
  ['pod-label-missing', 'csi', (o) => { delete (kube<any>(o.deployment).spec.template.metadata.labels)['azure.workload.identity/use']; }, /^kubectl patch deployment myapp --namespace web --type=merge -p '\{"spec":\{"template":\{"metadata":\{"labels":\{"azure\.workload\.identity\/use":"true"\}\}\}\}\}'$/],
  ['pod-default-serviceaccount', 'csi', (o) => { delete podSpec(o).serviceAccountName; }, /"serviceAccountName":"myapp"/],
  ['subpath-mount', 'csi', (o) => { podSpec(o).containers[0].volumeMounts[0].subPath = 'db-password'; }, /^kubectl patch deployment myapp --namespace web --type=json -p '\[\{"op":"remove","path":"\/spec\/template\/spec\/containers\/0\/volumeMounts\/0\/subPath"\}\]'$/],
  ['secret-env-no-reload', 'eso', (o) => { delete kube<any>(o.deployment).metadata.annotations; }, /^kubectl annotate deployment myapp --namespace web secret\.reloader\.stakater\.com\/reload=myapp-secrets --overwrite$/],
  ['eso-store-not-ready', 'eso', (o) => { o.stores = found([secretStore('False', 'unable to create client: missing service account annotation: azure.workload.identity/client-id')]); }, /.*/],
  ['externalsecret-not-ready', 'eso', (o) => { o.externalSecrets = found([externalSecret('False', 'could not get secret data from provider')]); }, /^kubectl annotate externalsecret myapp-secrets --namespace web force-sync=\$\(date \+%s\) --overwrite$/],
];

describe('doctor: one broken world per finding id', () => {
  it('every id has a broken world', () => {
    const covered = new Set(BROKEN.map(([id]) => id));
    expect(FINDING_IDS.filter((id) => !covered.has(id) && id !== 'role-propagating')).toEqual([]);
  });

  it.each(BROKEN)('%s (%s)', (id, approach, breakIt, fix) => {
    const findings = run(approach, breakIt);
    const hit = findings.find((f) => f.id === id);
    expect(hit, JSON.stringify(findings, null, 2)).toBeDefined();
    expect(hit!.severity).not.toBe('unknown');
    expect(hit!.message.length).toBeGreaterThan(10);
    expect(Object.keys(hit!.evidence).length).toBeGreaterThan(0);
    if (id !== 'eso-store-not-ready') expect(hit!.fix.some((line) => fix.test(line)), hit!.fix.join('\n')).toBe(true);
    // Exactly that is broken: nothing else is reported (a subject mismatch of ESO's store also reads as such).
    expect(findings.filter((f) => f.id !== id).map((f) => f.id)).toEqual([]);
  });

  it('says why an issuer differs: the trailing slash', () => {
    const [f] = run('csi', (o) => { kube<any[]>(o.credentials)[0].issuer = ISSUER.replace(/\/$/, ''); });
    expect(f!.message).toContain('trailing "/"');
    expect(f!.evidence['credential issuer']).toBe(ISSUER.replace(/\/$/, ''));
  });

  it('names a principalId given as clientID', () => {
    const [f] = run('csi', (o) => { spcParams(o).clientID = PRINCIPAL_ID; });
    expect(f!.message).toContain("principalId (object ID), not its clientId");
  });
});

describe('doctor: checks that cannot be made are unknown, never healthy', () => {
  it.each([
    ['cluster', (o: ObservedWorld) => { o.cluster = unknown('ERROR: (AuthorizationFailed) The client does not have authorization'); }, 'oidc-disabled'],
    ['role assignments', (o: ObservedWorld) => { o.vaultRoles = unknown('ERROR: (AuthorizationFailed)'); }, 'role-missing'],
    ['vault objects', (o: ObservedWorld) => { o.vaultObjects.secrets = unknown('ERROR: (Forbidden) Caller is not authorized'); }, 'object-missing'],
    ['federated credentials', (o: ObservedWorld) => { o.credentials = unknown('ERROR: (AuthorizationFailed)'); }, 'fic-missing'],
    ['deployment', (o: ObservedWorld) => { o.deployment = unknown('Error from server (Forbidden)'); }, 'workload-missing'],
  ] as const)('%s', (_what, breakIt, id) => {
    const findings = run('csi', breakIt);
    expect(findings.map((f) => [f.id, f.severity])).toContainEqual([id, 'unknown']);
    expect(humanReport(expected(), findings, 'csi')).not.toMatch(/healthy/);
  });
});

describe('doctor: RBAC propagation', () => {
  const young = (o: ObservedWorld) => {
    kube<any[]>(o.vaultRoles)[0].createdOn = NOW - 3 * 60_000;
    o.events = found([podEvent(UPSTREAM_TEXTS.find((t) => t.text.includes('ForbiddenByRbac'))!.text)]);
  };

  it('a 403 on a role granted minutes ago is propagating, not role-missing', () => {
    const findings = run('csi', young);
    expect(findings.map((f) => f.id)).toEqual(['role-propagating']);
    expect(findings[0]!.message).toMatch(/propagating; wait up to ten minutes/);
    expect(findings[0]!.fix).toEqual(['sleep 420 && create-kv-secrets doctor myapp-kv-secrets']);
  });

  it('a 403 with an old grant and no other cause is not blamed on propagation', () => {
    const findings = run('csi', (o) => { young(o); kube<any[]>(o.vaultRoles)[0].createdOn = NOW - 3_600_000; });
    expect(findings.map((f) => f.id)).not.toContain('role-propagating');
  });
});

describe('doctor: error signatures from upstream reports', () => {
  it('one row per signature, each recognised in its upstream text', () => {
    expect(SIGNATURES.length).toBe(UPSTREAM_TEXTS.length);
    SIGNATURES.forEach((signature, i) => {
      expect(UPSTREAM_TEXTS[i]!.text).toContain(signature.text);
      expect(signatureOf(UPSTREAM_TEXTS[i]!.text)?.finding).toBe(signature.finding);
      expect(signature.source.length).toBeGreaterThan(0);
    });
  });

  it.each(SIGNATURES.map((s, i) => [s.text, s.finding, UPSTREAM_TEXTS[i]!.text] as const))('%s in an event names %s when the reads could not', (_text, id, message) => {
    // The reads that would show it directly failed: the event alone makes the finding.
    const findings = run('csi', (o) => {
      o.credentials = unknown('denied'); o.vaultRoles = unknown('denied'); o.vaultObjects.secrets = unknown('denied');
      o.vault = unknown('denied'); o.spcs = unknown('denied'); o.cluster = unknown('denied'); o.identity = unknown('denied');
      o.events = found([podEvent(message)]);
    });
    const hit = findings.find((f) => f.id === id);
    expect(hit, JSON.stringify(findings.map((f) => f.id))).toBeDefined();
    expect(hit!.severity).toBe('error');
    expect(Object.values(hit!.evidence)).toContain(message);
  });

  it('an event adds evidence to the finding the reads made', () => {
    const text = UPSTREAM_TEXTS.find((t) => t.text.includes('SecretNotFound'))!.text;
    const findings = run('csi', (o) => { o.vaultObjects.secrets = found([]); o.events = found([podEvent(text)]); });
    expect(findings).toHaveLength(1);
    expect(Object.values(findings[0]!.evidence)).toContain(text);
  });

  it('an old event about a part the reads show in order is left out', () => {
    const text = UPSTREAM_TEXTS.find((t) => t.text.includes('AADSTS700213'))!.text;
    expect(run('csi', (o) => { o.events = found([podEvent(text)]); })).toEqual([]);
  });
});

describe('doctor: report', () => {
  it('groups by the auth chain and ends with the first thing to fix', () => {
    const findings = run('csi', (o) => { kube<any>(o.vault).purgeProtection = false; o.credentials = found([]); delete (kube<any>(o.deployment).spec.template.metadata.labels)['azure.workload.identity/use']; });
    const text = humanReport(expected(), findings, 'Secrets Store CSI Driver');
    const order = ['Pod:', 'Workload Identity:', 'Managed Identity: ok', 'Key Vault RBAC:', 'Secret: ok'].map((h) => text.indexOf(h));
    expect(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1]!))).toBe(true);
    expect(firstToFix(findings)!.id).toBe('fic-missing');
    expect(text).toMatch(/First to fix: fic-missing\n  az identity federated-credential create /);
    const json = JSON.parse(jsonReport(findings)) as { findings: Record<string, unknown>[] };
    expect(json.findings.map((f) => Object.keys(f))).toEqual(json.findings.map(() => ['id', 'severity', 'message', 'evidence', 'fix']));
  });

  it('never puts a secret value anywhere: the vault is read by name only', () => {
    const text = JSON.stringify(run('csi', (o, e) => { o.vaultObjects.secrets = found([]); delete e.kustomization; }));
    expect(text).not.toMatch(/--value/);
    expect(text).toContain('read -rs');
  });
});

void TENANT; void VAULT_ID;

describe('doctor: the SDK path', () => {
  const sdk = () => {
    const o = world('csi');
    const e = { ...expected('csi'), approach: 'sdk' as const };
    const pod = (o.deployment as any).value.spec.template.spec;
    pod.volumes = [];
    pod.containers[0].volumeMounts = [];
    o.spcs = found([]);
    o.spcsAllNamespaces = found([]);
    (o.cluster as any).value.csiAddon = false;
    return { o, e };
  };

  it('healthy without a SecretProviderClass or the CSI add-on', () => {
    const { o, e } = sdk();
    expect(diagnose(e, o)).toEqual([]);
  });

  it('the pod label is an error: the app\'s SDK signs in with the token the webhook gives', () => {
    const { o, e } = sdk();
    delete (o.deployment as any).value.spec.template.metadata.labels['azure.workload.identity/use'];
    expect(diagnose(e, o).map((f) => [f.id, f.severity])).toEqual([['pod-label-missing', 'error']]);
  });

  it('the service account must name the identity\'s client ID', () => {
    const { o, e } = sdk();
    delete (o.serviceAccounts['web/myapp'] as any).value.metadata.annotations;
    expect(diagnose(e, o).map((f) => f.id)).toEqual(['clientid-mismatch']);
  });
});
