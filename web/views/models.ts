import { api, rows } from '../api.js';
import { badge, fmt, h, table } from '../dom.js';
import type { ModelRow } from '../types.js';
import { scopePath, type View } from './context.js';

/** The scope's model registry: champion and challengers with their backtest metrics. */
export const modelsView: View = async (ctx) => {
  const scopeId = `${ctx.params.group}/${ctx.params.region}`;
  const models = rows<ModelRow>(await api(`/scopes/${scopePath(scopeId)}/models`), 'models');
  const metricNames = [...new Set(models.flatMap((m) => Object.keys(m.metrics ?? {})))].sort().slice(0, 6);
  const body = h(
    'div',
    null,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Scopes'), ' / ', scopeId),
    h('h1', null, `Model registry · ${scopeId}`),
    h('p', { class: 'lead' }, 'A challenger becomes champion only when it beats the champion on the same held-out launches.'),
    table({
      caption: `Models of ${scopeId}`,
      head: ['Kind', 'Version', 'Role', 'Status', 'Backend', 'Snapshot', ...metricNames, 'Trained'],
      numeric: [1, ...metricNames.map((_, i) => 6 + i)],
      rows: models,
      row: (m) => [
        m.kind,
        `v${m.version}`,
        m.isChampion ? badge('champion') : badge('challenger'),
        m.status,
        m.backend ?? '–',
        m.snapshotId ?? '–',
        ...metricNames.map((k) => fmt.num(m.metrics?.[k])),
        fmt.dateTime(m.createdAt),
      ],
      empty: 'No model trained yet: the first loop trains one.',
    }),
  );
  return { title: `Models · ${scopeId}`, body };
};
