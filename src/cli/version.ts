import { readFileSync } from 'node:fs';

/** Set by the bundler (scripts/build.mjs) in every bundle that reports the version; absent when running from source. */
declare const __CREATE_KV_SECRETS_VERSION__: string | undefined;

/** The package's version: `--version`, and the tool's version in SARIF reports. */
export function version(): string {
  if (typeof __CREATE_KV_SECRETS_VERSION__ === 'string') return __CREATE_KV_SECRETS_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
