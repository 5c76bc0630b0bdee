import type { View } from './context.js';
import { api, ApiError } from '../api.js';
import { coverageChart, launchCurveChart, sellThroughWeek } from '../chart.js';
import { audienceSection } from './audience.js';
import { badge, fmt, h, section, table } from '../dom.js';
import type { ItemForecast, Plan } from '../types.js';

export const itemView: View = async (ctx) => {
  const plan = await api<Plan>(`/plans/${ctx.params.id}`);
  const item = plan.items.find((i) => i.candidateId === ctx.params.candidateId);
  if (!item) throw new ApiError(404, 'plans.item_not_found', `plan v${plan.version} does not launch ${ctx.params.candidateId}`);
  let forecast: ItemForecast | null = null;
  let forecastError: string | null = null;
  const audience = audienceSection(plan.id, item.candidateId);
  try {
    forecast = await api<ItemForecast>(`/plans/${plan.id}/items/${encodeURIComponent(item.candidateId)}/forecast`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    forecastError = err instanceof Error ? err.message : String(err);
  }
  const audiencePart = await audience;
  const width = Math.max(320, Math.min(1100, (document.getElementById('main')?.clientWidth ?? 900) - 48));
  const through = forecast ? sellThroughWeek(forecast) : null;
  const coverage = forecast
    ? h(
        'p',
        { class: 'lead' },
        `Opening quantity ${fmt.int(item.openingQty)} units: `,
        through
          ? `mean demand reaches it in week ${through.step + 1} after launch (${through.week}).`
          : `mean demand over the ${forecast.demand.length} forecast weeks (${fmt.int(forecast.demand.reduce((a, d) => a + d.mean, 0))} units) stays below it.`,
        forecast.sales.length ? ` Sold so far: ${fmt.int(forecast.sales.reduce((a, s) => a + s.units, 0))} units in ${forecast.sales.length} week(s)${forecast.sales.some((s) => s.stockout) ? ', some weeks sold out (demand was higher than sales)' : ''}.` : ' Not launched yet: no sales.',
      )
    : null;
  const body = h(
    'div',
    { class: 'item' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Scopes'), ' / ', h('a', { href: `#/plans/${plan.id}` }, `Plan v${plan.version} · ${plan.scopeId}`), ' / ', item.name ?? item.candidateId),
    h('h1', null, item.name ?? item.candidateId, item.fixed ? [' ', badge('fixed')] : null),
    h(
      'dl',
      { class: 'meta' },
      h('dt', null, 'Candidate'),
      h('dd', null, item.candidateId),
      h('dt', null, 'Category'),
      h('dd', null, item.category ?? '–'),
      h('dt', null, 'Launch week'),
      h('dd', null, item.launchWeek),
      h('dt', null, 'Opening quantity'),
      h('dd', null, fmt.int(item.openingQty)),
      h('dt', null, 'Expected units sold'),
      h('dd', null, `${fmt.int(item.expectedUnits.mean)} (${item.expectedUnits.level}%: ${fmt.int(item.expectedUnits.lo)}–${fmt.int(item.expectedUnits.hi)}), capped at the opening quantity`),
      h('dt', null, 'Expected net margin'),
      h('dd', null, fmt.money(item.expectedNetMargin)),
    ),
    section(
      'Launch curve',
      'curve',
      forecast && forecast.demand.length
        ? [
            coverage,
            launchCurveChart(forecast, width),
            coverageChart(forecast, width),
            h(
              'details',
              null,
              h('summary', null, 'The numbers behind the charts'),
              table({
                caption: 'Weekly demand forecast (uncapped) and units sold',
                head: ['Week', 'Step', 'Mean', '80% low', '80% high', '95% low', '95% high', 'Sold'],
                numeric: [1, 2, 3, 4, 5, 6, 7],
                rows: forecast.demand,
                row: (d) => {
                  const s = forecast!.sales.find((x) => x.week === d.week);
                  return [d.week, d.step + 1, fmt.num(d.mean), fmt.num(d.lo80), fmt.num(d.hi80), fmt.num(d.lo95), fmt.num(d.hi95), s ? `${fmt.int(s.units)}${s.stockout ? ' (sold out)' : ''}` : '–'];
                },
                className: 'compact',
              }),
            ),
          ]
        : h('p', { class: 'notice' }, forecastError ? `The launch curve could not be loaded: ${forecastError}` : 'No launch curve is stored for this item.'),
    ),
    audiencePart,
    section('Why this launch', 'rationale', item.rationale.length ? h('ol', { class: 'rationale' }, item.rationale.map((r) => h('li', null, r))) : h('p', { class: 'muted' }, 'No rationale stored.')),
  );
  return { title: `${item.name ?? item.candidateId} · plan v${plan.version}`, body };
};
