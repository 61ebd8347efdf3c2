import type { Problem } from '../spec/index.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

/** The flag or field a usage error is about, and the value given, when it is about one. */
export interface Culprit {
  flag: string;
  value: string;
}

/** Bad usage or bad input: the message names the flag or field, the value, and what is allowed. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, readonly problems: Problem[] = [], readonly culprit?: Culprit) {
    super(message);
  }
}

function showValue(value: string): string {
  return value === '' ? '' : ` ${JSON.stringify(value)}`;
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `  ${p.field}${showValue(p.value)}: ${p.rule}`).join('\n');
}
