import { api, ApiError, listAll } from '../api.js';
import { badge, fmt, h, table } from '../dom.js';
import type { RunRow, RunStatus } from '../types.js';
import { temporalLink, type View } from './context.js';

/** Runs of a scope with their status, the live stage of the running ones and a link into the Temporal UI. */
export const runsView: View = async (ctx) => {
  const scopeId = `${ctx.params.group}/${ctx.params.region}`;
  const runs = await listAll<RunRow>(`/runs?scope=${encodeURIComponent(scopeId)}`, 'runs', 2);
  // The live stage is a query to the running workflow: only for the running ones.
  const live = new Map<string, RunStatus>();
  await Promise.all(
    runs
      .filter((r) => r.status === 'running')
      .slice(0, 10)
      .map((r) =>
        api<RunStatus>(`/runs/${r.workflowId.split('/').map(encodeURIComponent).join('/')}`)
          .then((s) => void live.set(r.workflowId, s))
          .catch((err: unknown) => {
            if (err instanceof ApiError && err.status === 401) throw err;
          }),
      ),
  );
  const stage = (r: RunRow) => {
    const s = live.get(r.workflowId);
    const pending = s?.temporal?.pendingActivities?.map((a) => `${a.activityType}${a.attempt && a.attempt > 1 ? ` (attempt ${a.attempt})` : ''}`) ?? [];
    const name = s?.live?.stage ?? (r.detail.stage as string | undefined);
    return [name ?? (r.status === 'running' ? '…' : '–'), pending.length ? h('div', { class: 'muted small' }, pending.join(', ')) : null];
  };
  const body = h(
    'div',
    null,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Scopes'), ' / ', scopeId),
    h('h1', null, `Runs · ${scopeId}`),
    h('p', { class: 'lead' }, 'Loops, retrains and replans of the scope, newest first. Each links to its workflow in the Temporal UI (history, pending activities, retries).'),
    table({
      caption: `Runs of ${scopeId}`,
      head: ['Workflow', 'Kind', 'Trigger', 'Status', 'Stage', 'Started', 'Finished', 'Error'],
      rows: runs,
      row: (r) => [
        h('a', { href: temporalLink(ctx, r.workflowId), target: '_blank', rel: 'noopener' }, r.workflowId),
        r.kind,
        r.trigger,
        badge(r.status),
        stage(r),
        h('span', { class: 'nowrap' }, fmt.dateTime(r.startedAt)),
        h('span', { class: 'nowrap' }, fmt.dateTime(r.finishedAt)),
        r.error ? h('span', { class: 'error small' }, r.error) : '–',
      ],
      empty: 'No runs yet.',
    }),
  );
  return { title: `Runs · ${scopeId}`, body };
};
