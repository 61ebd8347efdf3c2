import { decide } from '../decide/index.js';
import type { Decision } from '../decide/index.js';
import { fieldByKey, parseKeyVaultObject } from '../spec/index.js';
import type { FieldDef, KeyVaultObject, Problem, Spec, SpecInput, SpecKey } from '../spec/index.js';
import type { AzureSubscription } from './azure.js';

/** A question of the walk: a field of the Spec, or the folder to generate into. */
export type StepId = SpecKey | 'dir';

/** Where a Key Vault object lands for the current answers, as the generated files will have it. */
export interface DeliveryPreview {
  /** What an alias would replace (file path under the mount, env var, Secret key); absent when no alias applies. */
  as?: string;
  /** What that name is, as a question: `File name under /mnt/secrets`, `Env var name`. */
  asQuestion?: string;
  /** The whole of it, for people: `file /mnt/secrets/db-password`, `env var DB_PASSWORD from Secret app-secrets`. */
  text: string;
}

/** Checks that need the layers the walk may not import (plan, render, write); the CLI supplies them. */
export interface WalkChecks {
  /** Every problem generating from these answers would meet: the flag rules and the chosen approach's. */
  problems(input: SpecInput): Problem[];
  /** Why the files cannot go into `dir` (it holds files that would change, it is not a folder…); null when they can. */
  folderProblem(dir: string, input: SpecInput): string | null;
  /** One preview per Key Vault object, in order; undefined while the answers do not build. */
  deliveries(input: SpecInput): DeliveryPreview[] | undefined;
}

/** The answers as they grow: what flags and config gave, plus what the walk asked. */
export class WalkState {
  readonly input: SpecInput;
  /** Steps the flags or the config file answered: never asked during the first pass. */
  readonly given = new Set<StepId>();
  /** Steps the walk has dealt with (asked, or found nothing to ask). */
  readonly settled = new Set<StepId>();
  /** Questions actually put to the user. */
  prompted = 0;
  dir: string | undefined;
  subscriptions: AzureSubscription[] = [];

  constructor(input: SpecInput, dir: string | undefined) {
    this.input = { ...input };
    for (const [key, value] of Object.entries(input) as [SpecKey, unknown][]) {
      if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) this.given.add(key);
    }
    this.dir = dir;
    if (dir !== undefined) this.given.add('dir');
  }

  done(id: StepId): boolean {
    return this.given.has(id) || this.settled.has(id);
  }

  /** The app name when it is usable for derived defaults. */
  app(): string | undefined {
    const app = this.input.app;
    return typeof app === 'string' && fieldByKey('app').rule?.(app) === null ? app : undefined;
  }

  /** The table's default for a field, derived from the app name where it is. */
  defaultOf(field: FieldDef): string | boolean | undefined {
    const { defaultValue } = field;
    if (typeof defaultValue !== 'function') return defaultValue;
    const app = this.app();
    return app === undefined ? undefined : defaultValue({ app });
  }

  value(key: SpecKey): string | boolean | undefined {
    const given = this.input[key];
    if (given !== undefined && !Array.isArray(given)) return given;
    return this.defaultOf(fieldByKey(key));
  }

  text(key: SpecKey): string | undefined {
    const value = this.value(key);
    return typeof value === 'string' ? value : undefined;
  }

  flag(key: SpecKey): boolean {
    return this.value(key) === true;
  }

  /** Stores an answer; an answer equal to the table's default is left to the default, so that it follows the app name. */
  set(key: SpecKey, value: string | boolean | undefined): void {
    if (value === undefined || value === '' || value === this.defaultOf(fieldByKey(key))) delete this.input[key];
    else this.input[key] = value;
  }

  decision(): Decision {
    const appKind = this.text('appKind');
    const legacyReads = this.text('legacyReads');
    const approach = this.text('approach');
    return decide({
      appKind: (appKind ?? 'new') as Spec['appKind'],
      legacyReads: (legacyReads ?? 'env') as Spec['legacyReads'],
      ...(approach ? { approach: approach as Spec['approach'] } : {}),
    } as Pick<Spec, 'appKind' | 'legacyReads' | 'approach'>);
  }

  objects(): KeyVaultObject[] {
    const raw = this.input.secrets;
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    return list.flatMap((entry) => {
      const parsed = parseKeyVaultObject(entry, '--secret');
      return parsed.object ? [parsed.object] : [];
    });
  }

  /** Whether a field matters for the approach the answers lead to (the review shows only those). */
  applies(key: SpecKey): boolean {
    const approach = this.decision().approach;
    switch (key) {
      case 'approach':
        return this.input.approach !== undefined;
      case 'legacyReads':
        return this.text('appKind') === 'legacy' || approach === 'eso';
      case 'targetSecret':
      case 'refreshInterval':
      case 'storeKind':
      case 'installEso':
        return approach === 'eso';
      case 'rotation':
        // The SDK path has no delivery to keep in step: the app reads Key Vault again on its own.
        return approach !== 'sdk';
      case 'rotationInterval':
        return approach === 'csi' && this.flag('rotation');
      case 'mountPath':
        return approach === 'csi';
      case 'deployment':
      case 'container':
        return this.text('workload') === 'existing';
      case 'image':
        return this.text('workload') !== 'existing';
      case 'privateEndpointSubnet':
        return this.text('vaultNetwork') === 'private';
      case 'egressIp':
        return this.text('vaultNetwork') === 'firewall';
      case 'ingress':
        // The Service selects the demo Deployment's pods: an existing Deployment's are not known here.
        return this.text('workload') !== 'existing';
      case 'host':
      case 'tlsCert':
      case 'port':
        return (this.text('ingress') ?? 'none') !== 'none';
      case 'ingressClass':
        // Application routing's class is fixed by the add-on; another controller's varies.
        return this.text('ingress') === 'nginx';
      default:
        return true;
    }
  }
}
