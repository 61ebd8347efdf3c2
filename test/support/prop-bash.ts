/**
 * Checks generated scripts with bash, fast enough for thousands of cases: one long-lived bash reads
 * requests on stdin and runs `bash -n` and a probe per script as its own children (a fork from bash
 * costs ~2 ms; a spawn from node ~12 ms).
 *
 * The probe is made of azure/setup.sh's own lines: the Settings block as it stands, every object list
 * assignment, every `ensure_federation` call, the placeholder-files loop and the closing printf block,
 * with the functions they call replaced by one that prints its arguments. So it shows exactly what
 * bash makes of each quoted value, and runs nothing of Azure's.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const UNIT = '\x1f';
const RECORD = '\x1e';

export interface Probe {
  syntaxStatus: number;
  syntaxErrors: string;
  probeStatus: number;
  probeErrors: string;
  vars: Record<string, string>;
  objects: string[];
  federations: string[][];
  files: string[];
  printed: string[][];
}

/** The probe script for one rendered azure/setup.sh; throws when a section it reads is missing. */
export function probeScript(script: string): string {
  const start = script.indexOf('# ---- Settings');
  const end = script.indexOf('# ---- Helpers');
  if (start < 0 || end < start) throw new Error('azure/setup.sh has no Settings/Helpers sections');
  const settings = script.slice(start, end);
  const names = [...settings.matchAll(/^(?:readonly )?([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
  const lines = script.split('\n');
  // Each object list is an array, then a loop over it: the probe keeps both, with its own loop body.
  const objectLines = lines
    .filter((l) => /^[a-z_]+=\(.*\)$/.test(l) || /^for object in "\$\{[a-z_]+\[@\]\}"; do$/.test(l))
    .map((l) => (l.startsWith('for ') ? `${l} __emit OBJECT "$object"; done` : l));
  const federationLines = lines.filter((l) => /^ensure_federation /.test(l));
  const filesLoop = lines.find((l) => /^for file in .*; do$/.test(l));
  const doneAt = lines.findIndex((l) => l.startsWith('step "Done"'));
  return [
    'set -euo pipefail',
    // fd 3 carries the results; anything else the lines print goes to stderr.
    'exec 3>&1 1>&2',
    `__emit() { builtin printf '%s${UNIT}' "$@" >&3; builtin printf '${RECORD}' >&3; }`,
    settings,
    `for __v in ${names.join(' ')}; do __emit VAR "$__v" "\${!__v}"; done`,
    // Object lists may name scopes under the vault (the role clean-up's granted_scopes).
    'vault_id=/VAULT_ID',
    // The signed-in user's name, which the closing notes may print.
    'user_name=USER',
    ...objectLines,
    'ensure_federation() { __emit FED "$@"; }',
    ...federationLines,
    ...(filesLoop ? [filesLoop, '  __emit FILE "$file"', 'done'] : []),
    'step() { :; }',
    'note() { :; }',
    'printf() { shift; __emit PRINTF "$@"; }',
    'ROOT=/ROOT',
    ...(doneAt >= 0 ? lines.slice(doneAt) : []),
    '',
  ].join('\n');
}

function parseProbe(out: string): Omit<Probe, 'syntaxStatus' | 'syntaxErrors' | 'probeStatus' | 'probeErrors'> {
  const result = { vars: {} as Record<string, string>, objects: [] as string[], federations: [] as string[][], files: [] as string[], printed: [] as string[][] };
  for (const record of out.split(RECORD)) {
    if (record === '') continue;
    const [kind, ...args] = record.split(UNIT).slice(0, -1);
    if (kind === 'VAR') result.vars[args[0]!] = args[1]!;
    else if (kind === 'OBJECT') result.objects.push(args[0]!);
    else if (kind === 'FED') result.federations.push(args);
    else if (kind === 'FILE') result.files.push(args[0]!);
    else if (kind === 'PRINTF') result.printed.push(args);
    else throw new Error(`probe printed ${JSON.stringify(record)}`);
  }
  return result;
}

/** A long-lived bash that checks scripts on request; `close()` it when done. */
export class BashChecker {
  private readonly dir = mkdtempSync(join(tmpdir(), 'kv-prop-bash-'));
  private readonly bash: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: { token: string; resolve: (line: string) => void; reject: (e: Error) => void } | null = null;
  private counter = 0;

  constructor() {
    this.bash = spawn('bash', ['--noprofile', '--norc'], {
      cwd: this.dir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' },
    });
    this.bash.stdout.setEncoding('utf8');
    this.bash.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      const newline = this.buffer.indexOf('\n');
      if (newline < 0 || !this.waiting) return;
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      const waiting = this.waiting;
      this.waiting = null;
      if (line.startsWith(waiting.token)) waiting.resolve(line.slice(waiting.token.length));
      else waiting.reject(new Error(`bash checker out of step: ${line}`));
    });
    this.bash.on('exit', (code) => this.waiting?.reject(new Error(`bash checker exited ${code}`)));
    this.bash.stdin.write(
      [
        '__check() {',
        '  bash -n "$1" 2>"$1.syntax" </dev/null; local syntax=$?',
        '  bash --noprofile --norc "$2" >"$2.out" 2>"$2.err" </dev/null; local probe=$?',
        '  printf \'%s %s %s\\n\' "$3" "$syntax" "$probe"',
        '}',
        '',
      ].join('\n'),
    );
  }

  async check(script: string): Promise<Probe> {
    if (this.waiting) throw new Error('one check at a time');
    const n = ++this.counter;
    const scriptPath = join(this.dir, `${n}.sh`);
    const probePath = join(this.dir, `${n}.probe.sh`);
    writeFileSync(scriptPath, script);
    writeFileSync(probePath, probeScript(script));
    const token = `done-${n} `;
    const answer = new Promise<string>((resolve, reject) => (this.waiting = { token, resolve, reject }));
    this.bash.stdin.write(`__check '${scriptPath}' '${probePath}' 'done-${n}'\n`);
    const [syntax, probe] = (await answer).split(' ').map(Number);
    const read = (path: string) => readFileSync(path, 'utf8');
    const result: Probe = {
      syntaxStatus: syntax!,
      syntaxErrors: read(`${scriptPath}.syntax`),
      probeStatus: probe!,
      probeErrors: read(`${probePath}.err`),
      ...parseProbe(read(`${probePath}.out`)),
    };
    for (const path of [scriptPath, `${scriptPath}.syntax`, probePath, `${probePath}.out`, `${probePath}.err`]) rmSync(path, { force: true });
    return result;
  }

  close(): void {
    this.bash.stdin.end();
    this.bash.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
