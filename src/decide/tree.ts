import type { Approach, AppKind, LegacyReads } from '../spec/index.js';

/** Where a choice leads: another question, or an outcome. */
export type Next = { question: QuestionId } | { outcome: Approach };

export interface Choice<V extends string = string> {
  value: V;
  label: string;
  /** One line from the guide: why this answer leads where it leads. */
  reason: string;
  next: Next;
}

export interface Question<V extends string = string> {
  id: QuestionId;
  /** The Spec field that holds the answer (and so the flag that gives it). */
  field: 'appKind' | 'legacyReads';
  text: string;
  choices: Choice<V>[];
}

export type QuestionId = 'appKind' | 'legacyReads';

export interface Outcome {
  approach: Approach;
  title: string;
  summary: string;
}

/** The guide's decision tree, as data: the prompts, the README's decision path and the docs all read it. */
export const START: QuestionId = 'appKind';

export const QUESTIONS: { appKind: Question<AppKind>; legacyReads: Question<LegacyReads> } = {
  appKind: {
    id: 'appKind',
    field: 'appKind',
    text: 'Can the app read its secrets from files?',
    choices: [
      {
        value: 'new',
        label: 'Yes: it can read files (a new app, or one we can change)',
        reason: 'The CSI driver mounts Key Vault secrets as files, so they never exist as Kubernetes objects.',
        next: { outcome: 'csi' },
      },
      {
        value: 'legacy',
        label: 'No: it is hard-wired to env vars or a Kubernetes Secret object',
        reason: 'Only an app that cannot change should pay for a synced Kubernetes Secret.',
        next: { question: 'legacyReads' },
      },
      {
        value: 'sdk',
        label: 'It calls Key Vault itself, through the Azure SDK (advanced: code you own, in a language or two)',
        reason:
          'Nothing secret is on disk or in the cluster at all: the app reads each value into memory as its federated identity. Not for apps you cannot change, many languages to maintain, or many replicas reading often (Key Vault throttles).',
        next: { outcome: 'sdk' },
      },
    ],
  },
  legacyReads: {
    id: 'legacyReads',
    field: 'legacyReads',
    text: 'How does the app take its secrets?',
    choices: [
      {
        value: 'env',
        label: 'From environment variables',
        reason: 'The External Secrets Operator syncs Key Vault into a Secret that the pod reads as env vars.',
        next: { outcome: 'eso' },
      },
      {
        value: 'secret-object',
        label: 'From a Kubernetes Secret object it names (e.g. a Helm chart\'s existingSecret)',
        reason: 'The External Secrets Operator keeps that Secret object in step with Key Vault.',
        next: { outcome: 'eso' },
      },
    ],
  },
};

export const OUTCOMES: Record<Approach, Outcome> = {
  csi: {
    approach: 'csi',
    title: 'Secrets Store CSI Driver',
    summary: 'Mounts Key Vault secrets as files directly into the pod; secrets never exist as Kubernetes objects.',
  },
  eso: {
    approach: 'eso',
    title: 'External Secrets Operator',
    summary: 'Syncs Key Vault secrets into a Kubernetes Secret object, for apps that cannot read files.',
  },
  sdk: {
    approach: 'sdk',
    title: 'Azure SDK in the app',
    summary: 'The app reads Key Vault itself through the Azure SDK with its federated identity; no secret is mounted, synced or stored in the cluster.',
  },
};

/**
 * The guide's reason against an --approach that the tree would not have chosen, by the chosen
 * approach and then the tree's (data, so that a new branch adds its own lines).
 */
export const OVERRIDE_WARNINGS: Record<Approach, Partial<Record<Approach, string>>> = {
  csi: {
    eso: 'The app is hard-wired to env vars or a Secret object, yet --approach csi delivers files only: the app must be changed to read them.',
    sdk: 'The app calls Key Vault itself, yet --approach csi also mounts the secrets as files in the pod: a second copy it does not need.',
  },
  eso: {
    csi: 'The app can read files, yet --approach eso syncs its secrets into a Kubernetes Secret: base64 in etcd, readable by anyone who may get Secrets in the namespace. The guide uses the CSI driver for such apps.',
    sdk: 'The app calls Key Vault itself, yet --approach eso syncs its secrets into a Kubernetes Secret: base64 in etcd, readable by anyone who may get Secrets in the namespace.',
  },
  sdk: {
    csi: 'The app reads files, yet --approach sdk delivers nothing to the pod: the app must be changed to call Key Vault through the Azure SDK (the README has a snippet per language).',
    eso: 'The app is hard-wired to env vars or a Secret object, yet --approach sdk delivers nothing to the pod: the app must be changed to call Key Vault through the Azure SDK.',
  },
};
