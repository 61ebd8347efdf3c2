import type { Approach, Ingress } from '../spec/index.js';

/**
 * The ingress branch of the tree, as data: which controller serves the app's HTTPS from a Key Vault
 * certificate, and why each answer leads where it does. It is asked after the delivery question and
 * does not change the approach: it only adds the TLS path for one certificate.
 */
export interface IngressChoice {
  value: Ingress;
  label: string;
  /** Why this answer leads where it leads (shown in the walk and the README). */
  reason: string;
}

export const INGRESS_QUESTION = {
  field: 'ingress',
  text: 'Does an ingress serve the app over HTTPS with a certificate from Key Vault?',
  choices: [
    {
      value: 'none',
      label: 'No ingress (or TLS is handled elsewhere)',
      reason: 'Nothing more to generate: the app gets its secrets as decided above.',
    },
    {
      value: 'app-routing',
      label: 'AKS application routing (the managed NGINX add-on)',
      reason:
        'The add-on reads the certificate from Key Vault itself, named by an annotation on the Ingress: no certificate in the generated files, and its own identity gets read access to that one certificate.',
    },
    {
      value: 'nginx',
      label: 'Another ingress controller (ingress-nginx, Traefik, …) that reads a kubernetes.io/tls Secret',
      reason:
        'Such a controller reads TLS only from a Kubernetes Secret, so the certificate has to become one: the one place where the guide’s rule is bent, for the certificate alone.',
    },
  ] satisfies IngressChoice[],
} as const;

/** How the TLS Secret of an Ingress comes to exist. */
export type TlsDelivery = 'app-routing' | 'csi-sync' | 'eso-sync';

/** The ingress decision for a setup; null when no ingress was asked for. */
export interface IngressDecision {
  choice: IngressChoice;
  tls: TlsDelivery;
  /** Why that TLS path, for the README. */
  why: string;
}

const TLS_WHY: Record<TlsDelivery, string> = {
  'app-routing':
    'The application routing add-on makes and keeps the TLS Secret itself, from the annotation: it mounts the certificate with the Secrets Store CSI Driver in a pod of its own, as its own managed identity.',
  'csi-sync':
    'The CSI driver already delivers this app’s secrets, so it also syncs the certificate into a kubernetes.io/tls Secret (secretObjects). The driver creates that Secret only while a pod mounts the volume, so the app’s pods mount it.',
  'eso-sync':
    'The External Secrets Operator already syncs this app’s secrets, so it also writes the certificate into a kubernetes.io/tls Secret, split from its PKCS#12 form by a template.',
};

/** The TLS path an ingress choice takes with an approach; null when that pairing has none. */
export function tlsDelivery(ingress: Ingress, approach: Approach): TlsDelivery | null {
  if (ingress === 'app-routing') return 'app-routing';
  if (ingress === 'nginx' && approach === 'csi') return 'csi-sync';
  if (ingress === 'nginx' && approach === 'eso') return 'eso-sync';
  return null;
}

export function decideIngress(ingress: Ingress, approach: Approach): IngressDecision | null {
  if (ingress === 'none') return null;
  const tls = tlsDelivery(ingress, approach);
  if (tls === null) return null;
  const choice = INGRESS_QUESTION.choices.find((c) => c.value === ingress)!;
  return { choice, tls, why: TLS_WHY[tls] };
}
