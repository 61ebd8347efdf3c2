import { closeSync, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

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
}

/** Visits every text file under the targets (files or folders), in a stable order. */
export function walkTree(targets: readonly string[], cwd: string, visit: (file: TreeFile) => void): WalkResult {
  const result: WalkResult = { files: 0, skipped: [] };
  const shown = (abs: string) => relative(cwd, abs).split(sep).join('/') || '.';
  const skip = (abs: string, reason: string) => result.skipped.push({ path: shown(abs), reason });

  const readOne = (abs: string) => {
    if (BINARY_EXTENSIONS.test(abs)) return skip(abs, 'binary');
    let content: Buffer;
    let fd: number | undefined;
    try {
      fd = openSync(abs, 'r');
      const size = fstatSync(fd).size;
      if (size > MAX_FILE_BYTES) return skip(abs, `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (${(size / 1024 / 1024).toFixed(1)} MB), not scanned`);
      const bytes = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, bytes, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      content = bytes.subarray(0, read);
    } catch (error) {
      return skip(abs, `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    if (content.subarray(0, 8000).includes(0)) return skip(abs, 'binary');
    result.files++;
    visit({ path: shown(abs), text: content.toString('utf8').replace(/^\uFEFF/, '') });
  };

  const walkFolder = (dir: string, root: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      return skip(dir, `unreadable folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walkFolder(abs, root);
      } else if (entry.isFile()) {
        readOne(abs);
      } else if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(abs);
        } catch {
          skip(abs, 'a broken link');
          continue;
        }
        if (real !== root && !real.startsWith(root + sep)) skip(abs, 'a link out of the scanned tree, not followed');
        else if (statSync(real).isFile()) readOne(abs);
        // A link to a folder inside the tree: that folder is scanned where it is.
      }
    }
  };

  for (const target of targets) {
    const abs = resolve(cwd, target);
    const real = realpathSync(abs);
    if (statSync(real).isDirectory()) walkFolder(abs, real);
    else readOne(abs);
  }
  return result;
}
