import { api, rows } from '../api.js';
import { badge, fmt, h, table } from '../dom.js';
import type { ModelRow } from '../types.js';
import { scopePath, type View } from './context.js';

/** The scope's model registry: champion and challengers with their backtest metrics. */
export const modelsView: View = async (ctx) => {
  const scopeId = `${ctx.params.group}/${ctx.params.region}`;
  const models = rows<ModelRow>(await api(`/scopes/${scopePath(scopeId)}/models`), 'models');
  // The backtest figures a merchandiser compares, named; the rest stay in the API's answer.
  const LABELS: Record<string, string> = { backtestWape: 'Backtest WAPE', baselineWape: 'Like-item WAPE', backtestBias: 'Bias', backtestLaunches: 'Held-out launches', bestValLoss: 'Validation loss' };
  const present = new Set(models.flatMap((m) => Object.keys(m.metrics ?? {})));
  const metricNames = Object.keys(LABELS).filter((k) => present.has(k));
  const hyper = (m: ModelRow) =>
    ['epochs', 'units', 'hidden', 'lookback']
      .filter((k) => m.hyper?.[k] !== undefined)
      .map((k) => `${k} ${String(m.hyper[k])}`)
      .join(', ') || '–';
  const body = h(
    'div',
    null,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Scopes'), ' / ', scopeId),
    h('h1', null, `Model registry · ${scopeId}`),
    h('p', { class: 'lead' }, 'A challenger becomes champion only when it beats the champion on the same held-out launches. WAPE: weighted absolute percentage error of the launch curves on the newest held-out launches (lower is better).'),
    models.length && !models.some((m) => m.isChampion) ? h('p', { class: 'notice' }, 'No champion yet: no trained model has been promoted.') : null,
    table({
      caption: `Models of ${scopeId}`,
      head: ['Kind', 'Version', 'Role', 'Status', 'Backend', 'Snapshot', ...metricNames.map((k) => LABELS[k]), 'Hyper-parameters', 'Trained'],
      numeric: [1, ...metricNames.map((_, i) => 6 + i)],
      rows: models,
      row: (m) => [
        h('span', { class: 'nowrap' }, m.kind),
        `v${m.version}`,
        m.isChampion ? badge('champion') : badge('challenger'),
        m.status,
        m.backend ?? '–',
        m.snapshotId ?? '–',
        ...metricNames.map((k) => fmt.num(m.metrics?.[k])),
        hyper(m),
        h('span', { class: 'nowrap' }, fmt.dateTime(m.createdAt)),
      ],
      empty: 'No model trained yet: the first loop trains one.',
    }),
  );
  return { title: `Models · ${scopeId}`, body };
};
