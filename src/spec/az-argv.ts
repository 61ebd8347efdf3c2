/**
 * Every az command line the tool builds (preflight, apply, the walk's lookups, the commands it prints)
 * is built here, in one form: the command's words, then each option as `--name=value`.
 *
 * Why glued: az's argparse reads a separate word that starts with `-` as the next option, so
 * `--resource-group -rg` fails with "expected one argument" although `-rg` is a valid resource group
 * name. `--resource-group=-rg` is always read as the value. Switches are bare `--name`.
 */

/** A value, `true` for a switch, or `undefined`/`false` to leave the option out. */
export type AzOption = string | boolean | undefined;

const OPTION_NAME = /^[a-z][a-z0-9-]*$/;
const COMMAND_WORD = /^[a-z][a-z0-9-]*$/;

/** `azArgv('aks show', { 'resource-group': rg, name: cluster })` → `['aks', 'show', '--resource-group=…', '--name=…']`. */
export function azArgv(command: string, options: Record<string, AzOption> = {}): string[] {
  const words = command.split(' ');
  for (const word of words) if (!COMMAND_WORD.test(word)) throw new Error(`az command word ${JSON.stringify(word)} is not a command word`);
  const argv = [...words];
  for (const [name, value] of Object.entries(options)) {
    if (!OPTION_NAME.test(name)) throw new Error(`az option name ${JSON.stringify(name)} is not a long option name`);
    if (value === undefined || value === false) continue;
    argv.push(value === true ? `--${name}` : `--${name}=${value}`);
  }
  return argv;
}

/**
 * Why an az argv is not in the glued form (null: it is): command words first, then only `--name` or
 * `--name=value` words, so that no value ever stands alone where az could take it for an option.
 */
export function azArgvProblem(argv: readonly string[]): string | null {
  let i = 0;
  while (i < argv.length && COMMAND_WORD.test(argv[i]!)) i++;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    const eq = word.indexOf('=');
    const name = word.startsWith('--') ? word.slice(2, eq === -1 ? undefined : eq) : '';
    if (!OPTION_NAME.test(name)) return `word ${i + 1} (${JSON.stringify(word)}) of az ${argv.join(' ')} is not --option or --option=value`;
  }
  return null;
}
