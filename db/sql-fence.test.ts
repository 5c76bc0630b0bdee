/**
 * "Repositories are the only SQL": production code outside db/ may not import drizzle-orm or
 * postgres.js, run tagged SQL, build Drizzle queries or carry SQL statements. Tests (test/,
 * *.test.ts) may keep their setup SQL. The dependency-cruiser fence (architecture/) checks
 * imports between layers; this one also catches SQL reached through `database.sql` on a handle
 * that was legitimately imported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Connection setup that must talk to the server before any repository exists. */
const ALLOWED: Record<string, string> = {
  'services/postgres.ts': 'creates the application database on the embedded server before migrations run',
};

const SKIP_DIRS = new Set(['node_modules', '.git', '.state', 'dist', 'coverage']);
/** Not production code: db/ owns SQL, test/ may set up data with it, fixtures plant violations on purpose. */
const SKIP_PATHS = ['db/', 'test/', 'architecture/fixtures/'];
const SOURCE = /\.(c|m)?(t|j)s$/;

const RULES: Array<{ name: string; pattern: RegExp }> = [
  { name: 'imports drizzle-orm or postgres', pattern: /\b(?:from|import)\s*\(?\s*['"](?:drizzle-orm(?:\/[^'"]*)?|postgres)['"]/ },
  { name: 'tagged SQL template', pattern: /\b(?:sql|tx)\s*(?:<[^`;]*>)?\s*`/ },
  { name: 'uses the raw SQL client (.sql)', pattern: /\.sql\b/ },
  { name: 'builds a Drizzle query', pattern: /\bdb\s*\.\s*(?:select|selectDistinct|insert|update|delete|execute|query|transaction|with|\$count)\b/ },
  {
    name: 'SQL statement text',
    // A FROM must be followed by a clause, an alias and a clause, or the end of the string, so
    // prose ("select a scope from the list") is not SQL.
    pattern:
      /\b(?:select\s+[\w*"().,:\s]+?\s+from\s+\w+(?:\s+(?:as\s+)?\w+)?\s+(?:where|join|left|inner|cross|order|group|limit|on)\b|select\s+[\w*"().,:\s]+?\s+from\s+\w+\s*(?:`|;|\)|$)|insert\s+into\s+\w+\s*\(|update\s+\w+\s+(?:\w+\s+)?set\s+\w+\s*=|delete\s+from\s+\w+\s*(?:where|using|`|;|$)|truncate\s+(?:table\s+)?\w+[\w,\s]*(?:restart|cascade))/i,
  },
];

export interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

/** Statements span lines: SQL text is matched on a window of this many lines joined. */
const WINDOW = 3;

export function findSql(file: string, source: string): Finding[] {
  const out: Finding[] = [];
  const lines = source.split('\n');
  lines.forEach((text, i) => {
    const window = lines.slice(i, i + WINDOW).join(' ');
    for (const rule of RULES) {
      const subject = rule.name === 'SQL statement text' ? window : text;
      // Report a multi-line statement once, on the line where it starts.
      if (rule.pattern.test(subject) && !(subject === window && i > 0 && rule.pattern.test(lines.slice(i - 1, i - 1 + WINDOW).join(' '))))
        out.push({ file, line: i + 1, rule: rule.name, text: text.trim() });
    }
  });
  return out;
}

function productionFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const rel = relative(ROOT, path).split('\\').join('/');
    if (SKIP_PATHS.some((p) => `${rel}/`.startsWith(p))) continue;
    if (entry.isDirectory()) files.push(...productionFiles(path));
    else if (SOURCE.test(entry.name) && !/\.test\.(c|m)?(t|j)s$/.test(entry.name) && !/\.d\.(c|m)?ts$/.test(entry.name)) files.push(rel);
  }
  return files;
}

describe('SQL stays in db/', () => {
  const files = productionFiles();
  const findings = files.flatMap((f) => findSql(f, readFileSync(join(ROOT, f), 'utf8')));

  it('scans the production tree (not an empty or wrong directory)', () => {
    expect(files.length).toBeGreaterThan(150);
    for (const known of ['api/app.ts', 'api/routes/runs.routes.ts', 'activities/snapshot.activities.ts', 'data/load.ts', 'cli/commands/demo.ts', 'workers/gpu-worker.ts'])
      expect(files).toContain(known);
    expect(files.some((f) => f.startsWith('db/') || f.startsWith('test/') || /\.test\.ts$/.test(f))).toBe(false);
  });

  it('finds no SQL or query building outside db/ in production code', () => {
    const outside = findings.filter((f) => !(f.file in ALLOWED));
    expect(outside.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`)).toEqual([]);
  });

  it('allows only connection setup, and every allowance is still needed', () => {
    for (const file of Object.keys(ALLOWED)) expect(findings.some((f) => f.file === file), `${file} no longer needs its allowance`).toBe(true);
  });

  it.each([
    ["import { eq } from 'drizzle-orm';", 'imports drizzle-orm or postgres'],
    ["import { pgTable } from 'drizzle-orm/pg-core';", 'imports drizzle-orm or postgres'],
    ["import type postgres from 'postgres';", 'imports drizzle-orm or postgres'],
    ["const m = await import('postgres');", 'imports drizzle-orm or postgres'],
    ['const rows = await sql`select 1`;', 'tagged SQL template'],
    ['await tx<{ id: string }[]>`select id from scopes`;', 'tagged SQL template'],
    ['const [row] = await database.sql<{ id: string }[]>`x`;', 'uses the raw SQL client (.sql)'],
    ['await deps.database.sql.begin(async () => {});', 'uses the raw SQL client (.sql)'],
    ['const [s] = await database.db.select().from(scopes);', 'builds a Drizzle query'],
    ['await db.insert(datasetSnapshots).values(v);', 'builds a Drizzle query'],
    ["const q = 'select id, name from candidates where scope_id = $1';", 'SQL statement text'],
    ['`insert into worker_status (queue) values ($1)`', 'SQL statement text'],
    ["`update scopes set rules = '{}'`", 'SQL statement text'],
    ['`delete from artifacts where uri = $1`', 'SQL statement text'],
    ['tx.unsafe(`truncate scopes, products restart identity cascade`)', 'SQL statement text'],
    ['const text = `\n  select s.sku, s.week\n    from sales s join products p using (sku)`;', 'SQL statement text'],
  ])('flags %s', (line, rule) => {
    expect(findSql('planted.ts', line).map((f) => f.rule)).toContain(rule);
  });

  it.each([
    "import { z } from 'zod';",
    "import { connect } from '../db/client.js';",
    "const scopes = scopesRepository(database); await scopes.exists(id);",
    "throw errors.badRequest('select a scope from the list');",
    "// Update the plan, then delete it from the cache",
    "log('insert into the queue', { update: rows });",
    "const postgresUrl = config.databaseUrl;",
  ])('does not flag %s', (line) => {
    expect(findSql('planted.ts', line)).toEqual([]);
  });
});
