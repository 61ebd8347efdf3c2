/**
 * Folders for the writer's tests: plans (a real generated folder, or a large synthetic one), folders that
 * already hold an older version and the user's own files, and exact snapshots of a tree to compare.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { OutputFile } from '../../src/write/index.js';
import { GUIDE_FLAGS, generate } from './generate.js';

/** Our working folders: the writer's own, named so. */
export const WORK_FOLDER = /^\.create-kv-secrets-(?:staging|tx)-/;

const roots: string[] = [];
export function tempRoot(label = 'write', base = tmpdir()): string {
  const dir = mkdtempSync(join(base, `kv-${label}-`));
  roots.push(dir);
  return dir;
}
export function removeTempRoots(): void {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The folder create-kv-secrets generates for the guide's example. */
export function realPlan(): OutputFile[] {
  return [...generate(GUIDE_FLAGS).files.values()].map(({ path, content, mode }) => ({ path, content, mode }));
}

/** Many files, some large, in nested folders (several not yet in an older version): a long write. */
export function largePlan(count = 120, size = 24 * 1024): OutputFile[] {
  const files: OutputFile[] = [{ path: 'azure/setup.sh', content: `#!/usr/bin/env bash\necho ${'x'.repeat(size)}\n`, mode: 0o755 }];
  for (let i = 0; i < count; i += 1) {
    const folder = ['k8s', 'docs', 'deep/a/b', `deep/c${i % 5}`][i % 4];
    files.push({ path: `${folder}/file-${i}.yaml`, content: `# ${i}\n${String(i % 10).repeat(i % 3 === 0 ? size : 100)}\n`, mode: 0o644 });
  }
  return files;
}

/** The same paths with other content: the version an earlier run generated. */
export function olderVersion(files: OutputFile[]): OutputFile[] {
  return files.map((f) => ({ ...f, content: `old ${f.path}\n${f.content.slice(0, 50)}` }));
}

/** Files the user keeps beside the generated ones, some in the generated folders. */
export const USER_FILES: Record<string, string> = {
  'notes.txt': 'my notes\n',
  'k8s/my-extra.yaml': 'kind: ConfigMap\n',
  'azure/README.local': 'do not lose me\n',
  '.git/config': '[core]\n',
  'deep/keep.txt': 'deep user file\n',
};

export function writeTree(root: string, files: { path: string; content: string; mode?: number }[]): void {
  for (const file of files) {
    const full = join(root, ...file.path.split('/'));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, file.content);
    chmodSync(full, file.mode ?? 0o644);
  }
}

/** An existing folder: an older version of `some` of the files, and the user's own files. */
export function seedExisting(root: string, older: OutputFile[], user: Record<string, string> = USER_FILES): void {
  mkdirSync(root, { recursive: true });
  writeTree(root, older);
  writeTree(root, Object.entries(user).map(([path, content]) => ({ path, content, mode: 0o600 })));
}

export type Entry = { type: 'file'; mode: number; content: string } | { type: 'dir'; mode: number } | { type: 'link'; target: string } | { type: 'other' };

/** Every entry under `root` (folders included, so an extra empty folder shows), by relative path. */
export function snapshot(root: string, options: { skipWork?: boolean } = {}): Map<string, Entry> | null {
  let stat;
  try {
    stat = lstatSync(root);
  } catch {
    return null;
  }
  if (!stat.isDirectory()) throw new Error(`${root} is not a folder`);
  const out = new Map<string, Entry>();
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const full = join(at, name);
      const path = relative(root, full).split('\\').join('/');
      if (options.skipWork && at === root && WORK_FOLDER.test(name)) continue;
      const s = lstatSync(full);
      if (s.isSymbolicLink()) out.set(path, { type: 'link', target: readlinkSync(full) });
      else if (s.isDirectory()) {
        out.set(path, { type: 'dir', mode: s.mode & 0o777 });
        walk(full);
      } else if (s.isFile()) out.set(path, { type: 'file', mode: s.mode & 0o777, content: readFileSync(full, 'utf8') });
      else out.set(path, { type: 'other' });
    }
  };
  walk(root);
  return out;
}

/** The tree a folder holds after `files` are written over `before` (a snapshot, or null for none). */
export function expectedAfter(before: Map<string, Entry> | null, files: OutputFile[]): Map<string, Entry> {
  const out = new Map(before ?? []);
  for (const file of files) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i += 1) {
      const folder = parts.slice(0, i).join('/');
      if (!out.has(folder)) out.set(folder, { type: 'dir', mode: 0o755 });
    }
    out.set(file.path, { type: 'file', mode: file.mode, content: file.content });
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Snapshots compare without folder modes of folders the writer made (umask decides them). */
export function comparable(tree: Map<string, Entry> | null): [string, Entry][] | null {
  if (!tree) return null;
  return [...tree.entries()].map(([path, e]) => [path, e.type === 'dir' ? { type: 'dir', mode: 0 } : e] as [string, Entry]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Names of our working folders left in `dir`. */
export function workFolders(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => WORK_FOLDER.test(n));
  } catch {
    return [];
  }
}
