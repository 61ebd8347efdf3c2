#!/usr/bin/env node
// npm run bench: how long a full flags-only generation takes against `node -e 0` (Node's own start),
// all measured in the same run, alternating, so that machine load weighs on each alike; and how big
// the published package is. A benchmark, not a test: it never fails on a slow machine.
// Two generations: as users run it again and again (with the compile cache the first run leaves,
// src/launch), and as a first run, in a fresh CI job say: an empty cache folder each time, so that it
// compiles the bundle and writes the cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAudit, printAudit } from './bench-audit.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 30);
const bin = join(root, 'bin', 'create-kv-secrets.cjs');
const work = mkdtempSync(join(tmpdir(), 'kv-bench-'));
const generate = ['--yes', '--app', 'web', '--namespace', 'web', '--resource-group', 'rg-web', '--cluster', 'aks1',
  '--secret', 'db-password', '--secret', 'api-key', '--secret', 'tls-cert:cert'];

// The caches in folders of the bench's own, so that each starts empty and nothing is left behind.
const withCacheIn = (folder) => {
  const env = { ...process.env, XDG_CACHE_HOME: join(work, folder) };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  return env;
};
const cached = withCacheIn('cache');

function timed(args, env = cached) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const baseline = [];
const generation = [];
const firstRun = [];
timed(['-e', '0']);
// Every run writes a new folder, and all are removed only at the end: removing files between runs
// makes the file system discard their blocks during the next run's fsync calls, which is the bench's
// own cost, not the generator's.
for (let i = 0; i < runs; i++) {
  baseline.push(timed(['-e', '0']));
  generation.push(timed([bin, ...generate, '--out', join(work, `out-${i}`)]));
  firstRun.push(timed([bin, ...generate, '--out', join(work, `first-run-out-${i}`)], withCacheIn(`first-run-cache-${i}`)));
  // The compile cache it wrote is not synced (a lost cache only costs a compile): flushed here, outside
  // the timing, so that the next run's fsync calls do not write it out for it.
  spawnSync('sync');
}
const auditRuns = Number(process.env.BENCH_AUDIT_RUNS ?? 7);
const audited = benchAudit(work, bin, auditRuns);
rmSync(work, { recursive: true, force: true });

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const base = median(baseline);
const gen = median(generation);
const first = median(firstRun);
console.log(`runs:                  ${runs} of each, alternating`);
console.log(`node -e 0 (median):    ${base.toFixed(1)} ms`);
console.log(`generation (median):   ${gen.toFixed(1)} ms  (full flags-only folder: 9 files written)`);
console.log(`ratio:                 ${(gen / base).toFixed(2)}x  (budget 1.30x)`);
console.log(`first run (median):    ${first.toFixed(1)} ms  ${(first / base).toFixed(2)}x  (an empty compile cache, which it writes)`);
console.log(`package:               ${kB(pack.size)} packed, ${kB(pack.unpackedSize)} unpacked, ${pack.entryCount} files  (budget 200 kB packed)`);
printAudit(audited, auditRuns, median);

// doctor: how many programs one run starts, and its wall time when each az and kubectl call costs 1 s
// (the stand-ins of test/stand-ins, slowed by STANDIN_SLOW), on a folder generated and applied there.
{
  const sandbox = mkdtempSync(join(tmpdir(), 'kv-bench-doctor-'));
  const standIns = join(root, 'test', 'stand-ins');
  const env = { ...process.env, HOME: sandbox, STANDIN_STATE: join(sandbox, 'state.json'), PATH: `${standIns}:${process.env.PATH}` };
  delete env.KUBECONFIG;
  const step = (file, args, input = '') => {
    const result = spawnSync(file, args, { cwd: sandbox, env, input, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${result.stderr}`);
  };
  step(join(standIns, 'az'), ['aks', 'get-credentials', '--resource-group', 'myRG', '--name', 'myCluster']);
  step(process.execPath, [bin, '--yes', '--app', 'web', '--namespace', 'web', '--resource-group', 'myRG', '--cluster', 'myCluster',
    '--secret', 'db-password', '--secret', 'api-key', '--out', 'app']);
  step(process.execPath, [bin, 'apply', 'app', '--yes'], 'bench value 1\nbench value 2\n');
  const log = join(sandbox, 'calls.jsonl');
  // Every read doctor makes says --output=json: each one waits 1 s.
  const slow = { ...env, STANDIN_SLOW: '--output=json:1000', STANDIN_LOG: log };
  const start = process.hrtime.bigint();
  const doctor = spawnSync(process.execPath, [bin, 'doctor', 'app'], { cwd: sandbox, env: slow, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (doctor.status !== 0) throw new Error(`doctor found the bench's world unhealthy:\n${doctor.stdout}${doctor.stderr}`);
  const calls = spawnSync('wc', ['-l', log], { encoding: 'utf8' }).stdout.trim().split(' ')[0];
  rmSync(sandbox, { recursive: true, force: true });
  console.log(`doctor:                ${calls} az/kubectl calls, ${seconds.toFixed(1)} s wall time at 1 s per call  (CSI, 2 secrets)`);
}

// azure/setup.sh: its az calls on the guide's example, at 1 s a call (fails when over its budget).
await import('./bench-az.mjs');
