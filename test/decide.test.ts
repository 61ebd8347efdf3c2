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
