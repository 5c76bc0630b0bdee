/**
 * From a category's launch history to the expected competitor-clash penalty per planning week:
 * the year is cut into 13 four-week slots; our past launches and the competitor launches
 * nearest to them give the payoff matrices (game.ts estimateClashGame); the competitor's
 * equilibrium mix over slots, plus launches it has already announced, gives the probability of
 * a clash near each week, times the money a clash costs.
 */
import { addWeeks, isoWeekOfYear, weeksBetween } from '../calendar/index.js';
import { clashProbability, estimateClashGame, nashEquilibria, pureNash, selectEquilibrium, type LaunchRecord } from './game.js';

export const SLOTS = 13;
const slotOf = (week: string) => Math.min(SLOTS - 1, Math.floor((isoWeekOfYear(week) - 1) / 4));

export interface CategoryLaunchHistory {
  /** Our launches: first week on sale and the units of the first `outcomeWeeks` weeks. */
  ours: Array<{ week: string; units: number }>;
  /** Competitor launches (history and announced future ones). */
  theirs: string[];
}

export interface ClashEstimate {
  values: number[];
  clashLoss: number;
  competitorMix: number[];
  announced: number;
}

/**
 * @param windowWeeks a launch within this many weeks of a competitor's counts as a clash
 * @param marginPerLaunch money an average launch of the category earns over its coverage
 */
export function clashPenaltyForCategory(input: {
  history: CategoryLaunchHistory;
  startWeek: string;
  weeks: number;
  asOf: string;
  windowWeeks: number;
  marginPerLaunch: number;
}): ClashEstimate {
  const { history, windowWeeks } = input;
  const records: LaunchRecord[] = history.ours.map((o) => {
    let nearest: string | null = null;
    for (const t of history.theirs)
      if (t <= input.asOf && (nearest === null || Math.abs(weeksBetween(o.week, t)) < Math.abs(weeksBetween(o.week, nearest)))) nearest = t;
    const close = nearest !== null && Math.abs(weeksBetween(o.week, nearest)) <= windowWeeks;
    // The slot game only sees "same slot"; a clash measured in weeks decides the outcome class.
    return { ourSlot: slotOf(o.week), theirSlot: close ? slotOf(o.week) : nearest === null ? null : slotOf(nearest), ourOutcome: o.units };
  });
  const zero = { values: new Array<number>(input.weeks).fill(0), clashLoss: 0, competitorMix: new Array<number>(SLOTS).fill(0), announced: 0 };
  if (records.length < 4) return zero;
  const game = estimateClashGame(records, SLOTS, 0);
  if (game.clashLoss <= 0) return zero;
  // Pure equilibria first (the usual case for this game); small supports otherwise, since
  // support enumeration grows combinatorially with the number of slots.
  const eqs = pureNash(game.a, game.b);
  const eq = selectEquilibrium(eqs.length > 0 ? eqs : nashEquilibria(game.a, game.b, 2), 0);
  const loss = game.clashLoss * input.marginPerLaunch;
  const future = history.theirs.filter((t) => t > input.asOf);
  const values = Array.from({ length: input.weeks }, (_, w) => {
    const week = addWeeks(input.startWeek, w);
    // Announced launches are certain; elsewhere the equilibrium mix, spread over a slot's weeks.
    if (future.some((t) => Math.abs(weeksBetween(week, t)) <= windowWeeks)) return loss;
    const p = (clashProbability(eq.col, slotOf(week), 0) * (2 * windowWeeks + 1)) / 4;
    return Math.min(1, p) * loss;
  });
  return { values, clashLoss: game.clashLoss, competitorMix: eq.col, announced: future.length };
}
