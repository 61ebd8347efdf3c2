import { closeSync, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

/**
 * Reading a folder tree for the audit, safely: never following a link out of it, skipping version
 * control, dependency and vendored folders, and files that are binary or too big to be configuration
 * (each such file reported with the reason, never read in full).
 */

const SKIPPED_FOLDERS = new Set(['.git', '.hg', '.svn', 'node_modules', 'vendor', 'bower_components', '.terraform', '.venv', 'venv', '__pycache__', '.tox']);
const BINARY_EXTENSIONS = /\.(?:png|jpe?g|gif|bmp|ico|webp|pdf|zip|gz|tgz|bz2|xz|7z|tar|jar|war|class|exe|dll|so|dylib|o|a|woff2?|ttf|otf|eot|mp[34]|mov|avi|wasm|pyc|pfx|p12)$/i;
export const MAX_FILE_BYTES = 1024 * 1024;

export interface TreeFile {
  /** The path as the user sees it: relative to the working folder, with forward slashes. */
  path: string;
  text: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface WalkResult {
  files: number;
  skipped: SkippedFile[];
  /** Targets that are not there: none of the targets is read then. */
  missing: string[];
}

/** Visits every text file under the targets (files or folders), in a stable order. */
export function walkTree(targets: readonly string[], cwd: string, visit: (file: TreeFile) => void): WalkResult {
  const result: WalkResult = { files: 0, skipped: [], missing: [] };
  const skip = (path: string, reason: string) => result.skipped.push({ path, reason });

  // One buffer for every file: a tree of small files costs allocations and garbage collection otherwise.
  const buffer = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
  // A file that two targets reach (a folder and a file in it) is read once; with one target, none can be.
  const seen = targets.length > 1 ? new Set<string>() : undefined;
  const readOne = (abs: string, path: string) => {
    if (seen) {
      if (seen.has(path)) return;
      seen.add(path);
    }
    if (BINARY_EXTENSIONS.test(path)) return skip(path, 'binary');
    let length = 0;
    let fd: number | undefined;
    try {
      fd = openSync(abs, 'r');
      // Read until the end or past the limit: no fstat, and one read for a small file (a regular
      // file's read comes back short only at its end).
      for (;;) {
        const wanted = buffer.length - length;
        const n = readSync(fd, buffer, length, wanted, null);
        length += n;
        if (n === 0 || n < wanted) break;
      }
      if (length > MAX_FILE_BYTES) {
        const size = fstatSync(fd).size;
        return skip(path, `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (${(size / 1024 / 1024).toFixed(1)} MB), not scanned`);
      }
    } catch (error) {
      return skip(path, `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    const text = buffer.toString('utf8', 0, length);
    // A NUL in the first 8,000 characters: binary, as git judges. Looked for in the text, which every
    // text file needs anyway: a view of the buffer to search would cost more than the search.
    const nul = text.indexOf('\0');
    if (nul !== -1 && nul < 8000) return skip(path, 'binary');
    result.files++;
    visit({ path, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
  };

  /** dir as the user sees it is `shownDir`; the names below it are appended to that, not recomputed. */
  const walkFolder = (dir: string, shownDir: string, root: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      return skip(shownDir, `unreadable folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    for (const entry of entries) {
      const abs = dir + sep + entry.name;
      const path = shownDir === '.' ? entry.name : `${shownDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walkFolder(abs, path, root);
      } else if (entry.isFile()) {
        readOne(abs, path);
      } else if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(abs);
        } catch {
          skip(path, 'a broken link');
          continue;
        }
        if (real !== root && !real.startsWith(root + sep)) skip(path, 'a link out of the scanned tree, not followed');
        else if (statSync(real).isFile()) readOne(abs, path);
        // A link to a folder inside the tree: that folder is scanned where it is.
      }
    }
  };

  // Each file is opened by the name the walk builds for it. Built from the target as given when the
  // walk starts in this process's working folder: the kernel then resolves a few components per file
  // instead of the whole absolute path (measured alone: the opens of 10,000 files a tenth cheaper, the
  // walk's reads 5%; a few ms of a whole audit, less than npm run bench's noise).
  const fromHere = resolve(cwd) === process.cwd();
  // Every target is looked at once, with one stat, before any is read: pre-commit passes each staged
  // file as a target, thousands with --all-files, and a missing one is bad usage, said before a scan.
  const found: { abs: string; folder: boolean }[] = [];
  for (const target of targets) {
    const abs = resolve(cwd, target);
    try {
      found.push({ abs, folder: statSync(abs).isDirectory() });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') result.missing.push(target);
      else skip(target, `unreadable (${code ?? String(error)})`);
    }
  }
  if (result.missing.length > 0) return result;
  for (const { abs, folder } of found) {
    const shown = relative(cwd, abs);
    const path = shown.split(sep).join('/') || '.';
    const opened = fromHere ? shown || '.' : abs;
    // A folder's real path bounds the links followed in it; a file named as a target is read as named.
    if (folder) walkFolder(opened, path, realpathSync(abs));
    else readOne(opened, path);
  }
  return result;
}
