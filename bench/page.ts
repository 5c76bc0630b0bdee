/**
 * Render time of the plan page: `npm run bench:page [-- --items N --runs R --json FILE]`.
 *
 * Starts a fresh embedded Postgres and a Temporal dev server (free ports, temp folder), stores a
 * plan of N items (default 1,000; bench/plan-fixture.ts: a 13-week launch curve per item, the
 * launches over 26 weeks) and, as the baseline measured in the same run, a plan of 10 items in a
 * second database, serves each through the API on loopback and opens `/#/plans/{id}` in
 * headless Chromium (playwright-core) R times per plan: a full page load each time (HTML, the
 * bundled script, /auth/me, the plan, its KPIs and calendar, the published plan) until the page
 * sets its ready marker (`body[data-ready="view"]`) after rendering the KPIs, the calendar and
 * the table of every launch. Prints the median and worst time per plan, the ratio of the
 * median to the 1 s target of issue 14, and the ratio to the baseline.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../api/app.js';
import { createToken } from '../api/auth/tokens.js';
import { connect, migrateDatabase } from '../db/client.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { logger } from '../services/logger.js';
import { freePort } from '../services/ports.js';
import { startEmbeddedPostgres } from '../services/postgres.js';
import { connectClient } from '../services/temporal-client.js';
import { startTemporalDevServer } from '../services/temporal-server.js';
import { seedPlan } from './plan-fixture.js';

const TARGET_MS = 1000;
const BASELINE_ITEMS = 10;

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '7' },
    json: { type: 'string' },
    /** Also print when each request of the last load started and how long it took. */
    verbose: { type: 'boolean', default: false },
  },
});

const positiveInt = (name: string, raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${raw}"`);
  return n;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Milliseconds from navigation start to the page's ready marker, one full page load per run. */
async function measure(browser: Browser, base: string, token: string, planId: number, items: number, runs: number): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  // Sign in once (the token lives in sessionStorage for the tab), and warm the API and the bundle.
  await page.goto(`${base}/#token=${encodeURIComponent(token)}`);
  await page.waitForSelector('body[data-ready="view"]');
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    await page.goto('about:blank');
    const started = performance.now();
    await page.goto(`${base}/#/plans/${planId}`);
    await page.waitForSelector('body[data-ready="view"]', { timeout: 60_000 });
    const elapsed = performance.now() - started;
    const rows = await page.locator('table.items tbody tr').count();
    if (rows !== items) throw new Error(`the page of plan ${planId} shows ${rows} launches, expected ${items}: ${await page.textContent('main')}`);
    // The first load fills caches (the plan view, the JIT): reported apart from the runs.
    if (r > 0) times.push(elapsed);
    if (r === runs && values.verbose) {
      const entries = (await page.evaluate(`performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.duration)])`)) as Array<[string, number, number]>;
      console.log(`  ${items} items, last load: ${entries.map(([n, at, d]) => `${n} at ${at} ms took ${d} ms`).join('; ')}`);
      const marks = (await page.evaluate(`performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])`)) as Array<[string, number]>;
      console.log(`  ${items} items, page marks (ms since navigation): ${marks.map(([n, t]) => `${n} ${t}`).join(', ')}`);
    }
  }
  await context.close();
  return times;
}

async function main(): Promise<void> {
  const items = positiveInt('items', values.items);
  const runs = positiveInt('runs', values.runs);
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
  if (!executablePath) throw new Error('bench:page needs Chromium: apt-get install chromium, or set CHROMIUM_PATH');
  const dir = mkdtempSync(join(tmpdir(), 'launchloop-bench-page-'));
  const pg = await startEmbeddedPostgres({ port: await freePort(), dir: join(dir, 'pg') });
  let temporal: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined;
  let browser: Browser | undefined;
  const closers: Array<() => Promise<unknown>> = [];
  try {
    temporal = await startTemporalDevServer({ port: await freePort(), uiPort: await freePort(), dbFile: join(dir, 'temporal.db'), headless: true });
    const client = await connectClient(temporal.address, 'default');
    closers.push(() => client.connection.close());
    browser = await chromium.launch({ executablePath });

    const serve = async (name: string, size: number) => {
      const database = connect(await pg.createDatabase(name));
      closers.push(() => database.close());
      await migrateDatabase(database);
      const { planId } = await seedPlan(database, { items: size, status: 'draft' });
      const { secret } = await createToken(tokensRepository(database), { name: 'bench:page', role: 'merchandiser', createdBy: 'bench/page.ts' });
      const server = createApp({ database, client, logger: logger.child({}, { level: 'warn' }) }).listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      closers.push(() => new Promise((r) => server.close(r)));
      return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, planId, token: secret };
    };
    const big = await serve('bench_page_big', items);
    const small = await serve('bench_page_small', BASELINE_ITEMS);

    const baseline = await measure(browser, small.base, small.token, small.planId, BASELINE_ITEMS, runs);
    const plan = await measure(browser, big.base, big.token, big.planId, items, runs);
    const line = (what: string, xs: number[]) => `${what.padEnd(30)} median ${median(xs).toFixed(0).padStart(5)} ms   worst ${Math.max(...xs).toFixed(0).padStart(5)} ms`;
    console.log(`bench:page: time to the plan page's ready marker in headless Chromium ${browser.version()}, ${runs} full loads each, loopback (${cpus().length} cores, load average ${loadavg()[0].toFixed(2)})`);
    console.log(line(`plan of ${items} items`, plan));
    console.log(line(`baseline: plan of ${BASELINE_ITEMS} items`, baseline));
    console.log(`median / ${TARGET_MS} ms target: ${(median(plan) / TARGET_MS).toFixed(2)} (${median(plan) < TARGET_MS ? 'met' : 'not met'}); vs the ${BASELINE_ITEMS}-item baseline: ${(median(plan) / median(baseline)).toFixed(2)}×`);
    if (values.json) writeFileSync(values.json, JSON.stringify({ items, runs, medianMs: median(plan), worstMs: Math.max(...plan), baselineMedianMs: median(baseline), targetMs: TARGET_MS }, null, 2) + '\n');
  } finally {
    await browser?.close();
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await temporal?.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
