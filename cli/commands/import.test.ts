import { describe, expect, it } from 'vitest';
import { UsageError } from '../args.js';
import { parseMargin, reportLines } from './import.js';

describe('launchloop import --margin', () => {
  it('reads a default and per-category gross margins', () => {
    expect(parseMargin('0.4')).toEqual({ default: 0.4, byCategory: {} });
    expect(parseMargin('0.5,MUG=0.6, BAG = 0.55')).toEqual({ default: 0.5, byCategory: { MUG: 0.6, BAG: 0.55 } });
  });

  it('rejects what is not a margin in [0, 1)', () => {
    expect(() => parseMargin('1.2')).toThrow(UsageError);
    expect(() => parseMargin('MUG=abc')).toThrow(/MUG must be a gross margin in \[0, 1\), got "abc"/);
  });
});

describe('the import report', () => {
  it('names products no scope covers instead of dropping them silently', () => {
    const lines = reportLines({
      defaulted: { 'products.unit_cost': 3 },
      uncovered: [{ category: 'MUG', products: 2, examples: ['A1', 'A2'] }],
      candidatesOutsideScope: [],
      expanded: { 'gifts/uk': ['BAG', 'BOX'] },
      sizedRules: { 'gifts/uk': 'sized from the history: …' },
    });
    expect(lines).toEqual([
      'defaults used (FORMATS.md): products.unit_cost 3',
      'scope gifts/uk: categories expanded to 2 (BAG, BOX)',
      'scope gifts/uk: launch rules sized from the history: …',
      'warning: 2 products in 1 category no scope covers (imported, but no scope plans or learns from them): MUG (2: A1, A2)',
    ]);
  });
});
