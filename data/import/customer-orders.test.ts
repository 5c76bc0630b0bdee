import { describe, expect, it } from 'vitest';
import type { CustomerOrdersWriter } from '../../db/repositories/audiences.repository.js';
import { purchaseUnits } from './cells.js';
import { streamCustomerOrders } from './customer-orders.js';
import { formatIssue, IssueLog } from './errors.js';

/** A writer over an empty database that records what it was asked to write. */
function emptyDatabase() {
  const inserted: number[] = [];
  const writer: CustomerOrdersWriter = {
    storedSkus: async () => new Set(),
    storedOrders: async () => new Set(),
    ensureCustomers: async () => {},
    insertOrders: async (rows) => (inserted.push(rows.length), rows.length),
    finishCustomers: async () => {},
  };
  return { writer, inserted };
}

describe('customer orders: units', () => {
  it('says a negative count must be above 0 (0 is refused too), and a 0 row is to be left out', async () => {
    const { writer } = emptyDatabase();
    const issues = new IssueLog();
    const text = ['customer_id,region,sku,week,units', '1,United Kingdom,A,2010-01-04,-3', '2,France,A,2010-01-04,0', '3,France,A,2010-01-04,2.5'].join('\n');
    await streamCustomerOrders({ writer, file: 'customer_orders.csv', source: { text }, fileSkus: new Set(['A']), issues, dryRun: true });
    expect(issues.kept.map(formatIssue)).toEqual([
      'customer_orders.csv:2: column "units": -3 must be > 0 (units bought; a return is not an order)',
      'customer_orders.csv:3: column "units": 0 is not a purchase; leave the row out',
    ]);
  });

  it('keeps the plain number messages for text', () => {
    const r = purchaseUnits().safeParse('abc');
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(['"abc" is not a number']);
    expect(purchaseUnits().parse(' 4 ')).toBe(4);
  });
});
