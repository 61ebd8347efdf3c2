import { diagnose, humanReport, jsonReport } from '../doctor/index.js';
import { observedWorld } from '../doctor/observed.js';
import type { ExpectedSetup } from '../doctor/index.js';
import { readWorld } from '../run/doctor-read.js';
import { EXIT } from './errors.js';
import type { Io } from './main.js';

const APPROACH_TITLE = { csi: 'Secrets Store CSI Driver', eso: 'External Secrets Operator', sdk: 'Azure SDK in the app' } as const;

/** Reads the world, diagnoses it, prints the findings; exit 0 only when there are none. */
export async function runDiagnosis(expected: ExpectedSetup, subscription: string | undefined, json: boolean, io: Io): Promise<number> {
  const serviceAccounts = [...new Set([`${expected.namespace}/${expected.serviceAccount}`, ...(expected.store ? [`${expected.store.serviceAccount.namespace}/${expected.store.serviceAccount.name}`] : [])])];
  const raw = await readWorld({
    app: expected.app, namespace: expected.namespace, resourceGroup: expected.resourceGroup, cluster: expected.cluster,
    vault: expected.vault, identity: expected.identity, serviceAccounts, objects: expected.objects ?? [],
    ...(subscription !== undefined ? { subscription } : {}),
    ...(expected.approach ? { approach: expected.approach } : {}),
    objectsFromCluster: (reads) => observedWorld.objectsNamed(expected, reads),
  }, { env: (io.env ?? process.env) as NodeJS.ProcessEnv, cwd: io.cwd });
  const { world, approach } = observedWorld.from(expected, raw);
  const findings = diagnose(expected, world);
  io.stdout(json ? jsonReport(findings) : humanReport(expected, findings, approach ? APPROACH_TITLE[approach] : 'approach not found in the cluster'));
  return findings.length === 0 ? EXIT.ok : EXIT.failure;
}
