import { Context } from '@temporalio/activity';
import { formatZodIssues, scopeRulesSchema, type ScopeRules } from '../contracts/scope-rules.js';
import type { AdjustSummary } from '../contracts/workflows.js';
import type { Database } from '../db/client.js';
import { adjustInputsRepository, type UpdatedCurveRow } from '../db/repositories/adjust-inputs.repository.js';
import { plansRepository } from '../db/repositories/plans.repository.js';
import { purchaseOrdersRepository, type NewPurchaseOrder } from '../db/repositories/purchase-orders.repository.js';
import { scopeDataRepository } from '../db/repositories/scope-data.repository.js';
import { scopesRepository } from '../db/repositories/scopes.repository.js';
import { addWeeks, isMonday, weeksBetween } from '../engine/calendar/index.js';
import { adjustLaunchedItem, reviewRationale, type AdjustPolicy } from '../engine/replenishment/index.js';
import { DEFAULT_POLICY_CONFIG, closedLoopCurveUpdate } from '../engine/simulation/index.js';
import { failures } from './errors.js';
import type { CpuActivities, RepositoryPort } from './types.js';

type Repo<F extends (...args: never[]) => unknown, K extends keyof ReturnType<F>> = RepositoryPort<ReturnType<F>, K>;

/** What the adjust activity reads and writes; tests pass fakes, the CPU worker the real ones. */
export interface AdjustActivityDeps {
  scopes: Repo<typeof scopesRepository, 'get'>;
  scopeData: Repo<typeof scopeDataRepository, 'markLaunchedCandidates'>;
  plans: Repo<typeof plansRepository, 'latestPublished'>;
  inputs: Repo<typeof adjustInputsRepository, 'launchedItems' | 'launchCurves' | 'sales' | 'previousSignals' | 'storeUpdatedCurves'>;
  orders: Repo<typeof purchaseOrdersRepository, 'propose' | 'openForItems'>;
}

export function adjustActivityDeps(database: Database): AdjustActivityDeps {
  return {
    scopes: scopesRepository(database),
    scopeData: scopeDataRepository(database),
    plans: plansRepository(database),
    inputs: adjustInputsRepository(database),
    orders: purchaseOrdersRepository(database),
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
const fmt = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(1);

/**
 * The (R, S) policy the adjust stage reviews a stored curve with under the scope's rules; its
 * weeklyCorrelation is the rules' rho, or under 'auto' the curve's own errorCorrelation (1 where
 * it has none). bench:curve-update measures the stage's update through this same function.
 */
export function adjustPolicyOf(rules: ScopeRules, errorCorrelation: number | null | undefined): AdjustPolicy {
  const r = rules.replenishment;
  return {
    serviceLevel: r.serviceLevel,
    reviewWeeks: r.reviewPeriodWeeks,
    casePack: r.casePack,
    ...(r.leadTimeWeeks !== undefined ? { leadTimeWeeks: r.leadTimeWeeks } : {}),
    weeklyCorrelation: typeof rules.demandUncertainty.weeklyCorrelation === 'number' ? rules.demandUncertainty.weeklyCorrelation : (errorCorrelation ?? 1),
    distribution: rules.demandUncertainty.distribution,
    seasonEndCap: DEFAULT_POLICY_CONFIG.seasonEndNewsvendor,
    moqBatchHurdle: r.moqBatchHurdle,
    curveSpreadScale: r.curveSpreadScale,
  };
}

/**
 * The adjust stage for one sales batch, with the closed-loop simulation's engine code
 * (engine/simulation `closedLoopCurveUpdate`, engine/replenishment `reviewLaunchedItem`, the
 * scope's replenishment rules whose defaults are the simulation's closed-loop settings): each
 * launched item's launch curve is updated from the weeks it has sold (sold-out weeks censored),
 * its tracking signal measured, and its (R, S) policy proposes the reorder of the week after the
 * batch. Stock is the opening quantity plus orders arrived minus sales; orders not yet arrived
 * are on order.
 */
export function createAdjustActivities({ scopes, scopeData, plans, inputs, orders }: AdjustActivityDeps): Pick<CpuActivities, 'adjustLaunchedItems'> {
  return {
    async adjustLaunchedItems({ scopeId, throughWeek, runId }) {
      const ctx = Context.current();
      if (!isMonday(throughWeek)) throw failures.invalidData(`sales feedback week ${throughWeek} is not a Monday (weeks are named by their Monday)`);
      const scope = await scopes.get(scopeId);
      if (!scope) throw failures.notFound(`scope ${scopeId} does not exist`);
      const parsed = scopeRulesSchema.safeParse(scope.rules ?? {});
      if (!parsed.success) throw failures.invalidData(`scope ${scopeId} has invalid planning rules: ${formatZodIssues(parsed.error).join('; ')}`);
      const rules = parsed.data;
      const orderWeek = addWeeks(throughWeek, 1);

      // Items that started selling in this batch become launched (replans keep them fixed).
      await scopeData.markLaunchedCandidates(scope);
      const launched = (await inputs.launchedItems(scopeId)).filter((c) => c.launchedWeek <= throughWeek);
      const ids = launched.map((c) => c.id);
      const [curves, sales, open, planId, previous] = await Promise.all([
        inputs.launchCurves(scopeId, ids),
        inputs.sales(scope.region, ids, throughWeek),
        orders.openForItems(ids),
        plans.latestPublished(scopeId),
        inputs.previousSignals(scopeId, ids, orderWeek),
      ]);
      const previousSignal = new Map(previous.map((p) => [p.candidateId, p.signal]));
      const curveOf = new Map(curves.map((c) => [c.candidateId, c]));
      const salesOf = groupBy(sales, (s) => s.sku);
      const ordersOf = groupBy(open, (o) => o.candidateId);

      const proposed: NewPurchaseOrder[] = [];
      const updated: UpdatedCurveRow[] = [];
      const signals: Array<{ id: string; signal: number }> = [];
      for (const [i, c] of launched.entries()) {
        if (i % 200 === 0) ctx.heartbeat({ items: i, of: launched.length });
        const stored = curveOf.get(c.id);
        if (!stored || stored.mean.length === 0) {
          ctx.log.warn('adjust: launched item has no launch curve; skipped', { candidateId: c.id });
          continue;
        }
        const observed = weeksBetween(c.launchedWeek, throughWeek) + 1;
        // Its season ended before this batch: nothing left to reorder or to learn from for this plan.
        if (observed > stored.mean.length) continue;
        const units = new Array<number>(observed).fill(0);
        const censored = new Array<boolean>(observed).fill(false);
        let sold = 0;
        for (const s of salesOf.get(c.id) ?? []) {
          const h = weeksBetween(c.launchedWeek, s.week);
          if (h < 0 || h >= observed) continue;
          units[h] = Math.max(0, s.units);
          censored[h] = s.stockout;
          sold += units[h];
        }
        // Only orders placed before this review count, so re-running a batch computes the same order.
        let arrived = 0;
        let onOrder = 0;
        for (const o of ordersOf.get(c.id) ?? []) {
          if (o.orderWeek >= orderWeek) continue;
          if (o.arrivalWeek <= orderWeek) arrived += o.quantity;
          else onOrder += o.quantity;
        }
        const policy = adjustPolicyOf(rules, stored.errorCorrelation);
        const onHand = Math.max(0, (c.committedQty ?? 0) + arrived - sold);
        const { review, params, points } = adjustLaunchedItem({
          curve: stored,
          units,
          censored,
          onHand,
          onOrder,
          item: c,
          policy,
          updateCurve: closedLoopCurveUpdate(policy.weeklyCorrelation),
        });
        signals.push({ id: c.id, signal: review.tracking.signal });
        updated.push({
          candidateId: c.id,
          params: { launchWeek: c.launchedWeek, observedWeeks: review.reviewWeek, level: review.level, trackingSignal: review.tracking.signal, priorSetId: stored.setId },
          points,
        });
        const qty = review.decision.qty;
        if (qty <= 0) continue;
        proposed.push({
          scopeId,
          candidateId: c.id,
          planId,
          orderWeek,
          arrivalWeek: addWeeks(orderWeek, params.leadTimeWeeks),
          quantity: qty,
          // Value at cost against the scope's limit: above it, a merchandiser decides.
          status: qty * c.unitCost > rules.reorderApprovalLimit ? 'pending' : 'published',
          rationale: reviewRationale(review, params),
        });
      }

      const stored = await inputs.storeUpdatedCurves({
        scopeId,
        runId: `${runId}/adjust/${throughWeek}`,
        startWeek: orderWeek,
        horizon: Math.max(0, ...updated.map((u) => u.points.length)),
        summary: { throughWeek, items: updated.length },
        curves: updated,
      });
      const placed = await orders.propose(proposed);

      const worst = signals.reduce<{ id: string; signal: number } | undefined>((w, s) => (!w || Math.abs(s.signal) > Math.abs(w.signal) ? s : w), undefined);
      // An item alarms when its signal crosses the limit; one that was already beyond it at its last
      // adjust has had its replan, and alarms again only after it came back within the limit.
      const out = (x: number | undefined) => x !== undefined && Math.abs(x) > rules.trackingSignalLimit;
      const beyond = signals.filter((s) => out(s.signal) && !out(previousSignal.get(s.id))).sort((a, b) => Math.abs(b.signal) - Math.abs(a.signal));
      const earlyReplanReason = beyond.length
        ? `tracking signal beyond ±${rules.trackingSignalLimit} for ${beyond.length} launched item${beyond.length === 1 ? '' : 's'} (` +
          beyond.slice(0, 3).map((s) => `${s.id} ${fmt(s.signal)}: curve too ${s.signal > 0 ? 'low' : 'high'}`).join(', ') +
          `${beyond.length > 3 ? ', …' : ''}) after sales through ${throughWeek}`
        : undefined;
      const summary: AdjustSummary = {
        throughWeek,
        orderWeek,
        launchedItems: launched.length,
        curvesUpdated: updated.length,
        curveSetId: updated.length > 0 ? stored.setId : null,
        reordersProposed: placed.orders.length,
        reordersCreated: placed.created,
        reordersPending: placed.orders.filter((o) => o.status === 'pending').length,
        maxTrackingSignal: worst?.signal ?? 0,
        maxTrackingSignalItem: worst?.id ?? null,
        trackingSignalLimit: rules.trackingSignalLimit,
        earlyReplan: beyond.length > 0,
        ...(earlyReplanReason ? { earlyReplanReason } : {}),
      };
      ctx.log.info('adjust', { ...summary });
      return summary;
    },
  };
}
