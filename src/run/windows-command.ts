import { statSync } from 'node:fs';
import { win32 } from 'node:path';

/**
 * How a program is started on Windows, as execa started it (through cross-spawn): spawn() without a
 * shell runs only .exe and .com files, and the Azure CLI is `az.cmd`. So the program is looked up the
 * way cmd.exe would (the working directory first, then each PATH entry, each with the PATHEXT
 * extensions, then the bare name); when what is found is no .exe or .com (or nothing is found), it runs
 * through cmd.exe with every word quoted and escaped, so that no argument is read as cmd.exe syntax.
 *
 * Left out of cross-spawn: running a `#!` script with the interpreter its first line names, which only
 * matters for a program file with no extension.
 */

export interface WindowsCommand {
  file: string;
  args: string[];
  /** The arguments are already quoted for cmd.exe: spawn() must pass them as they are. */
  verbatim: boolean;
}

/** What the lookup reads from this machine; tests give their own. */
export interface WindowsHost {
  cwd: string;
  /** This process's PATH, used when the child's environment has none. */
  path: string | undefined;
  pathExt: string | undefined;
  comSpec: string | undefined;
  isFile: (path: string) => boolean;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const thisMachine = (): WindowsHost => ({ cwd: process.cwd(), path: process.env['PATH'], pathExt: process.env['PATHEXT'], comSpec: process.env['comspec'], isFile });

/** The first file `command` names, trying each extension of `pathExt` (';'-separated; ';' alone: the name as it is). */
function find(command: string, env: NodeJS.ProcessEnv, here: string, pathExt: string, host: WindowsHost): string | undefined {
  // Environment names are case-blind on Windows: 'Path' is the usual spelling.
  const pathKey = Object.keys(env).reverse().find((key) => key.toUpperCase() === 'PATH') ?? 'Path';
  const directories = /[\\/]/.test(command) ? [''] : [here, ...(env[pathKey] || host.path || '').split(';')];
  const accepted = pathExt.split(';');
  const extensions = command.includes('.') && accepted[0] !== '' ? ['', ...accepted] : accepted;
  const executable = (file: string) => accepted.includes('') || accepted.some((ext) => ext !== '' && file.toLowerCase().endsWith(ext.toLowerCase()));
  for (const entry of directories) {
    const directory = /^".*"$/.test(entry) ? entry.slice(1, -1) : entry;
    const joined = win32.join(directory, command);
    const base = directory === '' && /^\.[\\/]/.test(command) ? command.slice(0, 2) + joined : joined;
    for (const ext of extensions) {
      const file = win32.resolve(here, base + ext);
      if (executable(base + ext) && host.isFile(file)) return file;
    }
  }
  return undefined;
}

// cmd.exe's special characters, each escaped with ^ (see https://qntm.org/cmd).
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;

/** One argument as the program will receive it after cmd.exe and the C runtime have read it. */
function quoteArgument(arg: string, twice: boolean): string {
  // Backslashes before a double quote, or at the end (before the closing quote added here), are doubled.
  let quoted = `"${arg.replace(/(?=(\\+?)?)\1"/g, '$1$1\\"').replace(/(?=(\\+?)?)\1$/, '$1$1')}"`.replace(CMD_META, '^$1');
  // A node_modules/.bin shim passes its arguments through cmd.exe a second time.
  if (twice) quoted = quoted.replace(CMD_META, '^$1');
  return quoted;
}

export function windowsCommand(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string | undefined, host: WindowsHost = thisMachine()): WindowsCommand {
  const here = win32.resolve(host.cwd, cwd ?? '');
  const found = find(file, env, here, host.pathExt || '.EXE;.CMD;.BAT;.COM', host) ?? find(file, env, here, ';', host);
  if (found !== undefined && /\.(?:com|exe)$/i.test(found)) return { file, args, verbatim: false };
  const twice = found !== undefined && /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i.test(found);
  const line = [win32.normalize(file).replace(CMD_META, '^$1'), ...args.map((arg) => quoteArgument(arg, twice))].join(' ');
  const shell = host.comSpec || 'cmd.exe';
  // execa adds /q (no echo) whenever the program is cmd.exe.
  return { file: shell, args: [...(win32.basename(shell, '.exe') === 'cmd' ? ['/q'] : []), '/d', '/s', '/c', `"${line}"`], verbatim: true };
}
