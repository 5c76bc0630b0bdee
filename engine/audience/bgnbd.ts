/**
 * BG/NBD ("beta-geometric / negative binomial distribution", Fader, Hardie & Lee 2005, "Counting
 * your customers the easy way"): while alive a customer orders as a Poisson process whose rate
 * is gamma(r, alpha) across customers, and after each order drops out with a probability that
 * is beta(a, b) across customers. Fitted on each customer's (x repeat orders, t_x the time of
 * the last one, T the time observed, all since the first order), it gives the expected number of
 * orders in any future window: here, how many order weeks a customer will have in a
 * candidate's first weeks, from the timing of their past order weeks alone.
 */
import { logGamma, nelderMead } from '../math/index.js';

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One customer's summary: repeat orders, time of the last since the first, time observed since the first. */
export interface RfmSummary {
  x: number;
  tx: number;
  T: number;
}

/** Gauss hypergeometric ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 10_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) <= 1e-12 * Math.abs(sum)) break;
  }
  return sum;
}

/** Log-likelihood of one customer's (x, t_x, T) under the BG/NBD (equation 6 of the paper). */
export function bgnbdLogLikelihood(p: BgnbdParams, c: RfmSummary): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
  const a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return a1 + a2 + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(a3, a4);
  return a1 + a2 + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
}

/**
 * Maximum-likelihood fit (Nelder–Mead on the log parameters). Customers with equal summaries
 * are pooled, so the cost is per distinct (x, t_x, T), not per customer.
 */
export function fitBgnbd(customers: readonly RfmSummary[]): BgnbdParams {
  const pooled = new Map<string, { c: RfmSummary; n: number }>();
  for (const c of customers) {
    const key = `${c.x},${c.tx},${c.T}`;
    const e = pooled.get(key);
    if (e) e.n++;
    else pooled.set(key, { c, n: 1 });
  }
  const groups = [...pooled.values()];
  const of = (u: number[]): BgnbdParams => ({ r: Math.exp(u[0]), alpha: Math.exp(u[1]), a: Math.exp(u[2]), b: Math.exp(u[3]) });
  const negLogLik = (u: number[]) => {
    const p = of(u);
    let ll = 0;
    for (const g of groups) ll += g.n * bgnbdLogLikelihood(p, g.c);
    // A whisper of a prior on the log parameters keeps a flat likelihood (few customers) finite.
    return -ll + 1e-3 * u.reduce((s, v) => s + v * v, 0);
  };
  const start = [0, Math.log(Math.max(1, meanT(customers))), 0, 0];
  let best = nelderMead(negLogLik, start, { step: [0.5, 0.5, 0.5, 0.5], reltol: 1e-10, maxEval: 2000 });
  // One restart from the optimum: the simplex can stall on the ridge between a and b.
  best = nelderMead(negLogLik, best.x, { step: [0.2, 0.2, 0.2, 0.2], reltol: 1e-10, maxEval: 2000 });
  return of(best.x);
}

function meanT(customers: readonly RfmSummary[]): number {
  let s = 0;
  for (const c of customers) s += c.T;
  return customers.length ? s / customers.length : 1;
}

/**
 * E[orders in (T, T + t] | x, t_x, T] (equation 10 of the paper). Valid for a > 1 as written
 * and, by analytic continuation of the same expression, for the a < 1 fits common in practice.
 */
export function expectedOrders(p: BgnbdParams, c: RfmSummary, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const head = (a + b + x - 1) / (a - 1);
  const ratio = (alpha + T) / (alpha + T + t);
  const body = 1 - Math.pow(ratio, r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const alive = x > 0 ? 1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 1;
  return (head * body) / alive;
}

/** Expected orders in (T + from, T + to]: the orders a customer places in a future window. */
export function expectedOrdersBetween(p: BgnbdParams, c: RfmSummary, from: number, to: number): number {
  return Math.max(0, expectedOrders(p, c, to) - expectedOrders(p, c, from));
}

/** P(still alive at T | x, t_x, T). */
export function probabilityAlive(p: BgnbdParams, c: RfmSummary): number {
  if (c.x === 0) return 1;
  const { r, alpha, a, b } = p;
  return 1 / (1 + (a / (b + c.x - 1)) * Math.pow((alpha + c.T) / (alpha + c.tx), r + c.x));
}
