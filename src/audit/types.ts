/** The rule ids are the contract (issue 14): tools and suppression comments name them. */
export type RuleId = 'KVS001' | 'KVS002' | 'KVS003' | 'KVS004' | 'KVS005' | 'KVS006' | 'KVS007';

/** One mistake found: where (1-based line) and what, never the secret value itself. */
export interface Finding {
  rule: RuleId;
  file: string;
  line: number;
  message: string;
}

/** A finding before it knows its file: what a rule over one text returns. */
export type Hit = Omit<Finding, 'file'>;
