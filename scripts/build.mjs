#!/usr/bin/env node
// Builds the published CLI, with every library inside so that the package has no runtime dependencies:
// - dist/create-kv-secrets.cjs: our code and the Handlebars runtime, templates precompiled into it. One
//   CommonJS file, so that dist/launch.cjs can start it with a V8 code cache (src/launch says why).
// - dist/vendor/*.cjs: the libraries only some runs need (the YAML reader for --config and apply, the
//   prompts), each a file of its own that our code requires on first use; a generation never loads them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** What dist/vendor/ holds: the name our code imports → the file built for it. */
const VENDOR = {
  yaml: { entry: 'yaml', file: 'vendor/yaml.cjs' },
  inquirer: { entry: join(root, 'src', 'prompt', 'inquirer.ts'), file: 'vendor/inquirer.cjs' },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
};

/** Imports of vendored code become requires of its file, relative to the bundle. */
const vendorAsFiles = {
  name: 'vendor-as-files',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^yaml$/ }, () => ({ path: `./${VENDOR.yaml.file}`, external: true }));
    esbuild.onResolve({ filter: /inquirer\.js$/ }, (args) => {
      if (join(args.resolveDir, args.path.replace(/\.js$/, '.ts')) !== VENDOR.inquirer.entry) return undefined;
      if (args.kind !== 'dynamic-import') return { errors: [{ text: `${args.path} must be imported with import(), so that it loads only when a prompt is shown` }] };
      return { path: `./${VENDOR.inquirer.file}`, external: true };
    });
  },
};

execFileSync(process.execPath, [join(root, 'scripts', 'embed-templates.mjs')], { stdio: 'inherit' });
rmSync(dist, { recursive: true, force: true });

await build({
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
for (const { entry, file } of Object.values(VENDOR)) {
  await build({ ...common, entryPoints: [entry], outfile: join(dist, file) });
}
const bundleHash = createHash('sha256').update(readFileSync(join(dist, 'create-kv-secrets.cjs'))).digest('hex').slice(0, 16);
await build({
  ...common,
  entryPoints: [join(root, 'src', 'launch', 'index.ts')],
  outfile: join(dist, 'launch.cjs'),
  define: { __BUNDLE_HASH__: JSON.stringify(bundleHash) },
});
