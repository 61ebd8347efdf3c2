/**
 * The three @inquirer prompts the CLI uses, in one module that is only ever imported dynamically:
 * the build ships it as a file of its own (dist/vendor/), so that runs without prompts never load it.
 * Each prompt comes from its own package: the umbrella would also bring the editor and its encodings.
 */
export { default as confirm } from '@inquirer/confirm';
export { default as input } from '@inquirer/input';
export { default as select } from '@inquirer/select';
