/**
 * The environment `apply` starts bash with for azure/setup.sh: the user's, less what would change how
 * bash itself behaves before the script's first line. SHELLOPTS and BASHOPTS turn options on (xtrace
 * would print every secret value), BASH_ENV and ENV name a file bash runs first, BASH_FUNC_* define
 * functions that can replace the commands the script runs, and PS4 (what xtrace prints) and IFS (how
 * words split) are the shell's own. Everything else stays: az and kubectl need the user's PATH, HOME,
 * AZURE_* settings and proxies.
 */
const SHELL_CONTROLS = new Set(['SHELLOPTS', 'BASHOPTS', 'BASH_ENV', 'ENV', 'PS4', 'IFS', 'CDPATH', 'GLOBIGNORE', 'BASH_XTRACEFD']);

export function scriptEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SHELL_CONTROLS.has(name) && !name.startsWith('BASH_FUNC_')));
}
