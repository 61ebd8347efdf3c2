import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

export interface OutputFile {
  /** Relative path with forward slashes. */
  path: string;
  content: string;
  mode: number;
}

export type FileStatus = 'create' | 'change' | 'unchanged';
export interface FileReport {
  path: string;
  status: FileStatus;
}

/** The target holds files that differ from what would be generated, and --force was not given. */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(readonly dir: string, readonly paths: string[]) {
    super(`${dir} already holds ${paths.length === 1 ? 'a file' : 'files'} that would change: ${paths.join(', ')}`);
  }
}

/** The target cannot be written for a reason that is the user's to fix (it is a file, a link…). */
export class TargetError extends Error {
  override name = 'TargetError';
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/**
 * Refuses paths that would write through a symbolic link or into something that is not a folder:
 * a generated file must land inside the target, as a regular file.
 */
function checkPath(root: string, relative: string): string {
  const full = resolve(root, ...relative.split('/'));
  if (!isInside(root, full)) throw new TargetError(`${relative} would be written outside ${root}`);
  let current = root;
  for (const part of relative.split('/')) {
    current = join(current, part);
    if (!existsSync(current) && !isSymlink(current)) break;
    const stat = lstatSync(current);
    if (stat.isSymbolicLink()) throw new TargetError(`${current} is a symbolic link; refusing to write through it`);
    if (current !== full && !stat.isDirectory()) throw new TargetError(`${current} is not a folder`);
    if (current === full && !stat.isFile()) throw new TargetError(`${current} exists and is not a regular file`);
  }
  return full;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** What writing `files` into `dir` would do to each file. Reads only. */
export function inspectTarget(dir: string, files: OutputFile[]): FileReport[] {
  const root = resolve(dir);
  if (existsSync(root) || isSymlink(root)) {
    const stat = lstatSync(root);
    if (stat.isSymbolicLink()) throw new TargetError(`${dir} is a symbolic link; give the real folder`);
    if (!stat.isDirectory()) throw new TargetError(`${dir} exists and is not a folder`);
  } else {
    return files.map((f) => ({ path: f.path, status: 'create' }));
  }
  return files.map((file) => {
    const full = checkPath(root, file.path);
    if (!existsSync(full)) return { path: file.path, status: 'create' };
    return { path: file.path, status: readFileSync(full, 'utf8') === file.content ? 'unchanged' : 'change' };
  });
}

let stagingCounter = 0;
function stagingName(): string {
  stagingCounter += 1;
  return `.create-kv-secrets-staging-${process.pid}-${Date.now()}-${stagingCounter}`;
}

function writeTree(root: string, files: OutputFile[]): void {
  for (const file of files) {
    const full = join(root, ...file.path.split('/'));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, file.content, { mode: file.mode, flag: 'wx' });
    chmodSync(full, file.mode);
  }
}

/**
 * Writes the files all or nothing. A new folder is built beside the target and renamed into place
 * in one step. In an existing folder the new contents are staged inside it first, then each file is
 * renamed over its old version; unchanged files are not touched. Changed files need `force`.
 */
export function writeFiles(dir: string, files: OutputFile[], options: { force: boolean }): FileReport[] {
  const reports = inspectTarget(dir, files);
  const changed = reports.filter((r) => r.status === 'change').map((r) => r.path);
  if (changed.length > 0 && !options.force) throw new ConflictError(dir, changed);
  const root = resolve(dir);
  const toWrite = files.filter((_, i) => reports[i]!.status !== 'unchanged');
  if (toWrite.length === 0) return reports;

  if (!existsSync(root)) {
    mkdirSync(dirname(root), { recursive: true });
    const staging = join(dirname(root), stagingName());
    try {
      mkdirSync(staging);
      writeTree(staging, toWrite);
      renameSync(staging, root);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    return reports;
  }

  const staging = join(root, stagingName());
  try {
    mkdirSync(staging);
    writeTree(staging, toWrite);
    for (const file of toWrite) {
      const target = join(root, ...file.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(staging, ...file.path.split('/')), target);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return reports;
}
