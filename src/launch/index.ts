import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Starts the bundled CLI with a V8 code cache, as Node 22's `module.enableCompileCache()` does and
 * Node 20 cannot: compiling the bundle is most of a run's start-up, and a cache of the compiled code,
 * made by the first run and read by the next ones, takes that away.
 *
 * The cache is the user's own, never shared: it lives in the user's cache folder (XDG_CACHE_HOME,
 * ~/.cache, or %LOCALAPPDATA%), is read only if it is a regular file owned by this user and writable
 * by no one else, and is named after the bundle's hash, Node's version and the architecture. V8 checks
 * the rest and rejects a cache it cannot use, which is then written anew. NODE_DISABLE_COMPILE_CACHE=1
 * (Node's own switch) turns it off. Any failure to read or write it only means a slower start.
 */

/** Set by scripts/build.mjs: the sha256 of the bundle this launcher starts. */
declare const __BUNDLE_HASH__: string;

interface Cli {
  main(argv: string[]): Promise<number>;
}

function cacheFolder(): string | undefined {
  const { env } = process;
  if (env['NODE_DISABLE_COMPILE_CACHE']) return undefined;
  const base = process.platform === 'win32' ? env['LOCALAPPDATA'] : env['XDG_CACHE_HOME'] || (env['HOME'] && join(env['HOME'], '.cache'));
  return base ? join(base, 'create-kv-secrets') : undefined;
}

/** The cache, if it is this user's alone; what anyone else could have written is never run. */
function readOwnCache(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    // Windows has neither owners nor modes here; %LOCALAPPDATA% is the user's own.
    const windows = process.platform === 'win32';
    const ownedByUs = windows || stat.uid === process.getuid?.();
    const writableByOthers = !windows && (stat.mode & 0o022) !== 0;
    if (!stat.isFile() || !ownedByUs || writableByOthers) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Writes the cache whole (a new file renamed into place) and drops caches of other versions. */
function writeCache(folder: string, name: string, data: Buffer): void {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const partial = join(folder, `.${name}.${process.pid}`);
    writeFileSync(partial, data, { mode: 0o600, flag: 'wx' });
    renameSync(partial, join(folder, name));
    for (const other of readdirSync(folder)) {
      if (other !== name && other.endsWith('.cache')) unlinkSync(join(folder, other));
    }
  } catch {
    // A read-only home, a full disk: the next run compiles again.
  }
}

/** Loads the CommonJS bundle at `bundlePath` through the cache and runs its main(). */
export async function launch(bundlePath: string, argv: string[]): Promise<number> {
  const folder = cacheFolder();
  const name = `${__BUNDLE_HASH__}-${process.version}-${process.arch}.cache`;
  const cachedData = folder ? readOwnCache(join(folder, name)) : undefined;
  const source = readFileSync(bundlePath, 'utf8');
  // The wrapper Node puts around every CommonJS module, on the bundle's first line so lines stay true.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: bundlePath,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as Cli };
  // This launcher's own require (it is built to CommonJS): it sits beside the bundle in dist/, so the
  // bundle's `./vendor/...` resolve from there, and no createRequire (node:module) is loaded for it.
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, bundlePath, dirname(bundlePath));
  const code = await module.exports.main(argv);
  // After the run, so the cache holds every function this run compiled, not only the top level.
  if (folder && (!cachedData || script.cachedDataRejected)) writeCache(folder, name, script.createCachedData());
  return code;
}
