/**
 * The three @inquirer/prompts the CLI uses, in one module that is only ever imported dynamically:
 * the build ships it as a file of its own (dist/vendor/), so that runs without prompts never load it.
 */
export { confirm, input, select } from '@inquirer/prompts';
