/**
 * Import benchmark: `npm run bench:import -- --rows N [--weeks W] [--json FILE]`.
 *
 * Generates N valid sales rows (N / W products × W consecutive Monday weeks, one region) plus
 * the scope and products they refer to as CSV files in a temp folder, then times
 * `importCsvFiles` on them into a fresh embedded Postgres (free port, migrated like the tests'
 * databases). Reports wall seconds of the import and the process's peak RSS
 * (`process.resourceUsage().maxRSS`, which also covers generation; that writes in small
 * buffers so the import dominates). Server start and migration are not timed.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addWeeks } from '../engine/calendar/index.js';
import { connect, migrateDatabase } from '../db/client.js';
import { importCsvFiles } from '../data/import/index.js';
import { startEmbeddedPostgres } from '../services/postgres.js';
import { marketplaceRepository } from '../db/repositories/marketplace.repository.js';
import { freePort } from '../services/ports.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, weeks: { type: 'string', default: '104' }, json: { type: 'string' } },
});
const rows = Number(values.rows);
const weeks = Number(values.weeks);
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive whole number, got "${values.rows}"`);
if (!Number.isInteger(weeks) || weeks < 1) throw new Error(`--weeks must be a positive whole number, got "${values.weeks}"`);

const FIRST_WEEK = '2020-01-06';
const CATEGORIES = ['mugs', 'bags', 'lights', 'signs'];

/** Writes lines through a small buffer: a million rows never sit in memory at once. */
function writeLines(path: string, header: string, count: number, line: (i: number) => string): void {
  const fd = openSync(path, 'w');
  try {
    let buffer = header + '\n';
    for (let i = 0; i < count; i++) {
      buffer += line(i) + '\n';
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'launchloop-bench-import-'));
const products = Math.ceil(rows / weeks);
const sku = (p: number) => `SKU-${String(p).padStart(7, '0')}`;
const weekList = Array.from({ length: weeks }, (_, w) => addWeeks(FIRST_WEEK, w));
const files = { scopes: join(dir, 'scopes.csv'), products: join(dir, 'products.csv'), sales: join(dir, 'sales.csv') };
writeFileSync(files.scopes, `id,region,categories\nbench/east,east,${CATEGORIES.join(';')}\n`);
writeLines(files.products, 'sku,name,category,price,unit_cost,launch_week', products, (p) => `${sku(p)},Item ${p},${CATEGORIES[p % CATEGORIES.length]},${10 + (p % 40)},${5 + (p % 20)},${FIRST_WEEK}`);
writeLines(files.sales, 'sku,region,week,units,price,promo,stockout', rows, (i) => {
  const p = Math.floor(i / weeks);
  return `${sku(p)},east,${weekList[i % weeks]},${(i * 7919) % 23},${10 + (p % 40)},${i % 13 === 0},false`;
});

const pg = await startEmbeddedPostgres({ port: await freePort(), dir: join(dir, 'pg') });
try {
  const database = connect(await pg.createDatabase('bench_import'), { max: 2 });
  try {
    await migrateDatabase(database);
    const started = performance.now();
    const { inserted } = await importCsvFiles(database, files);
    const seconds = (performance.now() - started) / 1000;
    if (inserted.sales !== rows) throw new Error(`imported ${inserted.sales} sales rows, expected ${rows}`);
    const n = (await marketplaceRepository(database).counts()).sales;
    if (n !== rows) throw new Error(`the sales table holds ${n} rows, expected ${rows}`);
    // maxRSS is in kilobytes.
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const result = { rows, seconds: Math.round(seconds * 100) / 100, maxRssMb };
    console.log(`import of ${rows} sales rows (${products} products × ${weeks} weeks): ${result.seconds} s, peak RSS ${maxRssMb} MB (load ${loadavg()[0].toFixed(2)})`);
    if (values.json) writeFileSync(values.json, JSON.stringify(result) + '\n');
  } finally {
    await database.close();
  }
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
