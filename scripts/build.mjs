#!/usr/bin/env node
// Builds the published CLI, with every library inside so that the package has no runtime dependencies:
// - dist/create-kv-secrets.cjs: our code and the Handlebars runtime, templates precompiled into it. One
//   CommonJS file, so that dist/launch.cjs can start it with a V8 code cache (src/launch says why).
// - dist/vendor/*.cjs: the libraries, each a file of its own that our code requires on first use: the
//   `yaml` library (every generation checks its YAML with it; --config and apply read with it), and those
//   only some runs need, which a flags-only generation never loads: the prompts, the diff writer for
//   --diff, the audit sub-command, and execa for the programs apply and the walk's az lookups start.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { yamlImportNames } from './yaml-imports.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * What dist/vendor/ holds: how each file is built. The yaml file exports only what src/ imports, from the
 * package's ES module build (the `default` export condition, hence the neutral platform), so that the
 * rest of the library is shaken out; the prompts are src/prompt/inquirer.ts.
 */
const VENDOR = {
  yaml: {
    file: 'vendor/yaml.cjs',
    options: { stdin: { contents: `export { ${yamlImportNames(root).join(', ')} } from 'yaml';`, resolveDir: root }, platform: 'neutral' },
  },
  inquirer: { file: 'vendor/inquirer.cjs', options: { entryPoints: [join(root, 'src', 'prompt', 'inquirer.ts')] } },
  diff: { file: 'vendor/diff.cjs', options: { entryPoints: [join(root, 'src', 'cli', 'diff.ts')] } },
  // Our own code, not a library's, but like them only some runs need it: `audit` and its readers.
  // bin/ also starts it directly (auditMain), so it carries the version as the main bundle does.
  audit: {
    file: 'vendor/audit.cjs',
    options: {
      entryPoints: [join(root, 'src', 'cli', 'audit.ts')],
      define: { __CREATE_KV_SECRETS_VERSION__: JSON.stringify(pkg.version) },
      logOverride: { 'empty-import-meta': 'silent' },
    },
  },
  // Required by src/run/spawn.ts only, which every caller reaches through import(): loaded on first use.
  execa: { file: 'vendor/execa.cjs', options: { stdin: { contents: `export { execa } from 'execa';`, resolveDir: root } } },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
};

/** Every package whose code a build put into dist/. */
const bundled = new Set();
async function bundle(options) {
  const result = await build(options);
  for (const input of Object.keys(result.metafile.inputs)) {
    const inPackage = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (inPackage) bundled.add(inPackage[1]);
  }
}

/** The licenses of the bundled packages, which their terms ask every copy to carry. */
function writeThirdPartyLicenses() {
  const sections = [...bundled].sort().map((name) => {
    const dir = join(root, 'node_modules', name);
    const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (!file) throw new Error(`${name} ships no license file to include in dist/`);
    return `## ${name} ${version} (${license})\n\n${readFileSync(join(dir, file), 'utf8').trim()}\n`;
  });
  writeFileSync(join(dist, 'THIRD-PARTY-LICENSES.md'), `# Third-party code bundled in dist/\n\n${sections.join('\n')}`);
}

/** The files of our own code in dist/vendor/, and when a run loads each. */
const LOADED_ON_DEMAND = { inquirer: 'when a prompt is shown', diff: 'for --diff', audit: 'for the audit sub-command' };

/** Imports of vendored code become requires of its file, relative to the bundle. */
const vendorAsFiles = {
  name: 'vendor-as-files',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^yaml$/ }, () => ({ path: `./${VENDOR.yaml.file}`, external: true }));
    esbuild.onResolve({ filter: /^execa$/ }, () => ({ path: `./${VENDOR.execa.file}`, external: true }));
    for (const [name, when] of Object.entries(LOADED_ON_DEMAND)) {
      esbuild.onResolve({ filter: new RegExp(`${name}\\.js$`) }, (args) => {
        if (join(args.resolveDir, args.path.replace(/\.js$/, '.ts')) !== VENDOR[name].options.entryPoints[0]) return undefined;
        if (args.kind !== 'dynamic-import') return { errors: [{ text: `${args.path} must be imported with import(), so that it loads only ${when}` }] };
        return { path: `./${VENDOR[name].file}`, external: true };
      });
    }
  },
};

execFileSync(process.execPath, [join(root, 'scripts', 'embed-templates.mjs')], { stdio: 'inherit' });
rmSync(dist, { recursive: true, force: true });

await bundle({
  ...common,
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile: join(dist, 'create-kv-secrets.cjs'),
  // import() becomes require(): the launcher runs the bundle as a script, which has no module loader.
  supported: { 'dynamic-import': false },
  define: { __CREATE_KV_SECRETS_VERSION__: JSON.stringify(pkg.version) },
  // import.meta serves only the version lookup when running from source, which the define above replaces.
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [vendorAsFiles],
});
for (const { file, options } of Object.values(VENDOR)) {
  await bundle({ ...common, ...options, outfile: join(dist, file) });
}
const bundleHash = createHash('sha256').update(readFileSync(join(dist, 'create-kv-secrets.cjs'))).digest('hex').slice(0, 16);
await bundle({
  ...common,
  entryPoints: [join(root, 'src', 'launch', 'index.ts')],
  outfile: join(dist, 'launch.cjs'),
  define: { __BUNDLE_HASH__: JSON.stringify(bundleHash) },
});
writeThirdPartyLicenses();
