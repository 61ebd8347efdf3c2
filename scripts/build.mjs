#!/usr/bin/env node
// Builds the published CLI: templates precompiled into the source, then one ES module bundle with
// every library inside, so the package has no runtime dependencies. What only some runs need (the
// prompts, child processes) is split into chunks that load on first use.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

execFileSync(process.execPath, [join(root, 'scripts', 'embed-templates.mjs')], { stdio: 'inherit' });
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: { 'create-kv-secrets': join(root, 'src', 'cli', 'main.ts') },
  outdir: join(root, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __CREATE_KV_SECRETS_VERSION__: JSON.stringify(pkg.version) },
  // Some bundled CommonJS libraries call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
