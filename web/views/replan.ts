import { api, ApiError, idempotencyKey } from '../api.js';
import { h } from '../dom.js';
import { can } from '../session.js';
import type { RunStatus, Scope } from '../types.js';
import { rows } from '../api.js';
import { categoryPickerSummary, collapsesCategories, matchesCategoryFilter } from './category-picker.js';
import { scopePath, temporalLink, type View, type ViewContext } from './context.js';

const DAY = 86_400_000;

/** The Monday on or after today (UTC), the first week a promotion can start in. */
function nextMonday(from = new Date()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() + (back ? 7 - back : 0) * DAY).toISOString().slice(0, 10);
}

const isMonday = (iso: string) => /^\d{4}-\d{2}-\d{2}$/.test(iso) && new Date(`${iso}T00:00:00Z`).getUTCDay() === 1;

/** The promotion's categories: ticked in place when few, else a collapsed list with a filter. */
function categoryPicker(cats: HTMLElement[]): HTMLElement {
  if (!collapsesCategories(cats.length)) return h('fieldset', { class: 'inline' }, h('legend', null, 'Categories (none ticked: site-wide)'), cats);
  const summary = h('summary', null, categoryPickerSummary(cats.length, 0));
  const filter = h('input', { id: 'promo-category-filter', type: 'search', placeholder: 'e.g. CANDLE', autocomplete: 'off' });
  filter.addEventListener('input', () => {
    for (const label of cats) label.hidden = !matchesCategoryFilter(label.querySelector('input')!.value, filter.value);
  });
  const picker = h(
    'details',
    null,
    summary,
    field('promo-category-filter', 'Show categories containing', filter),
    h('fieldset', { class: 'inline' }, h('legend', null, 'Tick the categories on promotion'), cats),
  );
  picker.addEventListener('change', () => {
    summary.textContent = categoryPickerSummary(cats.length, picker.querySelectorAll('input[name=category]:checked').length);
  });
  return picker;
}

function field(id: string, label: string, input: HTMLElement, hint?: string): HTMLElement {
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

/**
 * POSTs a body, and when the API names `optional` as required (an API that still asks for a
 * free-text requester), sends it again with it. The Idempotency-Key is the same: a 400 starts nothing.
 */
async function postNaming<T>(path: string, body: Record<string, unknown>, headers: Record<string, string>, optional: string, value: string): Promise<T> {
  try {
    return await api<T>(path, { method: 'POST', body, headers });
  } catch (err) {
    if (err instanceof ApiError && err.status === 400 && err.message.includes(optional)) return api<T>(path, { method: 'POST', body: { ...body, [optional]: value }, headers });
    throw err;
  }
}

/**
 * Replan before a promotion: records the promotion (window, discount, categories) for the scope's
 * region, then starts a replan with an Idempotency-Key (a double click or a retried request starts
 * one replan), carrying any rule overrides for its plan only. Then follows the replan until its
 * draft exists.
 */
export const replanView: View = async (ctx) => {
  const scopeId = `${ctx.params.group}/${ctx.params.region}`;
  const [principal, scopesBody] = await Promise.all([ctx.principal, api('/scopes')]);
  const scopes = rows<Scope>(scopesBody, 'scopes');
  const scope = scopes.find((s) => s.id === scopeId);
  if (!scope) throw new ApiError(404, 'scopes.not_found', `scope ${scopeId} does not exist`);
  const rules = await api<{ rules: Record<string, unknown> }>(`/scopes/${scopePath(scopeId)}/rules`).then((r) => r.rules).catch(() => ({}) as Record<string, unknown>);

  const start = nextMonday(new Date(Date.now() + 21 * DAY));
  const input = (id: string, attrs: Record<string, string | number | boolean>) => h('input', { id, name: id, ...attrs });
  const name = input('promo-name', { type: 'text', maxlength: 100, placeholder: 'e.g. Spring sale', autocomplete: 'off' });
  const from = input('promo-start', { type: 'date', value: start, required: true });
  const to = input('promo-end', { type: 'date', value: new Date(Date.parse(`${start}T00:00:00Z`) + 7 * DAY).toISOString().slice(0, 10), required: true });
  const discount = input('promo-discount', { type: 'number', min: 0, max: 90, step: 1, value: 20, inputmode: 'numeric' });
  const cats = scope.categories.map((c) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'category', value: c }), ` ${c}`));
  const reason = h('textarea', { id: 'replan-reason', name: 'reason', rows: 2, maxlength: 500, placeholder: 'e.g. Spring sale moved a week earlier' });
  const horizon = input('replan-horizon', { type: 'number', min: 1, max: 104, step: 1, placeholder: String(rules.planningWeeks ?? 26) });
  const lead = input('rule-lead', { type: 'number', min: 0, max: 52, step: 1, placeholder: String(rules.promotionLeadWeeks ?? 2) });
  const perWeek = input('rule-per-week', { type: 'number', min: 1, step: 1, placeholder: String(rules.maxLaunchesPerWeek ?? 3) });
  const budget = input('rule-budget', { type: 'number', min: 1, step: 1, placeholder: rules.monthlyBudget ? String(rules.monthlyBudget) : 'no budget' });
  const warehouse = input('rule-warehouse', { type: 'number', min: 1, step: 1, placeholder: rules.warehouseCapacityUnits ? String(rules.warehouseCapacityUnits) : 'no limit' });
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Record promotion and replan');
  let key = idempotencyKey('page-replan');

  const form = h(
    'form',
    { class: 'replan', novalidate: true },
    h(
      'fieldset',
      null,
      h('legend', null, 'Promotion'),
      field('promo-name', 'Name', name, 'Leave empty to replan without recording a promotion.'),
      h('div', { class: 'row' }, field('promo-start', 'First week (a Monday)', from), field('promo-end', 'Last week (a Monday)', to), field('promo-discount', 'Discount %', discount)),
      categoryPicker(cats),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Rule overrides (optional; for this replan\'s plan only: the scope\'s rules stay as they are)'),
      h(
        'div',
        { class: 'row' },
        field('rule-lead', 'Launch lead before a promotion (weeks)', lead),
        field('rule-per-week', 'Max launches per week', perWeek),
        field('rule-budget', 'Monthly opening budget', budget),
        field('rule-warehouse', 'Warehouse capacity (units)', warehouse),
      ),
    ),
    h('fieldset', null, h('legend', null, 'Replan'), field('replan-reason', 'Reason', reason, 'Recorded with the replan; a promotion\'s name and window are added to it.'), field('replan-horizon', 'Horizon (weeks)', horizon)),
    h('div', { class: 'actions' }, submit, h('a', { class: 'button secondary', href: '#/' }, 'Cancel')),
    status,
  );

  const say = (text: string, kind: '' | 'error' | 'ok' = '', ...extra: Node[]) => {
    status.className = `status ${kind}`;
    status.replaceChildren(h('p', null, text), ...extra);
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const promo = name.value.trim();
      const problems: string[] = [];
      if (promo && (!isMonday(from.value) || !isMonday(to.value))) problems.push('the promotion weeks must be Mondays');
      if (promo && to.value < from.value) problems.push('the last week must not be before the first');
      const pct = Number(discount.value);
      if (promo && !(pct >= 0 && pct <= 90)) problems.push('the discount must be between 0 and 90 %');
      const window = promo ? `${promo} ${from.value} to ${to.value}, ${pct}% off` : '';
      const text = [reason.value.trim(), window && `before promotion ${window}`].filter(Boolean).join('; ');
      if (text.length < 3) problems.push('say why you replan (a reason or a promotion)');
      if (problems.length) return say(`Cannot send: ${problems.join('; ')}.`, 'error');
      submit.disabled = true;
      try {
        const categories = [...form.querySelectorAll<HTMLInputElement>('input[name=category]:checked')].map((c) => c.value);
        if (promo) {
          say('Recording the promotion…');
          await api(`/scopes/${scopePath(scopeId)}/promotions`, { method: 'POST', body: { name: promo, startWeek: from.value, endWeek: to.value, discount: pct / 100, categories } });
        }
        // Sent with the replan: they apply to its plan only, and a merchandiser may send them.
        const overrides: Record<string, number> = {};
        if (lead.value) overrides.promotionLeadWeeks = Number(lead.value);
        if (perWeek.value) overrides.maxLaunchesPerWeek = Number(perWeek.value);
        if (budget.value) overrides.monthlyBudget = Number(budget.value);
        if (warehouse.value) overrides.warehouseCapacityUnits = Number(warehouse.value);
        say('Starting the replan…');
        const body: Record<string, unknown> = { reason: text };
        if (horizon.value) body.horizonWeeks = Number(horizon.value);
        if (Object.keys(overrides).length) body.ruleOverrides = overrides;
        const started = await postNaming<{ workflowId: string }>(`/scopes/${scopePath(scopeId)}/replans`, body, { 'Idempotency-Key': key }, 'requestedBy', principal?.name ?? 'launchloop page');
        key = idempotencyKey('page-replan');
        await follow(ctx, started.workflowId, say);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'replans.idempotency_key_reused') key = idempotencyKey('page-replan');
        say(err instanceof Error ? err.message : String(err), 'error');
      } finally {
        submit.disabled = false;
      }
    })();
  });

  const body = h(
    'div',
    null,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Scopes'), ' / ', scopeId),
    h('h1', null, `Replan before a promotion · ${scopeId}`),
    h('p', { class: 'lead' }, 'The replan forecasts and plans the remaining horizon again on top of the published plan, reading the promotion, and leaves a draft to approve. Launched and committed items stay fixed.'),
    can(principal, 'merchandiser') ? form : h('p', { class: 'notice' }, `Your token's role (${principal?.role}) cannot replan.`),
  );
  return { title: `Replan · ${scopeId}`, body };
};

/** Polls the replan's live stage until its draft exists (or it ends), then links the draft. */
async function follow(ctx: ViewContext, workflowId: string, say: (text: string, kind?: '' | 'error' | 'ok', ...extra: Node[]) => void): Promise<void> {
  const link = h('a', { href: temporalLink(ctx, workflowId), target: '_blank', rel: 'noopener' }, workflowId);
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline && location.hash.includes('/replan')) {
    const s = await api<RunStatus>(`/runs/${workflowId.split('/').map(encodeURIComponent).join('/')}`).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    });
    const planId = s?.live?.planId ?? (s?.run?.detail?.planId as number | undefined);
    if (planId) {
      say('The replan drafted a new plan.', 'ok', h('p', null, h('a', { class: 'button', href: `#/plans/${planId}`, id: 'new-draft' }, `Open the new draft (plan ${planId})`)), h('p', { class: 'small' }, 'Workflow ', link));
      return;
    }
    const ended = s?.temporal && s.temporal.status !== 'RUNNING';
    if (ended) return say(`The replan ended (${s.temporal!.status.toLowerCase()}) without a draft${s.run?.error ? `: ${s.run.error}` : ''}.`, 'error', h('p', null, 'Workflow ', link));
    say(`Replan started; stage: ${s?.live?.stage ?? 'starting'}…`, '', h('p', { class: 'small' }, 'Workflow ', link));
    await new Promise((r) => setTimeout(r, 1500));
  }
}
