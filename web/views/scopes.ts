import { api, listAll, rows } from '../api.js';
import { badge, fmt, h, table } from '../dom.js';
import type { PlanRow, Scope } from '../types.js';
import { scopePath, type View } from './context.js';

/** Every scope with its published plan and the drafts waiting for a decision. */
export const scopesView: View = async () => {
  const scopes = rows<Scope>(await api('/scopes'), 'scopes');
  const plansOf = await Promise.all(scopes.map((s) => listAll<PlanRow>(`/plans?scope=${encodeURIComponent(s.id)}`, 'plans', 3)));
  const planLink = (p: PlanRow) => h('a', { href: `#/plans/${p.id}` }, `v${p.version}`);
  const body = h(
    'div',
    null,
    h('h1', null, 'Scopes and their plans'),
    h('p', { class: 'lead' }, 'Each scope is a category group in a region. Open a plan to review its launches, approve or reject a draft, or replan before a promotion.'),
    table({
      caption: 'Scopes',
      head: ['Scope', 'Region', 'Categories', 'Published plan', 'Drafts waiting', 'Latest plans', ''],
      rows: scopes.map((s, i) => ({ s, plans: plansOf[i] })),
      row: ({ s, plans }) => {
        const published = plans.find((p) => p.status === 'published');
        const drafts = plans.filter((p) => p.status === 'draft');
        return [
          h('strong', null, s.id),
          s.region,
          s.categories.join(', '),
          published ? [planLink(published), ` · ${fmt.date(published.decidedAt ?? published.createdAt)}`] : h('span', { class: 'muted' }, 'none yet'),
          drafts.length ? drafts.map((d, j) => [j ? ', ' : '', planLink(d)]) : h('span', { class: 'muted' }, 'none'),
          plans.slice(0, 5).map((p, j) => [j ? ' ' : '', h('a', { href: `#/plans/${p.id}`, class: 'plain' }, `v${p.version}`, ' ', badge(p.status))]),
          h(
            'span',
            { class: 'row-actions' },
            h('a', { href: `#/scopes/${scopePath(s.id)}/replan` }, 'Replan'),
            h('a', { href: `#/scopes/${scopePath(s.id)}/runs` }, 'Runs'),
            h('a', { href: `#/scopes/${scopePath(s.id)}/models` }, 'Models'),
          ),
        ];
      },
      empty: 'No scopes yet: seed or import data first (launchloop seed / import).',
    }),
  );
  return { title: 'Scopes', body };
};
