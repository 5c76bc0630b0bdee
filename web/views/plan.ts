import { api, ApiError, listAll } from '../api.js';
import { badge, fmt, h, section, table } from '../dom.js';
import { can, type Principal } from '../session.js';
import type { Calendar, Kpis, Plan, PlanRow } from '../types.js';
import { launchCalendar } from './calendar.js';
import { scopePath, temporalLink, type View, type ViewContext } from './context.js';
import { kpiPanel } from './kpis.js';

const KIND_LABEL = { moved: 'moved', added: 'added', dropped: 'dropped', requantified: 're-sized' } as const;

export function diffSection(plan: Plan, parent: PlanRow | null): HTMLElement {
  if (!plan.parentPlanId) return section('Changes against the parent plan', 'diff', h('p', { class: 'muted' }, "This is the scope's first plan: there is nothing to compare with."));
  const d = plan.diff;
  const parentLink = h('a', { href: `#/plans/${plan.parentPlanId}` }, parent ? `v${parent.version}` : `plan ${plan.parentPlanId}`);
  if (!d) return section('Changes against the parent plan', 'diff', h('p', { class: 'muted' }, 'No diff was stored against ', parentLink, '.'));
  return section(
    'Changes against the parent plan',
    'diff',
    h('p', null, 'Against ', parentLink, ': ', h('strong', null, d.summary), '.'),
    table({
      caption: `What changed since ${parent ? `v${parent.version}` : `plan ${plan.parentPlanId}`}`,
      head: ['Change', 'Item', 'Week', 'Opening qty', 'Why'],
      rows: d.changes,
      row: (c) => [
        badge(KIND_LABEL[c.kind] ?? c.kind, c.kind),
        h('a', { href: `#/plans/${plan.id}/items/${encodeURIComponent(c.candidateId)}` }, c.name),
        c.kind === 'moved' ? `${c.fromWeek} → ${c.toWeek}` : (c.toWeek ?? c.fromWeek ?? '–'),
        c.kind === 'requantified' || (c.kind === 'moved' && c.fromQty !== c.toQty) ? `${fmt.int(c.fromQty)} → ${fmt.int(c.toQty)}` : fmt.int(c.toQty ?? c.fromQty),
        c.why,
      ],
      className: 'diff',
      empty: 'No launch changed.',
    }),
  );
}

function decisionPanel(ctx: ViewContext, principal: Principal | null, plan: Plan, published: PlanRow | undefined): HTMLElement | null {
  if (plan.status !== 'draft') return null;
  const stale = published && published.id !== plan.parentPlanId && published.id !== plan.id;
  const rebase = h('a', { class: 'button secondary', href: `#/scopes/${scopePath(plan.scopeId)}/replan` }, 'Replan on top of the published plan');
  const staleNote = stale
    ? h('div', { class: 'notice warn', role: 'note' }, h('p', null, `This draft revises ${plan.parentPlanId ? `plan ${plan.parentPlanId}` : 'no plan'}, but v${published.version} (plan ${published.id}) is published now: approving it will be refused.`), rebase)
    : null;
  if (!can(principal, 'merchandiser'))
    return section('Decision', 'decision', staleNote, h('p', { class: 'muted' }, `Your token's role (${principal?.role}) can read plans but not approve or reject them.`));
  const note = h('textarea', { id: 'decision-note', name: 'note', rows: 3, maxlength: 2000, placeholder: 'e.g. checked with the buying team' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const buttons: HTMLButtonElement[] = [];
  const decide = async (approve: boolean) => {
    buttons.forEach((b) => (b.disabled = true));
    status.textContent = approve ? 'Publishing…' : 'Rejecting…';
    status.className = 'status';
    try {
      const body: Record<string, string> = {};
      if (note.value.trim()) body.note = note.value.trim();
      const r = await decideWithBody(plan.id, approve, body);
      status.textContent = `Plan v${plan.version} is ${r.status}.`;
      ctx.reload();
    } catch (err) {
      status.className = 'status error';
      status.textContent = err instanceof Error ? err.message : String(err);
      if (err instanceof ApiError && err.code === 'plans.stale') status.append(' ', rebase.cloneNode(true));
      buttons.forEach((b) => (b.disabled = false));
    }
  };
  buttons.push(h('button', { type: 'button', class: 'approve', onclick: () => void decide(true) }, 'Approve and publish'));
  buttons.push(h('button', { type: 'button', class: 'reject secondary', onclick: () => void decide(false) }, 'Reject'));
  return section('Decision', 'decision', staleNote, h('div', { class: 'field' }, h('label', { for: 'decision-note' }, 'Comment (recorded with the decision)'), note), h('div', { class: 'actions' }, ...buttons), status);
}

/**
 * Approve or reject. The API records the signed-in principal; an API that still asks for a
 * free-text `by` names it in its 400, and the decision is sent again with the principal's name.
 */
async function decideWithBody(planId: number, approve: boolean, body: Record<string, string>): Promise<{ status: string }> {
  const path = `/plans/${planId}/${approve ? 'approve' : 'reject'}`;
  try {
    return await api<{ status: string }>(path, { method: 'POST', body });
  } catch (err) {
    if (err instanceof ApiError && err.status === 400 && /\bby\b/.test(err.message)) return api<{ status: string }>(path, { method: 'POST', body: { ...body, by: 'launchloop page' } });
    throw err;
  }
}

export const planView: View = async (ctx) => {
  const id = ctx.params.id;
  // The KPIs need only the id: asked for alongside the plan, not after it.
  const kpisAsked = api<Kpis>(`/plans/${id}/kpis`).catch(() => null);
  const plan = await api<Plan>(`/plans/${id}`);
  const [principal, kpis, cal, published, parent] = await Promise.all([
    ctx.principal,
    kpisAsked,
    api<Calendar>(`/scopes/${scopePath(plan.scopeId)}/calendar`).catch(() => null),
    listAll<PlanRow>(`/plans?scope=${encodeURIComponent(plan.scopeId)}&status=published`, 'plans').then((r) => r[0]).catch(() => undefined),
    plan.parentPlanId ? api<PlanRow>(`/plans/${plan.parentPlanId}`).catch(() => null) : Promise.resolve(null),
  ]);
  const itemHref = (c: string) => `#/plans/${plan.id}/items/${encodeURIComponent(c)}`;
  const s = plan.summary;
  const meta = h(
    'dl',
    { class: 'meta' },
    h('dt', null, 'Status'),
    h('dd', null, badge(plan.status)),
    h('dt', null, 'Why'),
    h('dd', null, s.reason ?? '–'),
    h('dt', null, 'Built by'),
    h('dd', null, `${plan.method}${plan.gap != null ? `, gap ${fmt.pct(plan.gap, 2)}` : ''}${s.solver?.solveSeconds != null ? `, ${fmt.num(s.solver.solveSeconds)} s` : ''}`),
    h('dt', null, 'Workflow'),
    h('dd', null, h('a', { href: temporalLink(ctx, plan.runId), rel: 'noopener', target: '_blank' }, plan.runId)),
    plan.parentPlanId ? [h('dt', null, 'Revises'), h('dd', null, h('a', { href: `#/plans/${plan.parentPlanId}` }, parent ? `v${parent.version} (${parent.status})` : `plan ${plan.parentPlanId}`))] : null,
    plan.ruleOverrides
      ? [
          h('dt', null, 'Rule overrides'),
          h('dd', { id: 'rule-overrides' }, h('ul', null, (s.overrideNotes?.length ? s.overrideNotes : Object.entries(plan.ruleOverrides).map(([k, v]) => `${k}: ${JSON.stringify(v)}`)).map((n) => h('li', null, n)))),
        ]
      : null,
    plan.decidedBy ? [h('dt', null, 'Decided'), h('dd', null, `${plan.decidedBy}, ${fmt.dateTime(plan.decidedAt)}${plan.decisionNote ? `: “${plan.decisionNote}”` : ''}`)] : null,
  );
  const items = [...plan.items].sort((a, b) => a.launchWeek.localeCompare(b.launchWeek) || (a.name ?? '').localeCompare(b.name ?? ''));
  const itemsTable = section(
    `Launches (${items.length})`,
    'items',
    table({
      caption: 'Launches with their opening quantity and expected units sold over the coverage',
      head: ['Item', 'Category', 'Launch week', 'Opening qty', 'Expected units (80%)', 'Net margin', 'Main reason'],
      numeric: [3, 4, 5],
      rows: items,
      row: (i) => [
        [h('a', { href: itemHref(i.candidateId) }, i.name ?? i.candidateId), i.fixed ? [' ', badge('fixed')] : null],
        i.category ?? '–',
        i.launchWeek,
        fmt.int(i.openingQty),
        `${fmt.int(i.expectedUnits.mean)} (${fmt.int(i.expectedUnits.lo)}–${fmt.int(i.expectedUnits.hi)})`,
        fmt.money(i.expectedNetMargin),
        i.rationale[0] ?? '–',
      ],
      className: 'items',
      empty: 'This plan launches nothing.',
    }),
    h('p', { class: 'muted' }, 'Expected units are sales capped at the opening quantity (the upper bound is never above it); each item\'s page shows the uncapped demand forecast with its bands.'),
  );
  const notLaunched = s.notLaunched?.length
    ? section(
        `Not launched (${s.notLaunched.length})`,
        'not-launched',
        h('details', null, h('summary', null, 'Candidates left out, with why'), table({ caption: 'Candidates not in this plan', head: ['Candidate', 'Why'], rows: s.notLaunched, row: (n) => [n.candidateId, n.reason] })),
      )
    : null;
  const body = h(
    'div',
    { class: 'plan', 'data-plan-id': plan.id, 'data-status': plan.status },
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Scopes'), ' / ', plan.scopeId),
    h('h1', null, `Plan v${plan.version} · ${plan.scopeId}`),
    h('nav', { class: 'subnav', 'aria-label': 'Plan sections' }, [
      ['#kpis', 'KPIs'],
      ['#diff', 'Changes'],
      ['#calendar', 'Calendar'],
      ['#items', 'Launches'],
    ].map(([href, label]) => h('a', { href: `#/plans/${plan.id}`, 'data-section': href.slice(1) }, label)),
    h('a', { href: `#/scopes/${scopePath(plan.scopeId)}/replan` }, 'Replan before a promotion'),
    h('a', { href: `#/scopes/${scopePath(plan.scopeId)}/runs` }, 'Runs'),
    h('a', { href: `#/scopes/${scopePath(plan.scopeId)}/models` }, 'Models')),
    meta,
    s.warnings?.length ? h('div', { class: 'notice warn', role: 'note' }, h('ul', null, s.warnings.map((w) => h('li', null, w)))) : null,
    decisionPanel(ctx, principal, plan, published),
    kpis ? kpiPanel(kpis) : null,
    diffSection(plan, parent),
    launchCalendar(plan, cal, itemHref),
    itemsTable,
    notLaunched,
  );
  // In-page section links: the hash is the router's, so scroll instead of navigating.
  body.querySelectorAll<HTMLAnchorElement>('a[data-section]').forEach((a) =>
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const target = document.getElementById(a.dataset.section!);
      target?.scrollIntoView();
      target?.querySelector('h2')?.setAttribute('tabindex', '-1');
      target?.querySelector<HTMLElement>('h2')?.focus();
    }),
  );
  return { title: `Plan v${plan.version} · ${plan.scopeId}`, body };
};
