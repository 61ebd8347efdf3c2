import { INGRESS_QUESTION, QUESTIONS, imagePullAdvice } from '../decide/index.js';
import type { QuestionId } from '../decide/index.js';
import { FIELDS, fieldByKey, formatSecretFlag } from '../spec/index.js';
import type { FieldGroup, Problem, SpecInput, SpecKey } from '../spec/index.js';
import { Asker, WalkCancelled } from './ask.js';
import type { Choice, Prompts, Terminal } from './ask.js';
import { NO_AZURE } from './azure.js';
import type { AzureLookups, AzureResource } from './azure.js';
import { reviewText, shownValue } from './review.js';
import { addObjects, changeObjects } from './secrets.js';
import type { SecretsContext } from './secrets.js';
import { WalkState } from './state.js';
import type { StepId, WalkChecks } from './state.js';
import { questionFor, SECTION_INTROS, wrap } from './text.js';
import { afterAnswer, offeredInstead, takenMessage, VaultNames } from './vault-name.js';

export interface WalkOptions {
  /** What --config and the flags gave; the walk asks only for the rest. */
  input: SpecInput;
  /** The folder given as [dir] or --out. */
  dir?: string;
  defaultDir(app: string): string;
  prompts: Prompts;
  terminal?: Terminal;
  /** Lines between the questions: section intros, the outcome of the tree, the review. */
  print(text: string): void;
  azure?: AzureLookups;
  checks: WalkChecks;
  /** Cancels the walk from outside (the CLI aborts it on SIGINT). */
  signal?: AbortSignal;
}

export interface WalkResult {
  input: SpecInput;
  dir: string | undefined;
  /** Whether anything was asked; when not, the run goes on exactly as without a terminal. */
  asked: boolean;
}

/** The questions of the first pass, in the order the walk asks them. */
const ORDER: StepId[] = [
  'app', 'namespace', 'workload', 'deployment', 'container', 'image',
  'appKind', 'legacyReads', 'targetSecret',
  'subscription', 'tenantId', 'resourceGroup', 'cluster', 'location', 'existingVault', 'vault', 'identity',
  // The vault's network is an advanced answer (public unless changed at the review); what a change
  // opens is asked then, and in the first pass when --vault-network was given.
  'privateEndpointSubnet', 'egressIp',
  'secrets',
  'ingress', 'host', 'tlsCert', 'ingressClass', 'port',
  'rotation', 'rotationInterval', 'refreshInterval',
  'dir',
];

/** Answers that usually change with another: asked again right after it changes. */
const FOLLOW_UPS: Partial<Record<StepId, StepId[]>> = {
  subscription: ['tenantId'],
  resourceGroup: ['cluster'],
  existingVault: ['vault'],
};

/** Optional flags that the walk asks only when they are needed (an ingress's host and certificate). */
const NEEDED_WHEN_ASKED = new Set<StepId>(['host', 'tlsCert']);

const LEAVE = '\u0000leave';
const TYPE = '\u0000type';

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

class Walk {
  private readonly state: WalkState;
  private readonly asker: Asker;
  private readonly azure: AzureLookups;
  private readonly vaultNames: VaultNames;
  private readonly introduced = new Set<string>();
  /** Whether the walk has said that az could offer lists (said once, at the first Azure question without one). */
  private saidNoAz = false;
  private pendingSection: FieldGroup | 'Folder' | undefined;
  /** The folder was left at its default, so it follows a change of the app name. */
  private dirFollowsApp = false;

  constructor(private readonly options: WalkOptions) {
    this.state = new WalkState(options.input, options.dir);
    this.asker = new Asker(options.prompts, options.terminal ?? {}, options.signal);
    this.azure = options.azure ?? NO_AZURE;
    this.vaultNames = new VaultNames(this.azure);
  }

  async run(): Promise<WalkResult> {
    this.prefetch();
    await this.fillMissing();
    const { state } = this;
    if (state.prompted > 0) await this.review();
    return { input: state.input, dir: state.dir, asked: state.prompted > 0 };
  }

  // ---- the first pass -------------------------------------------------------------------------

  /** Asks every question that applies and is not answered yet, in order. */
  private async fillMissing(): Promise<void> {
    for (const id of ORDER) {
      if (this.state.done(id) || !this.active(id)) continue;
      this.pendingSection = id === 'dir' ? 'Folder' : fieldByKey(id).group;
      await this.ask(id, false);
      this.state.settled.add(id);
    }
  }

  private active(id: StepId): boolean {
    const { state } = this;
    const approach = state.decision().approach;
    switch (id) {
      case 'appKind':
        return state.input.approach === undefined;
      case 'targetSecret':
        return approach === 'eso' && state.text('legacyReads') === 'secret-object';
      case 'dir':
        return state.prompted > 0;
      default:
        return state.applies(id);
    }
  }

  /** Forgets answers that no longer apply after a change, so that they are asked again if they come back. */
  private prune(): void {
    const { state } = this;
    for (const field of FIELDS) {
      if (state.given.has(field.key) || state.applies(field.key)) continue;
      delete state.input[field.key];
      state.settled.delete(field.key);
    }
  }

  private prefetch(): void {
    const subscription = this.lookupSubscription();
    // Started now so that they are ready when the Azure questions come; each resolves, never rejects.
    void this.azure.subscriptions();
    void this.azure.resourceGroups(subscription);
    void this.azure.clusters(subscription);
    void this.azure.vaults(subscription);
  }

  /** The subscription to ask az about: none for the signed-in default, so that prefetched answers are reused. */
  private lookupSubscription(): string | undefined {
    const chosen = this.state.text('subscription');
    if (chosen === undefined) return undefined;
    const current = this.state.subscriptions.find((s) => s.isDefault);
    return current && (sameName(current.id, chosen) || current.name === chosen) ? undefined : chosen;
  }

  // ---- asking ---------------------------------------------------------------------------------

  private beforePrompt(): void {
    const section = this.pendingSection;
    this.pendingSection = undefined;
    this.state.prompted += 1;
    if (section === undefined || this.introduced.has(section)) return;
    this.introduced.add(section);
    this.options.print(`\n${wrap(SECTION_INTROS[section](this.state.decision().approach))}\n`);
  }

  private context(): SecretsContext {
    return { asker: this.asker, state: this.state, checks: this.options.checks, beforePrompt: () => this.beforePrompt() };
  }

  private async ask(id: StepId, change: boolean): Promise<void> {
    this.prefetchVaultName();
    switch (id) {
      case 'appKind':
      case 'legacyReads':
        return this.askTree(id, change);
      case 'subscription':
        return this.askSubscription(change);
      case 'tenantId':
        return this.askTenant(change);
      case 'resourceGroup':
        return this.askText(id, change, await this.resourceGroupChoices());
      case 'cluster':
        return this.askText(id, change, await this.clusterChoices());
      case 'location':
        return this.askText(id, change, [], await this.groupLocation());
      case 'vault':
        return this.state.flag('existingVault') ? this.askText(id, change, await this.vaultChoices()) : this.askNewVault(change);
      case 'secrets':
        return change ? changeObjects(this.context()) : addObjects(this.context());
      case 'image':
        await this.askText(id, change);
        return this.adviseImagePull();
      case 'ingress':
        return this.askIngress(change);
      case 'dir':
        return this.askDir(change);
      default: {
        const field = fieldByKey(id);
        if (field.kind === 'boolean') return this.askBoolean(id);
        if (field.choices) return this.askChoice(id);
        return this.askText(id, change);
      }
    }
  }

  private validator(key: SpecKey, optional: boolean): (value: string) => string | true {
    const rule = fieldByKey(key).rule;
    return (value) => (optional && value === '' ? true : (rule?.(value) ?? true));
  }

  /**
   * A text answer, validated by the field's rule as the flag is. With suggestions (what az sees),
   * a list with a "Type another" escape; an optional field can also be left empty. `typed` can offer
   * another default, say why first, and check an answer the rule accepts (while the prompt waits).
   */
  private async askText(
    key: SpecKey,
    change: boolean,
    suggestions: Choice<string>[] = [],
    emptyHint?: string,
    typed: { offer?: string; notice?: string; check?: (value: string) => Promise<string | true> } = {},
  ): Promise<void> {
    const { state } = this;
    const field = fieldByKey(key);
    const current = typeof state.input[key] === 'string' ? (state.input[key] as string) : undefined;
    const fallback = state.defaultOf(field);
    const optional = !field.required && !NEEDED_WHEN_ASKED.has(key) && fallback === undefined;
    const emptyMeans = optional ? [field.defaultText, emptyHint].filter(Boolean).join(', ') : undefined;
    const message = questionFor(field, emptyMeans);

    if (suggestions.length > 0 || (optional && current !== undefined)) {
      const choices = [...suggestions];
      if (current !== undefined && !choices.some((c) => c.value === current)) choices.unshift({ value: current, short: current, name: `${current} (the current answer)` });
      if (optional) choices.push({ value: LEAVE, short: `(${field.defaultText ?? 'not set'})`, name: `Leave it unset: ${field.defaultText ?? 'not set'}` });
      choices.push({ value: TYPE, name: 'Type another…' });
      this.beforePrompt();
      const picked = await this.asker.choose({ message: questionFor(field), choices, default: current ?? suggestions[0]?.value });
      if (picked === LEAVE) return state.set(key, undefined);
      if (picked !== TYPE) return state.set(key, picked);
    } else {
      this.beforePrompt();
    }
    if (typed.notice) this.options.print(typed.notice);
    const typedDefault = typed.offer ?? current ?? (typeof fallback === 'string' ? fallback : undefined);
    const rule = this.validator(key, optional);
    const { check } = typed;
    const answer = await this.asker.text({
      message,
      ...(typedDefault !== undefined ? { default: typedDefault } : {}),
      validate: check
        ? async (value) => {
            const refused = rule(value);
            return refused === true ? check(value) : refused;
          }
        : rule,
      edit: change && current !== undefined,
    });
    state.set(key, answer);
  }

  /**
   * A new vault's name, which must be free in all of Azure. Where az is signed in, the name offered
   * is checked first (a taken one gives way to a free variant) and each typed name before it is
   * accepted; where it is not, the walk says the name is unchecked (azure/setup.sh checks it again).
   */
  private async askNewVault(change: boolean): Promise<void> {
    const subscription = this.lookupSubscription();
    const offered = this.state.text('vault');
    const offer = offered === undefined ? undefined : await this.vaultNames.check(offered, subscription);
    const instead =
      offered !== undefined && offer?.status === 'taken' && offer.variant !== null
        ? { offer: offer.variant, notice: offeredInstead(offered, offer.reason, offer.variant) }
        : {};
    await this.askText('vault', change, [], undefined, {
      ...instead,
      check: async (value) => {
        const answer = await this.vaultNames.check(value, subscription);
        return answer.status === 'taken' ? takenMessage(value, answer) : true;
      },
    });
    const name = this.state.text('vault');
    if (name === undefined) return;
    const answer = await this.vaultNames.check(name, subscription);
    if (answer.status !== 'taken') this.options.print(afterAnswer(name, answer));
  }

  /** Checks the vault name the walk will offer while earlier questions are open, so that it is ready in time. */
  private prefetchVaultName(): void {
    const name = this.state.text('vault');
    if (name !== undefined && !this.state.done('vault') && !this.state.flag('existingVault')) void this.vaultNames.check(name, this.lookupSubscription());
  }

  /** After the app name changed: whether the new vault's name, which follows it, is taken. */
  private async followingVaultTaken(): Promise<boolean> {
    const { state } = this;
    const name = state.text('vault');
    if (state.input.vault !== undefined || name === undefined || state.flag('existingVault')) return false;
    return (await this.vaultNames.check(name, this.lookupSubscription())).status === 'taken';
  }

  private async askBoolean(key: SpecKey): Promise<void> {
    const field = fieldByKey(key);
    this.beforePrompt();
    this.state.set(key, await this.asker.yesNo({ message: `${questionFor(field)}?`, default: this.state.flag(key) }));
  }

  /** A field with a fixed list of values (cloud, store kind): the table's choices. */
  private async askChoice(key: SpecKey): Promise<void> {
    const field = fieldByKey(key);
    this.beforePrompt();
    const value = await this.asker.choose({
      message: questionFor(field),
      choices: (field.choices ?? []).map((c) => ({ value: c, name: c })),
      default: this.state.text(key),
    });
    this.state.set(key, value);
  }

  /** A question of the decision tree, each choice with the guide's reason for where it leads. */
  private async askTree(id: QuestionId, change: boolean): Promise<void> {
    const question = QUESTIONS[id];
    const current = this.state.text(question.field);
    this.beforePrompt();
    const value = await this.asker.choose<string>({
      message: question.text,
      choices: question.choices.map((c) => ({ value: c.value, name: c.label, description: c.reason })),
      ...(change || this.state.input[question.field] !== undefined ? { default: current } : {}),
    });
    // Stored even when it equals the default: the tree's answers are the run's decision, said out loud.
    this.state.input[question.field] = value;
    const choice = question.choices.find((c) => c.value === value)!;
    this.options.print(`  ${wrap(choice.reason, 78, '  ')}\n`);
    const answered = 'outcome' in choice.next || this.state.done(choice.next.question);
    if (answered && !change) {
      const decision = this.state.decision();
      this.options.print(`  ${wrap(`⇒ ${decision.outcome.title}: ${decision.outcome.summary}`, 78, '    ')}\n`);
    }
  }

  /** The ingress branch, each choice with the reason for where it leads. */
  private async askIngress(change: boolean): Promise<void> {
    const current = this.state.text('ingress') ?? 'none';
    this.beforePrompt();
    const value = await this.asker.choose<string>({
      message: INGRESS_QUESTION.text,
      choices: INGRESS_QUESTION.choices.map((c) => ({ value: c.value, name: c.label, description: c.reason })),
      default: current,
    });
    // none is the absence of an ingress: kept out of the answers, and its follow-ups pruned.
    this.state.set('ingress', value === 'none' ? undefined : value);
    const choice = INGRESS_QUESTION.choices.find((c) => c.value === value)!;
    this.options.print(`  ${wrap(choice.reason, 78, '  ')}\n`);
  }

  /** An imagePullSecret is seldom needed: says so for the registry the image comes from. */
  private adviseImagePull(): void {
    const image = this.state.text('image');
    if (image === undefined) return;
    const advice = imagePullAdvice(image, { resourceGroup: '<resource-group>', cluster: '<cluster>' });
    this.options.print(`  ${wrap(`Image pulls: ${advice.text}${advice.azArgv ? ' The README has the command.' : ''}`, 78, '  ')}\n`);
  }

  private async askSubscription(change: boolean): Promise<void> {
    const { state } = this;
    state.subscriptions = await this.azure.subscriptions();
    await this.sayIfNoAz();
    if (state.subscriptions.length === 0 && !change) return;
    const choices = state.subscriptions.map((s) => ({ value: s.id, short: `${s.name} (${s.id})`, name: `${s.name} (${s.id})${s.isDefault ? ', az’s current one' : ''}` }));
    const preferred = state.subscriptions.find((s) => s.isDefault)?.id;
    if (state.input.subscription === undefined && preferred !== undefined) {
      // Offer az's current subscription first: choosing it pins the setup to it.
      choices.sort((a, b) => Number(b.value === preferred) - Number(a.value === preferred));
    }
    await this.askText('subscription', change, choices);
    const next = this.lookupSubscription();
    if (next !== undefined) {
      void this.azure.resourceGroups(next);
      void this.azure.clusters(next);
      void this.azure.vaults(next);
    }
  }

  private async askTenant(change: boolean): Promise<void> {
    const { state } = this;
    if (state.subscriptions.length === 0 && !change) return;
    const chosen = state.text('subscription');
    const subscription = state.subscriptions.find((s) => (chosen === undefined ? s.isDefault : sameName(s.id, chosen) || s.name === chosen));
    const choices = subscription
      ? [{ value: subscription.tenantId, short: subscription.tenantId, name: `${subscription.tenantId} (the tenant of ${subscription.name})` }]
      : [];
    if (choices.length === 0 && !change) return;
    await this.askText('tenantId', change, choices);
  }

  /**
   * Said once, when az offers nothing (not installed, or signed out: the lookups cannot tell these
   * apart, nor need to): the names are typed, and `az login` would have offered lists instead.
   */
  private async sayIfNoAz(): Promise<void> {
    if (this.saidNoAz || (await this.azure.subscriptions()).length > 0) return;
    this.saidNoAz = true;
    this.options.print('  No Azure lists to pick from: az is not installed or not signed in. Type the names; after\n  `az login`, the walk offers your subscriptions, resource groups, clusters and vaults.\n');
  }

  private async resourceGroupChoices(): Promise<Choice<string>[]> {
    await this.sayIfNoAz();
    const groups = await this.azure.resourceGroups(this.lookupSubscription());
    return groups.map((g) => ({ value: g.name, short: g.name, name: g.location ? `${g.name} (${g.location})` : g.name }));
  }

  private async groupLocation(): Promise<string | undefined> {
    const group = this.state.text('resourceGroup');
    if (group === undefined) return undefined;
    const groups = await this.azure.resourceGroups(this.lookupSubscription());
    return groups.find((g) => sameName(g.name, group))?.location;
  }

  private async clusterChoices(): Promise<Choice<string>[]> {
    await this.sayIfNoAz();
    const group = this.state.text('resourceGroup');
    const clusters = await this.azure.clusters(this.lookupSubscription());
    return clusters
      .filter((c) => group !== undefined && c.resourceGroup !== undefined && sameName(c.resourceGroup, group))
      .map((c) => ({ value: c.name, short: c.name, name: c.location ? `${c.name} (${c.location})` : c.name }));
  }

  private async vaultChoices(): Promise<Choice<string>[]> {
    await this.sayIfNoAz();
    const group = this.state.text('resourceGroup');
    const vaults = await this.azure.vaults(this.lookupSubscription());
    const here = (v: AzureResource) => group !== undefined && v.resourceGroup !== undefined && sameName(v.resourceGroup, group);
    return [...vaults.filter(here), ...vaults.filter((v) => !here(v))].map((v) => ({
      value: v.name,
      short: v.name,
      name: `${v.name}${v.resourceGroup ? ` (resource group ${v.resourceGroup}${v.location ? `, ${v.location}` : ''})` : ''}`,
    }));
  }

  // ---- folder and review ------------------------------------------------------------------------

  private async askDir(change: boolean): Promise<void> {
    const { state } = this;
    const app = state.app();
    this.beforePrompt();
    const dir = await this.asker.text({
      message: 'Folder to generate into',
      ...(state.dir !== undefined ? { default: state.dir } : app !== undefined ? { default: this.options.defaultDir(app) } : {}),
      validate: (value) => (value.trim() === '' ? 'give a folder' : (this.options.checks.folderProblem(value, state.input) ?? true)),
      edit: change && state.dir !== undefined,
    });
    state.dir = dir;
    this.dirFollowsApp = app !== undefined && dir === this.options.defaultDir(app);
  }

  private problems(): Problem[] {
    const { state, options } = this;
    const problems = [...options.checks.problems(state.input)];
    if (state.dir !== undefined) {
      const folder = options.checks.folderProblem(state.dir, state.input);
      if (folder) problems.push({ field: 'Folder', value: state.dir, rule: folder });
    }
    return problems;
  }

  /** Every decision on one screen; generate, change one, or cancel. */
  private async review(): Promise<void> {
    for (;;) {
      const problems = this.problems();
      this.options.print(reviewText(this.state, this.options.checks, problems));
      const next = await this.asker.choose<string>({
        message: 'Generate the folder?',
        choices: [
          { value: 'generate', name: 'Generate', disabled: problems.length > 0 ? '(fix the problems above first)' : false },
          { value: 'change', name: 'Change an answer' },
          { value: 'cancel', name: 'Cancel: write nothing' },
        ],
        default: problems.length > 0 ? 'change' : 'generate',
      });
      if (next === 'generate') return this.options.print('\n');
      if (next === 'cancel') throw new WalkCancelled();
      await this.change();
    }
  }

  private async change(): Promise<void> {
    const { state } = this;
    const choices: Choice<string>[] = [];
    const label = (flag: string) => flag.padEnd(21);
    for (const field of FIELDS) {
      if (!state.applies(field.key)) continue;
      if (field.key === 'appKind' || field.key === 'legacyReads') {
        const question = QUESTIONS[field.key];
        const answer = question.choices.find((c) => c.value === state.text(field.key))?.label ?? '';
        choices.push({ value: field.key, name: `${question.text}  ${answer}` });
      } else if (field.key === 'secrets') {
        choices.push({ value: field.key, name: `${label(`--${field.flag}`)} ${state.objects().map(formatSecretFlag).join(', ')}` });
      } else {
        choices.push({ value: field.key, name: `${label(`--${field.flag}`)} ${shownValue(state, field)}` });
      }
    }
    choices.push({ value: 'dir', name: `${label('Folder')} ${state.dir ?? ''}` });
    const id = (await this.asker.choose<string>({ message: 'Change which answer?', choices, default: 'app' })) as StepId;
    await this.ask(id, true);
    for (const next of FOLLOW_UPS[id] ?? []) if (this.active(next)) await this.ask(next, true);
    // A vault name that follows the app name is asked again when the new one is taken.
    if (id === 'app' && (await this.followingVaultTaken())) await this.ask('vault', true);
    const app = state.app();
    if (id === 'app' && this.dirFollowsApp && app !== undefined) state.dir = this.options.defaultDir(app);
    this.prune();
    // A change can open questions that did not apply before (a legacy app's way of reading secrets).
    await this.fillMissing();
  }
}

/**
 * The interactive walk: asks only what flags and config did not give, in the guide's order, each
 * question validated by the same rule as its flag; then a review of every decision. Throws
 * WalkCancelled on Ctrl-C, Esc or "Cancel".
 */
export function walk(options: WalkOptions): Promise<WalkResult> {
  return new Walk(options).run();
}
