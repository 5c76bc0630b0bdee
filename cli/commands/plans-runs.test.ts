import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api-client.js';
import { run as plans } from './plans.js';
import { run as runs } from './runs.js';

/** What the fake API saw and what it answers: method + path → [status, body]. */
const seen: Array<{ method: string; url: string; body: unknown; contentType?: string }> = [];
let answers: Record<string, [number, unknown]> = {};
let server: Server;
let api: string;

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => resolve(text));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const text = await readBody(req);
    seen.push({ method: req.method!, url: req.url!, body: text ? JSON.parse(text) : undefined, contentType: req.headers['content-type'] });
    const [status, body] = answers[`${req.method} ${req.url}`] ?? [404, { error: { code: 'route.not_found', message: `no route ${req.method} ${req.url}` } }];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
afterEach(() => {
  seen.length = 0;
  answers = {};
  vi.restoreAllMocks();
});

/** Runs a command and returns what it printed on stdout. */
async function output(cmd: (args: string[]) => Promise<void>, args: string[]): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((t: unknown) => void lines.push(String(t)));
  await cmd([...args, '--api', api]);
  return lines.join('\n');
}

const PLAN_ROWS = [
  { id: 7, scopeId: 'electronics/east', version: 3, status: 'draft', method: 'milp', objective: 123456.4, gap: 0.001, parentPlanId: 5, runId: 'loop/electronics/east', createdAt: '2026-12-01T10:20:30.000Z', decidedBy: null },
  { id: 5, scopeId: 'electronics/east', version: 2, status: 'published', method: 'greedy', objective: 99000, gap: null, parentPlanId: null, runId: 'loop/electronics/east', createdAt: '2026-11-20T08:00:00.000Z', decidedBy: 'ana' },
];

const PLAN = {
  ...PLAN_ROWS[0],
  summary: { notLaunched: [{ candidateId: 'C9', reason: 'negative margin' }] },
  diff: null,
  decisionNote: null,
  decidedAt: null,
  items: [
    { candidateId: 'C2', name: 'Phone stand', category: 'ACC', launchWeek: '2027-01-11', openingQty: 40, expectedUnits: { mean: 35.2, lo: 20, hi: 40, level: 80 }, expectedNetMargin: 300, fixed: false, rationale: ['before the January promotion'] },
    { candidateId: 'C1', name: 'USB-C hub', category: 'ACC', launchWeek: '2027-01-04', openingQty: 120, expectedUnits: { mean: 101.6, lo: 80, hi: 120, level: 80 }, expectedNetMargin: 900, fixed: false, rationale: ['strong like-items'] },
  ],
};

describe('launchloop plans', () => {
  it('lists plans as a table, passing --scope and --status as query parameters', async () => {
    answers['GET /plans?scope=electronics%2Feast&status=draft'] = [200, { items: PLAN_ROWS, nextCursor: null }];
    const text = await output(plans, ['list', '--scope', 'electronics/east', '--status', 'draft']);
    const [head, first, second] = text.split('\n');
    expect(head).toMatch(/^id\s+scope\s+version\s+status\s+method\s+net margin\s+parent\s+created\s+decided by$/);
    expect(first).toMatch(/^ 7\s+electronics\/east\s+v3\s+draft\s+milp\s+123,456\s+5\s+2026-12-01 10:20$/);
    expect(second).toMatch(/^ 5\s+electronics\/east\s+v2\s+published\s+greedy\s+99,000\s+2026-11-20 08:00\s+ana$/);
  });

  it('prints the API answer itself with --json', async () => {
    answers['GET /plans'] = [200, { items: PLAN_ROWS, nextCursor: null }];
    expect(JSON.parse(await output(plans, ['list', '--json']))).toEqual({ items: PLAN_ROWS, nextCursor: null });
    answers['GET /plans/7'] = [200, PLAN];
    expect(JSON.parse(await output(plans, ['show', '7', '--json']))).toEqual(PLAN);
  });

  it('shows one page with the command for the next, or follows every cursor with --all', async () => {
    answers['GET /plans?status=draft&limit=1'] = [200, { items: [PLAN_ROWS[0]], nextCursor: 'c1' }];
    const text = await output(plans, ['list', '--status', 'draft', '--limit', '1']);
    expect(text.split('\n')).toHaveLength(3);
    expect(text.split('\n')[2]).toBe('more… next page: launchloop plans list --status draft --limit 1 --cursor c1 (or --all)');
    answers['GET /plans?limit=200'] = [200, { items: [PLAN_ROWS[0]], nextCursor: 'c1' }];
    answers['GET /plans?limit=200&cursor=c1'] = [200, { items: [PLAN_ROWS[1]], nextCursor: null }];
    expect(JSON.parse(await output(plans, ['list', '--all', '--json']))).toEqual({ items: PLAN_ROWS, nextCursor: null });
    answers['GET /runs?cursor=r2'] = [200, { items: [], nextCursor: null }];
    expect(await output(runs, ['list', '--cursor', 'r2'])).toBe('no runs');
    await expect(plans(['list', '--limit', '500', '--api', api])).rejects.toThrow(/--limit is at most 200/);
  });

  it('shows one plan with its launches in week order, intervals and reasons', async () => {
    answers['GET /plans/7'] = [200, PLAN];
    const lines = (await output(plans, ['show', '7'])).split('\n');
    expect(lines[0]).toBe('Plan 7 — electronics/east v3 [draft], 2 launches, expected net margin 123,456 (milp, gap 0.10%)');
    expect(lines[2]).toMatch(/^ {2}2027-01-04 {2}USB-C hub\s+120 {2}102 \(80–120\)\s+strong like-items$/);
    expect(lines[3]).toMatch(/^ {2}2027-01-11 {2}Phone stand\s+40 {2}35 \(20–40\)\s+before the January promotion$/);
    expect(lines).toContain('  not launched: 1 candidates (e.g. C9: negative margin)');
    expect(lines).toContain('  revises plan 5');
    expect(lines.some((l) => l.includes('rule overrides') || l.includes('audiences:'))).toBe(false);
  });

  it("names a plan's one-off rule overrides and its launches' audiences", async () => {
    const audience = (expectedBuyers: number) => ({ size: 500, expectedBuyers, topSegments: [{ key: 'loyal', share: 0.4 }] });
    answers['GET /plans/7'] = [
      200,
      {
        ...PLAN,
        summary: { ...PLAN.summary, overrideNotes: ['monthly opening budget raised to 120,000 for this replan (scope rule: 100,000)'] },
        items: [{ ...PLAN.items[0], audience: audience(1200.4) }, { ...PLAN.items[1], audience: null }],
      },
    ];
    const lines = (await output(plans, ['show', '7'])).split('\n');
    expect(lines).toContain('  rule overrides for this plan only: monthly opening budget raised to 120,000 for this replan (scope rule: 100,000)');
    expect(lines).toContain('  audiences: 1 of 2 launches, 1,200 expected buyers among existing customers (GET /plans/7/items/{candidate}/audience for the ranked customers)');
  });

  it('approves and rejects with {by, note} as JSON and reports the new status', async () => {
    answers['POST /plans/7/approve'] = [200, { planId: 7, status: 'published', workflowId: 'loop/electronics/east' }];
    expect(await output(plans, ['approve', '7', '--by', 'ana', '--note', 'ok for January'])).toBe('plan 7 published (by ana; workflow loop/electronics/east)');
    expect(seen[0]).toMatchObject({ method: 'POST', body: { by: 'ana', note: 'ok for January' }, contentType: 'application/json' });
    answers['POST /plans/7/reject'] = [200, { planId: 7, status: 'rejected', workflowId: 'loop/electronics/east' }];
    await output(plans, ['reject', '7']);
    // Without --by the decision carries the OS user's name, and no note key at all.
    expect(seen[1].body).toEqual({ by: expect.stringMatching(/\S/) });
  });

  it("turns an error answer into one line with the API's code and message", async () => {
    answers['POST /plans/4/approve'] = [409, { error: { code: 'plans.stale', message: 'plan 4 does not revise the published plan 6; replan on top of it' } }];
    const err = await plans(['approve', '4', '--by', 'ana', '--api', api]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as Error).message).toBe('plans.stale: plan 4 does not revise the published plan 6; replan on top of it (HTTP 409)');
    await expect(plans(['show', '99', '--api', api])).rejects.toThrow(/^route\.not_found: no route GET \/plans\/99 \(HTTP 404\)$/);
  });

  it('checks the plan id and the subcommand before calling the API', async () => {
    await expect(plans(['show', '0x1', '--api', api])).rejects.toThrow(/plan id must be a positive integer, got "0x1"/);
    await expect(plans(['approve', '--api', api])).rejects.toThrow(/plans approve needs a plan id/);
    await expect(plans(['publish', '7'])).rejects.toThrow(/unknown plans subcommand "publish"/);
    expect(seen).toHaveLength(0);
  });
});

describe('launchloop runs', () => {
  const RUN = { workflowId: 'replan/electronics/east/promo-618', scopeId: 'electronics/east', kind: 'replan', trigger: 'cli', status: 'running', detail: {}, error: null, startedAt: '2026-12-01T10:20:30.123Z', finishedAt: null };

  it('lists runs as a table and as the API JSON', async () => {
    answers['GET /runs?scope=electronics%2Feast'] = [200, { items: [RUN], nextCursor: null }];
    const [head, row] = (await output(runs, ['list', '--scope', 'electronics/east'])).split('\n');
    expect(head).toMatch(/^workflow\s+scope\s+kind\s+trigger\s+status\s+started\s+finished\s+error$/);
    expect(row).toMatch(/^replan\/electronics\/east\/promo-618\s+electronics\/east\s+replan\s+cli\s+running\s+2026-12-01 10:20:30$/);
    expect(JSON.parse(await output(runs, ['list', '--scope', 'electronics/east', '--json']))).toEqual({ items: [RUN], nextCursor: null });
  });

  it('shows one run by its workflow id, slashes kept as path segments', async () => {
    const detail = {
      workflowId: RUN.workflowId,
      run: RUN,
      temporal: { status: 'RUNNING', type: 'replanWorkflow', pendingActivities: [{ activityType: 'trainColdStartModel', attempt: 2, lastFailure: 'worker lost', heartbeat: { epoch: 3 } }] },
      live: { stage: 'retraining', iteration: 1, lastError: 'gpu queue busy' },
    };
    answers['GET /runs/replan/electronics/east/promo-618'] = [200, detail];
    const text = await output(runs, ['show', RUN.workflowId]);
    expect(text.split('\n')).toEqual([
      'Run replan/electronics/east/promo-618',
      '  scope electronics/east, replan (cli), running; started 2026-12-01 10:20:30',
      '  Temporal: RUNNING (replanWorkflow)',
      '  stage: retraining (iteration 1)',
      '  last error: gpu queue busy',
      '  activity trainColdStartModel attempt 2, last failure: worker lost, heartbeat {"epoch":3}',
    ]);
    expect(JSON.parse(await output(runs, ['show', RUN.workflowId, '--json']))).toEqual(detail);
  });

  it('says in one line that the API cannot be reached', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const err = (await runs(['list', '--api', `http://127.0.0.1:${port}`]).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`cannot reach the API at http://127.0.0.1:${port} (ECONNREFUSED); start it with \`launchloop api\` or pass --api URL`);
    await expect(runs(['list', '--api', 'not a url'])).rejects.toThrow(/--api must be a URL/);
  });

  it('maps an error answer of runs show', async () => {
    answers['GET /runs/loop/nowhere/x'] = [404, { error: { code: 'runs.not_found', message: 'run loop/nowhere/x does not exist' } }];
    await expect(runs(['show', 'loop/nowhere/x', '--api', api])).rejects.toThrow(/^runs\.not_found: run loop\/nowhere\/x does not exist \(HTTP 404\)$/);
  });
});
