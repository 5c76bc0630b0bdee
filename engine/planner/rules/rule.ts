/**
 * One planner rule (a constraint family, or cannibalisation, a cost family priced the same way)
 * behind one interface, in the manner of HiGHS's cut separators (`HighsSeparator` and one
 * subclass per cut family, each run in turn by the separation loop): every module that handles
 * rules (formulation, Lagrangian relaxation, greedy state and plan check, infeasibility
 * explanation, rationale) loops over the registry in `index.ts` and asks each rule for its part.
 *
 * Registry order is part of the numerical behaviour: rows, columns, Lagrangian blocks and the
 * greedy's "first rule broken" all follow it, so it must not be shuffled.
 */
import type { Launch, LaunchOption, PlannerModel } from '../model.js';
import type { Conflict, Driver } from '../types.js';

export type RuleId = 'launch-capacity' | 'cadence' | 'similar-gap' | 'cannibalisation' | 'budget' | 'warehouse';

/** Rows the formulation owns, and one family per rule (its id) for the rules' rows. */
export type RowFamily = 'one-per-candidate' | 'must-launch' | 'category-link' | 'group-link' | RuleId;

export interface RowMeta {
  family: RowFamily;
  c?: number;
  w?: number;
  cat?: number;
  rule?: number;
  g?: number;
  s?: number;
  e?: number;
  month?: string;
  t?: number;
}

export interface SparseRow {
  lo: number;
  hi: number;
  idx: number[];
  val: number[];
  meta: RowMeta;
}

/**
 * The plan under construction as the rules' trackers see it (state.ts `PlanState`): launch counts
 * per week, category-week and group-week, shared by several rules.
 */
export interface PlanCounts {
  readonly m: PlannerModel;
  readonly perWeek: Int32Array;
  /** Launches of a category / group in weeks [a, b]. */
  catCount(cat: number, a: number, b: number): number;
  groupCount(g: number, a: number, b: number): number;
}

export interface Violation {
  rule: Conflict['rule'];
  detail: string;
}

/** What the MILP formulation offers a rule while it adds its rows (formulation.ts). */
export interface FormulationContext {
  m: PlannerModel;
  /** Feasibility relaxation: the rule's rows get a slack (added afterwards by formulation.ts). */
  elastic: boolean;
  addCol(name: string, cost: number, lo: number, hi: number, integrality: number): number;
  /** Objective coefficient of a column, adjustable (costs charged directly on a count column). */
  colCost: number[];
  rows: SparseRow[];
  /** x columns 0..nX-1 and their options. */
  xOption: LaunchOption[];
  /** x columns per week; per `${category}:${week}` and `${group}:${week}`. */
  byWeek: number[][];
  byCatWeek: Map<string, number[]>;
  byGroupWeek: Map<string, number[]>;
  /** Fixed (launched / committed) items; their load is a constant on the right-hand side. */
  fixed: LaunchOption[];
  /** Fixed items matching `pred` launched in weeks [a, b]. */
  fixedIn(pred: (f: LaunchOption) => boolean, a: number, b: number): number;
  /**
   * Category-week count columns y[cat, w] = sum of x of that category-week (with their link
   * rows), created on the first call for the given categories; `${cat}:${w}` -> column.
   */
  categoryCounts(cats: Iterable<number>): Map<string, number>;
  /** Row subset of a lazily generated rule ('all' unless the caller asked for fewer). */
  subset: 'all' | Set<number>;
}

/**
 * Group-window rules (similar gap, cannibalisation) share the group-week count columns z; the
 * formulation adds, per group of two or more members, its z columns and link rows and then each
 * group rule's rows for that group, in registry order, so a group's rows stay together.
 */
export interface GroupContext {
  g: number;
  /** z columns of the group for weeks [a, b] (weeks with no launch option have none). */
  zIn(a: number, b: number): number[];
}

/** The Lagrangian relaxation of one rule (lagrangian.ts): its multipliers and prices. */
export interface Relaxation {
  /**
   * Right-hand side of every relaxed row, net of fixed launches and scaled so that one launch
   * moves a row by about one unit, in blocks (one per cadence rule, one per group, ...);
   * the multipliers have the same shape. Infinite entries are rows that do not exist.
   */
  rhs: Float64Array[];
  /** Upper limit of each multiplier (default: none). */
  upper?: Float64Array[];
  /**
   * What the blocks are keyed by: 'resource' (one block over weeks or months: capacity, budget,
   * warehouse), 'category' (one block per category rule) or 'group' (one block per group, its
   * bound terms summed per group together with the other group rules'). The bound adds the
   * terms in that order, then registry order: the order the planner has always summed in, kept
   * because a change moves the bound in its last bits and the subgradient path with it.
   */
  blocks: 'resource' | 'category' | 'group';
  /** Prices charged without a multiplier (e.g. a cost exact for every launch), added first. */
  constantPrices?(t: PriceTables): void;
  /** Add the multipliers' prices per launch into the shared tables. */
  price(u: Float64Array[], t: PriceTables): void;
  /**
   * Subtract prices that depend on the option itself (its spend, its on-hand units) from the
   * priced value rv[k] of every option k (one call per evaluation: the loop is the hot path).
   */
  priceOptions?(u: Float64Array[], rv: Float64Array): void;
  /** Subtract the relaxed choice `o` (index k in the relaxation's option list) from the subgradient. */
  use(sg: Float64Array[], o: LaunchOption, k: number): void;
}

/** Price of one launch per week, per (category, week) and per (group, week). */
export interface PriceTables {
  week: Float64Array;
  cat: Float64Array[];
  group: Float64Array[];
}

export interface RelaxationContext {
  m: PlannerModel;
  fixed: LaunchOption[];
  /** The options the relaxation prices (k indexes this list). */
  options: LaunchOption[];
}

/**
 * Why adding an option to a plan breaks a rule: the rule and the facts its message needs (the
 * message itself is only built by `describe` when asked for: the greedy's hot path needs the
 * rule alone, and builds no closures).
 */
export interface Block {
  rule: Violation['rule'];
  /** Rule-specific: a window start or week. */
  at?: number;
  /** Rule-specific: a count already there. */
  count?: number;
  /** Rule-specific: which of the rule's entries (e.g. cadence rule index). */
  index?: number;
}

/** A rule's bookkeeping for one plan under construction (greedy, 1-opt, rationale). */
export interface RuleTracker {
  /** Record `o` entering (+1) or leaving (-1) the plan. */
  apply?(o: LaunchOption, sign: 1 | -1): void;
  /** Whether adding `o` to the plan would break the rule. */
  block?(o: LaunchOption): Block | null;
  /** The merchandiser's message for a block `block` just returned (plan unchanged since). */
  describe?(o: LaunchOption, b: Block): string;
  /** Cost the rule charges for adding `o` (cannibalisation). */
  addedCost?(o: LaunchOption): number;
}

/** What the infeasibility explanation offers a rule (explain.ts). */
export interface ConflictContext {
  m: PlannerModel;
  /** The launches of the relaxed plan (chosen) and the fixed items. */
  chosen: LaunchOption[];
  fixed: LaunchOption[];
  all: Involved[];
  /** "3 must-launch items (...) and 1 already launched (...)" and the weeks they span. */
  describeItems(items: Involved[]): { text: string; from: number; to: number };
  /** Window notes (lead time, promotion deadline) of the must-launch items, in brackets. */
  windowNotes(items: Involved[]): string;
  ids(items: Involved[]): string[];
}

export interface Involved {
  c: number;
  w: number;
  fixed: boolean;
}

export interface Rule {
  readonly id: RuleId;
  /** Whether the scenario sets this rule. */
  active(m: PlannerModel): boolean;
  /** 'group': the rule's rows are added per group, after the group's count columns. */
  readonly scope?: 'group';

  /** MILP rows (and any columns they need). */
  formulate?(ctx: FormulationContext): void;
  formulateGroup?(ctx: FormulationContext, g: GroupContext): void;
  /** Weight of one unit of slack of the rule's rows in the feasibility relaxation. */
  slackWeight?(xOption: LaunchOption[]): number;
  /** Columns of a solution vector the rule defines from the x columns (after y and z). */
  completeSolution?(rows: SparseRow[], col: number[]): void;
  /**
   * Lazily generated rows: the subset to start with, and after a solve, the grown subset when
   * the plan breaks the rule in rows left out (null: nothing to add).
   */
  lazy?: {
    initial(m: PlannerModel, columns: LaunchOption[][]): 'all' | Set<number>;
    separate(m: PlannerModel, launches: Launch[], current: 'all' | Set<number>): Set<number> | null;
  };

  relax?(ctx: RelaxationContext): Relaxation;

  track?(st: PlanCounts): RuleTracker;
  /**
   * Independent from-scratch check of a plan. A row whose fixed (launched / committed) items
   * alone exceed its limit holds at that fixed load instead: new launches may add nothing there,
   * and only what they add is a violation (the breach itself is `fixedBreaches`).
   */
  check?(m: PlannerModel, launches: Launch[]): Violation[];
  /**
   * Rows, in windows touching the horizon, that the fixed items alone already break (a launch's
   * real week differs from its planned one, or the rule was tightened since): the merchandiser's
   * warning for each. Every other hook caps such a row at the fixed load, so no new launch adds
   * to it and the plan stays feasible.
   */
  fixedBreaches?(m: PlannerModel): string[];

  /** The conflict a positive slack on one of the rule's rows means, with a key that merges rows. */
  explain?(row: SparseRow, slack: number, ctx: ConflictContext): { key: string; conflict: Conflict } | null;
  /** Why a launch sits away from its best week when no rule blocks that week. */
  movedReason?(m: PlannerModel, o: LaunchOption, best: LaunchOption): Driver | null;
}

/** The fixed (launched / committed) items of a model. */
export function fixedItems(m: PlannerModel): LaunchOption[] {
  return m.fixed.filter((f): f is LaunchOption => f !== null);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function nLaunches(n: number): string {
  return `${n} launch${n === 1 ? '' : 'es'}`;
}

export function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Tolerance of the capacity-type checks (units, money). */
export const EPS = 1e-6;
