// The names src/ imports from the yaml package (type imports aside): what dist/vendor/yaml.cjs must
// export. scripts/build.mjs builds the file from this list; a test holds the built file to it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function yamlImportNames(root) {
  const names = new Set();
  const files = readdirSync(join(root, 'src'), { recursive: true }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    for (const [, list] of readFileSync(join(root, 'src', file), 'utf8').matchAll(/^import \{([^}]*)\} from 'yaml';$/gm)) {
      for (const name of list.split(',')) if (name.trim()) names.add(name.trim());
    }
  }
  return [...names].sort();
}
