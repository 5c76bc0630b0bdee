/**
 * Competitor launch-timing game. We and a competitor each pick a launch slot (a week, or a
 * coarser slot) for a new item in the same category; launching within +/- k weeks of each
 * other splits attention ("clash"). From the equilibrium of this two-player bimatrix game we
 * get the probability that the competitor launches near each week, hence the expected clash
 * penalty per category-week that enters the plan's objective.
 *
 * Solvers (von Stengel, "Computing equilibria for two-person games", Handbook of Game Theory
 * vol. 3, 2002; Nisan et al., Algorithmic Game Theory, ch. 3):
 *  - all pure Nash equilibria by best-response checks;
 *  - mixed equilibria by support enumeration: for every pair of equal-size supports solve the
 *    indifference equations exactly (Gaussian elimination with pivoting, no iteration) and keep
 *    the solutions that are probability vectors with no profitable deviation. This finds every
 *    equilibrium of a nondegenerate game; degenerate games may have further ones (continua);
 *  - zero-sum games: the minimax value and optimal strategies by linear programming (HiGHS).
 */
import { solveLinear, type Matrix } from './linalg.js';

export interface Equilibrium {
  /** Mixed strategy of the row player (us) and column player (competitor). */
  row: number[];
  col: number[];
  /** Expected payoffs x'Ay and x'By. */
  rowPayoff: number;
  colPayoff: number;
  pure: boolean;
}

const TOL = 1e-9;

function payoff(m: Matrix, x: number[], y: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) continue;
    for (let j = 0; j < y.length; j++) s += x[i] * m[i][j] * y[j];
  }
  return s;
}

function checkShapes(a: Matrix, b: Matrix): void {
  if (a.length === 0 || a[0].length === 0) throw new RangeError('game: payoff matrices must be non-empty');
  if (b.length !== a.length || a.some((r, i) => r.length !== a[0].length || b[i].length !== r.length))
    throw new RangeError('game: A and B must be m x n matrices of the same shape');
}

/** Every pure Nash equilibrium (i, j): i is a best reply to j under A, j to i under B. */
export function pureNash(a: Matrix, b: Matrix): Equilibrium[] {
  checkShapes(a, b);
  const m = a.length;
  const n = a[0].length;
  const out: Equilibrium[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let best = true;
      for (let k = 0; k < m && best; k++) if (a[k][j] > a[i][j] + TOL) best = false;
      for (let k = 0; k < n && best; k++) if (b[i][k] > b[i][j] + TOL) best = false;
      if (best) {
        const row = unit(m, i);
        const col = unit(n, j);
        out.push({ row, col, rowPayoff: a[i][j], colPayoff: b[i][j], pure: true });
      }
    }
  return out;
}

function unit(n: number, i: number): number[] {
  const v = new Array<number>(n).fill(0);
  v[i] = 1;
  return v;
}

function* subsets(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield [...acc];
    return;
  }
  for (let i = start; i <= n - (k - acc.length); i++) {
    acc.push(i);
    yield* subsets(n, k, i + 1, acc);
    acc.pop();
  }
}

/**
 * Mixed strategy of the *other* player over `support` making the player with payoff matrix
 * `p` (rows = own strategies `own`) indifferent: p[i]·y = u for i in own, sum y = 1.
 * Returns y (full length) and u, or null when the system is singular or y is not >= 0.
 */
function indifferent(p: Matrix, own: number[], support: number[], nOther: number): { y: number[]; u: number } | null {
  const k = support.length;
  // Unknowns: y_support (k) and u; equations: k indifference rows + normalisation.
  const mat: Matrix = [];
  const rhs: number[] = [];
  for (const i of own) {
    mat.push([...support.map((j) => p[i][j]), -1]);
    rhs.push(0);
  }
  mat.push([...support.map(() => 1), 0]);
  rhs.push(1);
  const sol = solveLinear(mat, rhs, 1e-12);
  if (!sol) return null;
  const y = new Array<number>(nOther).fill(0);
  for (let t = 0; t < k; t++) {
    if (sol[t] < -TOL) return null;
    y[support[t]] = Math.max(0, sol[t]);
  }
  return { y, u: sol[k] };
}

/** All equilibria found by support enumeration (pure ones included), duplicates removed. */
export function supportEnumeration(a: Matrix, b: Matrix, maxSupport = 8): Equilibrium[] {
  checkShapes(a, b);
  const m = a.length;
  const n = a[0].length;
  const bt: Matrix = Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => b[i][j]));
  const out: Equilibrium[] = [];
  for (let k = 1; k <= Math.min(m, n, maxSupport); k++) {
    for (const I of subsets(m, k))
      for (const J of subsets(n, k)) {
        // Column mix y over J making the row player indifferent over I, and vice versa.
        const ry = indifferent(a, I, J, n);
        if (!ry) continue;
        const rx = indifferent(bt, J, I, m);
        if (!rx) continue;
        const { y, u } = ry;
        const { y: x, u: v } = rx;
        // No profitable deviation outside the supports.
        let ok = true;
        for (let i = 0; i < m && ok; i++) if (a[i].reduce((s, aij, j) => s + aij * y[j], 0) > u + 1e-7) ok = false;
        for (let j = 0; j < n && ok; j++) if (bt[j].reduce((s, bij, i) => s + bij * x[i], 0) > v + 1e-7) ok = false;
        if (!ok) continue;
        const eq: Equilibrium = { row: x, col: y, rowPayoff: payoff(a, x, y), colPayoff: payoff(b, x, y), pure: k === 1 };
        if (!out.some((e) => same(e.row, x) && same(e.col, y))) out.push(eq);
      }
  }
  return out;
}

function same(u: number[], v: number[]): boolean {
  return u.every((x, i) => Math.abs(x - v[i]) < 1e-7);
}

/** Pure equilibria plus the mixed ones from support enumeration. */
export function nashEquilibria(a: Matrix, b: Matrix, maxSupport = 8): Equilibrium[] {
  const pure = pureNash(a, b);
  const all = supportEnumeration(a, b, maxSupport);
  for (const p of pure) if (!all.some((e) => same(e.row, p.row) && same(e.col, p.col))) all.push(p);
  return all;
}

export interface ZeroSumSolution {
  /** Value to the row player (who receives A[i][j]). */
  value: number;
  row: number[];
  col: number[];
}

/**
 * Zero-sum game (row gets A, column gets -A): max_x min_j (x'A)_j by LP, and the column
 * player's min_y max_i (Ay)_i by the dual LP; both have the same value (minimax theorem).
 */
export async function solveZeroSum(a: Matrix): Promise<ZeroSumSolution> {
  checkShapes(a, a);
  const { solveFormulation } = await import('./solver.js');
  const m = a.length;
  const n = a[0].length;
  const lp = (mat: Matrix, rowsAreStrategies: boolean) => {
    // Variables: p_0..p_{k-1}, v (free). Maximise v s.t. v - sum_i p_i mat[i][j] <= 0 for each j.
    const k = rowsAreStrategies ? m : n;
    const cols = rowsAreStrategies ? n : m;
    const rows = [];
    for (let j = 0; j < cols; j++) {
      const idx: number[] = [];
      const val: number[] = [];
      for (let i = 0; i < k; i++) {
        const coef = rowsAreStrategies ? mat[i][j] : -mat[j][i];
        if (coef !== 0) {
          idx.push(i);
          val.push(-coef);
        }
      }
      idx.push(k);
      val.push(1);
      rows.push({ lo: -Infinity, hi: 0, idx, val });
    }
    rows.push({ lo: 1, hi: 1, idx: Array.from({ length: k }, (_, i) => i), val: new Array<number>(k).fill(1) });
    return {
      numCols: k + 1,
      colCost: [...new Array<number>(k).fill(0), 1],
      colLower: [...new Array<number>(k).fill(0), -Infinity],
      colUpper: new Array<number>(k + 1).fill(Infinity),
      integrality: new Array<number>(k + 1).fill(0),
      rows,
    };
  };
  const r = await solveFormulation(lp(a, true), { sense: 'max', timeLimitSeconds: 10, gapTarget: 0 });
  // Column player maximises min_i -(Ay)_i, i.e. minimises max_i (Ay)_i.
  const c = await solveFormulation(lp(a, false), { sense: 'max', timeLimitSeconds: 10, gapTarget: 0 });
  if (!r.values || !c.values) throw new Error(`zero-sum LP failed (${r.status}, ${c.status})`);
  return { value: r.values[m], row: Array.from(r.values.slice(0, m)), col: Array.from(c.values.slice(0, n)) };
}

// ---------------------------------------------------------------------------------------------
// Estimation from history and the clash penalty.

export interface LaunchRecord {
  /** Slot (e.g. week index in the season) of our launch and of the competitor's nearest launch. */
  ourSlot: number;
  theirSlot: number | null;
  /** Outcome of our launch (units or margin over its first weeks). */
  ourOutcome: number;
  /** Outcome of theirs, when known (market data); otherwise the game is taken as symmetric. */
  theirOutcome?: number;
}

export interface ClashGame {
  /** Our payoff A[i][j] and theirs B[i][j] for our slot i, their slot j. */
  a: Matrix;
  b: Matrix;
  /** Estimated relative loss of a clash: 1 - mean(clashed) / mean(unclashed). */
  clashLoss: number;
  /** Mean outcome of an unclashed launch per slot. */
  base: number[];
}

/**
 * Payoff matrices from launch history: base_i = mean outcome of our unclashed launches in slot
 * i (the overall unclashed mean where slot i has none), clash loss delta = 1 - mean clashed /
 * mean unclashed outcome over all records, A[i][j] = base_i (1 - delta [|i - j| <= k]). The
 * competitor's B is built the same way from their outcomes when given, else by symmetry
 * (B[i][j] = A[j][i]), i.e. the competitor faces the same seasonality.
 */
export function estimateClashGame(records: LaunchRecord[], slots: number, k: number): ClashGame {
  const clashed = (r: LaunchRecord) => r.theirSlot !== null && Math.abs(r.ourSlot - r.theirSlot) <= k;
  const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
  const free = records.filter((r) => !clashed(r));
  const hit = records.filter(clashed);
  const freeMean = mean(free.map((r) => r.ourOutcome));
  const hitMean = mean(hit.map((r) => r.ourOutcome));
  const clashLoss = Number.isFinite(freeMean) && Number.isFinite(hitMean) && freeMean > 0 ? Math.min(1, Math.max(0, 1 - hitMean / freeMean)) : 0;
  const fallback = Number.isFinite(freeMean) ? freeMean : mean(records.map((r) => r.ourOutcome)) || 0;
  const base = Array.from({ length: slots }, (_, i) => {
    const v = mean(free.filter((r) => r.ourSlot === i).map((r) => r.ourOutcome));
    return Number.isFinite(v) ? v : fallback;
  });
  const a: Matrix = base.map((bi, i) => Array.from({ length: slots }, (_, j) => bi * (Math.abs(i - j) <= k ? 1 - clashLoss : 1)));
  let b: Matrix;
  const theirs = records.filter((r) => r.theirOutcome !== undefined && r.theirSlot !== null);
  if (theirs.length > 0) {
    const theirFree = mean(theirs.filter((r) => !clashed(r)).map((r) => r.theirOutcome!));
    const theirBase = Array.from({ length: slots }, (_, j) => {
      const v = mean(theirs.filter((r) => r.theirSlot === j && !clashed(r)).map((r) => r.theirOutcome!));
      return Number.isFinite(v) ? v : Number.isFinite(theirFree) ? theirFree : fallback;
    });
    b = Array.from({ length: slots }, (_, i) => theirBase.map((bj, j) => bj * (Math.abs(i - j) <= k ? 1 - clashLoss : 1)));
  } else {
    b = Array.from({ length: slots }, (_, i) => Array.from({ length: slots }, (_, j) => a[j][i]));
  }
  return { a, b, clashLoss, base };
}

/**
 * Pick the equilibrium to plan against: 'ours' = best expected payoff for us (the default:
 * the equilibrium we would steer to), 'cautious' = the one with the most clash exposure.
 */
export function selectEquilibrium(eqs: Equilibrium[], k: number, how: 'ours' | 'cautious' = 'ours'): Equilibrium {
  if (eqs.length === 0) throw new RangeError('selectEquilibrium: no equilibria');
  const exposure = (e: Equilibrium) => e.row.reduce((s, x, i) => s + x * clashProbability(e.col, i, k), 0);
  return eqs.reduce((best, e) => (how === 'ours' ? (e.rowPayoff > best.rowPayoff + TOL ? e : best) : exposure(e) > exposure(best) + TOL ? e : best));
}

/** Probability that the competitor (mixed over slots) launches within +/- k of slot s. */
export function clashProbability(competitorMix: number[], s: number, k: number): number {
  let p = 0;
  for (let j = Math.max(0, s - k); j <= Math.min(competitorMix.length - 1, s + k); j++) p += competitorMix[j];
  return p;
}

/**
 * Expected clash penalty per planning week: P(competitor within +/- k weeks of w) x the money
 * lost per clash. `slotOfWeek` maps planning weeks to game slots (identity by default);
 * weeks without a slot get 0. Feed the result to Scenario.competition.clashPenalty.
 */
export function clashPenaltyByWeek(input: {
  competitorMix: number[];
  k: number;
  lossPerClash: number;
  weeks: number;
  slotOfWeek?: (w: number) => number | null;
}): number[] {
  return Array.from({ length: input.weeks }, (_, w) => {
    const s = input.slotOfWeek ? input.slotOfWeek(w) : w < input.competitorMix.length ? w : null;
    return s === null ? 0 : clashProbability(input.competitorMix, s, input.k) * input.lossPerClash;
  });
}
