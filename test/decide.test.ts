import { describe, expect, it } from 'vitest';
import { OUTCOMES, QUESTIONS, START, decide } from '../src/decide/index.js';

describe('the decision tree', () => {
  it('sends an app that reads files to the CSI driver in one step', () => {
    const decision = decide({ appKind: 'new', legacyReads: 'env' });
    expect(decision.approach).toBe('csi');
    expect(decision.path).toHaveLength(1);
    expect(decision.path[0]!.question).toBe(QUESTIONS.appKind.text);
    expect(decision.override).toBeUndefined();
  });

  it.each(['env', 'secret-object'] as const)('sends a legacy app that reads %s to the External Secrets Operator', (legacyReads) => {
    const decision = decide({ appKind: 'legacy', legacyReads });
    expect(decision.approach).toBe('eso');
    expect(decision.path.map((s) => s.question)).toEqual([QUESTIONS.appKind.text, QUESTIONS.legacyReads.text]);
    expect(decision.outcome).toBe(OUTCOMES.eso);
  });

  it('lets --approach skip the tree, and says what the tree would have chosen', () => {
    const decision = decide({ appKind: 'new', legacyReads: 'env', approach: 'eso' });
    expect(decision.approach).toBe('eso');
    expect(decision.override?.treeApproach).toBe('csi');
    expect(decision.override?.warning).toContain('Kubernetes Secret');
    expect(decide({ appKind: 'new', legacyReads: 'env', approach: 'csi' }).override).toBeUndefined();
  });

  it('sends an app that calls Key Vault itself to the SDK path in one step, an advanced third choice', () => {
    const decision = decide({ appKind: 'sdk', legacyReads: 'env' });
    expect(decision.approach).toBe('sdk');
    expect(decision.path).toHaveLength(1);
    expect(decision.outcome).toBe(OUTCOMES.sdk);
    expect(decision.override).toBeUndefined();
    const choice = QUESTIONS.appKind.choices.find((c) => c.value === 'sdk')!;
    expect(QUESTIONS.appKind.choices.at(-1)).toBe(choice);
    expect(choice.label).toContain('advanced');
    // The reason says when it is best and when it is not.
    expect(choice.reason).toContain('Nothing secret is on disk or in the cluster');
    expect(choice.reason).toContain('cannot change');
    expect(choice.reason).toContain('throttles');
  });

  it.each([
    ['new', 'sdk', 'csi', 'Azure SDK'],
    ['legacy', 'sdk', 'eso', 'Azure SDK'],
    ['sdk', 'csi', 'sdk', 'a second copy'],
    ['sdk', 'eso', 'sdk', 'Kubernetes Secret'],
  ] as const)('warns when an app of kind %s is given --approach %s against the tree', (appKind, approach, treeApproach, says) => {
    const decision = decide({ appKind, legacyReads: 'env', approach });
    expect(decision.approach).toBe(approach);
    expect(decision.override?.treeApproach).toBe(treeApproach);
    expect(decision.override?.warning).toContain(says);
  });

  it('reaches every outcome, and every choice has a reason', () => {
    const reached = new Set<string>();
    const visit = (id: keyof typeof QUESTIONS) => {
      for (const choice of QUESTIONS[id].choices) {
        expect(choice.reason.length).toBeGreaterThan(20);
        if ('outcome' in choice.next) reached.add(choice.next.outcome);
        else visit(choice.next.question);
      }
    };
    visit(START);
    expect([...reached].sort()).toEqual(Object.keys(OUTCOMES).sort());
  });
});
