import { describe, expect, it } from 'vitest';
import { nameList, ruleReferenceProblems } from './rule-references.js';

const noReferences = { unknownReferences: async () => ({ promotions: [], candidateIds: [] }) };

describe('rule reference problems', () => {
  it('names an unknown cadence category and the scope’s categories when there are few', async () => {
    const problems = await ruleReferenceProblems(noReferences, { id: 'toys/east', region: 'east', categories: ['dolls', 'games'] }, { cadence: [{ category: 'cars', maxLaunches: 1, windowWeeks: 4 }] }, 'ruleOverrides.');
    expect(problems).toEqual(['ruleOverrides.cadence names categories outside toys/east: cars (scope has dolls, games)']);
  });

  it('keeps the message short for a shop with hundreds of categories (the real shop has 765)', async () => {
    const categories = Array.from({ length: 765 }, (_, i) => `CAT${String(i).padStart(3, '0')}`);
    const [problem] = await ruleReferenceProblems(noReferences, { id: 'giftware/uk', region: 'uk', categories }, { cadence: [{ category: 'NOCAT', maxLaunches: 1, windowWeeks: 4 }] });
    expect(problem).toContain('cadence names categories outside giftware/uk: NOCAT');
    expect(problem).toContain('the scope has 765 categories: CAT000, CAT001,');
    expect(problem).toContain('… and 753 more; GET /scopes lists them all');
    expect(problem).not.toContain('CAT764');
    expect(problem.length).toBeLessThan(300);
  });

  it('lists names whole up to the limit and counts the rest', () => {
    expect(nameList(['a', 'b'], 2)).toBe('a, b');
    expect(nameList(['a', 'b', 'c', 'd'], 2)).toBe('a, b, … and 2 more');
  });
});
