import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The render layer imports the embedded templates; make sure they match templates/ before any test. */
export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/embed-templates.mjs', import.meta.url))]);
}
