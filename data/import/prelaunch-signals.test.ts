import { describe, expect, it } from 'vitest';
import { generateMarketplace } from '../synthetic/index.js';
import { IssueLog } from './errors.js';
import { checkAcrossFiles, parseFiles, rowsOf } from './validate.js';
import { toCsv } from './write.js';

const header = 'item_id,week,views,wishlists,preorders,notify_signups\n';
const none = { scopes: new Set<string>(), products: new Set<string>(), candidates: new Set<string>(), conflicts: {} };

describe('prelaunch_signals.csv', () => {
  it('reads a week per item with any subset of the measures, empty cells as not recorded', () => {
    const { parsed, issues } = parseFiles({
      prelaunchSignals: { file: 'prelaunch_signals.csv', text: header + 'PH-1,2026-10-05,1200,40,,\nPH-1,2026-10-12,,38,5,\nC-1,2026-10-12,300,,,12\n' },
    });
    expect(issues.total).toBe(0);
    expect(rowsOf(parsed).prelaunchSignals).toEqual([
      { itemId: 'PH-1', week: '2026-10-05', views: 1200, wishlists: 40, preorders: null, notifySignups: null },
      { itemId: 'PH-1', week: '2026-10-12', views: null, wishlists: 38, preorders: 5, notifySignups: null },
      { itemId: 'C-1', week: '2026-10-12', views: 300, wishlists: null, preorders: null, notifySignups: 12 },
    ]);
  });

  it('reports each bad row with its line and column: weekday, negative count, nothing recorded, duplicate week', () => {
    const { issues } = parseFiles({
      prelaunchSignals: {
        file: 'prelaunch_signals.csv',
        text: header + 'PH-1,2026-10-07,10,,,\nPH-1,2026-10-05,-3,,,\nPH-1,2026-10-12,,,,\nPH-2,2026-10-05,1,,,\nPH-2,2026-10-05,2,,,\n',
      },
    });
    expect(issues.kept.map((i) => [i.line, i.column ?? null, i.message])).toEqual([
      [2, 'week', expect.stringContaining('did you mean 2026-10-05?')],
      [3, 'views', '-3 must be ≥ 0'],
      [4, null, expect.stringContaining('records nothing')],
      [6, null, 'duplicate item_id PH-2, week 2026-10-05: already on line 5'],
    ]);
  });

  it('rejects an unknown column and a missing item_id column', () => {
    const { issues } = parseFiles({ prelaunchSignals: { file: 'prelaunch_signals.csv', text: 'week,views,clicks\n2026-10-05,1,2\n' } });
    expect(issues.kept.map((i) => `${i.line}:${i.column}:${i.message}`)).toEqual([
      expect.stringMatching(/^1:clicks:unknown column/),
      '1:item_id:required column is missing',
    ]);
  });

  it('needs each item to be a product or candidate of the files or the database, and each week not stored yet', () => {
    const { parsed, issues } = parseFiles({
      products: { file: 'products.csv', text: 'sku,category,price\nNEW-1,mugs,3\n' },
      prelaunchSignals: { file: 'prelaunch_signals.csv', text: header + 'NEW-1,2026-10-05,1,,,\nC-OLD,2026-10-05,1,,,\nSTORED,2026-10-05,1,,,\nGHOST,2026-10-05,1,,,\n' },
    });
    checkAcrossFiles(parsed, { ...none, products: new Set(['STORED']), candidates: new Set(['C-OLD']), conflicts: { prelaunchSignals: new Set(['STORED|2026-10-05']) } }, issues);
    expect(issues.kept.map((i) => `${i.line}: ${i.message}`)).toEqual([
      '5: unknown item (a product sku or candidate id) "GHOST" (not in the import files nor in the database)',
      '4: a prelaunch_signals row with item_id STORED, week 2026-10-05 already exists in the database',
    ]);
  });

  it('round-trips the synthetic marketplace signals through the import format', () => {
    const m = generateMarketplace({ seed: 3, productsPerCategory: 8, candidatesPerScope: 4, weeks: 80, regions: ['east'] });
    const text = toCsv({ prelaunchSignals: m.prelaunchSignals }).prelaunchSignals!;
    const issues = new IssueLog();
    const { parsed } = parseFiles({ prelaunchSignals: { file: 'prelaunch_signals.csv', text } }, issues);
    expect(issues.total).toBe(0);
    expect(parsed.prelaunchSignals!.rows).toEqual(m.prelaunchSignals);
    expect(m.prelaunchSignals.length).toBeGreaterThan(20);
  });
});
