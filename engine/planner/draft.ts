/**
 * What a solved plan becomes when it is stored as a draft: its summary (with the candidates the
 * scenario had to skip), its diff against the plan it revises, one row per launch, and the line
 * the workflow reports. Pure: the plan activity stores the draft.
 */
import { diffPlans } from './diff.js';
import type { PlanDiff, PlanResult } from './types.js';

export interface DraftItem {
  candidateId: string;
  launchWeek: string;
  openingQty: number;
  expectedUnits: number;
  unitsLo: number;
  unitsHi: number;
  expectedMargin: number;
  rationale: string[];
  fixed: boolean;
}

export interface PlanDraft {
  method: string;
  objective: number;
  gap: number | null;
  summary: Record<string, unknown>;
  diff: PlanDiff | null;
  items: DraftItem[];
}

export function planDraft(input: {
  result: PlanResult;
  /** Candidates the scenario could not include, with why. */
  skipped: Array<{ candidateId: string; reason: string }>;
  /** The solved plan this one revises, if any. */
  previous?: PlanResult;
  reason: string;
  startWeek: string;
}): PlanDraft {
  const { result } = input;
  const diff = input.previous ? diffPlans(input.previous, result) : null;
  return {
    method: result.method,
    objective: result.objective.total,
    gap: result.solver?.gap ?? null,
    summary: {
      reason: input.reason,
      status: result.status,
      method: result.method,
      objective: result.objective,
      solver: result.solver ?? null,
      fallbackReason: result.fallbackReason ?? null,
      notLaunched: [...result.notLaunched, ...input.skipped.map((s) => ({ candidateId: s.candidateId, reason: s.reason }))],
      warnings: result.warnings,
      launches: result.items.length,
      startWeek: input.startWeek,
      // Share of the candidates' expected demand planned; `why` when most of it is not.
      ...(result.demand ? { demand: result.demand } : {}),
      // What the monthly budget rule charges beyond the openings (items keep only their opening).
      ...plannedReorderSpend(result),
      ...(result.notes?.length ? { notes: result.notes } : {}),
    },
    diff,
    items: result.items.map((i) => ({
      candidateId: i.candidateId,
      launchWeek: i.weekStart,
      openingQty: i.openingQty,
      expectedUnits: i.expectedUnits,
      unitsLo: i.unitsInterval.lo,
      unitsHi: i.unitsInterval.hi,
      expectedMargin: i.netValue,
      // The summary already states the main driver; the rest follow it.
      rationale: [i.rationale.summary, ...i.rationale.drivers.slice(1).map((d) => d.detail)],
      fixed: i.fixed,
    })),
  };
}

/**
 * The planned reorders' spend per month over the plan's launches (with replenishment the budget
 * rule charges them to the months they are ordered): the KPI panel adds it to the openings so
 * its spend per month is what the budget constrained. Absent when no launch plans a reorder.
 */
function plannedReorderSpend(result: PlanResult): { plannedReorderSpend?: Array<{ month: string; spend: number }> } {
  const byMonth = new Map<string, number>();
  for (const i of result.items) for (const e of i.spendByMonth ?? []) if (e.reorders > 0) byMonth.set(e.month, (byMonth.get(e.month) ?? 0) + e.reorders);
  if (!byMonth.size) return {};
  return { plannedReorderSpend: [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, spend]) => ({ month, spend: Math.round(spend * 100) / 100 })) };
}

/** One line for the run's result: `plan v3 for electronics/east: 7 launches, expected net value …`. */
export function draftLine(scopeId: string, version: number, result: PlanResult, diff: PlanDiff | null): string {
  return (
    `plan v${version} for ${scopeId}: ${result.items.length} launches, expected net value ` +
    `${Math.round(result.objective.total).toLocaleString('en-US')} (${result.method}${result.solver?.gap != null ? `, gap ${(result.solver.gap * 100).toFixed(2)}%` : ''})` +
    (diff ? `; vs previous: ${diff.summary}` : '') +
    // The first warning names what the merchandiser should look at (e.g. a rule the fixed items
    // already break); the stored summary keeps them all.
    (result.warnings.length > 0 ? `; ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}: ${result.warnings[0]}` : '')
  );
}
