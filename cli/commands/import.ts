import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connect, migrateDatabase } from '../../db/client.js';
import { FILE_NAMES, ImportValidationError, formatIssue, importCsvFiles, type ImportFiles, type ImportKind } from '../../data/import/index.js';
import { parseFlags, UsageError } from '../args.js';
import { resolveDatabaseUrl } from './db-url.js';

/** Flag name per table; file formats are documented in data/import/FORMATS.md. */
const FLAGS: Record<ImportKind, string> = {
  scopes: 'scopes',
  products: 'products',
  candidates: 'candidates',
  sales: 'sales',
  inventory: 'inventory',
  indicators: 'indicators',
  competitorEvents: 'competitor-events',
  promotions: 'promotions',
};

const HELP = `usage: launchloop import [--products F] [--candidates F] [--sales F] [--inventory F]
                        [--indicators F] [--competitor-events F] [--promotions F] [--scopes F]
                        [--dir D] [--dry-run] [--database-url URL]

Validates every row of every file (types, ISO Monday weeks, known skus and scopes, duplicates)
and writes all of them in one transaction, or nothing if any row is wrong. --dir D picks up
${Object.values(FILE_NAMES).join(', ')} from D. Formats: data/import/FORMATS.md.`;

export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    ...Object.fromEntries(Object.values(FLAGS).map((f) => [f, { type: 'string' as const }])),
    dir: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'database-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const flags = values as Record<string, string | boolean | undefined>;
  const files: ImportFiles = {};
  for (const [kind, flag] of Object.entries(FLAGS) as Array<[ImportKind, string]>) {
    const explicit = flags[flag];
    if (typeof explicit === 'string') files[kind] = explicit;
    else if (typeof values.dir === 'string' && existsSync(join(values.dir, FILE_NAMES[kind]))) files[kind] = join(values.dir, FILE_NAMES[kind]);
  }
  if (Object.keys(files).length === 0) throw new UsageError(`nothing to import: pass at least one file flag or --dir\n\n${HELP}`);
  const url = resolveDatabaseUrl(values['database-url']);

  const database = connect(url, { max: 2 });
  try {
    await migrateDatabase(database);
    const started = performance.now();
    const { inserted, dryRun } = await importCsvFiles(database, files, { dryRun: values['dry-run'] === true });
    const counts = Object.entries(inserted).filter(([, n]) => n > 0);
    console.log(`${dryRun ? 'valid (dry run, nothing written)' : 'imported'} in ${Math.round(performance.now() - started)} ms`);
    console.log(counts.map(([k, n]) => `  ${k}: ${n}`).join('\n'));
  } catch (err) {
    if (!(err instanceof ImportValidationError)) throw err;
    console.error(`launchloop: import rejected, nothing was written (${err.issues.length} problem${err.issues.length === 1 ? '' : 's'}):`);
    for (const issue of err.issues.slice(0, 500)) console.error(`  ${formatIssue(issue)}`);
    if (err.issues.length > 500) console.error(`  … and ${err.issues.length - 500} more`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}
