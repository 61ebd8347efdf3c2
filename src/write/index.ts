import * as nodeFs from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { RECORD_FILE, isAsRecorded, parseRecord, recordText, sha256 } from './record.js';
import type { RecordOptions } from './record.js';

export { RECORD_FILE } from './record.js';
export type { Fillable, RecordOptions } from './record.js';

/**
 * Writing a plan's files into a folder, so that a crash, a full disk or a refused write never leaves a
 * half-written folder, and never loses or changes a file the user owns.
 *
 * The guarantee:
 * - A new folder is built complete beside the target and renamed into place in one step: after a crash
 *   the target is absent or complete. The leftover build folder is removed by the next run.
 * - In an existing folder the write is a transaction. Prepare: the new files are written (and synced)
 *   inside a hidden transaction folder in the target, each original about to be replaced is hard-linked
 *   (or copied) into it, and a journal naming every file is written last; nothing outside the
 *   transaction folder has changed yet. Switch: each new file is renamed over its path (a rename replaces
 *   a file whole, so no file is ever half-written), then the journal is marked committed in one rename.
 *   A failure during the switch rolls back at once: the originals are renamed back and the files that
 *   were new are removed. A crash during the switch (SIGKILL, power loss) is rolled back by the next run
 *   into that folder before it does anything else; a committed transaction is only cleaned up. So once
 *   recovered, the folder holds either the old set of files or the new one, never a mix, and every user
 *   file as it was. (Between the crash and the next run, each generated file is whole, old or new, and a
 *   `.create-kv-secrets-tx-*` folder marks the pending rollback; a dry run already reports as if it ran.)
 * - Only the generated paths are ever written; no other file or folder is touched. Nothing is written
 *   through a symbolic link: a link at or above a generated path stops the write before anything changes,
 *   and each path is checked again right before its rename.
 * - Every failure says whether anything changed: TargetError (the user's to fix: a file, a link, no
 *   permission, a read-only file system) and ConflictError mean nothing changed; WriteError says which.
 *
 * Not covered: another program changing the folder during the microseconds between a path's last check
 * and its rename (a link swapped in there is followed: Node has no openat/renameat to pin a folder; a
 * file that appears or disappears before that stops the write and rolls it back), and two runs writing
 * the same folder at once (each is atomic, but the last one wins file by file).
 */

export interface OutputFile {
  /** Relative path with forward slashes. */
  path: string;
  /** Text (written as UTF-8), or bytes as they are (a backup of the user's file). */
  content: string | Buffer;
  mode: number;
}

/**
 * `edited`: the file differs from what would be generated, and is not what the tool last wrote there
 * (the user edited it, or the folder has no record to tell): refused without --force.
 */
export type FileStatus = 'create' | 'change' | 'unchanged' | 'edited';
export interface FileReport {
  path: string;
  status: FileStatus;
  /** With --force, where the user's version of an edited file is kept. */
  backup?: string;
}

/**
 * The target holds files that differ from what would be generated, and --force was not given. With a
 * record, these are the files the user edited; `unrecorded`: the folder has no record, so every file
 * that differs is counted as edited.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(readonly dir: string, readonly paths: string[], readonly unrecorded = false) {
    super(`${dir} already holds ${paths.length === 1 ? 'a file' : 'files'} that would change: ${paths.join(', ')}`);
  }
}

/** The target cannot be written for a reason that is the user's to fix (it is a file, a link…); nothing changed. */
export class TargetError extends Error {
  override name = 'TargetError';
}

/**
 * The machine failed while writing (disk full, I/O error). `changed` says whether the folder was left
 * as it was (false), or holds an interrupted write that the next run rolls back (true).
 */
export class WriteError extends Error {
  override name = 'WriteError';
  constructor(message: string, readonly changed: boolean, options?: { cause: unknown }) {
    super(message, options);
  }
}

/** The file-system calls the writer makes; tests pass one that fails or crashes at a chosen call. */
export interface WriterFs {
  lstatSync(path: string): Stats;
  readFileSync(path: string): Buffer;
  readdirSync(path: string): string[];
  mkdirSync(path: string): void;
  rmdirSync(path: string): void;
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Buffer, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fchmodSync(fd: number, mode: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, created: string): void;
  copyFileSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  rmSync(path: string): void;
}

export const realFs: WriterFs = {
  lstatSync: (path) => nodeFs.lstatSync(path),
  readFileSync: (path) => nodeFs.readFileSync(path),
  readdirSync: (path) => nodeFs.readdirSync(path),
  mkdirSync: (path) => nodeFs.mkdirSync(path),
  rmdirSync: (path) => nodeFs.rmdirSync(path),
  openSync: (path, flags, mode) => nodeFs.openSync(path, flags, mode),
  writeSync: (fd, buffer, offset, length) => nodeFs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  fchmodSync: (fd, mode) => nodeFs.fchmodSync(fd, mode),
  closeSync: (fd) => nodeFs.closeSync(fd),
  renameSync: (from, to) => nodeFs.renameSync(from, to),
  linkSync: (existing, created) => nodeFs.linkSync(existing, created),
  copyFileSync: (from, to) => nodeFs.copyFileSync(from, to, nodeFs.constants.COPYFILE_EXCL),
  unlinkSync: (path) => nodeFs.unlinkSync(path),
  rmSync: (path) => nodeFs.rmSync(path, { recursive: true, force: true }),
};

export interface WriteOptions {
  force: boolean;
  /**
   * Keep a record of the written files (RECORD_FILE) and use the one there: files the tool wrote and
   * nobody changed since are rewritten freely; only the others conflict, and --force keeps a backup
   * of each (`<file>.orig`). Without it, every file that differs conflicts and --force keeps nothing.
   */
  record?: RecordOptions;
  /** The file system to write through; the real one unless a test injects failures. */
  fs?: WriterFs;
}

// ---- Names of our own working folders ----------------------------------------------------------

/** A new folder being built, beside the target. */
const STAGING = '.create-kv-secrets-staging-';
/** A transaction inside an existing target. */
const TRANSACTION = '.create-kv-secrets-tx-';
const OURS = /^\.create-kv-secrets-(?:staging|tx)-(\d+)-/;
const JOURNAL = 'journal.json';
const COMMITTED = 'committed.json';
/** No write takes this long: a working folder older than this is left over, whatever process owns its number now. */
const STALE_AFTER_MS = 10 * 60 * 1000;
/** Working folders of this process that are in use right now. */
const active = new Set<string>();

/**
 * A working folder's name: unique enough with the process number, and never trusted to be unguessed
 * (each is made with mkdir, which fails on anything already there, a planted link included).
 */
function workName(prefix: string): string {
  return `${prefix}${process.pid}-${Math.random().toString(36).slice(2, 10).padEnd(8, '0')}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A working folder no running write owns: its process is gone, or it is far too old to be in use. */
function isStale(path: string, name: string, stat: Stats): boolean {
  if (active.has(path)) return false;
  const pid = Number(OURS.exec(name)?.[1]);
  if (pid === process.pid || !isAlive(pid)) return true;
  return Date.now() - stat.mtimeMs > STALE_AFTER_MS;
}

// ---- Small helpers ----------------------------------------------------------------------------

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

function lstatOrNull(fs: WriterFs, path: string): Stats | null {
  try {
    return fs.lstatSync(path);
  } catch (error) {
    if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return null;
    throw error;
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** A generated path: relative, forward slashes, no empty, `.` or `..` segment. Anything else is a bug. */
function segmentsOf(relative: string): string[] {
  const parts = relative.split('/');
  if (relative === '' || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
    throw new Error(`not a relative path inside the folder: ${JSON.stringify(relative)}`);
  }
  return parts;
}

function isGeneratedPath(relative: string): boolean {
  try {
    segmentsOf(relative);
    return true;
  } catch {
    return false;
  }
}

/**
 * The full path of `relative` in `root`, after checking that reaching it goes through no symbolic link:
 * each existing entry on the way is a real folder, and the last one a regular file (`file`) or a folder.
 */
function checkPath(fs: WriterFs, root: string, relative: string, file = true): string {
  const parts = segmentsOf(relative);
  const full = resolve(root, ...parts);
  if (!isInside(root, full)) throw new Error(`${relative} would be written outside ${root}`);
  let current = root;
  for (const [i, part] of parts.entries()) {
    current = join(current, part);
    const stat = lstatOrNull(fs, current);
    if (!stat) break;
    if (stat.isSymbolicLink()) throw new TargetError(`${current} is a symbolic link; refusing to write through it`);
    const last = i === parts.length - 1;
    if ((!last || !file) && !stat.isDirectory()) throw new TargetError(`${current} is not a folder`);
    if (last && file && !stat.isFile()) throw new TargetError(`${current} exists and is not a regular file`);
  }
  return full;
}

/** The folder that would hold a new target must be reachable: the nearest existing ancestor is a folder. */
function checkAncestors(fs: WriterFs, root: string): void {
  for (let at = dirname(root); ; at = dirname(at)) {
    const stat = lstatOrNull(fs, at);
    if (stat) {
      // A link to a folder above the target is the user's own layout (/tmp -> /private/tmp); follow it.
      if (!stat.isDirectory() && !(stat.isSymbolicLink() && nodeFs.statSync(at, { throwIfNoEntry: false })?.isDirectory())) {
        throw new TargetError(`${at} is not a folder`);
      }
      return;
    }
    if (dirname(at) === at) return;
  }
}

/** `mkdir -p` through the seam. */
function makeFolders(fs: WriterFs, path: string): void {
  const stat = lstatOrNull(fs, path);
  if (stat) return;
  makeFolders(fs, dirname(path));
  try {
    fs.mkdirSync(path);
  } catch (error) {
    if (code(error) !== 'EEXIST') throw error;
  }
}

/** Writes a whole file and syncs it: `flag: 'wx'`, so an existing path (or a link planted there) fails. */
function writeSynced(fs: WriterFs, path: string, content: Buffer, mode: number): void {
  const fd = fs.openSync(path, 'wx', mode);
  try {
    for (let offset = 0; offset < content.length; ) offset += fs.writeSync(fd, content, offset, content.length - offset);
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a folder's entries (a rename, a new file) durable; a no-op where folders cannot be synced. */
function syncFolder(fs: WriterFs, path: string): void {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes(code(error) ?? '')) return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    if (!['EINVAL', 'EBADF', 'EPERM', 'ENOTSUP'].includes(code(error) ?? '')) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates the folders of `relative` below `base` that are missing; returns them, shallowest first. */
function makeParents(fs: WriterFs, base: string, relative: string): string[] {
  const parts = segmentsOf(relative).slice(0, -1);
  const made: string[] = [];
  let current = base;
  for (const part of parts) {
    current = join(current, part);
    const stat = lstatOrNull(fs, current);
    if (stat?.isDirectory()) continue;
    if (stat) throw new TargetError(`${current} is not a folder`);
    fs.mkdirSync(current);
    made.push(current);
  }
  return made;
}

const bytesOf = (file: OutputFile): Buffer => (typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content);

/** Writes files below `base` (a folder of ours), each synced, then syncs the folders that hold them. */
function writeTree(fs: WriterFs, base: string, files: OutputFile[]): void {
  const folders = new Set<string>([base]);
  for (const file of files) {
    makeParents(fs, base, file.path).forEach((f) => folders.add(f));
    const full = join(base, ...segmentsOf(file.path));
    folders.add(dirname(full));
    writeSynced(fs, full, bytesOf(file), file.mode);
  }
  for (const folder of folders) syncFolder(fs, folder);
}

function removeQuietly(fs: WriterFs, path: string): boolean {
  try {
    fs.rmSync(path);
    return true;
  } catch {
    return false;
  }
}

// ---- Transactions in an existing folder ---------------------------------------------------------

interface JournalEntry {
  path: string;
  /** The path held a file, hard-linked (or copied) to old/<path>, that a rollback renames back. */
  existed: boolean;
  /** sha256 of the new content: a rollback removes a new file only when it is still ours. */
  sha256: string;
}
interface Journal {
  version: 1;
  files: JournalEntry[];
  /** Folders the switch creates, shallowest first; a rollback removes those left empty. */
  folders: string[];
}

function readJournal(fs: WriterFs, tx: string, name: string): Journal {
  let journal: Journal;
  try {
    journal = JSON.parse(fs.readFileSync(join(tx, name)).toString('utf8')) as Journal;
  } catch (error) {
    throw new WriteError(`${tx} holds an interrupted write whose journal cannot be read (${String(error)}); move it out of the folder and run again`, true, { cause: error });
  }
  const valid =
    journal?.version === 1 &&
    Array.isArray(journal.files) &&
    Array.isArray(journal.folders) &&
    journal.files.every((f) => typeof f?.path === 'string' && typeof f.existed === 'boolean' && typeof f.sha256 === 'string') &&
    journal.folders.every((f) => typeof f === 'string');
  const paths = valid ? [...journal.files.map((f) => f.path), ...journal.folders] : [];
  if (!valid || !paths.every((p) => isGeneratedPath(p))) {
    throw new WriteError(`${tx} holds an interrupted write with a journal this version does not know; move it out of the folder and run again`, true);
  }
  return journal;
}

/**
 * Undoes an uncommitted switch; safe to repeat after a crash in the middle of it. An original is renamed
 * back from old/ (a rename onto its own hard link changes nothing, so one not yet replaced is left as is);
 * a file that is new is removed only while it holds exactly what this write put there.
 */
function rollBack(fs: WriterFs, root: string, tx: string, journal: Journal): void {
  for (const entry of journal.files) {
    const target = checkPath(fs, root, entry.path);
    if (entry.existed) {
      const backup = join(tx, 'old', ...segmentsOf(entry.path));
      if (lstatOrNull(fs, backup)) fs.renameSync(backup, target);
    } else if (lstatOrNull(fs, target) && sha256(fs.readFileSync(target)) === entry.sha256) {
      fs.unlinkSync(target);
    }
  }
  for (const folder of [...journal.folders].reverse()) {
    const full = join(root, ...segmentsOf(folder));
    const stat = lstatOrNull(fs, full);
    if (!stat?.isDirectory() || fs.readdirSync(full).length > 0) continue;
    fs.rmdirSync(full);
  }
  syncFolder(fs, root);
}

/** Our working folders in `dir` that no running write owns. */
function staleWork(fs: WriterFs, dir: string, prefix: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && OURS.test(name))
    .map((name) => ({ name, path: join(dir, name), stat: lstatOrNull(fs, join(dir, name)) }))
    .filter(({ name, path, stat }) => stat !== null && stat.isDirectory() && isStale(path, name, stat))
    .map(({ path }) => path);
}

/**
 * Finishes what crashed writes left: build folders beside the target are removed; in the target, an
 * uncommitted transaction is rolled back, a committed one cleaned up.
 */
function recover(fs: WriterFs, root: string): void {
  for (const staging of staleWork(fs, dirname(root), STAGING)) removeQuietly(fs, staging);
  const stat = lstatOrNull(fs, root);
  if (!stat?.isDirectory()) return;
  for (const legacy of staleWork(fs, root, STAGING)) removeQuietly(fs, legacy);
  for (const tx of staleWork(fs, root, TRANSACTION)) {
    if (!lstatOrNull(fs, join(tx, COMMITTED)) && lstatOrNull(fs, join(tx, JOURNAL))) {
      try {
        rollBack(fs, root, tx, readJournal(fs, tx, JOURNAL));
      } catch (error) {
        if (error instanceof WriteError || error instanceof TargetError) throw error;
        throw new WriteError(`${root} holds an interrupted write that cannot be rolled back yet (${String(error)}); run again once the folder can be written`, true, { cause: error });
      }
    }
    removeQuietly(fs, tx);
  }
}

/**
 * What the target holds once a crashed write is rolled back, for the files such a write touched: the
 * original's content, or null where the file would be removed. Reads only.
 */
function pendingRollback(fs: WriterFs, root: string): Map<string, Buffer | null> {
  const state = new Map<string, Buffer | null>();
  for (const tx of staleWork(fs, root, TRANSACTION)) {
    if (lstatOrNull(fs, join(tx, COMMITTED)) || !lstatOrNull(fs, join(tx, JOURNAL))) continue;
    for (const entry of readJournal(fs, tx, JOURNAL).files) {
      const target = join(root, ...segmentsOf(entry.path));
      const backup = join(tx, 'old', ...segmentsOf(entry.path));
      if (entry.existed) {
        if (lstatOrNull(fs, backup)) state.set(entry.path, fs.readFileSync(backup));
      } else if (lstatOrNull(fs, target)?.isFile() && sha256(fs.readFileSync(target)) === entry.sha256) {
        state.set(entry.path, null);
      }
    }
  }
  return state;
}

// ---- The API ----------------------------------------------------------------------------------

/** What the target holds at each path (a crashed write counts as rolled back): its bytes and mode, or null. */
interface Current {
  content: Buffer;
  mode: number;
}

function inspect(fs: WriterFs, dir: string, root: string, files: OutputFile[]): { reports: FileReport[]; current: Map<string, Current | null> } {
  const seen = new Set<string>();
  for (const file of files) {
    segmentsOf(file.path);
    if (seen.has(file.path)) throw new Error(`${file.path} is generated twice`);
    seen.add(file.path);
  }
  const current = new Map<string, Current | null>();
  const stat = lstatOrNull(fs, root);
  if (!stat) {
    checkAncestors(fs, root);
    return { reports: files.map((f) => ({ path: f.path, status: 'create' })), current };
  }
  if (stat.isSymbolicLink()) throw new TargetError(`${dir} is a symbolic link; give the real folder`);
  if (!stat.isDirectory()) throw new TargetError(`${dir} exists and is not a folder`);
  const pending = pendingRollback(fs, root);
  const reports = files.map((file): FileReport => {
    const full = checkPath(fs, root, file.path);
    const fileStat = lstatOrNull(fs, full);
    const content = pending.has(file.path) ? pending.get(file.path)! : fileStat ? fs.readFileSync(full) : null;
    current.set(file.path, content === null ? null : { content, mode: (fileStat?.mode ?? 0o644) & 0o777 });
    if (content === null) return { path: file.path, status: 'create' };
    return { path: file.path, status: content.equals(bytesOf(file)) ? 'unchanged' : 'change' };
  });
  return { reports, current };
}

/** What a write would do: a report per given file, every file it writes (record and backups too), the conflicts. */
interface WritePlan {
  reports: FileReport[];
  writes: { file: OutputFile; report: FileReport }[];
  conflicts: string[];
  /** The folder exists and holds no record this version can read. */
  unrecorded: boolean;
}

/** The first of `<path>.orig`, `<path>.orig.2`, … that is free, or already holds this very backup. */
function backupPath(fs: WriterFs, root: string, path: string, content: Buffer): string {
  for (let n = 1; ; n += 1) {
    const candidate = `${path}.orig${n === 1 ? '' : `.${n}`}`;
    const full = checkPath(fs, root, candidate);
    if (!lstatOrNull(fs, full) || fs.readFileSync(full).equals(content)) return candidate;
  }
}

function planWrite(fs: WriterFs, dir: string, root: string, files: OutputFile[], options: WriteOptions): WritePlan {
  const { record } = options;
  const recordFile: OutputFile[] = record
    ? [{ path: RECORD_FILE, content: recordText(files.map((f) => ({ path: f.path, content: bytesOf(f).toString('utf8') })), record.fillable), mode: 0o644 }]
    : [];
  const { reports: all, current } = inspect(fs, dir, root, [...files, ...recordFile]);
  const reports = all.slice(0, files.length);
  const written = (i: number) => ({ file: [...files, ...recordFile][i]!, report: all[i]! });
  if (!record) {
    const conflicts = reports.filter((r) => r.status === 'change').map((r) => r.path);
    return { reports, writes: all.map((_, i) => written(i)), conflicts, unrecorded: false };
  }
  const recordNow = current.get(RECORD_FILE);
  const recorded = recordNow ? parseRecord(recordNow.content.toString('utf8')) : null;
  const backups: OutputFile[] = [];
  for (const report of reports) {
    if (report.status !== 'change') continue;
    const now = current.get(report.path)!;
    if (record.inputs?.includes(report.path)) continue;
    if (recorded && isAsRecorded(recorded, report.path, now.content, record.fillable)) continue;
    report.status = 'edited';
    if (options.force) {
      report.backup = backupPath(fs, root, report.path, now.content);
      backups.push({ path: report.backup, content: now.content, mode: now.mode });
    }
  }
  const backupReports = inspect(fs, dir, root, backups).reports;
  return {
    reports,
    writes: [...all.map((_, i) => written(i)), ...backups.map((file, i) => ({ file, report: backupReports[i]! }))],
    conflicts: reports.filter((r) => r.status === 'edited').map((r) => r.path),
    unrecorded: recordNow !== undefined && recorded === null,
  };
}

/**
 * What writing `files` into `dir` would do to each file (with `options`, as writeFiles would; the
 * record and backups are not listed). Reads only (a crashed write counts as rolled back).
 */
export function inspectTarget(dir: string, files: OutputFile[], options: WriteOptions = { force: false }): FileReport[] {
  return planWrite(options.fs ?? realFs, dir, resolve(dir), files, options).reports;
}

/** inspectTarget, with the conflicts and whether the folder has a record, to report a dry run as the real run would end. */
export function planTarget(dir: string, files: OutputFile[], options: WriteOptions): Pick<WritePlan, 'reports' | 'conflicts' | 'unrecorded'> {
  const { reports, conflicts, unrecorded } = planWrite(options.fs ?? realFs, dir, resolve(dir), files, options);
  return { reports, conflicts, unrecorded };
}

/** A failure that left the target as it was, in the words of the error class that says so. */
function unchanged(dir: string, error: unknown): Error {
  if (error instanceof TargetError || error instanceof ConflictError || error instanceof WriteError) return error;
  const reason = code(error);
  if (reason === 'EACCES' || reason === 'EPERM' || reason === 'EROFS') {
    return new TargetError(`${dir} cannot be written (${reason === 'EROFS' ? 'read-only file system' : 'permission denied'})`);
  }
  return new WriteError(`writing ${dir} failed (${error instanceof Error ? error.message : String(error)}); nothing was changed`, false, { cause: error });
}

function writeNewFolder(fs: WriterFs, dir: string, root: string, files: OutputFile[]): void {
  const parent = dirname(root);
  try {
    makeFolders(fs, parent);
  } catch (error) {
    throw unchanged(dir, error);
  }
  const staging = join(parent, workName(STAGING));
  active.add(staging);
  try {
    fs.mkdirSync(staging);
    writeTree(fs, staging, files);
    // The one step that makes the folder appear, complete. It fails if something took the name meanwhile.
    fs.renameSync(staging, root);
  } catch (error) {
    removeQuietly(fs, staging);
    throw unchanged(dir, error);
  } finally {
    active.delete(staging);
  }
  // Written: from here on a failure only costs durability against power loss, not the result.
  ignoreFailure(() => syncFolder(fs, parent));
}

function ignoreFailure(action: () => void): void {
  try {
    action();
  } catch {
    // best effort
  }
}

function writeIntoFolder(fs: WriterFs, dir: string, root: string, files: OutputFile[], reports: FileReport[]): void {
  const tx = join(root, workName(TRANSACTION));
  active.add(tx);
  try {
    // Prepare: everything inside tx; the folder itself is as it was.
    let journal: Journal;
    try {
      fs.mkdirSync(tx);
      fs.mkdirSync(join(tx, 'new'));
      writeTree(fs, join(tx, 'new'), files);
      fs.mkdirSync(join(tx, 'old'));
      const entries: JournalEntry[] = [];
      const folders = new Set<string>();
      for (const file of files) {
        const existed = reports.find((r) => r.path === file.path)!.status !== 'create';
        if (existed) {
          const backup = join(tx, 'old', ...segmentsOf(file.path));
          makeParents(fs, join(tx, 'old'), file.path);
          const original = checkPath(fs, root, file.path);
          try {
            fs.linkSync(original, backup);
          } catch {
            // File systems without hard links: a copy restores the same content and mode.
            fs.copyFileSync(original, backup);
          }
        }
        const parts = segmentsOf(file.path);
        for (let i = 1; i < parts.length; i += 1) {
          const folder = parts.slice(0, i).join('/');
          if (!lstatOrNull(fs, join(root, ...parts.slice(0, i)))) folders.add(folder);
        }
        entries.push({ path: file.path, existed, sha256: sha256(bytesOf(file)) });
      }
      journal = { version: 1, files: entries, folders: [...folders].sort((a, b) => a.split('/').length - b.split('/').length) };
      writeSynced(fs, join(tx, `${JOURNAL}.tmp`), Buffer.from(JSON.stringify(journal)), 0o600);
      fs.renameSync(join(tx, `${JOURNAL}.tmp`), join(tx, JOURNAL));
      syncFolder(fs, tx);
    } catch (error) {
      removeQuietly(fs, tx);
      throw unchanged(dir, error);
    }

    // Switch: one rename per file, then one rename that commits.
    try {
      const touched = new Set<string>([root]);
      for (const folder of journal.folders) {
        const full = checkPath(fs, root, folder, false);
        if (!lstatOrNull(fs, full)) fs.mkdirSync(full);
      }
      for (const entry of journal.files) {
        const target = checkPath(fs, root, entry.path);
        // Another program changed the folder since it was inspected: stop rather than overwrite its file.
        if (Boolean(lstatOrNull(fs, target)) !== entry.existed) throw new TargetError(`${target} ${entry.existed ? 'disappeared' : 'appeared'} while writing; run again`);
        fs.renameSync(join(tx, 'new', ...segmentsOf(entry.path)), target);
        touched.add(dirname(target));
      }
      for (const folder of touched) syncFolder(fs, folder);
      fs.renameSync(join(tx, JOURNAL), join(tx, COMMITTED));
    } catch (error) {
      try {
        rollBack(fs, root, tx, journal);
      } catch (rollbackError) {
        throw new WriteError(
          `writing ${dir} failed (${error instanceof Error ? error.message : String(error)}) and could not be undone yet (${rollbackError instanceof Error ? rollbackError.message : String(rollbackError)}); run the command again to roll it back`,
          true,
          { cause: error },
        );
      }
      removeQuietly(fs, tx);
      throw unchanged(dir, error);
    }
    // Committed: a failure from here on leaves a committed tx, which the next run only removes.
    ignoreFailure(() => syncFolder(fs, tx));
    removeQuietly(fs, tx);
  } finally {
    active.delete(tx);
  }
}

/**
 * Writes the files, all or nothing (see the guarantee at the top of this file). Unchanged files are not
 * touched; changed ones need `force` (with a record: only those the user edited, each backed up first);
 * a crashed earlier write into the same folder is rolled back first.
 */
export function writeFiles(dir: string, files: OutputFile[], options: WriteOptions): FileReport[] {
  const fs = options.fs ?? realFs;
  const root = resolve(dir);
  try {
    recover(fs, root);
  } catch (error) {
    if (error instanceof WriteError || error instanceof TargetError) throw error;
    throw new WriteError(`${dir} holds an interrupted write that cannot be rolled back yet (${String(error)})`, true, { cause: error });
  }
  const plan = planWrite(fs, dir, root, files, options);
  if (plan.conflicts.length > 0 && !options.force) throw new ConflictError(dir, plan.conflicts, plan.unrecorded);
  const toWrite = plan.writes.filter((w) => w.report.status !== 'unchanged');
  if (toWrite.length === 0) return plan.reports;
  if (!lstatOrNull(fs, root)) writeNewFolder(fs, dir, root, toWrite.map((w) => w.file));
  else writeIntoFolder(fs, dir, root, toWrite.map((w) => w.file), toWrite.map((w) => w.report));
  return plan.reports;
}
