import { createApp } from '../../api/app.js';
import { apiHost, listen, listeningUrl } from '../../api/auth/listen.js';
import { createToken } from '../../api/auth/tokens.js';
import { workflowIds } from '../../contracts/ids.js';
import { loopStatusQuery, replanRequestedSignal, type LoopStatus } from '../../contracts/workflows.js';
import { connect, migrateDatabase, type Database } from '../../db/client.js';
import { catalogueRepository } from '../../db/repositories/catalogue.repository.js';
import { plansRepository } from '../../db/repositories/plans.repository.js';
import { scopesRepository } from '../../db/repositories/scopes.repository.js';
import { tokensRepository } from '../../db/repositories/tokens.repository.js';
import { loadMarketplace } from '../../data/load.js';
import { generateMarketplace } from '../../data/synthetic/index.js';
import { loadConfig } from '../../services/config.js';
import { logger } from '../../services/logger.js';
import { startLocalStack } from '../../services/stack.js';
import { connectClient } from '../../services/temporal-client.js';
import { startLoop } from '../../services/workflow-starts.js';
import { startWorkers } from '../../workers/runtime.js';
import { parseFlags, UsageError } from '../args.js';
import { formatPlan } from '../format-plan.js';
import { waitForInterrupt } from './lifecycle.js';

const DEFAULT_SCOPE = 'electronics/east';
/** The demo's sign-in token; each start revokes the previous one's and prints a new link. */
const DEMO_TOKEN_NAME = 'demo merchandiser';

async function seedIfEmpty(database: Database, scopeId: string): Promise<void> {
  if (await scopesRepository(database).exists(scopeId)) {
    console.log(`• data: scope ${scopeId} already seeded (state in .state/; delete it to start over)`);
    return;
  }
  const t0 = performance.now();
  const marketplace = generateMarketplace({ seed: 1 });
  const { inserted } = await loadMarketplace(database, marketplace, { replace: true });
  console.log(
    `• data: seeded the synthetic marketplace in ${Math.round(performance.now() - t0)} ms ` +
      `(${inserted.products ?? 0} products, ${inserted.sales ?? 0} sales rows, ${inserted.candidates ?? 0} candidates)`,
  );
}

export const help = `usage: launchloop demo [--exit] [--scope S]

Starts everything on embedded defaults (Postgres, the Temporal dev server, all worker pools and
the API), seeds the synthetic marketplace if needed, runs one full loop for scope S (default
${DEFAULT_SCOPE}) and prints the plan it proposes with a sign-in link to the page (a new admin token
named "demo merchandiser" each start; the previous one is revoked); then serves until Ctrl-C.
  --exit    stop after the first plan instead of serving`;

/**
 * The whole system on embedded defaults — Postgres,
 * the Temporal dev server, all three worker pools and the API in one process — then one full
 * loop for one scope, printing the plan it proposes.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { exit: { type: 'boolean' }, scope: { type: 'string' } });
  const scopeId = values.scope ?? DEFAULT_SCOPE;
  const config = loadConfig();
  // The demo prints each stage and its last error itself; retries are logged only on request.
  process.env.TEMPORAL_LOG_LEVEL ??= 'ERROR';
  console.log('launchloop demo: starting the local stack…');
  const stack = await startLocalStack(config, (l) => console.log(`• ${l}`));
  const database = connect(stack.databaseUrl);
  let stopped = false;
  const cleanups: Array<() => Promise<unknown>> = [() => stack.stop(), () => database.close()];
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    await migrateDatabase(database);
    await seedIfEmpty(database, scopeId);
    if (!(await scopesRepository(database).exists(scopeId))) throw new UsageError(`scope ${scopeId} does not exist (the seed has electronics/east|west|north|south)`);

    const workers = await startWorkers({ queues: ['workflows', 'cpu', 'gpu'], address: stack.temporalAddress, config, database, logger: logger.child({}, { level: 'warn' }) });
    cleanups.push(() => workers.shutdown());
    console.log(`• workers: workflows, cpu (${config.threads} threads), gpu (tfjs backend: ${workers.backend?.name}, LSTM kernel: ${workers.backend?.lstmKernel.name})`);
    const client = await connectClient(stack.temporalAddress, config.temporalNamespace);
    cleanups.push(() => client.connection.close());
    const server = await listen(createApp({ database, client, logger }), config.apiPort, apiHost());
    cleanups.push(() => new Promise((r) => server.close(r)));
    const listening = listeningUrl(server);
    const api = `http://127.0.0.1:${config.apiPort}`;
    // An admin token (so the demo user may also approve, replan and manage tokens) under a
    // merchandiser's name, which is what the decisions it makes are recorded under.
    const tokens = tokensRepository(database);
    await tokens.revokeByName(DEMO_TOKEN_NAME);
    const { secret } = await createToken(tokens, { name: DEMO_TOKEN_NAME, role: 'admin', createdBy: 'launchloop demo' });

    const handle = await startLoop(client, { scopeId, trigger: 'demo' });
    console.log(`• loop: ${handle.workflowId} (retrain → forecast → plan → approval)`);
    const status = await waitForPlan(handle, (s) => console.log(`  … ${s.stage}${s.lastError ? ` (last error: ${s.lastError})` : ''}`));
    const plans = plansRepository(database);
    const planId = status.pendingPlanId ?? status.publishedPlanId ?? (await plans.latestPublished(scopeId));
    if (!planId) throw new Error(`the loop produced no plan: ${status.lastError ?? 'unknown error'} (see the Temporal UI)`);
    const plan = await plans.get(planId);
    const names = new Map(
      (await catalogueRepository(database).candidateNames(scopeId)).map((r) => [r.id, r.name]),
    );
    console.log('');
    console.log(formatPlan({ ...plan!, items: plan!.items.map((i) => ({ ...i, name: names.get(i.candidateId) })) }));
    console.log('');
    if (stack.temporalUiUrl) console.log(`Temporal UI: ${stack.temporalUiUrl}/namespaces/${config.temporalNamespace}/workflows/${encodeURIComponent(handle.workflowId)}`);
    console.log(`Sign in:     ${api}/#token=${secret}`);
    console.log(`API:         ${listening}  (token "${DEMO_TOKEN_NAME}", admin; e.g. curl -H 'Authorization: Bearer ${secret}' ${api}/plans/${planId})`);
    console.log(`CLI:         LAUNCHLOOP_TOKEN=${secret} npm run launchloop -- plans show ${planId}`);
    if (plan!.status === 'draft')
      console.log(`Approve:     curl -X POST ${api}/plans/${planId}/approve -H 'Authorization: Bearer ${secret}' -H 'content-type: application/json' -d '{"note":"ok"}'`);
    if (status.lastError) console.log(`Last error:  ${status.lastError}`);
    if (values.exit) return;
    console.log('Serving until Ctrl-C.');
    await waitForInterrupt();
  } finally {
    await stop();
  }
}

/** Follows the loop's stages until a plan awaits approval (or is published). */
async function waitForPlan(
  handle: { query: (q: typeof loopStatusQuery) => Promise<LoopStatus>; signal: (s: typeof replanRequestedSignal, a: { reason: string; requestedBy: string }) => Promise<void> },
  onStage: (s: LoopStatus) => void,
): Promise<LoopStatus> {
  let last = '';
  let nudged = false;
  let movedAfterNudge = false;
  const deadline = Date.now() + 30 * 60_000;
  while (Date.now() < deadline) {
    const s = await handle.query(loopStatusQuery).catch(() => undefined);
    if (s) {
      if (nudged && s.stage !== 'monitoring') movedAfterNudge = true;
      if (s.stage !== last) {
        last = s.stage;
        onStage(s);
      }
      if (s.stage === 'awaiting-approval' && s.pendingPlanId) return s;
      if (s.stage === 'monitoring' && s.lastError && !s.publishedPlanId && !nudged) {
        // A loop left over from an earlier demo whose cycle failed: ask it to plan again now.
        nudged = true;
        await handle.signal(replanRequestedSignal, { reason: 'demo restarted after a failed cycle', requestedBy: 'demo' });
      } else if ((s.stage === 'monitoring' || s.stage === 'done') && (s.publishedPlanId || (s.lastError && movedAfterNudge))) return s;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no plan within 30 minutes; see ${workflowIds.loop('…')} in the Temporal UI`);
}
