/**
 * `launchloop coldstart --sales FILE --items FILE --candidates FILE --horizon N --output OUT
 *  [--method lstm|like-item|category-share] [--seed S] [--categorical COLS] [--numeric COLS] [--calendar FILE]`
 * Trains on the given sales and writes launch curves as long CSV `item_id,step,mean,p10,p90`
 * (step 1 = launch week). Baselines have no quantiles: p10 = p90 = mean. Attribute kinds are
 * inferred from the items file (numbers numeric, anything else categorical);
 * --categorical/--numeric take comma-separated column names to force them. --calendar adds
 * known-ahead weekly covariates (`week,name,value[,<attribute columns>]`: promotions, festivals,
 * market indicators) that the LSTM reads at every week of each launch curve.
 */
import { writeFile } from 'node:fs/promises';
import { parseFlags, positiveInt, requireFlag, UsageError } from '../args.js';
import { CsvValidationError } from '../../data/formats/catalogue-csv.js';
import { forecastLaunches, type AttributeKind, type ColdStartMethod } from '../../engine/coldstart/index.js';
import { readCatalogue } from '../../services/catalogue-files.js';
import { selectLstmBackend } from '../../services/lstm-runtime.js';

const METHODS: ColdStartMethod[] = ['lstm', 'like-item', 'category-share'];

export const help = `usage: launchloop coldstart --sales FILE --items FILE --candidates FILE --horizon N --output OUT
                           [--method ${METHODS.join('|')}] [--seed S] [--categorical COLS]
                           [--numeric COLS] [--calendar FILE]

Trains on the given sales and writes launch curves of the candidates as
\`item_id,step,mean,p10,p90\` (step 1 = launch week; baselines have p10 = p90 = mean). Attribute
kinds are inferred from the items file; --categorical/--numeric (comma-separated columns) force
them. --calendar adds known-ahead weekly covariates (\`week,name,value[,<attribute columns>]\`).
No stack needed.`;

export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    sales: { type: 'string' },
    items: { type: 'string' },
    candidates: { type: 'string' },
    horizon: { type: 'string' },
    output: { type: 'string' },
    method: { type: 'string' },
    seed: { type: 'string' },
    categorical: { type: 'string' },
    numeric: { type: 'string' },
    calendar: { type: 'string' },
  });
  const method = (values.method ?? 'lstm') as ColdStartMethod;
  if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(', ')}, got "${values.method}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
  const output = requireFlag(values.output, 'output');
  const kinds = attributeKinds(values.categorical, values.numeric);
  try {
    const files = { sales: requireFlag(values.sales, 'sales'), items: requireFlag(values.items, 'items'), candidates: requireFlag(values.candidates, 'candidates'), ...(values.calendar ? { calendar: values.calendar } : {}) };
    const horizon = positiveInt(values.horizon, 'horizon');
    const log = (m: string) => console.error(m);
    const rows = await forecastLaunches({
      catalogue: await readCatalogue(files, kinds),
      prepareBackend: () => selectLstmBackend({ logger: { info: log } }),
      horizon,
      method,
      seed,
      log,
    });
    const lines = ['item_id,step,mean,p10,p90', ...rows.map((r) => `${csvCell(r.itemId)},${r.step},${fmt(r.mean)},${fmt(r.p10)},${fmt(r.p90)}`)];
    await writeFile(output, lines.join('\n') + '\n');
    console.error(`coldstart: wrote ${rows.length} rows for ${new Set(rows.map((r) => r.itemId)).size} candidates to ${output}`);
  } catch (err) {
    // Bad input files are the user's to fix: report them like usage errors, without a stack.
    if (err instanceof CsvValidationError) throw new UsageError(err.message);
    throw err;
  }
}

/** --categorical a,b --numeric c → { a: categorical, b: categorical, c: numeric }; a column in both is an error. */
export function attributeKinds(categorical: string | undefined, numeric: string | undefined): Record<string, AttributeKind> {
  const out: Record<string, AttributeKind> = {};
  const add = (list: string | undefined, kind: AttributeKind) => {
    if (list === undefined) return;
    const cols = list.split(',').map((c) => c.trim());
    if (cols.some((c) => c === '')) throw new UsageError(`--${kind} takes comma-separated column names, got "${list}"`);
    for (const c of cols) {
      if (out[c] !== undefined && out[c] !== kind) throw new UsageError(`column "${c}" is given as both --categorical and --numeric`);
      out[c] = kind;
    }
  };
  add(categorical, 'categorical');
  add(numeric, 'numeric');
  return out;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : '0';
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
