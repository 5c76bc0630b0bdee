/**
 * The merchandiser's page in a real browser (Debian's Chromium, headless, driven by
 * playwright-core) against the real stack: Temporal, the three worker pools, Postgres and the
 * API. Signs in from a link, opens the loop's draft, checks the launch curve with its bands,
 * approves, replans before a promotion, opens the new draft and its diff, and checks what a
 * viewer token sees. axe-core runs on every page (no serious or critical violation) and the
 * screenshots of the main pages go to docs/screenshots/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../api/auth/tokens.js';
import { loopStatusQuery } from '../contracts/workflows.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { startLoop } from '../services/workflow-starts.js';
import { freshDatabase, seedSmall, startApi, startStack, waitFor, type Stack } from './helpers.js';

const SCOPE = 'electronics/east';
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
const SHOTS = new URL('../docs/screenshots/', import.meta.url);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

if (!CHROMIUM) console.warn('test/browser.test.ts skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

describe.skipIf(!CHROMIUM)('the plan page in a real browser', () => {
  let stack: Stack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let browser: Browser;
  let page: Page;
  let merchandiser: string;
  let viewer: string;
  let draftId: number;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    const database = await freshDatabase();
    await seedSmall(database);
    stack = await startStack({ namespace: 'll-browser', database });
    api = await startApi(stack);
    const tokens = tokensRepository(database);
    merchandiser = (await createToken(tokens, { name: 'ana (merchandiser)', role: 'merchandiser', createdBy: 'test' })).secret;
    viewer = (await createToken(tokens, { name: 'vic (viewer)', role: 'viewer', createdBy: 'test' })).secret;
    const handle = await startLoop(stack.client, { scopeId: SCOPE, trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour' });
    const status = await waitFor('the loop draft awaiting approval', async () => {
      const s = await handle.query(loopStatusQuery);
      if (s.lastError) throw new Error(s.lastError);
      return s.stage === 'awaiting-approval' ? s : undefined;
    });
    draftId = status.pendingPlanId!;
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await stack?.close();
    await stack?.database.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    const p = await context.newPage();
    // The page must work under the API's CSP ('self' scripts, no inline): any refusal fails the test.
    p.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    p.on('pageerror', (e) => cspViolations.push(`page error: ${e.message}`));
    return p;
  }

  /** Runs `action` (a click, a hash change) and waits for the view it leads to. */
  async function navigate(p: Page, action: () => Promise<unknown>, ready = 'view'): Promise<void> {
    // Page code as strings: this project's TypeScript has no DOM types outside web/.
    await p.evaluate('delete document.body.dataset.ready');
    await action();
    await p.waitForSelector(`body[data-ready="${ready}"]`, { timeout: 60_000 });
  }

  const openHash = (p: Page, hash: string) => navigate(p, () => p.evaluate(`location.hash = ${JSON.stringify(hash)}`));

  /** axe-core on the current page; evaluated through the DevTools protocol, so the page's CSP does not block it. */
  async function accessible(p: Page, what: string): Promise<void> {
    await p.evaluate(AXE);
    const violations = (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([]);
  }

  const shot = (p: Page, name: string, fullPage = true) => p.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage });

  it('signs in from the link: the token goes to sessionStorage and out of the address bar', async () => {
    await page.goto(`${api.url}/#token=${encodeURIComponent(merchandiser)}`);
    await page.waitForSelector('body[data-ready="view"]');
    expect(page.url()).not.toContain(merchandiser);
    expect(page.url()).toMatch(/#\/$/);
    expect(await page.evaluate(`sessionStorage.getItem('launchloop.token')`)).toBe(merchandiser);
    expect(await page.textContent('#who')).toContain('merchandiser');
    expect(await page.textContent('main')).toContain(SCOPE);
    await accessible(page, 'the scopes page');
    await shot(page, 'scopes');
  });

  it('asks to sign in again when the API refuses the token (401)', async () => {
    const other = await newPage();
    await other.goto(`${api.url}/#token=not-a-token`);
    await other.waitForSelector('body[data-ready="signin"]');
    expect(await other.textContent('main')).toMatch(/refused the token/);
    expect(await other.isVisible('input#token')).toBe(true);
    await accessible(other, 'the sign-in prompt');
    await other.context().close();
  });

  it('opens the draft plan with its KPIs, calendar and launches, and an item with its launch curve and bands', async () => {
    await navigate(page, () => page.click(`a[href="#/plans/${draftId}"]`));
    expect(await page.textContent('h1')).toContain(`Plan v1 · ${SCOPE}`);
    expect(await page.getAttribute('.plan', 'data-status')).toBe('draft');
    expect(await page.isVisible('button.approve')).toBe(true);
    const launches = await page.locator('table.items tbody tr').count();
    expect(launches).toBeGreaterThan(0);
    expect(await page.locator('table.calendar a.launch').count()).toBe(launches);
    expect(await page.textContent('#kpis')).toContain('Spend per month vs budget');
    await accessible(page, 'the plan page');
    await shot(page, 'plan');

    await navigate(page, () => page.locator('table.items tbody tr a').first().click());
    const curve = page.locator('figure.curve');
    await curve.locator('canvas').waitFor();
    // mean, 80% low/high, 95% low/high and units sold, the two bands filled between their bounds.
    expect(await curve.getAttribute('data-series')).toBe('6');
    expect(await curve.getAttribute('data-bands')).toBe('2');
    expect(Number(await curve.getAttribute('data-points'))).toBeGreaterThan(4);
    expect(await curve.locator('.u-legend .u-series').count()).toBe(7); // the x series and the six above
    expect(await page.locator('figure.coverage canvas').count()).toBe(1);
    expect(await page.textContent('#rationale')).toMatch(/\w{10,}/);
    await accessible(page, 'the item page');
    await shot(page, 'item');
  });

  it('approves the draft with a comment: the plan is published and the decision recorded', async () => {
    await openHash(page, `#/plans/${draftId}`);
    await page.fill('#decision-note', 'checked with the buying team');
    await navigate(page, () => page.click('button.approve'));
    expect(await page.getAttribute('.plan', 'data-status')).toBe('published');
    expect(await page.textContent('.meta')).toContain('checked with the buying team');
    const [row] = await stack.database.sql<{ status: string; decided_by: string }[]>`select status, decided_by from plans where id = ${draftId}`;
    expect(row).toEqual({ status: 'published', decided_by: 'ana (merchandiser)' });
  });

  it('replans before a promotion: records the promotion, starts one replan with an Idempotency-Key, and shows the new draft with its diff', async () => {
    const [{ start }] = await stack.database.sql<{ start: string }[]>`select (summary->>'startWeek') as start from plans where id = ${draftId}`;
    const monday = (weeks: number) => new Date(Date.parse(`${start}T00:00:00Z`) + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
    await openHash(page, `#/scopes/${SCOPE}/replan`);
    await accessible(page, 'the replan form');
    await page.fill('#promo-name', 'Spring flash sale');
    await page.fill('#promo-start', monday(13));
    await page.fill('#promo-end', monday(14));
    await page.fill('#promo-discount', '25');
    const category = await page.locator('input[name=category]').first().getAttribute('value');
    await page.locator('input[name=category]').first().check();
    await page.fill('#replan-reason', 'sale announced by marketing');
    // A larger budget for this replan only: sent with the replan, not written into the scope's rules.
    const rulesOf = async () => (await fetch(`${api.url}/scopes/${SCOPE}/rules`, { headers: api.auth })).json();
    const rulesBefore = await rulesOf();
    await page.fill('#rule-budget', '5000000');
    await shot(page, 'replan-form');
    await page.click('form.replan button[type=submit]');
    await page.waitForSelector('#new-draft', { timeout: 200_000 });

    const promotions = await stack.database.sql<{ category: string; discount: number; start_week: string }[]>`
      select category, discount, start_week::text from promotions where name = 'Spring flash sale'`;
    expect(promotions).toEqual([{ category, discount: 0.25, start_week: monday(13) }]);
    const replans = await stack.database.sql<{ workflow_id: string }[]>`select workflow_id from idempotency_keys where route = 'replans'`;
    expect(replans).toHaveLength(1);
    expect(replans[0].workflow_id).toMatch(/^replan\/electronics\/east\/page-replan-/);
    expect(await rulesOf()).toEqual(rulesBefore);

    await navigate(page, () => page.click('#new-draft'));
    expect(await page.textContent('h1')).toContain('Plan v2');
    expect(await page.textContent('.meta')).toContain('before promotion Spring flash sale');
    expect(await page.textContent('#rule-overrides')).toMatch(/monthly opening budget (raised|lowered|set) to 5,000,000 for this replan/);
    const [stored] = await stack.database.sql<{ rule_overrides: unknown }[]>`select rule_overrides from plans where run_id = ${replans[0].workflow_id}`;
    expect(stored.rule_overrides).toEqual({ monthlyBudget: 5_000_000 });
    const diff = await page.textContent('#diff');
    expect(diff).toMatch(/Against v1/);
    // The diff's summary line; whether the promotion moved launches depends on the synthetic data.
    expect(diff).toMatch(/Against v1: (no changes|\d+ moved, \d+ added, \d+ dropped, \d+ re-quantified; expected value [+-][\d.]+)\./);
    const changes = await page.locator('#diff tbody tr').count();
    expect(changes === 0 ? /No launch changed/.test(diff!) : changes > 0).toBe(true);
    expect(await page.textContent('#calendar')).toContain('Spring flash sale');
    await accessible(page, 'the new draft');
    await page.locator('#diff').scrollIntoViewIfNeeded();
    await shot(page, 'plan-diff');
    draftId = Number(/plans\/(\d+)/.exec(page.url())![1]);
  });

  it('shows runs with their stage and Temporal UI links, and the model registry', async () => {
    await openHash(page, `#/scopes/${SCOPE}/runs`);
    const links = await page.locator('table a[href*="/namespaces/ll-browser/workflows/"]').count();
    expect(links).toBeGreaterThanOrEqual(3);
    await accessible(page, 'the runs page');
    await shot(page, 'runs');

    await openHash(page, `#/scopes/${SCOPE}/models`);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('table')).toContain('coldstart-lstm');
    expect(await page.textContent('table')).toMatch(/champion|challenger/);
    await accessible(page, 'the model registry');
    await shot(page, 'models');
  });

  it('a viewer sees no approve button, and the API answers its approval with 403', async () => {
    const p = await newPage();
    await p.goto(`${api.url}/#token=${encodeURIComponent(viewer)}`);
    await p.waitForSelector('body[data-ready="view"]');
    await openHash(p, `#/plans/${draftId}`);
    expect(await p.getAttribute('.plan', 'data-status')).toBe('draft');
    expect(await p.locator('button.approve').count()).toBe(0);
    expect(await p.locator('button.reject').count()).toBe(0);
    expect(await p.textContent('#decision')).toContain('viewer');
    const answer = (await p.evaluate(`fetch('/plans/${draftId}/approve', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem('launchloop.token') },
        body: '{}',
      }).then(async (res) => ({ status: res.status, body: await res.json() }))`)) as { status: number; body: { error?: { code: string } } };
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toMatch(/^auth\./);
    await accessible(p, 'the plan page of a viewer');
    await shot(p, 'plan-viewer', false);
    await p.context().close();
    const [row] = await stack.database.sql<{ status: string }[]>`select status from plans where id = ${draftId}`;
    expect(row.status).toBe('draft');
  });

  it('a draft overtaken by a newer publish says so, offers the rebase, and its approval is refused with 409 plans.stale', async () => {
    // A second replan drafted on top of v1, then the first replan's draft (v2) published.
    const res = await fetch(`${api.url}/scopes/${SCOPE}/replans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': 'browser-stale-draft', ...api.auth },
      body: JSON.stringify({ reason: 'a second look at the spring sale', requestedBy: 'test' }),
    });
    expect(res.status).toBe(202);
    const { workflowId } = (await res.json()) as { workflowId: string };
    const later = await waitFor('the second replan draft', async () => {
      const [row] = await stack.database.sql<{ id: number }[]>`select id from plans where run_id = ${workflowId} and status = 'draft'`;
      return row?.id;
    });
    const approve = await fetch(`${api.url}/plans/${draftId}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', ...api.auth }, body: '{}' });
    expect(approve.status).toBe(200);

    await openHash(page, `#/plans/${later}`);
    const notice = await page.textContent('#decision .notice.warn');
    expect(notice).toMatch(/is published now: approving it will be refused/);
    expect(await page.getAttribute('#decision .notice.warn a', 'href')).toBe(`#/scopes/${SCOPE}/replan`);
    await page.click('button.approve');
    await page.waitForSelector('#decision .status.error');
    expect(await page.textContent('#decision .status')).toMatch(/now published/);
    await accessible(page, 'a stale draft');
    await shot(page, 'plan-stale', false);
    const [row] = await stack.database.sql<{ status: string }[]>`select status from plans where id = ${later}`;
    expect(row.status).toBe('draft');
  });

  it('refuses a promotion with weeks that are not Mondays, an end before its start or a category outside the scope, and adds a repeated one once', async () => {
    const post = (body: unknown) =>
      fetch(`${api.url}/scopes/${SCOPE}/promotions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${merchandiser}` }, body: JSON.stringify(body) });
    const ok = { name: 'Autumn days', startWeek: '2027-09-06', endWeek: '2027-09-13', discount: 0.1, categories: ['phones'] };
    const refusals = await Promise.all([
      post({ ...ok, startWeek: '2027-09-07' }),
      post({ ...ok, endWeek: '2027-08-30' }),
      post({ ...ok, categories: ['garden'] }),
      post({ ...ok, discount: 1.5 }),
    ]);
    const answers = await Promise.all(refusals.map(async (r) => ({ status: r.status, message: ((await r.json()) as { error: { message: string } }).error.message })));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    expect(answers[0].message).toMatch(/startWeek: must be a Monday/);
    expect(answers[1].message).toMatch(/endWeek must not be before startWeek/);
    expect(answers[2].message).toMatch(/categories outside electronics\/east: garden/);
    expect(answers[3].message).toMatch(/discount/);
    const first = (await (await post(ok)).json()) as { promotions: Array<{ id: number }> };
    const again = (await (await post(ok)).json()) as { promotions: Array<{ id: number }> };
    expect(again.promotions.map((p) => p.id)).toEqual(first.promotions.map((p) => p.id));
    const viewerTry = await fetch(`${api.url}/scopes/${SCOPE}/promotions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}` }, body: JSON.stringify(ok) });
    expect(viewerTry.status).toBe(403);
  });

  it('kept to the Content-Security-Policy on every page', () => {
    expect(cspViolations).toEqual([]);
  });
});
