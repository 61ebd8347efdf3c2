import type { Approach, Spec } from '../spec/index.js';
import { OUTCOMES, OVERRIDE_WARNINGS, QUESTIONS, START } from './tree.js';
import type { Choice, Outcome, Question, QuestionId } from './tree.js';

/** One step of the path through the tree, as the README and the review screen show it. */
export interface DecisionStep {
  question: string;
  answer: string;
  reason: string;
}

export interface Decision {
  approach: Approach;
  outcome: Outcome;
  path: DecisionStep[];
  /** Set when --approach overrode what the tree would have chosen: the guide's reason against it. */
  override?: { treeApproach: Approach; warning: string };
}

type Answers = Pick<Spec, 'appKind' | 'legacyReads' | 'approach'>;

/** Walks the tree with the Spec's answers. Pure: the same answers always give the same decision. */
export function decide(answers: Answers): Decision {
  const path: DecisionStep[] = [];
  let id: QuestionId | undefined = START;
  let treeApproach: Approach | undefined;
  while (id !== undefined) {
    const question: Question = QUESTIONS[id];
    const answer: string = answers[question.field];
    const choice: Choice | undefined = question.choices.find((c) => c.value === answer);
    if (!choice) throw new Error(`decide: no choice ${String(answer)} for ${id}`);
    path.push({ question: question.text, answer: choice.label, reason: choice.reason });
    if ('outcome' in choice.next) {
      treeApproach = choice.next.outcome;
      id = undefined;
    } else {
      id = choice.next.question;
    }
  }
  const approach = answers.approach ?? treeApproach!;
  const decision: Decision = { approach, outcome: OUTCOMES[approach], path };
  if (approach !== treeApproach) {
    decision.override = {
      treeApproach: treeApproach!,
      warning: OVERRIDE_WARNINGS[approach][treeApproach!]!,
    };
  }
  return decision;
}
