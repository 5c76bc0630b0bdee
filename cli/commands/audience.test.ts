import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../args.js';
import { AudienceInputError, parseAudienceTexts, run } from './audience.js';

const dir = mkdtempSync(join(tmpdir(), 'audience-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const ITEMS = 'item_id,category,keyword,prefix,price\n10001,CANDLE,RED,100,1.25\n20001,MUG,BLUE,200,2.5\n';
const CANDIDATES = 'item_id,category,keyword,prefix,price,launch_week\n19999,CANDLE,RED,100,1.25,2024-02-05\n29999,MUG,BLUE,200,2.50,\n';
const ORDERS = [
  'customer_id,country,item_id,week,units',
  '1,France,10001,2024-01-01,6',
  '1,France,10001,2024-01-08,4',
  '2,United Kingdom,20001,2024-01-01,2',
  '3,United Kingdom,20001,2024-01-08,1',
  '',
].join('\n');

describe('launchloop audience', () => {
  it('writes the K best customers per candidate as item_id,customer_id,score', async () => {
    const out = join(dir, 'out.csv');
    const shares = join(dir, 'shares.csv');
    await run(['--orders', file('o.csv', ORDERS), '--items', file('i.csv', ITEMS), '--candidates', file('c.csv', CANDIDATES), '--top', '2', '--output', out, '--shares', shares]);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('item_id,customer_id,score');
    expect(lines).toHaveLength(1 + 2 * 2);
    // Two weeks of history hold no launch to learn from: the fallback still favours affinity.
    expect(lines[1].split(',').slice(0, 2)).toEqual(['19999', '1']);
    expect(lines.slice(3).map((l) => l.split(',')[0])).toEqual(['29999', '29999']);
    expect(readFileSync(shares, 'utf8')).toMatch(/^item_id,breakdown,key,share\n19999,region,France,/);
  });

  it('rejects missing and malformed flags as usage errors', async () => {
    await expect(run(['--items', 'i.csv'])).rejects.toThrow(/missing required flag --orders/);
    const args = ['--orders', 'o.csv', '--items', 'i.csv', '--candidates', 'c.csv', '--output', 'x.csv'];
    await expect(run([...args, '--top', '0'])).rejects.toThrow(/--top must be a positive integer, got "0"/);
    await expect(run([...args, '--top', '5', '--topp', '3'])).rejects.toThrow(UsageError);
    await expect(run([...args, '--top', '5', 'extra'])).rejects.toThrow(/unexpected argument "extra"/);
    await expect(run([...args.map((a) => (a === 'o.csv' ? join(dir, 'nope.csv') : a)), '--top', '5'])).rejects.toThrow(/--orders .*nope\.csv: cannot read \(ENOENT\)/);
  });

  it('names file, line and column of every bad cell', () => {
    const bad = (orders: string, items = ITEMS, candidates = CANDIDATES) => {
      try {
        parseAudienceTexts({ orders: { file: 'o.csv', text: orders }, items: { file: 'i.csv', text: items }, candidates: { file: 'c.csv', text: candidates } });
      } catch (err) {
        expect(err).toBeInstanceOf(AudienceInputError);
        return (err as Error).message;
      }
      throw new Error('accepted bad input');
    };
    const msg = bad(ORDERS.replace('2024-01-08,4', '2024-01-10,4').replace('20001,2024-01-01,2', '20001,2024-01-01,two'));
    expect(msg).toContain('2 problems');
    expect(msg).toContain('o.csv:3: column "week": 2024-01-10 is a Wednesday; weeks must be ISO Monday dates (did you mean 2024-01-08?)');
    expect(msg).toContain('o.csv:4: column "units": "two" is not a number');
    expect(bad(ORDERS.replace('units', 'qty'))).toContain('o.csv:1: column "units": required column is missing');
    expect(bad(ORDERS + '4,France,10001\n')).toContain('o.csv:6: has 3 fields; the header has 5');
    expect(bad(ORDERS, ITEMS + '10001,CANDLE,RED,100,1\n')).toContain('i.csv:4: column "item_id": duplicate item_id 10001: already on line 2');
    expect(bad(ORDERS, ITEMS, CANDIDATES.replace('1.25,2024', '-1,2024'))).toContain('c.csv:2: column "price": -1 must be ≥ 0');
    expect(bad('customer_id,country,item_id,week,units\n')).toContain('o.csv:1: no orders');
    // Units as the customer orders import takes them: a 0 or a return is named at its line, not an engine error.
    expect(bad(ORDERS.replace('20001,2024-01-01,2', '20001,2024-01-01,0'))).toContain('o.csv:4: column "units": 0 is not a purchase; leave the row out');
    expect(bad(ORDERS.replace('20001,2024-01-01,2', '20001,2024-01-01,-3'))).toContain('o.csv:4: column "units": -3 must be > 0');
  });
});
