import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmt, h } from './dom.js';
import type { ItemForecast } from './types.js';

const COLORS = { mean: '#1d4ed8', band80: 'rgba(29, 78, 216, 0.28)', band95: 'rgba(29, 78, 216, 0.11)', sales: '#b45309', opening: '#15803d' };

const seconds = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 1000;

/**
 * The item's weekly launch curve: mean demand with its 80% and 95% bands (the uncapped demand
 * forecast, not sales capped at the opening quantity) and the units actually sold once launched.
 * The figure carries `data-series` and `data-bands` so tests can tell what was drawn.
 */
export function launchCurveChart(f: ItemForecast, width: number): HTMLElement {
  const weeks = f.demand.map((d) => d.week);
  const sold = new Map(f.sales.map((s) => [s.week, s.units]));
  const data: uPlot.AlignedData = [
    weeks.map(seconds),
    f.demand.map((d) => d.lo95),
    f.demand.map((d) => d.hi95),
    f.demand.map((d) => d.lo80),
    f.demand.map((d) => d.hi80),
    f.demand.map((d) => d.mean),
    weeks.map((w) => sold.get(w) ?? null),
  ];
  const band = (label: string) => ({ label, stroke: 'transparent', points: { show: false }, value: (_u: uPlot, v: number | null) => fmt.num(v) });
  const opts: uPlot.Options = {
    width,
    height: 300,
    series: [
      { label: 'week', value: (_u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 10)) },
      band('95% low'),
      band('95% high'),
      band('80% low'),
      band('80% high'),
      { label: 'expected demand', stroke: COLORS.mean, width: 2, value: (_u, v) => fmt.num(v) },
      { label: 'units sold', stroke: COLORS.sales, width: 2, points: { show: true, size: 6, fill: COLORS.sales }, value: (_u, v) => fmt.int(v) },
    ],
    bands: [
      { series: [2, 1], fill: COLORS.band95 },
      { series: [4, 3], fill: COLORS.band80 },
    ],
    axes: [weekAxis(data[0] as number[]), { label: 'units per week' }],
    scales: { x: { time: false } },
    legend: { live: true },
  };
  const holder = h('div', { class: 'chart' });
  const figure = h(
    'figure',
    { class: 'curve', 'data-series': data.length - 1, 'data-bands': opts.bands!.length, 'data-points': weeks.length },
    h('figcaption', null, 'Weekly demand forecast (uncapped) with its 80% and 95% bands, and units sold since launch'),
    holder,
    legendKey([
      ['swatch-mean', 'expected demand'],
      ['swatch-80', '80% band'],
      ['swatch-95', '95% band'],
      ['swatch-sales', 'units sold'],
    ]),
  );
  // uPlot measures its root: build it once the figure is in the document.
  requestAnimationFrame(() => new uPlot(opts, data, holder));
  return figure;
}

/** Cumulative expected demand against the opening quantity: when the opening stock would run out. */
export function coverageChart(f: ItemForecast, width: number): HTMLElement {
  let acc = 0;
  let accSold = 0;
  const sold = new Map(f.sales.map((s) => [s.week, s.units]));
  const lastSale = f.sales.length ? f.sales[f.sales.length - 1].week : null;
  const data: uPlot.AlignedData = [
    f.demand.map((d) => seconds(d.week)),
    f.demand.map((d) => (acc += d.mean)),
    f.demand.map(() => f.openingQty),
    f.demand.map((d) => (lastSale && d.week <= lastSale ? (accSold += sold.get(d.week) ?? 0) : null)),
  ];
  const opts: uPlot.Options = {
    width,
    height: 220,
    series: [
      { label: 'week', value: (_u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 10)) },
      { label: 'cumulative expected demand', stroke: COLORS.mean, width: 2, value: (_u, v) => fmt.int(v) },
      { label: 'opening quantity', stroke: COLORS.opening, width: 2, dash: [6, 4], points: { show: false }, value: (_u, v) => fmt.int(v) },
      { label: 'cumulative units sold', stroke: COLORS.sales, width: 2, value: (_u, v) => fmt.int(v) },
    ],
    axes: [weekAxis(data[0] as number[]), { label: 'units' }],
    scales: { x: { time: false } },
  };
  const holder = h('div', { class: 'chart' });
  const figure = h('figure', { class: 'coverage', 'data-series': data.length - 1 }, h('figcaption', null, 'Opening quantity against cumulative expected demand'), holder);
  requestAnimationFrame(() => new uPlot(opts, data, holder));
  return figure;
}

/** Ticks on the forecast's Mondays (at most ~13 of them), labelled MM-DD. */
function weekAxis(xs: number[]): uPlot.Axis {
  const stride = Math.max(1, Math.ceil(xs.length / 13));
  return { splits: () => xs.filter((_x, i) => i % stride === 0), values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(5, 10)) };
}

function legendKey(entries: Array<[string, string]>): HTMLElement {
  return h('ul', { class: 'key', 'aria-hidden': 'true' }, entries.map(([cls, label]) => h('li', null, h('span', { class: `swatch ${cls}` }), label)));
}

/** The week the cumulative mean demand first reaches the opening quantity, or null if it never does. */
export function sellThroughWeek(f: ItemForecast): { week: string; step: number } | null {
  let acc = 0;
  for (const d of f.demand) {
    acc += d.mean;
    if (acc >= f.openingQty) return { week: d.week, step: d.step };
  }
  return null;
}
