import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the item page’s audience section', () => {
  it('only uses classes the stylesheet defines (its breakdowns sat stacked full-width under an unstyled class)', () => {
    const css = read('web/style.css');
    const view = read('web/views/audience.ts');
    const used = [...view.matchAll(/(?:class|className): '([^']+)'/g)].flatMap((m) => m[1].split(/\s+/));
    expect(used.length).toBeGreaterThan(3);
    const missing = used.filter((c) => !new RegExp(`\\.${c.replace(/[-]/g, '\\-')}(?![\\w-])`).test(css));
    expect(missing).toEqual([]);
  });
});

describe('the audience breakdowns', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `r${i}`, share: 1 / n }));

  it('name the six largest and sum the rest as "N other <noun>"', async () => {
    const { breakdownRows } = await import('../../web/views/breakdown.js');
    const shown = breakdownRows(rows(30), 'regions');
    expect(shown.map((r) => r.key)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', '24 other regions']);
    expect(shown[6].share).toBeCloseTo(24 / 30);
  });

  it('name a single leftover instead of "1 other"', async () => {
    const { breakdownRows } = await import('../../web/views/breakdown.js');
    expect(breakdownRows(rows(7), 'segments').map((r) => r.key)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(breakdownRows(rows(3), 'segments')).toHaveLength(3);
  });
});

describe('the replan form’s category picker', () => {
  it('ticks a few categories in place and folds a shop’s hundreds into a filterable list', async () => {
    const { collapsesCategories, INLINE_CATEGORIES } = await import('../../web/views/category-picker.js');
    expect(collapsesCategories(4)).toBe(false);
    expect(collapsesCategories(INLINE_CATEGORIES)).toBe(false);
    expect(collapsesCategories(765)).toBe(true);
  });

  it('filters case-insensitively by substring and says how many are ticked', async () => {
    const { categoryPickerSummary, matchesCategoryFilter } = await import('../../web/views/category-picker.js');
    const shown = ['CANDLE', 'CANDLEHOLDER', 'TEALIGHT', 'SCENTCANDLE'].filter((c) => matchesCategoryFilter(c, ' candle '));
    expect(shown).toEqual(['CANDLE', 'CANDLEHOLDER', 'SCENTCANDLE']);
    expect(matchesCategoryFilter('MUG', '')).toBe(true);
    expect(categoryPickerSummary(765, 0)).toBe('Categories (none ticked: site-wide; 765 in the scope)');
    expect(categoryPickerSummary(765, 3)).toBe('Categories (3 ticked; 765 in the scope)');
  });
});

describe('a refused download on the page', () => {
  it('says the API’s message with the status, or the status alone when the answer is not the API’s JSON', async () => {
    const { answerErrorText } = await import('../../web/views/answer-error.js');
    const body = JSON.stringify({ error: { code: 'auth.forbidden', message: 'token 7 ("ana") is limited to toys/*' } });
    expect(answerErrorText(403, body)).toBe('token 7 ("ana") is limited to toys/* (HTTP 403)');
    expect(answerErrorText(502, '<html>Bad gateway</html>')).toBe('the API answered HTTP 502');
    expect(answerErrorText(500, 'null')).toBe('the API answered HTTP 500');
    expect(answerErrorText(404, '{"error":{}}')).toBe('the API answered HTTP 404');
  });
});
