import type { AzureLookups, VaultNameAnswer } from './azure.js';
import { wrap } from './text.js';

/**
 * A new vault's name must be free in all of Azure, and `<app>-kv` often is not. The walk asks az
 * (through AzureLookups, which src/run implements with ARM's checkNameAvailability) about the name it
 * offers and each name typed, once per name: a name checked while an earlier question was open is
 * ready when the vault question comes.
 */
export class VaultNames {
  private readonly answers = new Map<string, Promise<VaultNameAnswer>>();

  constructor(private readonly azure: AzureLookups) {}

  /** `subscription` absent: az's current one. Never rejects: a failure is an unchecked name. */
  check(name: string, subscription?: string): Promise<VaultNameAnswer> {
    // Vault names are case-insensitive in Azure.
    const key = `${subscription ?? ''}\u0000${name.toLowerCase()}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.azure.vaultName(name, subscription).catch((): VaultNameAnswer => ({ status: 'unchecked' }));
      this.answers.set(key, answer);
    }
    return answer;
  }
}

type Taken = Extract<VaultNameAnswer, { status: 'taken' }>;

/** ARM's reason already says that vault names are global; without one, the walk says it. */
const why = (reason: string) => `(${reason.replace(/\.$/, '') || 'vault names are unique across all of Azure'})`;

/** Why a typed name is refused (inline, under the prompt), and the free name to type instead. */
export function takenMessage(name: string, answer: Taken): string {
  return `${name} is taken ${why(answer.reason)}; ${answer.variant ? `${answer.variant} is free: type it, or another name` : 'type another name'}`;
}

/** Said before the question when the name it would offer is taken, and a free variant is offered instead. */
export function offeredInstead(name: string, reason: string, variant: string): string {
  return `  ${wrap(`The vault name ${name} is taken ${why(reason)}. ${variant} is free, and offered instead.`, 78, '  ')}\n`;
}

/** Said after the answer: what az found, or that it could not be asked. */
export function afterAnswer(name: string, answer: Exclude<VaultNameAnswer, Taken>): string {
  const text =
    answer.status === 'usable'
      ? `Checked with az: ${answer.note}.`
      : `The vault name ${name} could not be checked (az is not installed, not signed in, or did not answer); azure/setup.sh checks it again before it creates the vault.`;
  return `  ${wrap(text, 78, '  ')}\n`;
}
