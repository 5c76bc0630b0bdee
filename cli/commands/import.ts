import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connect, migrateDatabase } from '../../db/client.js';
import {
  DEFAULT_MARGIN,
  FILE_NAMES,
  ImportValidationError,
  formatIssue,
  importCsvFiles,
  type DefaultsReport,
  type FileKind,
  type ImportFiles,
  type MarginRule,
  type SignalItems,
  type UncoveredCategory,
} from '../../data/import/index.js';
import { parseFlags, UsageError } from '../args.js';
import { resolveDatabaseUrl } from './db-url.js';

/** Flag name per table; file formats are documented in data/import/FORMATS.md. */
const FLAGS: Record<FileKind, string> = {
  scopes: 'scopes',
  products: 'products',
  candidates: 'candidates',
  sales: 'sales',
  inventory: 'inventory',
  indicators: 'indicators',
  competitorEvents: 'competitor-events',
  promotions: 'promotions',
  customerOrders: 'customer-orders',
  prelaunchSignals: 'prelaunch-signals',
};

/** `a, b, c` over lines of at most `width` characters, each starting with `indent`. */
function wrapList(items: readonly string[], indent: string, width = 96): string {
  const lines: string[] = [];
  let line = '';
  for (const [i, item] of items.entries()) {
    const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line && indent.length + line.length + 1 + piece.length > width) {
      lines.push(indent + line);
      line = piece;
    } else line = line ? `${line} ${piece}` : piece;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

const HELP = `usage: launchloop import [--products F] [--candidates F] [--sales F] [--inventory F]
                        [--indicators F] [--competitor-events F] [--promotions F] [--scopes F]
                        [--customer-orders F] [--prelaunch-signals F]
                        [--dir D] [--margin RATE[,CATEGORY=RATE...]] [--dry-run]
                        [--database-url URL]

Validates every row of every file (types, ISO Monday weeks, known skus and scopes, duplicates)
and writes all of them in one transaction, or nothing if any row is wrong. --dir D picks up
${wrapList(Object.values(FILE_NAMES), '  ')}
from D. An empty unit_cost is priced with the gross margin --margin (default ${DEFAULT_MARGIN}; per
category e.g. --margin 0.5,MUG=0.6). Products whose category no scope covers are listed.
--customer-orders F imports customers' purchase histories (customer_id, region or country, sku
or item_id, week, units; other columns become customer attributes), from which the loop scores
each candidate's launch audience. --prelaunch-signals F
imports weekly interest before launch per product sku or candidate id (item_id, week, views,
wishlists, preorders, notify_signups), from which the loop corrects candidates' launch forecasts
(fitted on the scope's past launches with signals). Formats: data/import/FORMATS.md.`;

export const help = HELP;

/** `0.5` or `0.5,MUG=0.6,BAG=0.55` (a category's rate overrides the default). */
export function parseMargin(text: string): MarginRule {
  const rule: MarginRule = { default: DEFAULT_MARGIN, byCategory: {} };
  const rate = (v: string, what: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw new UsageError(`--margin: ${what} must be a gross margin in [0, 1), got "${v}"`);
    return n;
  };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    if (eq < 0) rule.default = rate(part, 'the default');
    else rule.byCategory![part.slice(0, eq).trim()] = rate(part.slice(eq + 1), part.slice(0, eq).trim());
  }
  return rule;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    ...Object.fromEntries(Object.values(FLAGS).map((f) => [f, { type: 'string' as const }])),
    dir: { type: 'string' },
    'dry-run': { type: 'boolean' },
    margin: { type: 'string' },
    'database-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const flags = values as Record<string, string | boolean | undefined>;
  const files: ImportFiles = {};
  for (const [kind, flag] of Object.entries(FLAGS) as Array<[FileKind, string]>) {
    const explicit = flags[flag];
    if (typeof explicit === 'string') files[kind] = explicit;
    else if (typeof values.dir === 'string' && existsSync(join(values.dir, FILE_NAMES[kind]))) files[kind] = join(values.dir, FILE_NAMES[kind]);
  }
  if (Object.keys(files).length === 0) throw new UsageError(`nothing to import: pass at least one file flag or --dir\n\n${HELP}`);
  const margin = typeof values.margin === 'string' ? parseMargin(values.margin) : undefined;
  const url = resolveDatabaseUrl(values['database-url']);

  const database = connect(url, { max: 2 });
  try {
    await migrateDatabase(database);
    const started = performance.now();
    const { inserted, dryRun, report, customerOrders, prelaunchSignals } = await importCsvFiles(database, files, { dryRun: values['dry-run'] === true, ...(margin ? { margin } : {}) });
    const counts = Object.entries(inserted).filter(([, n]) => n > 0);
    console.log(`${dryRun ? 'valid (dry run, nothing written)' : 'imported'} in ${Math.round(performance.now() - started)} ms`);
    console.log(counts.map(([k, n]) => `  ${k}: ${n}`).join('\n'));
    for (const line of reportLines(report)) console.log(line);
    if (customerOrders?.attributeColumns.length) console.log(`customer attributes from the extra columns: ${customerOrders.attributeColumns.join(', ')}`);
    if (prelaunchSignals) for (const line of signalLines(prelaunchSignals)) console.log(line);
  } catch (err) {
    if (!(err instanceof ImportValidationError)) throw err;
    console.error(`launchloop: import rejected, nothing was written (${err.total} problem${err.total === 1 ? '' : 's'}):`);
    for (const issue of err.issues) console.error(`  ${formatIssue(issue)}`);
    // The import keeps the first MAX_ISSUES; the rest are only counted.
    if (err.total > err.issues.length) console.error(`  … and ${err.total - err.issues.length} more`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

/**
 * What a signals file will do: a candidate's curve is corrected from its scope's past launches with
 * signals, so signals of candidates alone leave every forecast as it was (silently, before this
 * note) unless past launches' signals were imported before.
 */
export function signalLines(s: SignalItems): string[] {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const lines = [`pre-launch signals of ${n(s.candidates, 'candidate', 'candidates')} and ${n(s.pastLaunches, 'past launch', 'past launches')} (products)`];
  if (s.candidates > 0 && s.pastLaunches === 0)
    lines.push(
      "note: a candidate's launch curve is corrected from its scope's past launches with signals (their weeks before launch_week; 30 or more per set of measures); this file has none, so these candidates keep their curves unless such signals were imported before",
    );
  return lines;
}

/** What the import decided for the user: defaults used, scopes expanded and sized, products left out of every scope. */
export function reportLines(report: DefaultsReport): string[] {
  const lines: string[] = [];
  const defaulted = Object.entries(report.defaulted);
  if (defaulted.length) lines.push(`defaults used (FORMATS.md): ${defaulted.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const [id, cats] of Object.entries(report.expanded)) lines.push(`scope ${id}: categories expanded to ${cats.length} (${cats.slice(0, 8).join(', ')}${cats.length > 8 ? ', …' : ''})`);
  for (const [id, note] of Object.entries(report.sizedRules)) lines.push(`scope ${id}: launch rules ${note}`);
  const list = (u: UncoveredCategory[]) => u.slice(0, 10).map((c) => `${c.category} (${c.products}: ${c.examples.join(', ')})`).join('; ') + (u.length > 10 ? `; … ${u.length - 10} more` : '');
  if (report.uncovered.length) {
    const n = report.uncovered.reduce((a, c) => a + c.products, 0);
    lines.push(`warning: ${n} product${n === 1 ? '' : 's'} in ${report.uncovered.length} categor${report.uncovered.length === 1 ? 'y' : 'ies'} no scope covers (imported, but no scope plans or learns from them): ${list(report.uncovered)}`);
  }
  if (report.candidatesOutsideScope.length) {
    const n = report.candidatesOutsideScope.reduce((a, c) => a + c.products, 0);
    lines.push(`warning: ${n} candidate${n === 1 ? '' : 's'} of a category outside their own scope (their forecasts have no like items there): ${list(report.candidatesOutsideScope)}`);
  }
  return lines;
}
