/**
 * Turns a catalogue into cold-start training samples and candidate inputs.
 *
 * One sample = one launch: an empty history window (zeros + "observed" flag 0 + calendar),
 * static attributes (one-hot with an UNKNOWN bucket; log/standardised numerics), and the launch
 * week's context (season Fourier terms, the recent launches' level, the shop's and the
 * category's current demand, a time-honest like-item prior). Targets are the first `horizon`
 * weeks after launch divided by the recent launch level at launch (`scale`), so the network
 * learns curves relative to the shop's current launch performance, which moves with season
 * and growth; forecasts are multiplied back by the level at the candidate's launch.
 */
import { likeItemCurve } from './baselines.js';
import {
  buildHistory,
  groupRelativeLevels,
  isoWeekOfYear,
  addWeeks,
  recentLaunchLevel,
  shopLevel,
  weekDiff,
  type History,
  type HistoryOptions,
} from './history.js';
import { CovariateTable, type CovariateFill, type CovariateRow } from './covariates.js';
import { SeasonalIndex } from './seasonal.js';
import type { AttributeSchema, CandidateRow, ItemRow } from './types.js';

export const UNKNOWN = '\u0000UNKNOWN';
/** Per-step sequence features: scaled units, observed flag, sin/cos of week of year. */
export const SEQ_FEATURES = 4;

export interface FeatureSpec {
  version: 1;
  horizon: number;
  window: number;
  seqFeatures: number;
  categoryColumn: string | undefined;
  /**
   * Whether week-of-year terms are inputs: only when the history's launches span a whole year
   * (see season()). Absent in older specs = true.
   */
  calendar?: boolean;
  /** Whether targets are scaled by the seasonal multiplier (prediction must do the same). */
  seasonal: boolean;
  launchLevelWindow: number;
  /** vocab[0] is the UNKNOWN bucket, used for unseen and rare values. */
  categorical: Array<{ column: string; vocab: string[] }>;
  numeric: Array<{ column: string; log: boolean; mean: number; std: number }>;
  context: string[];
  staticSize: number;
  /**
   * Known-ahead weekly covariates read at every step of the curve (see covariates.ts),
   * standardised with the training launches' mean and sd. Absent in older specs = none.
   */
  covariates?: Array<{ name: string; fill: CovariateFill; mean: number; std: number }>;
}

/** Samples in flat row-major arrays (what both tfjs and a checkpoint want). */
export interface Samples {
  n: number;
  itemIds: string[];
  /** Launch week index relative to the history start. */
  week: Int32Array;
  /** [n, window, seqFeatures] */
  seq: Float32Array;
  /** [n, staticSize] */
  stat: Float32Array;
  /** [n, horizon] targets divided by scale (0 where unobserved). */
  target: Float32Array;
  /** [n, horizon] 1 where the target week lies inside the history. */
  mask: Float32Array;
  /** [n, horizon] units per relative unit: launch level at launch × seasonal demand multiplier per step. */
  scale: Float32Array;
  /** [n, horizon, covariates] standardised covariates of each step's week (empty without covariates). */
  cov: Float32Array;
}

export interface ColdStartDataset {
  spec: FeatureSpec;
  train: Samples;
  val: Samples;
}

/** What prediction needs besides the model: the history the launch context is read from. */
export interface ColdStartContext {
  history: History;
  items: ItemRow[];
  schema: AttributeSchema;
  covariates?: CovariateTable;
}

export function buildColdStartContext(o: HistoryOptions & { covariates?: readonly CovariateRow[] }): ColdStartContext {
  const history = buildHistory(o);
  if (!o.covariates || o.covariates.length === 0) return { history, items: o.items, schema: o.schema };
  const covariates = new CovariateTable(o.covariates, history.start);
  for (const c of covariates.matchColumns())
    if (!o.schema.columns.includes(c)) throw new RangeError(`covariates match on column "${c}", which is not an attribute of the catalogue (attributes: ${o.schema.columns.join(', ')})`);
  return { history, items: o.items, schema: o.schema, covariates };
}

/**
 * Week a launch at week t can know a series covariate through: its launch week, or the last
 * week of the history for a launch after it (what a forecast made now has).
 */
function covariateAsOf(h: History, t: number): number {
  return Math.min(t, h.weeks - 1);
}

/**
 * How each covariate is put on the network's scale, from the launches' curve weeks. A series
 * is standardised (mean and sd). An event keeps 0 as "no event" and is divided by its mean
 * non-zero size, so a typical promotion reads 1 and a deeper one more: an sd over mostly-zero
 * weeks would blow rare events up to the clip and make every depth look the same.
 */
function covariateStats(ctx: ColdStartContext): FeatureSpec['covariates'] {
  const table = ctx.covariates;
  if (!table || table.names.length === 0) return undefined;
  const h = ctx.history;
  const attrs = new Map(ctx.items.map((i) => [i.itemId, i.attributes]));
  return table.names.map((name) => {
    const fill = table.fill(name);
    let n = 0;
    let sum = 0;
    let sq = 0;
    let nz = 0;
    let absNz = 0;
    for (const l of h.launches) {
      const a = attrs.get(h.itemIds[l.item]) ?? {};
      for (const v of table.readings(name, a, l.week, covariateAsOf(h, l.week), h.horizon)) {
        n++;
        sum += v;
        sq += v * v;
        if (v !== 0) {
          nz++;
          absNz += Math.abs(v);
        }
      }
    }
    if (fill === 'zero') return { name, fill, mean: 0, std: nz > 0 && absNz > 0 ? absNz / nz : 1 };
    const mean = n > 0 ? sum / n : 0;
    const sd = Math.sqrt(Math.max(0, (n > 0 ? sq / n : 0) - mean * mean));
    // A series that never moves during the launches teaches nothing; sd 1 keeps it finite.
    return { name, fill, mean, std: sd > 1e-9 * Math.max(1, Math.abs(mean)) ? sd : 1 };
  });
}

export interface FeatureOptions {
  /** History window length fed to the LSTM (weeks before launch). Default 13. */
  window?: number;
  /** Values seen fewer times than this in the items file go to UNKNOWN. Default 3. */
  minCount?: number;
  /** Share of launches, latest first, held out for validation (early stopping). Default 0.2. */
  valFraction?: number;
  /** Scale targets by the seasonal demand multiplier of each step (see seasonal.ts). Default true. */
  seasonal?: boolean;
  /** Weeks of recent launches whose performance sets the launch level (target scale). Default 13. */
  launchLevelWindow?: number;
  /**
   * Augmentation: up to this many windows of established items (history window observed,
   * targets the next weeks) join the training set, so the sequence path and the attribute
   * effects also learn from items that are not launches. Their targets end before the first
   * validation launch (no leakage into early stopping). Default 0 (launches only).
   */
  warmWindows?: number;
}

function fitSpec(ctx: ColdStartContext, window: number, minCount: number, seasonal: boolean, launchLevelWindow: number): FeatureSpec {
  const { schema, items, history } = ctx;
  const categorical: FeatureSpec['categorical'] = [];
  const numeric: FeatureSpec['numeric'] = [];
  for (const c of schema.columns) {
    if (schema.kinds[c] === 'categorical') {
      const counts = new Map<string, number>();
      for (const it of items) {
        const v = String(it.attributes[c]);
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const vocab = [...counts].filter(([, n]) => n >= minCount).map(([v]) => v).sort();
      categorical.push({ column: c, vocab: [UNKNOWN, ...vocab] });
    } else {
      const vals = items.map((it) => it.attributes[c]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      // Prices, sizes, weights: log scale when all positive (multiplicative effects).
      const log = vals.length > 0 && vals.every((v) => v > 0);
      const t = vals.map((v) => (log ? Math.log(v) : v));
      const mean = t.reduce((a, b) => a + b, 0) / Math.max(1, t.length);
      // A (near-)constant column, e.g. a model year shared by every item in the history, has a
      // rounding-error spread: treat it as constant, or an unseen value becomes a 1e11 input.
      const spread = Math.sqrt(t.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, t.length));
      const sd = spread > 1e-6 * Math.max(1, Math.abs(mean)) ? spread : 1;
      numeric.push({ column: c, log, mean, std: sd });
    }
  }
  // Each attribute group's current demand per item vs the shop's (log): which kinds of item
  // sell now, read from every established item, not only the few launches.
  const groupLevels = schema.columns.filter((c) => schema.kinds[c] === 'categorical').map((c) => `log_group_level:${c}`);
  const context = ['season_sin1', 'season_cos1', 'season_sin2', 'season_cos2', 'log_launch_level', 'log_shop_level', ...groupLevels, 'like_item_prior'];
  const staticSize = categorical.reduce((a, c) => a + c.vocab.length, 0) + numeric.length * 2 + context.length;
  // Launches over a whole year: the first launch week + 52 weeks lie inside the history.
  const calendar = history.launches.length > 0 && history.launches[0].week + 52 <= history.weeks - 1;
  const covariates = covariateStats(ctx);
  return {
    version: 1,
    horizon: history.horizon,
    window,
    seqFeatures: SEQ_FEATURES,
    calendar,
    categoryColumn: history.categoryColumn,
    seasonal,
    launchLevelWindow,
    categorical,
    numeric,
    context,
    staticSize,
    ...(covariates ? { covariates } : {}),
  };
}

/**
 * Week-of-year Fourier terms; zeros when `calendar` is off. A network only learns what the
 * terms mean for weeks of year its training launches covered: with less than a year of
 * launches, later candidates would feed it values it never saw (extrapolation in an arbitrary
 * direction), so the terms are left out and the seasonal multiplier of the scale carries season.
 */
function season(week: string, calendar: boolean): [number, number, number, number] {
  if (!calendar) return [0, 0, 0, 0];
  const a = (2 * Math.PI * isoWeekOfYear(week)) / 52.18;
  return [Math.sin(a), Math.cos(a), Math.sin(2 * a), Math.cos(2 * a)];
}

/** Caches the per-week context pieces that do not depend on the item. */
class ContextReader {
  private launchLevel = new Map<number, number>();
  private groupLevel = new Map<string, Map<string, number>>();
  private readonly groupColumns: Array<{ column: string; values: string[] }>;
  private readonly attrs: Map<string, Record<string, string | number>>;
  private readonly meanShop: number;
  private readonly seasonal: SeasonalIndex | undefined;
  private readonly launchWindow: number;
  private readonly calendar: boolean;
  constructor(
    private readonly ctx: ColdStartContext,
    spec: FeatureSpec,
  ) {
    const useSeasonal = spec.seasonal;
    this.launchWindow = spec.launchLevelWindow;
    this.calendar = spec.calendar ?? true;
    this.attrs = new Map(ctx.items.map((i) => [i.itemId, i.attributes]));
    const cats = ctx.schema.columns.filter((c) => ctx.schema.kinds[c] === 'categorical');
    this.groupColumns = cats.map((column) => ({ column, values: ctx.history.itemIds.map((id) => String(this.attrs.get(id)?.[column] ?? '')) }));
    this.seasonal = useSeasonal
      ? new SeasonalIndex(ctx.history, ctx.history.itemIds.map((id) => this.attrs.get(id)), cats)
      : undefined;
    const s = ctx.history.shopTotal;
    this.meanShop = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) || 1;
  }
  /** Level used to scale targets: recent launch level, known at min(t, T). */
  level(t: number): number {
    const tt = Math.min(t, this.ctx.history.weeks);
    let v = this.launchLevel.get(tt);
    if (v === undefined) this.launchLevel.set(tt, (v = recentLaunchLevel(this.ctx.history, tt, this.launchWindow)));
    return v;
  }
  /** Per-step scale: launch level × seasonal multiplier of the step's week vs the weeks before launch. */
  stepScales(attributes: Record<string, string | number>, t: number, horizon: number, out: Float32Array, offset: number): void {
    const lvl = this.level(t);
    const ref = Math.min(t, this.ctx.history.weeks);
    for (let s = 0; s < horizon; s++) out[offset + s] = lvl * (this.seasonal ? this.seasonal.multiplier(attributes, t + s, ref) : 1);
  }
  /** Each categorical column's group demand per item relative to the shop's at min(t, T) (1 = typical). */
  groupRel(attributes: Record<string, string | number>, t: number): number[] {
    const h = this.ctx.history;
    const tt = Math.min(t, h.weeks);
    return this.groupColumns.map(({ column, values }) => {
      const key = `${column}\u0000${tt}`;
      let m = this.groupLevel.get(key);
      if (m === undefined) this.groupLevel.set(key, (m = groupRelativeLevels(h, values, tt)));
      return m.get(String(attributes[column] ?? '')) ?? 1;
    });
  }
  context(attributes: Record<string, string | number>, t: number): number[] {
    const h = this.ctx.history;
    const tt = Math.min(t, h.weeks);
    const gl = this.groupRel(attributes, t);
    const lvl = this.level(t);
    const prior = likeItemCurve(h, this.ctx.schema, this.attrs, { attributes }, tt, h.horizon, { before: tt, scaleByLaunchLevel: true });
    const priorMean = prior.reduce((a, b) => a + b, 0) / prior.length / lvl;
    return [
      ...season(addWeeks(h.start, t), this.calendar),
      Math.log(lvl / h.globalLaunchLevel),
      Math.log((shopLevel(h, tt) + 1) / this.meanShop),
      ...gl.map((v) => Math.log(v)),
      Math.log1p(priorMean),
    ];
  }
}

function encodeStatic(spec: FeatureSpec, attributes: Record<string, string | number>, context: number[], out: Float32Array, offset: number): void {
  let o = offset;
  for (const c of spec.categorical) {
    const idx = c.vocab.indexOf(String(attributes[c.column] ?? ''));
    out[o + (idx > 0 ? idx : 0)] = 1;
    o += c.vocab.length;
  }
  for (const nspec of spec.numeric) {
    const raw = attributes[nspec.column];
    const ok = typeof raw === 'number' && Number.isFinite(raw) && (!nspec.log || raw > 0);
    // Missing numerics: the mean (0 after standardising) plus a missing flag.
    // Clipped: a value far outside the training range must not dominate the network's input.
    out[o++] = ok ? Math.max(-6, Math.min(6, ((nspec.log ? Math.log(raw) : raw) - nspec.mean) / nspec.std)) : 0;
    out[o++] = ok ? 0 : 1;
  }
  for (const v of context) out[o++] = Number.isFinite(v) ? v : 0;
}

function allocSamples(spec: FeatureSpec, n: number): Samples {
  return {
    n,
    itemIds: new Array<string>(n),
    week: new Int32Array(n),
    seq: new Float32Array(n * spec.window * spec.seqFeatures),
    stat: new Float32Array(n * spec.staticSize),
    target: new Float32Array(n * spec.horizon),
    mask: new Float32Array(n * spec.horizon),
    scale: new Float32Array(n * spec.horizon),
    cov: new Float32Array(n * spec.horizon * (spec.covariates?.length ?? 0)),
  };
}

/**
 * Covariates of the `horizon` weeks from launch week t on the network's scale (see
 * covariateStats); series read as known at the launch (covariateAsOf). A name the context
 * lacks (a model trained with a covariate the current data no longer has) reads as a series'
 * training mean or an event's "none": 0 either way.
 */
function fillCov(spec: FeatureSpec, ctx: ColdStartContext, attributes: Record<string, string | number>, t: number, s: Samples, k: number): void {
  const cov = spec.covariates;
  if (!cov || cov.length === 0) return;
  const table = ctx.covariates;
  const C = cov.length;
  const asOf = covariateAsOf(ctx.history, t);
  cov.forEach((c, j) => {
    const values = table !== undefined && table.names.includes(c.name) ? table.readings(c.name, attributes, t, asOf, spec.horizon) : undefined;
    for (let st = 0; st < spec.horizon; st++) {
      const z = values ? (values[st] - c.mean) / c.std : 0;
      // Clipped: a value far outside the training range must not dominate (exp of the effect).
      s.cov[(k * spec.horizon + st) * C + j] = Math.max(-6, Math.min(6, z));
    }
  });
}

/** Empty history window: only the calendar of the weeks before launch is known. */
function fillSeq(spec: FeatureSpec, h: History, t: number, s: Samples, k: number): void {
  const F = spec.seqFeatures;
  for (let j = 0; j < spec.window; j++) {
    const [sn, cs] = season(addWeeks(h.start, t - spec.window + j), spec.calendar ?? true);
    const o = (k * spec.window + j) * F;
    s.seq[o + 2] = sn;
    s.seq[o + 3] = cs;
  }
}

function encodeLaunches(spec: FeatureSpec, ctx: ColdStartContext, reader: ContextReader, launches: History['launches']): Samples {
  const h = ctx.history;
  const attrs = new Map(ctx.items.map((i) => [i.itemId, i.attributes]));
  const s = allocSamples(spec, launches.length);
  launches.forEach((l, k) => {
    const id = h.itemIds[l.item];
    const a = attrs.get(id) ?? {};
    s.itemIds[k] = id;
    s.week[k] = l.week;
    reader.stepScales(a, l.week, spec.horizon, s.scale, k * spec.horizon);
    encodeStatic(spec, a, reader.context(a, l.week), s.stat, k * spec.staticSize);
    fillSeq(spec, h, l.week, s, k);
    fillCov(spec, ctx, a, l.week, s, k);
    for (let st = 0; st < spec.horizon; st++) {
      const w = l.week + st;
      if (w < h.weeks) {
        s.target[k * spec.horizon + st] = h.units[l.item][w] / s.scale[k * spec.horizon + st];
        s.mask[k * spec.horizon + st] = 1;
      }
    }
  });
  return s;
}

/**
 * Windows of items with history at origins t (every `stride` weeks), the window holding
 * log1p(units / scale at t) with the observed flag set from the item's first sale on.
 */
function encodeWarm(spec: FeatureSpec, ctx: ColdStartContext, reader: ContextReader, maxWindows: number, lastTargetWeek: number, seed: number): Samples {
  const h = ctx.history;
  const attrs = new Map(ctx.items.map((i) => [i.itemId, i.attributes]));
  const origins: Array<{ item: number; t: number }> = [];
  const stride = 4;
  for (let i = 0; i < h.itemIds.length; i++) {
    const f = h.firstSale[i];
    if (f < 0 || !attrs.has(h.itemIds[i])) continue;
    for (let t = f + 1 + ((i * 7) % stride); t + spec.horizon <= lastTargetWeek; t += stride) origins.push({ item: i, t });
  }
  // Deterministic subsample (Fisher–Yates with a fixed LCG) when there are too many.
  let state = seed >>> 0;
  for (let k = origins.length - 1; k > 0; k--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (k + 1);
    [origins[k], origins[j]] = [origins[j], origins[k]];
  }
  const chosen = origins.slice(0, maxWindows);
  const s = allocSamples(spec, chosen.length);
  const F = spec.seqFeatures;
  chosen.forEach(({ item, t }, k) => {
    const id = h.itemIds[item];
    const a = attrs.get(id) ?? {};
    s.itemIds[k] = id;
    s.week[k] = t;
    reader.stepScales(a, t, spec.horizon, s.scale, k * spec.horizon);
    encodeStatic(spec, a, reader.context(a, t), s.stat, k * spec.staticSize);
    fillSeq(spec, h, t, s, k);
    fillCov(spec, ctx, a, t, s, k);
    const base = s.scale[k * spec.horizon];
    for (let j = 0; j < spec.window; j++) {
      const w = t - spec.window + j;
      if (w < 0 || w < h.firstSale[item]) continue;
      const o = (k * spec.window + j) * F;
      s.seq[o] = Math.log1p(h.units[item][w] / base);
      s.seq[o + 1] = 1;
    }
    for (let st = 0; st < spec.horizon; st++) {
      const w = t + st;
      s.target[k * spec.horizon + st] = h.units[item][w] / s.scale[k * spec.horizon + st];
      s.mask[k * spec.horizon + st] = 1;
    }
  });
  return s;
}

export function prepareColdStartDataset(ctx: ColdStartContext, o: FeatureOptions = {}): ColdStartDataset {
  const spec = fitSpec(ctx, o.window ?? 13, o.minCount ?? 3, o.seasonal ?? true, o.launchLevelWindow ?? 13);
  const reader = new ContextReader(ctx, spec);
  const launches = ctx.history.launches;
  if (launches.length < 4) throw new Error(`only ${launches.length} launches inside the history; need at least 4 to train`);
  // Validation = the latest launches: honest for a model that will forecast later launches.
  const nVal = Math.max(1, Math.round(launches.length * (o.valFraction ?? 0.2)));
  const firstVal = launches[launches.length - nVal].week;
  const train = encodeLaunches(spec, ctx, reader, launches.slice(0, launches.length - nVal));
  const warm = o.warmWindows ? encodeWarm(spec, ctx, reader, o.warmWindows, firstVal, 12345) : undefined;
  return {
    spec,
    train: warm && warm.n > 0 ? concatSamples(spec, [train, warm]) : train,
    val: encodeLaunches(spec, ctx, reader, launches.slice(launches.length - nVal)),
  };
}

function concatSamples(spec: FeatureSpec, parts: Samples[]): Samples {
  const out = allocSamples(spec, parts.reduce((a, p) => a + p.n, 0));
  let k = 0;
  for (const p of parts) {
    for (let i = 0; i < p.n; i++) out.itemIds[k + i] = p.itemIds[i];
    out.week.set(p.week, k);
    out.seq.set(p.seq, k * spec.window * spec.seqFeatures);
    out.stat.set(p.stat, k * spec.staticSize);
    out.target.set(p.target, k * spec.horizon);
    out.mask.set(p.mask, k * spec.horizon);
    out.scale.set(p.scale, k * spec.horizon);
    out.cov.set(p.cov, k * spec.horizon * (spec.covariates?.length ?? 0));
    k += p.n;
  }
  return out;
}

/** Candidate inputs; targets/mask are zero. Launch weeks may lie after the history. */
export function encodeCandidates(spec: FeatureSpec, ctx: ColdStartContext, candidates: CandidateRow[]): Samples {
  const reader = new ContextReader(ctx, spec);
  const h = ctx.history;
  const s = allocSamples(spec, candidates.length);
  candidates.forEach((c, k) => {
    const t = weekDiff(h.start, c.launchWeek);
    s.itemIds[k] = c.itemId;
    s.week[k] = t;
    reader.stepScales(c.attributes, t, spec.horizon, s.scale, k * spec.horizon);
    encodeStatic(spec, c.attributes, reader.context(c.attributes, t), s.stat, k * spec.staticSize);
    fillSeq(spec, h, t, s, k);
    fillCov(spec, ctx, c.attributes, t, s, k);
  });
  return s;
}
