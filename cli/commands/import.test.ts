import { describe, expect, it } from 'vitest';
import { UsageError } from '../args.js';
import { signalItems } from '../../data/import/index.js';
import { help, parseMargin, reportLines, signalLines } from './import.js';

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

describe('the import report of pre-launch signals', () => {
  it('counts distinct candidates and past launches in a signals file', () => {
    const rows = [{ itemId: 'C1' }, { itemId: 'C1' }, { itemId: 'C2' }, { itemId: 'P1' }];
    expect(signalItems(rows, new Set(['C1', 'C2']))).toEqual({ candidates: 2, pastLaunches: 1 });
  });

  it('says that signals of candidates alone correct no curve without past launches with signals', () => {
    const lines = signalLines({ candidates: 2, pastLaunches: 0 });
    expect(lines[0]).toBe('pre-launch signals of 2 candidates and 0 past launches (products)');
    expect(lines[1]).toMatch(/^note: a candidate's launch curve is corrected from its scope's past launches with signals .*this file has none, so these candidates keep their curves/);
    expect(signalLines({ candidates: 1, pastLaunches: 40 })).toEqual(['pre-launch signals of 1 candidate and 40 past launches (products)']);
  });
});

describe('launchloop import --help', () => {
  it('fits a terminal: no line over 100 characters (the --dir file list was one line of 180)', () => {
    const long = help.split('\n').filter((l) => l.length > 100);
    expect(long).toEqual([]);
    expect(help).toContain('customer_orders.csv, prelaunch_signals.csv');
  });
});
