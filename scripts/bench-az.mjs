#!/usr/bin/env node
// npm run bench, last part: how many az calls azure/setup.sh makes on the guide's example, and how
// long it takes when each call costs what a real one does (about 1 s: Python's start and the round trip
// to Azure), against the stand-in az of test/stand-ins with STANDIN_CALL_MS. A benchmark, not a test.
// The example has a certificate, which the script does not upload: its first run sets up everything
// else and stops at the end asking for it to be imported, as a user's would; the bench imports it and
// runs the script again (which grants the certificate's role), then once more, which must change nothing.
// Run alone, setup.sh reads the az version itself; `apply` hands over the one its preflight read.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const standIns = join(root, 'test', 'stand-ins');
const callMs = Number(process.env.BENCH_AZ_CALL_MS ?? 1000);
const work = mkdtempSync(join(tmpdir(), 'kv-bench-az-'));
const log = join(work, 'calls.jsonl');
const env = {
  ...process.env,
  PATH: `${standIns}:${process.env.PATH}`,
  STANDIN_STATE: join(work, 'state.json'),
  STANDIN_LOG: log,
  STANDIN_CALL_MS: String(callMs),
  KV_SECRETS_RETRY_DELAYS: '0',
};
delete env.NODE_EXTRA_CA_CERTS;

const guide = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster',
  '--secret', 'db-password', '--secret', 'api-key', '--secret', 'tls-cert:cert'];
const made = spawnSync(process.execPath, [join(root, 'bin', 'create-kv-secrets.cjs'), ...guide, '--out', join(work, 'app')], { cwd: work, env, encoding: 'utf8' });
if (made.status !== 0) throw new Error(`generation failed: ${made.stderr}`);

function run(what, file, args, input = '') {
  writeFileSync(log, '');
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { cwd: work, env, input, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
  return { what, code: result.status, calls, seconds, stderr: result.stderr };
}

const script = join(work, 'app', 'azure', 'setup.sh');
const runs = [];
runs.push(run('first run (all but the missing certificate, exit 1)', 'bash', [script], 'value-one\nvalue-two\n'));
writeFileSync(join(work, 'tls-cert.pfx'), 'stand-in certificate');
const imported = run('import', join(standIns, 'az'), ['keyvault', 'certificate', 'import', '--vault-name=myapp-kv', '--name=tls-cert', `--file=${join(work, 'tls-cert.pfx')}`]);
if (imported.code !== 0) throw new Error(`the certificate import failed: ${imported.stderr}`);
runs.push(run("after the import: the certificate's role", 'bash', [script]));
runs.push(run('again: a run that changes nothing', 'bash', [script]));
rmSync(work, { recursive: true, force: true });

const budgets = { first: 24, noop: 10 };
console.log(`azure/setup.sh on the guide's example (2 secrets, 1 certificate), each az call costing ${callMs} ms (stand-in az):`);
for (const r of runs) console.log(`  ${r.what.padEnd(52)} ${String(r.calls).padStart(3)} az calls  ${r.seconds.toFixed(1).padStart(5)} s  exit ${r.code}`);
const [first, , again] = runs;
console.log(`  budgets: first run at most ${budgets.first} calls, a run that changes nothing at most ${budgets.noop}`);
const missed = [[first, budgets.first], [again, budgets.noop]].filter(([r, budget]) => r.calls > budget);
if (missed.length > 0 || first.code !== 1 || runs.slice(1).some((r) => r.code !== 0)) {
  console.error('azure/setup.sh is over its az call budget, or a run ended unexpectedly (above).');
  process.exitCode = 1;
}
