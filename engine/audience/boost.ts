/**
 * Gradient-boosted regression trees on top of a base score (the linear model's logit), so the
 * trees only learn what a linear combination of the features misses: thresholds and
 * interactions. Histogram splits (features cut at sample quantiles), depth-wise trees, second
 * order leaf values (Newton step, L2 `lambda`), shrunk by the learning rate. Two objectives:
 * pointwise logistic loss on the weighted (customer, launch) rows, or LambdaRank (LambdaMART):
 * within each launch, every buyer against sampled non-buyers, each pair's logistic gradient
 * weighted by the change in DCG of swapping the two at their current ranks.
 */
import { mulberry32 } from '../math/index.js';

export interface BoostOptions {
  trees: number;
  depth: number;
  learningRate: number;
  /** Histogram bins per feature. */
  bins: number;
  /** Least hessian (summed row weight × p(1 − p)) on each side of a split. */
  minHessian: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Share of rows (pointwise) or launches (lambdarank) each tree sees. */
  subsample: number;
  objective: 'pointwise' | 'lambdarank';
  /** LambdaRank: non-buyers drawn per buyer per tree. */
  pairsPerPositive: number;
  seed: number;
}

/** Nodes in arrays; feature < 0 marks a leaf holding `value`. Left when x[feature] <= threshold. */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface BoostData {
  /** Row-major, `d` per row. */
  X: Float64Array;
  d: number;
  y: Uint8Array;
  w: Float64Array;
  /** Score the trees add to (e.g. a linear model's logit). */
  base: Float64Array;
  /** Features the trees may split on. */
  features: readonly number[];
  /** Each launch's rows: `positives` buyers from `start`, then `negatives` sampled from `population`. */
  queries: ReadonlyArray<{ start: number; positives: number; negatives: number; population: number }>;
}

export function predictTrees(trees: readonly Tree[], X: Float64Array, offset: number): number {
  let s = 0;
  for (const t of trees) {
    let n = 0;
    while (t.feature[n] >= 0) n = X[offset + t.feature[n]] <= t.threshold[n] ? t.left[n] : t.right[n];
    s += t.value[n];
  }
  return s;
}

/** Cut points per feature at quantiles of a sample of rows (distinct values only). */
function cutPoints(data: BoostData, bins: number, rand: () => number): Float64Array[] {
  const n = data.y.length;
  const m = Math.min(n, 20_000);
  const rows = Array.from({ length: m }, () => Math.floor(rand() * n));
  const cuts: Float64Array[] = [];
  for (let j = 0; j < data.d; j++) {
    const v = Float64Array.from(rows, (r) => data.X[r * data.d + j]).sort();
    const out: number[] = [];
    for (let b = 1; b < bins; b++) {
      const x = v[Math.floor((b * m) / bins)];
      if (out.length === 0 || x > out[out.length - 1]) out.push(x);
    }
    cuts.push(Float64Array.from(out));
  }
  return cuts;
}

/** Bin of x: the number of cut points below it (x <= cuts[b] goes to bins ≤ b). */
function binOf(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function fitBoostedTrees(data: BoostData, opt: BoostOptions): Tree[] {
  const rand = mulberry32(opt.seed);
  const { d, y, w } = data;
  const n = y.length;
  const cuts = cutPoints(data, opt.bins, rand);
  const B = opt.bins;
  const binned = new Uint8Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) binned[r * d + j] = binOf(cuts[j], data.X[r * d + j]);
  const score = Float64Array.from(data.base);
  const g = new Float64Array(n);
  const hs = new Float64Array(n);
  const trees: Tree[] = [];
  const idx = new Int32Array(n);
  const G = new Float64Array(d * B);
  const H = new Float64Array(d * B);
  for (let t = 0; t < opt.trees; t++) {
    g.fill(0);
    hs.fill(0);
    let m = 0;
    if (opt.objective === 'pointwise') {
      for (let r = 0; r < n; r++) {
        if (opt.subsample < 1 && rand() >= opt.subsample) continue;
        const p = 1 / (1 + Math.exp(-score[r]));
        g[r] = w[r] * (p - y[r]);
        hs[r] = w[r] * p * (1 - p);
        idx[m++] = r;
      }
    } else {
      for (const q of data.queries) {
        if (opt.subsample < 1 && rand() >= opt.subsample) continue;
        lambdaGradients(q, score, g, hs, opt.pairsPerPositive, rand);
        for (let r = q.start; r < q.start + q.positives + q.negatives; r++) idx[m++] = r;
      }
    }
    const tree = growTree(idx.subarray(0, m), binned, d, B, cuts, g, hs, G, H, data.features, opt);
    for (let r = 0; r < n; r++) score[r] += predictTrees([tree], data.X, r * d);
    trees.push(tree);
  }
  return trees;
}

/**
 * LambdaRank gradients of one launch: each buyer against `k` sampled non-buyers; ranks are
 * among all known customers (a sampled non-buyer stands for population / negatives of them).
 */
function lambdaGradients(
  q: BoostData['queries'][number],
  score: Float64Array,
  g: Float64Array,
  h: Float64Array,
  k: number,
  rand: () => number,
): void {
  if (q.negatives === 0) return;
  const end = q.start + q.positives + q.negatives;
  const per = q.population / q.negatives;
  const order = Array.from({ length: end - q.start }, (_, i) => q.start + i).sort((a, b) => score[b] - score[a]);
  const rank = new Float64Array(end - q.start);
  let above = 0;
  for (const r of order) {
    rank[r - q.start] = above;
    above += r < q.start + q.positives ? 1 : per;
  }
  const gain = (x: number) => 1 / Math.log2(2 + x);
  // Each pair stands for per / k of the buyer's non-buyers, so the total weight is as if all were paired.
  const pw = per * (q.negatives / k);
  for (let a = q.start; a < q.start + q.positives; a++) {
    for (let p = 0; p < k; p++) {
      const b = q.start + q.positives + Math.floor(rand() * q.negatives);
      const delta = Math.abs(gain(rank[a - q.start]) - gain(rank[b - q.start]));
      const rho = 1 / (1 + Math.exp(score[a] - score[b]));
      const lw = pw * delta;
      g[a] -= lw * rho;
      g[b] += lw * rho;
      const hh = lw * rho * (1 - rho);
      h[a] += hh;
      h[b] += hh;
    }
  }
}

function growTree(
  rows: Int32Array,
  binned: Uint8Array,
  d: number,
  B: number,
  cuts: Float64Array[],
  g: Float64Array,
  h: Float64Array,
  G: Float64Array,
  H: Float64Array,
  features: readonly number[],
  opt: BoostOptions,
): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const leaf = (sg: number, sh: number) => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push((-opt.learningRate * sg) / (sh + opt.lambda));
    return feature.length - 1;
  };
  // Rows of a node are rows[from, to); a split partitions them in place.
  const grow = (from: number, to: number, level: number): number => {
    let sg = 0;
    let sh = 0;
    for (let k = from; k < to; k++) {
      sg += g[rows[k]];
      sh += h[rows[k]];
    }
    if (level >= opt.depth || sh < 2 * opt.minHessian) return leaf(sg, sh);
    G.fill(0);
    H.fill(0);
    for (let k = from; k < to; k++) {
      const r = rows[k];
      const o = r * d;
      for (const j of features) {
        const bj = j * B + binned[o + j];
        G[bj] += g[r];
        H[bj] += h[r];
      }
    }
    const parent = (sg * sg) / (sh + opt.lambda);
    let bestGain = 1e-12;
    let bestJ = -1;
    let bestB = -1;
    for (const j of features) {
      let gl = 0;
      let hl = 0;
      for (let b = 0; b < cuts[j].length; b++) {
        gl += G[j * B + b];
        hl += H[j * B + b];
        const hr = sh - hl;
        if (hl < opt.minHessian || hr < opt.minHessian) continue;
        const gr = sg - gl;
        const gain = (gl * gl) / (hl + opt.lambda) + (gr * gr) / (hr + opt.lambda) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          bestJ = j;
          bestB = b;
        }
      }
    }
    if (bestJ < 0) return leaf(sg, sh);
    let mid = from;
    for (let k = from; k < to; k++) {
      const r = rows[k];
      if (binned[r * d + bestJ] <= bestB) {
        rows[k] = rows[mid];
        rows[mid++] = r;
      }
    }
    const node = feature.length;
    feature.push(bestJ);
    threshold.push(cuts[bestJ][bestB]);
    left.push(-1);
    right.push(-1);
    value.push(0);
    left[node] = grow(from, mid, level + 1);
    right[node] = grow(mid, to, level + 1);
    return node;
  };
  grow(0, rows.length, 0);
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
  };
}
