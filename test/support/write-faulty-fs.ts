/**
 * A WriterFs that fails (or runs a hook) at a chosen call: the seam through which the writer's tests
 * simulate a full disk, an I/O error, a file system gone read-only, or a link planted mid-write. The
 * tests run as root, for whom chmod takes nothing away, hence a seam rather than permissions.
 */
import { realFs } from '../../src/write/index.js';
import type { WriterFs } from '../../src/write/index.js';

export type Op = keyof WriterFs;

/** Calls that change the file system (or may fail because of it); reads are never counted. */
export const MUTATING: readonly Op[] = ['mkdirSync', 'rmdirSync', 'openSync', 'writeSync', 'fsyncSync', 'fchmodSync', 'renameSync', 'linkSync', 'copyFileSync', 'unlinkSync', 'rmSync'];

/** Calls a full disk refuses: they need new space. Renames, unlinks and removals still work. */
export const ALLOCATING: readonly Op[] = ['mkdirSync', 'openSync', 'writeSync', 'linkSync', 'copyFileSync'];

/**
 * - once: the failAt-th call fails, the rest work (a passing fault);
 * - disk-full: from the failAt-th call on, every call that needs space fails with ENOSPC;
 * - everything: from the failAt-th call on, every mutating call fails (the disk is gone, or read-only).
 */
export type FaultMode = 'once' | 'disk-full' | 'everything';

export interface Faulty {
  fs: WriterFs;
  /** Mutating calls made so far. */
  calls(): number;
  /** Whether the fault fired. */
  fired(): boolean;
  /** The calls made, for failure messages. */
  log: string[];
}

export function errnoError(code: string, op: string, path: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected failure, ${op} ${String(path)}`), { code, syscall: op, path: String(path) });
}

export function faultyFs(options: { failAt: number; code: string; mode: FaultMode } | { hookAt: number; hook: () => void } | null): Faulty {
  let count = 0;
  let fired = false;
  const log: string[] = [];
  const fs = {} as Record<Op, (...args: unknown[]) => unknown>;
  for (const [name, real] of Object.entries(realFs) as [Op, (...args: unknown[]) => unknown][]) {
    fs[name] = (...args: unknown[]) => {
      if (MUTATING.includes(name)) {
        const index = count++;
        log.push(`${index} ${name} ${String(args[0])}`);
        if (options && 'hook' in options && index === options.hookAt) {
          fired = true;
          options.hook();
        } else if (options && 'failAt' in options) {
          const failing =
            options.mode === 'once'
              ? index === options.failAt
              : index >= options.failAt && (options.mode === 'everything' || (ALLOCATING.includes(name) && !(name === 'openSync' && args[1] === 'r')));
          if (failing) {
            fired = true;
            throw errnoError(options.code, name, args[0]);
          }
        }
      }
      return real(...args);
    };
  }
  return { fs: fs as unknown as WriterFs, calls: () => count, fired: () => fired, log };
}
