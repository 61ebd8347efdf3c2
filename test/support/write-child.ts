/**
 * A separate node process that runs the writer, to be killed: src/write/index.ts bundled by esbuild (so
 * the child needs no build of the project and no TypeScript loader), and a small script that writes a
 * plan with --force. With `killAt` the child SIGKILLs itself right before its killAt-th mutating
 * file-system call (every point between two calls can be hit exactly); without, it runs to the end and a
 * test can kill it from outside at any moment.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { OutputFile } from '../../src/write/index.js';
import { MUTATING } from './write-faulty-fs.js';

const CHILD = `
import { readFileSync } from 'node:fs';
import { realFs, writeFiles } from './writer.mjs';
const [planPath, target, killAtText] = process.argv.slice(2);
const files = JSON.parse(readFileSync(planPath, 'utf8'));
const killAt = Number(killAtText);
const mutating = new Set(${JSON.stringify(MUTATING)});
let calls = 0;
const fs = Object.fromEntries(Object.entries(realFs).map(([name, call]) => [name, (...args) => {
  if (mutating.has(name)) {
    if (calls === killAt) process.kill(process.pid, 'SIGKILL');
    calls += 1;
  }
  return call(...args);
}]));
process.stdout.write('start\\n');
try {
  writeFiles(target, files, { force: true, fs });
  process.stdout.write('done ' + calls + '\\n');
} catch (error) {
  process.stdout.write('error ' + error.name + ': ' + error.message + '\\n');
  process.exitCode = 3;
}
`;

export class WriterChild {
  readonly dir = mkdtempSync(join(tmpdir(), 'kv-write-child-'));
  private plans = 0;

  constructor() {
    buildSync({
      entryPoints: [fileURLToPath(new URL('../../src/write/index.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: join(this.dir, 'writer.mjs'),
      logLevel: 'error',
    });
    writeFileSync(join(this.dir, 'child.mjs'), CHILD);
  }

  /** Writes another script beside the bundled writer (it may import './writer.mjs'); returns its path. */
  script(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  planFile(files: OutputFile[]): string {
    const path = join(this.dir, `plan-${++this.plans}.json`);
    writeFileSync(path, JSON.stringify(files));
    return path;
  }

  /** Starts the child; `killAt` -1: never kills itself. */
  start(planPath: string, target: string, killAt = -1): { child: ChildProcess; started: Promise<void>; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> } {
    const child = spawn(process.execPath, [join(this.dir, 'child.mjs'), planPath, target, String(killAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let resolveStarted: () => void;
    const started = new Promise<void>((r) => (resolveStarted = r));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.startsWith('start\n')) resolveStarted();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
      child.on('close', (code, signal) => {
        resolveStarted();
        resolve({ code, signal, output });
      }),
    );
    return { child, started, exit };
  }

  async run(planPath: string, target: string, killAt = -1) {
    return this.start(planPath, target, killAt).exit;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
