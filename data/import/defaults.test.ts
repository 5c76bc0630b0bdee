import { describe, expect, it } from 'vitest';
import { applyDefaults, wildcardMatcher, type MarginRule, type StoredContext } from './defaults.js';
import type { ImportIssue } from './errors.js';
import { parseFiles } from './validate.js';

const EMPTY: StoredContext = { scopeCategories: new Map(), categories: new Set(), salesThrough: null };

function run(texts: { scopes?: string; products?: string; candidates?: string; sales?: string }, stored = EMPTY, margin: MarginRule = { default: 0.5 }) {
  const files = Object.fromEntries(Object.entries(texts).map(([k, text]) => [k, { file: `${k}.csv`, text }]));
  const { parsed, issues } = parseFiles(files);
  expect(issues.kept).toEqual([]);
  const more: ImportIssue[] = [];
  const newScopes = new Set((parsed.scopes?.rows ?? []).map((s) => s.id).filter((id) => !stored.scopeCategories.has(id)));
  const report = applyDefaults(parsed, stored, margin, newScopes, more);
  return { parsed, report, issues: more };
}

const PRODUCTS = 'sku,description,category,price\nA1,RED MUG,MUG,4\nA2,BLUE MUG,MUG,6\nB1,JUTE BAG,BAG,2\nH1,HOME SIGN,HOME-DECOR,10\n';
const SALES = 'sku,region,week,units,price\nA1,uk,2010-01-04,3,4\nA1,uk,2010-01-11,5,4\nA2,uk,2010-02-01,1,6\nB1,uk,2010-01-18,2,2\nH1,uk,2010-03-01,1,10\n';

describe('import defaults', () => {
  it('fills what a shop export lacks: name from the description, unit cost from the margin rule, launch week from the first sale', () => {
    const { parsed, report } = run({ products: PRODUCTS, sales: SALES }, EMPTY, { default: 0.5, byCategory: { BAG: 0.25 } });
    const a1 = parsed.products!.rows[0];
    expect(a1).toMatchObject({ sku: 'A1', name: 'RED MUG', subcategory: 'MUG', brand: '', unitCost: 2, launchWeek: '2010-01-04' });
    expect(parsed.products!.rows[2]).toMatchObject({ sku: 'B1', unitCost: 1.5, launchWeek: '2010-01-18' });
    expect(report.defaulted).toEqual({ 'products.unit_cost': 4, 'products.launch_week': 4 });
  });

  it('rejects a product with neither a launch week nor a sale to take it from', () => {
    const { issues } = run({ products: 'sku,category,price\nZ9,MUG,3\n' });
    expect(issues).toEqual([{ file: 'products.csv', line: 2, column: 'launch_week', message: 'is empty and Z9 has no sales in the import files to take its first week from' }]);
  });

  it('opens a candidate window the week after the last sale, for 26 weeks, and keeps given weeks', () => {
    const candidates = 'id,scope_id,category,price,earliest_week\nC1,shop/uk,MUG,5,\nC2,shop/uk,MUG,5,2010-04-05\n';
    const { parsed, report } = run({ scopes: 'id,region,categories\nshop/uk,uk,*\n', products: PRODUCTS, sales: SALES, candidates });
    expect(parsed.candidates!.rows.map((c) => [c.earliestWeek, c.latestWeek, c.unitCost, c.salvageValue, c.name])).toEqual([
      ['2010-03-08', '2010-08-30', 2.5, 0, 'C1'],
      ['2010-04-05', '2010-09-27', 2.5, 0, 'C2'],
    ]);
    expect(report.defaulted['candidates.earliest_week']).toBe(1);
    expect(report.defaulted['candidates.latest_week']).toBe(2);
  });

  it('expands scope wildcards over the known categories and reports products no scope covers', () => {
    const stored: StoredContext = { scopeCategories: new Map([['old/uk', ['BAG']]]), categories: new Set(['HOME-LIGHTS']), salesThrough: '2010-02-22' };
    const { parsed, report, issues } = run({ scopes: 'id,region,categories\nhome/uk,uk,HOME*\nnone/uk,uk,GARDEN*;TOYS\n', products: PRODUCTS, sales: SALES }, stored);
    expect(parsed.scopes!.rows[0].categories).toEqual(['HOME-DECOR', 'HOME-LIGHTS']);
    expect(report.expanded['home/uk']).toEqual(['HOME-DECOR', 'HOME-LIGHTS']);
    // BAG is in a stored scope, HOME-DECOR in the new one: only the mugs are left out, and said so.
    expect(report.uncovered).toEqual([{ category: 'MUG', products: 2, examples: ['A1', 'A2'] }]);
    expect(issues).toEqual([{ file: 'scopes.csv', line: 3, column: 'categories', message: '"GARDEN*" matches no category of the products or candidates (files or database)' }]);
  });

  it('reports candidates whose category is outside their own scope', () => {
    const candidates = 'id,scope_id,category,price,earliest_week\nC1,bags/uk,MUG,5,2010-04-05\n';
    const { report } = run({ scopes: 'id,region,categories\nbags/uk,uk,BAG\n', products: PRODUCTS, sales: SALES, candidates });
    expect(report.candidatesOutsideScope).toEqual([{ category: 'MUG', products: 1, examples: ['C1'] }]);
  });

  it('sizes a new scope’s launch rules from its products and records how; an existing scope keeps its rules', () => {
    const weeks = Array.from({ length: 30 }, (_, w) => new Date(Date.UTC(2010, 0, 4 + 7 * w)).toISOString().slice(0, 10));
    const products = ['sku,category,price,launch_week', ...weeks.flatMap((w, i) => Array.from({ length: 8 }, (_, j) => `P${i}-${j},${j % 2 ? 'MUG' : 'BAG'},3,${w}`))].join('\n') + '\n';
    const fresh = run({ scopes: 'id,region,categories\nshop/uk,uk,*\n', products });
    expect(fresh.parsed.scopes!.rows[0].rules).toMatchObject({ maxLaunchesPerWeek: 8, sizedFromHistory: expect.stringMatching(/^sized from the history: 208 launches in 26 weeks/) });
    expect(fresh.report.sizedRules['shop/uk']).toMatch(/at most 8 launches a week/);
    const kept = run({ scopes: 'id,region,categories\nshop/uk,uk,*\n', products }, { ...EMPTY, scopeCategories: new Map([['shop/uk', ['BAG']]]) });
    expect(kept.parsed.scopes!.rows[0].rules).toEqual({});
    expect(kept.report.sizedRules).toEqual({});
  });

  it('matches * as any run of characters and nothing else as a pattern', () => {
    expect(['HOME', 'HOME-X', 'XHOME', 'H.ME'].filter(wildcardMatcher('HOME*'))).toEqual(['HOME', 'HOME-X']);
    expect(['H.ME', 'HOME'].filter(wildcardMatcher('H.ME'))).toEqual(['H.ME']);
    expect(['a', ''].filter(wildcardMatcher('*'))).toEqual(['a', '']);
  });
});

describe('scope ids in the import files', () => {
  it('are checked by the one contracts/ids rule', () => {
    const { issues } = parseFiles({ scopes: { file: 'scopes.csv', text: 'id,region,categories\nElectronics East,east,phones\n' } });
    expect(issues.kept).toEqual([{ file: 'scopes.csv', line: 2, column: 'id', message: 'scope id must look like "group/region" (lower-case letters, digits, "-" or "_"), got "Electronics East"' }]);
  });
});
