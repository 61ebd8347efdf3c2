/**
 * What `apply` needs to know about a generated folder, read from its kv-secrets.yaml by the CLI (which
 * may plan; this layer may not) and handed over as plain data.
 */

/** How a folder of manifests reaches its secrets; `shared` holds a store the other folders use. */
export type Delivery = 'csi' | 'eso' | 'sdk' | 'shared';

export interface ApplyApp {
  app: string;
  namespace: string;
  /** The kustomization folder, relative to the root: `k8s` for one app, `web/k8s` for one of several. */
  k8sDir: string;
  delivery: Delivery;
  /** CSI: where the container mounts the Key Vault objects, and the file names it must see there. */
  mountPath: string;
  files: string[];
}

export interface ApplyTarget {
  /** The generated folder, absolute. */
  root: string;
  /** The folder as the user named it, for messages and the resume command. */
  shownRoot: string;
  /** What was generated, in words: "Secrets Store CSI Driver", "3 workloads sharing Key Vault kv". */
  title: string;
  /** From the spec: null means the signed-in default. */
  subscription: string | null;
  resourceGroup: string;
  cluster: string;
  /** The cloud as az names it (`az cloud show --query name`). */
  azCloud: string;
  vault: string;
  existingVault: boolean;
  hasEso: boolean;
  /** azure/setup.sh installs the External Secrets Operator with helm. */
  installEso: boolean;
  /** Secrets whose values azure/setup.sh asks for, in its order, when Key Vault does not hold them yet. */
  uploads: string[];
  /** In the order they are applied: a shared folder first. */
  apps: ApplyApp[];
  /** Files, relative to the root, that hold ID placeholders until azure/setup.sh fills them. */
  placeholderFiles: string[];
}

/** What `apply` and `teardown` take from the CLI besides the folder: how to show progress, and whom to ask. */
export interface FolderRunOptions {
  /** Print what would run after the (read-only) preflight; change nothing. */
  dryRun: boolean;
  /** stdout is a terminal: a spinner per step; otherwise plain lines. */
  spinner: boolean;
  columns?: number;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The environment every program gets, as it is. */
  env: NodeJS.ProcessEnv;
  /** Asks yes/no on a terminal; absent: never asks. */
  confirm?: (question: string) => Promise<boolean>;
  /** The command line that runs this again, for "resume with". */
  resumeCommand: string;
}
