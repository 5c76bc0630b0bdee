import { fmt, h, section } from '../dom.js';
import type { Calendar, Plan } from '../types.js';

const DAY = 86_400_000;
const addWeeks = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 7 * DAY).toISOString().slice(0, 10);

/**
 * Weeks × categories: each launch a block with its opening quantity, the promotions running in
 * a week (a row of their own, and a mark in the categories they cover) and competitor launches
 * marked in their category's cell. Built with one fragment per row: a 1,000-item plan is cheap.
 */
export function launchCalendar(plan: Plan, cal: Calendar | null, itemHref: (candidateId: string) => string): HTMLElement {
  const launchWeeks = plan.items.map((i) => i.launchWeek).sort();
  const first = [plan.summary.startWeek, launchWeeks[0]].filter((w): w is string => !!w).sort()[0];
  const last = launchWeeks[launchWeeks.length - 1] ?? first;
  if (!first) return section('Launch calendar', 'calendar', h('p', { class: 'muted' }, 'This plan has no launches.'));
  const weeks: string[] = [];
  for (let w = first; w <= last && weeks.length < 104; w = addWeeks(w, 1)) weeks.push(w);
  const categories = [...new Set([...(cal?.categories ?? []), ...plan.items.map((i) => i.category ?? 'unknown')])];

  const cells = new Map<string, HTMLElement[]>();
  const key = (category: string, week: string) => `${category}|${week}`;
  for (const item of plan.items) {
    const k = key(item.category ?? 'unknown', item.launchWeek);
    const block = h(
      'a',
      { class: `launch${item.fixed ? ' fixed' : ''}`, href: itemHref(item.candidateId), title: `${item.name ?? item.candidateId}: opening ${item.openingQty} units${item.fixed ? ' (fixed: launched or committed)' : ''}` },
      h('span', { class: 'launch-name' }, item.name ?? item.candidateId),
      h('span', { class: 'launch-qty' }, fmt.int(item.openingQty)),
    );
    (cells.get(k) ?? cells.set(k, []).get(k)!).push(block);
  }
  const promoIn = (week: string, category: string | null) =>
    (cal?.promotions ?? []).filter((p) => p.startWeek <= week && week <= p.endWeek && (category === null || p.category === null || p.category === category));
  const competitors = new Map<string, string[]>();
  for (const c of cal?.competitorLaunches ?? []) {
    const k = key(c.category, c.week);
    (competitors.get(k) ?? competitors.set(k, []).get(k)!).push(c.competitor);
  }

  const head = h('tr', null, h('th', { scope: 'col' }, 'Category'), weeks.map((w) => h('th', { scope: 'col', class: 'week' }, h('span', { class: 'week-date' }, w.slice(5)), h('span', { class: 'week-year' }, w.slice(0, 4)))));
  const promoRow = h(
    'tr',
    { class: 'promo-row' },
    h('th', { scope: 'row' }, 'Promotions'),
    weeks.map((w) => {
      const ps = promoIn(w, null);
      return h('td', { class: ps.length ? 'has-promo' : null }, ps.map((p) => h('span', { class: 'promo', title: `${p.name}: ${p.startWeek} to ${p.endWeek}, ${fmt.pct(p.discount, 0)} off${p.category ? `, ${p.category}` : ', site-wide'}` }, `${p.name}${p.discount ? ` −${Math.round(p.discount * 100)}%` : ''}`)));
    }),
  );
  const body = h('tbody', null, promoRow);
  const frag = document.createDocumentFragment();
  for (const category of categories) {
    const tr = h('tr', null, h('th', { scope: 'row' }, category));
    for (const w of weeks) {
      const td = document.createElement('td');
      const k = key(category, w);
      if (promoIn(w, category).length) td.classList.add('in-promo');
      const rivals = competitors.get(k);
      if (rivals) td.appendChild(h('span', { class: 'rival', title: `competitor launch: ${rivals.join(', ')}` }, `⚑ ${rivals.join(', ')}`));
      for (const b of cells.get(k) ?? []) td.appendChild(b);
      tr.appendChild(td);
    }
    frag.appendChild(tr);
  }
  body.appendChild(frag);
  return section(
    'Launch calendar',
    'calendar',
    h(
      'p',
      { class: 'legend' },
      h('span', { class: 'launch sample' }, h('span', { class: 'launch-name' }, 'launch'), h('span', { class: 'launch-qty' }, 'opening qty')),
      ' ',
      h('span', { class: 'launch fixed sample' }, 'fixed (launched or committed)'),
      ' ',
      h('span', { class: 'promo' }, 'promotion'),
      ' ',
      h('span', { class: 'rival' }, '⚑ competitor launch'),
      cal ? null : ' (promotions and competitor launches could not be loaded)',
    ),
    h('div', { class: 'table-wrap calendar-wrap', tabindex: 0, role: 'region', 'aria-label': 'Launch calendar, scrolls sideways' }, h('table', { class: 'calendar' }, h('caption', null, `Launches by week and category, ${weeks[0]} to ${weeks[weeks.length - 1]}`), h('thead', null, head), body)),
  );
}
