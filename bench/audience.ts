/**
 * Launch audiences on ../shared/data/audience-dev (see its README): recall, precision, NDCG and
 * unit recall at K and coverage, as its score.py defines them, for the project's method
 * (engine/audience) and its own baselines (popularity: customers by units in the last 26 weeks;
 * like-item buyers: who bought most of the 20 most similar products; and, with --methods,
 * order-timing: a BG/NBD's expected order weeks in the candidate's first 13 weeks), with CPU seconds.
 *
 *   npm run bench:audience -- [--k 50] [--cuts 2010-04-05:6,2010-05-03:4] [--options JSON] [--json FILE]
 *
 * Besides the set's own truth (candidates launched in the 26 weeks after its orders end), each
 * rolling cut-off `WEEK:N` cuts the development orders at WEEK and takes the products first sold
 * in the N weeks from WEEK as candidates, with who bought them in their first 13 weeks (clipped
 * at the end of the orders) as truth: the same method, tuned on none of them in particular,
 * must hold on each. --options overrides engine options (tuning), e.g. '{"halfLifeWeeks":8}'.
 * Times are CPU seconds of this process (user + system), training included; the machine is
 * shared, so wall time is printed beside them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseTruthText, readAudienceFiles, type AudienceFiles } from '../cli/commands/audience.js';
import {
  audienceMetrics,
  buildAudiences,
  likeItemAudience,
  orderTimingAudience,
  popularityAudience,
  rollingCut,
  type AudienceMetrics,
  type AudienceOptions,
  type Prediction,
  type TruthRow,
} from '../engine/audience/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const DIR = join(here, '..', '..', 'shared', 'data', 'audience-dev');

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '50' },
    cuts: { type: 'string', default: '2010-03-08:4,2010-04-05:6,2010-05-03:4' },
    options: { type: 'string' },
    methods: { type: 'string', default: 'launchloop,popularity,like-item' },
    json: { type: 'string' },
  },
});
const K = Number(values.k);
const options = values.options ? (JSON.parse(values.options) as Partial<AudienceOptions>) : {};
const methods = values.methods!.split(',');

interface EvalSet {
  name: string;
  files: AudienceFiles;
  truth: TruthRow[];
}

type Method = (files: AudienceFiles) => Array<{ itemId: string; audience: Array<{ customerId: string; score: number }> }>;
const METHODS: Record<string, Method> = {
  launchloop: (f) => buildAudiences({ ...f, top: K, options }).audiences,
  popularity: (f) => popularityAudience({ ...f, top: K }),
  'like-item': (f) => likeItemAudience({ ...f, top: K }),
  'order-timing': (f) => orderTimingAudience({ ...f, top: K }),
};

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function main(): Promise<void> {
  const files = await readAudienceFiles({
    orders: join(DIR, 'au-dev-orders.csv'),
    items: join(DIR, 'au-dev-items.csv'),
    candidates: join(DIR, 'au-dev-candidates.csv'),
  });
  const truth = parseTruthText('au-dev-truth.csv', readFileSync(join(DIR, 'au-dev-truth.csv'), 'utf8'));
  const sets: EvalSet[] = [{ name: 'audience-dev (from 2010-07-05, 26 wks)', files, truth }];
  for (const spec of values.cuts ? values.cuts.split(',') : []) {
    const [week, n] = spec.split(':');
    const cut = rollingCut(files.orders, files.items, week, Number(n));
    sets.push({ name: `cut ${week} (${n} wks)`, files: { orders: cut.orders, items: files.items, candidates: cut.candidates }, truth: cut.truth });
  }
  const rows: Array<{ set: string; method: string; cpu: number; wall: number } & AudienceMetrics> = [];
  const header = `${'set'.padEnd(30)} ${'method'.padEnd(11)} recall  prec    NDCG    unitrec cover  cands    cpu s  wall s`;
  console.log(`launch audiences, K = ${K}${values.options ? `, options ${values.options}` : ''}`);
  console.log(header);
  for (const set of sets) {
    const known = new Set(set.files.orders.map((o) => o.customerId));
    for (const method of methods) {
      const run = METHODS[method];
      if (!run) throw new Error(`unknown method "${method}" (have ${Object.keys(METHODS).join(', ')})`);
      const c0 = cpuSeconds();
      const w0 = performance.now();
      const out = run(set.files);
      const cpu = cpuSeconds() - c0;
      const wall = (performance.now() - w0) / 1000;
      const predictions: Prediction[] = out.flatMap((a) => a.audience.map((m) => ({ itemId: a.itemId, customerId: m.customerId, score: m.score })));
      const m = audienceMetrics({ predictions, truth: set.truth, known, candidates: set.files.candidates.map((c) => c.itemId), k: K });
      rows.push({ set: set.name, method, cpu, wall, ...m });
      console.log(
        `${set.name.padEnd(30)} ${method.padEnd(11)} ${m.recall.toFixed(4)}  ${m.precision.toFixed(4)}  ${m.ndcg.toFixed(4)}  ${m.unitRecall.toFixed(4)}  ${m.coverage.toFixed(3)}  ${`${m.evaluated}/${m.candidates}`.padEnd(7)}  ${cpu.toFixed(2).padStart(5)}  ${wall.toFixed(2).padStart(6)}`,
      );
    }
  }
  const dev = rows.find((r) => r.set === sets[0].name && r.method === 'launchloop');
  if (dev) {
    const ok = (x: number, t: number) => (x >= t ? 'met' : 'MISSED');
    console.log(
      `targets on audience-dev: recall ${dev.recall.toFixed(3)} ≥ 0.16 ${ok(dev.recall, 0.16)}; NDCG ${dev.ndcg.toFixed(3)} ≥ 0.28 ${ok(dev.ndcg, 0.28)}; ` +
        `unit recall ${dev.unitRecall.toFixed(3)} ≥ 0.25 ${ok(dev.unitRecall, 0.25)}; coverage ${dev.coverage.toFixed(3)} = 1 ${dev.coverage === 1 ? 'met' : 'MISSED'}; ` +
        `${dev.cpu.toFixed(1)} CPU s < 5 ${dev.cpu < 5 ? 'met' : 'MISSED'}`,
    );
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
