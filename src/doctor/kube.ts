import type { Collection, KubeObject } from './types.js';

/** Reading `kubectl get -o json` output without trusting its shape. */

export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export const text = (value: unknown, ...path: string[]): string | undefined => {
  const v = field(value, ...path);
  return typeof v === 'string' ? v : undefined;
};

export const list = (value: unknown, ...path: string[]): unknown[] => {
  const v = field(value, ...path);
  return Array.isArray(v) ? v : [];
};

export const nameOf = (object: KubeObject): string => text(object, 'metadata', 'name') ?? '';
export const namespaceOf = (object: KubeObject): string => text(object, 'metadata', 'namespace') ?? '';

/** The pod template's spec of a Deployment. */
export const podSpecOf = (deployment: KubeObject): unknown => field(deployment, 'spec', 'template', 'spec');

const OBJECT_TYPES: Record<string, Collection> = { secret: 'secrets', key: 'keys', cert: 'certificates' };

/**
 * The objects a SecretProviderClass names, from its `objects` parameter: YAML items of
 * `objectName:` and `objectType:` lines (fact sheet 2.2). Read line by line rather than with a YAML
 * library: only these two keys matter, and the provider matches them case-sensitively too.
 */
export function spcObjects(spc: KubeObject): { name: string; collection: Collection }[] {
  const objects = text(spc, 'spec', 'parameters', 'objects') ?? '';
  const items = objects.split(/^\s*-\s*\|?/m).slice(1);
  const value = (item: string, key: string) => /^\s*(["']?)(.*?)\1\s*$/.exec(new RegExp(`^\\s*${key}:(.*)$`, 'm').exec(item)?.[1] ?? '')?.[2] ?? '';
  return items.flatMap((item) => {
    const name = value(item, 'objectName');
    const collection = OBJECT_TYPES[value(item, 'objectType')];
    return name && collection ? [{ name, collection }] : [];
  });
}

/** The objects an ExternalSecret reads: `remoteRef.key` is `secret/NAME`, `key/NAME`, `cert/NAME` or a bare secret name. */
export function externalSecretObjects(es: KubeObject): { name: string; collection: Collection }[] {
  return list(es, 'spec', 'data').flatMap((item) => {
    const key = text(item, 'remoteRef', 'key');
    if (!key) return [];
    const slash = key.indexOf('/');
    const collection = slash === -1 ? 'secrets' : OBJECT_TYPES[key.slice(0, slash)];
    return collection ? [{ name: slash === -1 ? key : key.slice(slash + 1), collection }] : [];
  });
}

/** A `Ready` condition: its status and message, or undefined when there is none. */
export function readyCondition(object: KubeObject): { ready: boolean; message: string } | undefined {
  const condition = list(object, 'status', 'conditions').find((c) => text(c, 'type') === 'Ready');
  if (!condition) return undefined;
  return { ready: text(condition, 'status') === 'True', message: text(condition, 'message') ?? text(condition, 'reason') ?? '' };
}
