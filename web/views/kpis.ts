import { fmt, h, section, table } from '../dom.js';
import type { Kpis } from '../types.js';

/** A bar of `value` out of `limit`, drawn through the CSSOM (a `'self'` CSP blocks style attributes, not this). */
function bar(value: number, limit: number | null, scaleMax: number): HTMLElement {
  const fill = h('span', { class: `bar-fill${limit !== null && value > limit + 1e-9 ? ' over' : ''}` });
  fill.style.width = `${Math.min(100, (value / Math.max(scaleMax, 1e-9)) * 100).toFixed(1)}%`;
  const track = h('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
  if (limit !== null) {
    const mark = h('span', { class: 'bar-limit' });
    mark.style.left = `${Math.min(100, (limit / Math.max(scaleMax, 1e-9)) * 100).toFixed(1)}%`;
    track.appendChild(mark);
  }
  return track;
}

export function kpiPanel(k: Kpis): HTMLElement {
  const o = k.objective ?? {};
  const tiles: Array<[string, string, string?]> = [
    ['Expected net margin', fmt.money(o.total ?? k.itemsNetMargin), 'after holding, stock-out, clash and cannibalisation costs'],
    ['Expected margin', fmt.money(o.expectedMargin), 'sales margin incl. salvage, before costs'],
    ['Launches', fmt.int(k.launches)],
    ['Opening units', fmt.int(k.openingUnits)],
    ['Opening spend', fmt.money(k.openingSpend), 'unit cost × opening quantity'],
  ];
  const spendMax = Math.max(...k.spendByMonth.map((m) => Math.max(m.spend, m.budget ?? 0)), 1);
  const loadMax = Math.max(...k.loadByWeek.map((w) => Math.max(w.launches, w.capacity)), 1);
  return section(
    'KPIs',
    'kpis',
    h('dl', { class: 'tiles' }, tiles.map(([label, value, hint]) => h('div', { class: 'tile' }, h('dt', null, label), h('dd', null, value), hint ? h('dd', { class: 'hint' }, hint) : null))),
    h(
      'div',
      { class: 'two-col' },
      table({
        caption: 'Spend per month vs budget (openings + planned reorders)',
        head: ['Month', 'Launches', 'Spend', 'Reorders', 'Budget', ''],
        numeric: [1, 2, 3, 4],
        rows: k.spendByMonth,
        row: (m) => [m.month, fmt.int(m.launches), fmt.money(m.spend), m.reorders ? fmt.money(m.reorders) : '–', m.budget === null ? 'no budget rule' : fmt.money(m.budget), bar(m.spend, m.budget, spendMax)],
        className: 'compact',
      }),
      table({
        caption: 'Cadence load: launches per week vs capacity',
        head: ['Week', 'Launches', 'Capacity', ''],
        numeric: [1, 2],
        rows: k.loadByWeek,
        row: (w) => [w.week, fmt.int(w.launches), fmt.int(w.capacity), bar(w.launches, w.capacity, loadMax)],
        className: 'compact',
      }),
    ),
    k.missingCosts.length ? h('p', { class: 'muted' }, `Unit cost unknown for ${k.missingCosts.length} item(s); their spend counts as 0.`) : null,
  );
}
