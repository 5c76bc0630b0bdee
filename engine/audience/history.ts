/**
 * Orders and item attributes as flat typed arrays (customers and items as dense integers, rows
 * sorted by week), so statistics "as of" any cut-off inside the history are a scan of a prefix.
 */
import { dayNumber } from '../calendar/index.js';
import type { AudienceItem, OrderRow } from './types.js';

export const ATTRIBUTES = ['category', 'keyword', 'prefix'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export interface History {
  customers: string[];
  customerIndex: Map<string, number>;
  /** Each customer's most frequent country (ties: the first seen). */
  country: string[];
  items: string[];
  itemIndex: Map<string, number>;
  /** Attribute value ids per item (-1: the item is not in the items table). */
  attr: Record<Attribute, Int32Array>;
  values: Record<Attribute, Map<string, number>>;
  logPrice: Float64Array;
  /** Leading digits of the item id as a number (NaN when it has none): sequential stock codes. */
  code: Float64Array;
  rowCustomer: Int32Array;
  rowItem: Int32Array;
  rowWeek: Int32Array;
  rowUnits: Float64Array;
  /** First and one-past-last week numbers of the orders. */
  firstWeek: number;
  endWeek: number;
}

/** Week number of a Monday 'YYYY-MM-DD' (days since epoch / 7). */
export function weekNumber(iso: string): number {
  const d = dayNumber(iso);
  if (d === undefined) throw new Error(`not a date: "${iso}"`);
  return Math.floor(d / 7);
}

export function stockCode(itemId: string): number {
  const m = /^\d+/.exec(itemId);
  return m ? Number(m[0]) : Number.NaN;
}

export function buildHistory(orders: readonly OrderRow[], items: readonly AudienceItem[]): History {
  if (orders.length === 0) throw new Error('no orders: an audience needs purchase histories');
  const customerIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const customers: string[] = [];
  const itemIds: string[] = [];
  const countryVotes: Array<Map<string, number>> = [];
  const values = { category: new Map<string, number>(), keyword: new Map<string, number>(), prefix: new Map<string, number>() };
  const itemAttr: Array<[number, number, number, number]> = [];
  const valueId = (a: Attribute, v: string) => {
    let id = values[a].get(v);
    if (id === undefined) values[a].set(v, (id = values[a].size));
    return id;
  };
  const addItem = (id: string) => {
    let i = itemIndex.get(id);
    if (i === undefined) {
      itemIndex.set(id, (i = itemIds.length));
      itemIds.push(id);
      itemAttr.push([-1, -1, -1, Number.NaN]);
    }
    return i;
  };
  for (const it of items) {
    const i = addItem(it.itemId);
    itemAttr[i] = [valueId('category', it.category), valueId('keyword', it.keyword), valueId('prefix', it.prefix), it.price > 0 ? Math.log(it.price) : Number.NaN];
  }
  const n = orders.length;
  const order = Array.from({ length: n }, (_, k) => k);
  const weeks = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const o = orders[k];
    weeks[k] = weekNumber(o.week);
    // Units per line enter as log(units / lines) (a feature and unitBlend's ranking term): a
    // customer whose lines total 0 units (or a missing, NaN one) would make every score NaN.
    // The imports refuse such rows (data/import/cells.ts purchaseUnits); so does the engine.
    if (!(Number.isFinite(o.units) && o.units > 0)) {
      throw new Error(`order row ${k + 1} (customer ${o.customerId}, item ${o.itemId}, week ${o.week}): units must be a number > 0, got ${o.units}`);
    }
  }
  order.sort((a, b) => weeks[a] - weeks[b] || a - b);
  const rowCustomer = new Int32Array(n);
  const rowItem = new Int32Array(n);
  const rowWeek = new Int32Array(n);
  const rowUnits = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const o = orders[order[k]];
    let c = customerIndex.get(o.customerId);
    if (c === undefined) {
      customerIndex.set(o.customerId, (c = customers.length));
      customers.push(o.customerId);
      countryVotes.push(new Map());
    }
    const votes = countryVotes[c];
    votes.set(o.country, (votes.get(o.country) ?? 0) + 1);
    rowCustomer[k] = c;
    rowItem[k] = addItem(o.itemId);
    rowWeek[k] = weeks[order[k]];
    rowUnits[k] = o.units;
  }
  const country = countryVotes.map((v) => {
    let best = '';
    let most = -1;
    for (const [name, count] of v) if (count > most) [best, most] = [name, count];
    return best;
  });
  const m = itemIds.length;
  const attr = { category: new Int32Array(m), keyword: new Int32Array(m), prefix: new Int32Array(m) };
  const logPrice = new Float64Array(m);
  const code = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    [attr.category[i], attr.keyword[i], attr.prefix[i], logPrice[i]] = itemAttr[i];
    code[i] = stockCode(itemIds[i]);
  }
  return {
    customers,
    customerIndex,
    country,
    items: itemIds,
    itemIndex,
    attr,
    values,
    logPrice,
    code,
    rowCustomer,
    rowItem,
    rowWeek,
    rowUnits,
    firstWeek: rowWeek[0],
    endWeek: rowWeek[n - 1] + 1,
  };
}

/** Number of rows before week `t` (rows are sorted by week). */
export function rowsBefore(h: History, t: number): number {
  let lo = 0;
  let hi = h.rowWeek.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (h.rowWeek[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
