import { kubectl, reapply } from '../commands.js';
import { cannotCheck, finding, valueOf } from '../context.js';
import type { Context } from '../context.js';
import { nameOf, readyCondition, text } from '../kube.js';
import type { Finding } from '../types.js';

/** The External Secrets Operator's view: its store and the ExternalSecrets, with their Ready conditions. */
export function esoFindings(c: Context): Finding[] {
  const { e, o } = c;
  if (c.approach !== 'eso') return [];
  const findings: Finding[] = [];
  if (o.stores.state === 'unknown') findings.push(cannotCheck('eso-store-not-ready', `the SecretStores of ${e.namespace}`, o.stores, 'the store'));
  const storeName = e.store?.name;
  const stores = valueOf(o.stores) ?? [];
  const store = storeName ? stores.find((s) => nameOf(s) === storeName && (!e.store || text(s, 'kind') === e.store.kind)) : undefined;
  if (storeName && o.stores.state === 'found' && !store) {
    findings.push(finding('eso-store-not-ready', 'error', `There is no ${e.store!.kind} ${storeName}.`, { store: storeName }, reapply(e)));
  }
  const storeReady = store && readyCondition(store);
  if (store && storeReady && !storeReady.ready) {
    findings.push(finding('eso-store-not-ready', 'error', `${text(store, 'kind')} ${storeName} is not Ready: ${storeReady.message}`,
      { 'condition Ready': 'False', message: storeReady.message }, []));
  }
  if (o.externalSecrets.state === 'unknown') findings.push(cannotCheck('externalsecret-not-ready', `the ExternalSecrets of ${e.namespace}`, o.externalSecrets, 'their sync'));
  for (const es of valueOf(o.externalSecrets) ?? []) {
    const ready = readyCondition(es);
    if (!ready || ready.ready) continue;
    findings.push(finding('externalsecret-not-ready', 'error', `ExternalSecret ${nameOf(es)} is not Ready: ${ready.message}`,
      { 'condition Ready': 'False', message: ready.message },
      // Forces a refresh (ESO fact sheet, docs/api/externalsecret.md); after its cause is fixed.
      [`${kubectl(['annotate', 'externalsecret', nameOf(es), '--namespace', e.namespace])} force-sync=$(date +%s) --overwrite`]));
  }
  return findings;
}
