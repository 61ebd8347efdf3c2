import { didYouMean } from './did-you-mean.js';
import { keyVaultObjectName, objectAlias, oneOf } from './rules.js';
import { OBJECT_TYPES } from './types.js';
import type { KeyVaultObject, ObjectType, Problem } from './types.js';

const objectType = oneOf(OBJECT_TYPES);

/** `NAME[:secret|key|cert[:ALIAS]]`, the form of `--secret`, as short as it reads back the same. */
export function formatSecretFlag(object: KeyVaultObject): string {
  if (object.alias !== undefined) return `${object.name}:${object.type}:${object.alias}`;
  return object.type === 'secret' ? object.name : `${object.name}:${object.type}`;
}

/**
 * Reads one `--secret` value or one `secrets[]` entry of a config file. `where` names it in problems.
 */
export function parseKeyVaultObject(raw: unknown, where: string): { object?: KeyVaultObject; problems: Problem[] } {
  let name: unknown;
  let type: unknown = 'secret';
  let alias: unknown;
  if (typeof raw === 'string') {
    const [first, second, ...rest] = raw.split(':');
    name = first;
    if (second !== undefined) type = second;
    if (rest.length > 0) alias = rest.join(':');
  } else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const entry = raw as Record<string, unknown>;
    const known = ['name', 'type', 'alias'];
    const unknownKeys = Object.keys(entry).filter((k) => !known.includes(k));
    if (unknownKeys.length > 0) {
      return { problems: unknownKeys.map((k) => ({ field: `${where}.${k}`, value: String(entry[k]), rule: `is not a known key${didYouMean(k, known)} (${known.join(', ')})` })) };
    }
    ({ name, alias } = entry);
    if (entry['type'] !== undefined) type = entry['type'];
  } else {
    return { problems: [{ field: where, value: String(raw), rule: 'must be NAME[:secret|key|cert[:ALIAS]] or {name, type, alias}' }] };
  }

  const problems: Problem[] = [];
  // A flag is reported whole (`--secret 'db:bogus'`), a config entry by its key path (`secrets[1].type`).
  const check = (part: 'name' | 'type' | 'alias', value: unknown, rule: (v: string) => string | null) => {
    const broken = typeof value === 'string' ? rule(value) : 'must be a string';
    if (!broken) return;
    if (typeof raw === 'string') problems.push({ field: where, value: raw, rule: `${part} ${broken}` });
    else problems.push({ field: `${where}.${part}`, value: String(value), rule: broken });
  };
  check('name', name, keyVaultObjectName);
  check('type', type, objectType);
  if (alias !== undefined) check('alias', alias, objectAlias);
  if (problems.length > 0) return { problems };
  const object: KeyVaultObject = { name: name as string, type: type as ObjectType };
  if (alias !== undefined) object.alias = alias as string;
  return { object, problems };
}

/** Two objects may not share a name or land on the same file / Secret key. */
export function duplicateProblems(objects: KeyVaultObject[], field: string): Problem[] {
  const problems: Problem[] = [];
  const seenNames = new Set<string>();
  const seenTargets = new Set<string>();
  for (const object of objects) {
    // Key Vault names are case-insensitive.
    const name = object.name.toLowerCase();
    if (seenNames.has(name)) problems.push({ field, value: object.name, rule: 'names a Key Vault object twice' });
    seenNames.add(name);
    const target = object.alias ?? object.name;
    if (seenTargets.has(target)) problems.push({ field, value: formatSecretFlag(object), rule: `delivers a second object as "${target}"; give one of them another alias` });
    seenTargets.add(target);
  }
  // A file cannot also be a folder: `db` and `db/password` would both need the path `db`.
  for (const object of objects) {
    const target = object.alias ?? object.name;
    const folder = [...seenTargets].find((other) => target.startsWith(`${other}/`));
    if (folder !== undefined) problems.push({ field, value: formatSecretFlag(object), rule: `is delivered inside "${folder}", which another object is delivered as; give one of them another alias` });
  }
  return problems;
}
