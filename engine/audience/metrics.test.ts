import { describe, expect, it } from 'vitest';
import { audienceMetrics } from './metrics.js';

describe('audienceMetrics (as score.py)', () => {
  const truth = [
    { itemId: 'A', customerId: '1', units: 3 },
    { itemId: 'A', customerId: '2', units: 1 },
    { itemId: 'A', customerId: '9', units: 5 }, // not known: no method can name them
    { itemId: 'B', customerId: '3', units: 2 },
    { itemId: 'C', customerId: '9', units: 4 }, // only an unknown buyer: C is not evaluated
  ];
  const known = new Set(['1', '2', '3', '10']);

  it('averages recall, precision, NDCG and unit recall over candidates with a known buyer', () => {
    const m = audienceMetrics({
      predictions: [
        { itemId: 'A', customerId: '3', score: 0.8 },
        { itemId: 'A', customerId: '2', score: 0.9 },
        { itemId: 'A', customerId: '1', score: 0.7 }, // third: outside the top 2
        { itemId: 'C', customerId: '1', score: 1 },
      ],
      truth,
      known,
      candidates: ['A', 'B', 'C'],
      k: 2,
    });
    // A: top 2 = [2, 3]; one hit at rank 1 of B = {1, 2}: recall 1/2, precision 1/2,
    // NDCG 1 / (1 + 1/log2 3), unit recall 1/4. B has no predictions: zeros, not covered.
    const ndcgA = 1 / (1 + 1 / Math.log2(3));
    expect(m.evaluated).toBe(2);
    expect(m.candidates).toBe(3);
    expect(m.recall).toBeCloseTo(0.25, 12);
    expect(m.precision).toBeCloseTo(0.25, 12);
    expect(m.ndcg).toBeCloseTo(ndcgA / 2, 12);
    expect(m.unitRecall).toBeCloseTo(0.125, 12);
    expect(m.coverage).toBeCloseTo(0.5, 12);
  });

  it('breaks score ties by customer id as text and keeps the first of duplicate rows', () => {
    const m = audienceMetrics({
      predictions: [
        { itemId: 'B', customerId: '3', score: 1 },
        { itemId: 'B', customerId: '10', score: 1 }, // '10' < '3' as text: ranked first
        { itemId: 'B', customerId: '3', score: 5 }, // duplicate: ignored
      ],
      truth,
      known,
      candidates: ['B'],
      k: 1,
    });
    expect(m.recall).toBe(0);
    const m2 = audienceMetrics({ predictions: [{ itemId: 'B', customerId: '3', score: 1 }], truth, known, candidates: ['B'], k: 1 });
    expect(m2).toMatchObject({ recall: 1, precision: 1, ndcg: 1, unitRecall: 1, coverage: 1 });
  });
});
