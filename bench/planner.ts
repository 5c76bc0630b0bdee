/**
 * Planner benchmark: `npm run bench:planner [-- --sizes 100x26,1000x26] [--time-limit S]
 * [--gap G] [--seed N] [--no-native] [--json FILE]`.
 *
 * For each size, a seeded generated scenario (engine/planner/generate.ts) where launch capacity,
 * cadence and budget bind is planned by the greedy baseline and by the MILP (HiGHS wasm, greedy
 * warm start); we report solve time (wall and CPU), the gap reached, and expected value vs
 * greedy under the same rules. When Python highspy is installed, the exported LP is also
 * solved by native HiGHS with the same gap and time limit, single-threaded like the wasm build.
 * Load average is printed because the numbers are wall-clock on a shared machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildFormulation,
  buildModel,
  configureHighs,
  exportLp,
  generateScenario,
  greedyPlan,
  planLaunches,
  runGreedy,
  validateScenario,
  type PlanResult,
  type PlannerModel,
} from '../engine/planner/index.js';
import { engineOptions } from '../services/engine-options.js';

/**
 * How much each rule binds in a plan: weeks at launch capacity, cadence windows at their limit,
 * months with >= 99% of the budget spent, and the warehouse's peak use.
 */
function binding(m: PlannerModel, plan: PlanResult): string {
  const idx = new Map(m.candidates.map((c, i) => [c.id, i]));
  const launches = plan.items.map((it) => {
    const c = idx.get(it.candidateId)!;
    return { c, w: it.week, option: m.fixed[c] ?? m.options[c].find((o) => o.w === it.week)! };
  });
  const perWeek = new Array<number>(m.W).fill(0);
  for (const l of launches) if (l.w >= 0 && l.w < m.W) perWeek[l.w] += 1;
  const capWeeks = perWeek.filter((n, w) => n >= m.capPerWeek[w]).length;
  let windows = 0;
  let full = 0;
  for (const r of m.cadence) {
    const weeks = launches.filter((l) => m.catOf[l.c] === r.cat).map((l) => l.w);
    for (let s = 0; s + r.windowWeeks <= m.W; s++) {
      windows += 1;
      if (weeks.filter((w) => w >= s && w < s + r.windowWeeks).length >= r.maxLaunches) full += 1;
    }
  }
  const spend = new Map<string, number>();
  for (const l of launches) spend.set(m.monthOf(l.w), (spend.get(m.monthOf(l.w)) ?? 0) + l.option.spend);
  const months = [...m.budget].filter(([mo]) => m.monthOf(0) <= mo && mo <= m.monthOf(m.W - 1));
  const tight = months.filter(([mo, cap]) => (spend.get(mo) ?? 0) >= 0.99 * cap).length;
  let peak = 0;
  if (m.warehouseCap)
    for (let t = 0; t < m.W; t++) {
      let load = m.baseline[t];
      for (const l of launches) if (t - l.w >= 0 && t - l.w < m.H) load += l.option.onHand[t - l.w];
      peak = Math.max(peak, load / m.warehouseCap[t]);
    }
  return `capacity full ${capWeeks}/${m.W} wks, cadence at limit ${full}/${windows} windows, budget >=99% ${tight}/${months.length} months, warehouse peak ${(peak * 100).toFixed(0)}%`;
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100x26,100x52,1000x26,1000x52,5000x26,5000x52' },
    'time-limit': { type: 'string', default: '60' },
    gap: { type: 'string', default: '0.01' },
    seed: { type: 'string', default: '7' },
    'no-native': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const sizes = values.sizes.split(',').map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--sizes: expected CxW like 1000x26, got "${s}"`);
  return { candidates: Number(m[1]), weeks: Number(m[2]) };
});
const timeLimit = Number(values['time-limit']);
const gap = Number(values.gap);
const seed = Number(values.seed);

const NATIVE = `
import json, sys, time
try:
    import highspy
except ImportError:
    print(json.dumps({"error": "highspy not installed"})); sys.exit(0)
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.setOptionValue("threads", 1)
h.setOptionValue("mip_rel_gap", float(sys.argv[2]))
h.setOptionValue("time_limit", float(sys.argv[3]))
t0 = time.time(); h.readModel(sys.argv[1]); t1 = time.time(); h.run(); t2 = time.time()
info = h.getInfo()
print(json.dumps({"status": h.modelStatusToString(h.getModelStatus()), "objective": info.objective_function_value,
                  "gap": info.mip_gap, "readSeconds": t1 - t0, "solveSeconds": t2 - t1, "version": highspy.__version__ if hasattr(highspy, "__version__") else ""}))
`;

interface NativeResult {
  status?: string;
  objective?: number;
  gap?: number;
  solveSeconds?: number;
  error?: string;
}

function native(lpPath: string): NativeResult {
  const r = spawnSync('python3', ['-c', NATIVE, lpPath, String(gap), String(timeLimit)], { encoding: 'utf8', timeout: (timeLimit + 120) * 1000 });
  if (r.signal) return { error: `native run stopped by ${r.signal} after the ${timeLimit + 120}s guard (LP read + solve)` };
  if (r.error) return { error: `python3 unavailable (${r.error.message})` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as NativeResult;
  } catch {
    return { error: `native run failed: ${r.stderr.slice(-300)}` };
  }
}

// LAUNCHLOOP_HIGHS_LOG / LAUNCHLOOP_HIGHS_OPTIONS reach the solver from here (the engine reads no env).
configureHighs(engineOptions().highs);
const rows: Record<string, unknown>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'planner-bench-'));
console.log(`planner benchmark: time limit ${timeLimit}s, gap target ${gap}, seed ${seed}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
try {
  for (const size of sizes) {
    const label = `${size.candidates}x${size.weeks}`;
    const t0 = performance.now();
    const scenario = validateScenario(generateScenario({ ...size, seed }));
    const genSeconds = (performance.now() - t0) / 1000;
    const tg = performance.now();
    const greedy = greedyPlan(scenario);
    const greedySeconds = (performance.now() - tg) / 1000;
    const cpu0 = process.cpuUsage();
    const tm = performance.now();
    const plan = await planLaunches(scenario, { timeLimitSeconds: timeLimit, gapTarget: gap });
    const milpSeconds = (performance.now() - tm) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const lift = plan.objective.total / greedy.objective.total - 1;
    // Model size of the full formulation (every warehouse row) and how the rules bind.
    const m = buildModel(scenario);
    const full = buildFormulation(m, { warehouseWeeks: 'all' });
    const dims = { binaries: full.nX, columns: full.numCols, rows: full.rows.length, nonzeros: full.rows.reduce((a, r) => a + r.idx.length, 0) };
    const rejected = runGreedy(m).rejected;
    const rules = { greedyRejections: rejected, milp: binding(m, plan), greedy: binding(m, greedy) };
    let nat: NativeResult = { error: 'skipped (--no-native)' };
    if (!values['no-native']) {
      const lpPath = join(dir, `${label}.lp`);
      writeFileSync(lpPath, exportLp(scenario));
      nat = native(lpPath);
      rmSync(lpPath, { force: true });
    }
    const row = {
      size: label,
      ...dims,
      solverVariables: plan.solver?.variables,
      solverEngine: plan.solver?.engine,
      method: plan.method,
      status: plan.status,
      solverStatus: plan.solver?.status,
      gap: plan.solver?.gap ?? null,
      wallSeconds: Number(milpSeconds.toFixed(2)),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      greedySeconds: Number(greedySeconds.toFixed(2)),
      generateSeconds: Number(genSeconds.toFixed(2)),
      milpValue: plan.objective.total,
      greedyValue: greedy.objective.total,
      liftVsGreedy: Number(lift.toFixed(4)),
      launches: plan.items.length,
      greedyLaunches: greedy.items.length,
      native: nat,
      fallbackReason: plan.fallbackReason,
      rules,
    };
    rows.push(row);
    const nativeText = nat.error
      ? `native: ${nat.error}`
      : `native HiGHS ${nat.status} ${nat.solveSeconds?.toFixed(2)}s gap ${((nat.gap ?? NaN) * 100).toFixed(2)}% obj ${nat.objective?.toFixed(0)}; wasm/native time ${(milpSeconds / Math.max(1e-3, nat.solveSeconds ?? NaN)).toFixed(1)}x`;
    console.log(
      `${label.padEnd(8)} ${plan.method}/${plan.status} (${plan.solver?.status ?? '-'}) gap ${row.gap === null ? 'n/a' : `${(row.gap * 100).toFixed(2)}%`} ` +
        `wall ${milpSeconds.toFixed(1)}s cpu ${cpuSeconds.toFixed(1)}s | value ${plan.objective.total.toFixed(0)} vs greedy ${greedy.objective.total.toFixed(0)} (${(lift * 100).toFixed(1)}%, greedy ${greedySeconds.toFixed(2)}s) | ${nativeText}`,
    );
    console.log(`         model ${dims.binaries} binaries, ${dims.columns} columns, ${dims.rows} rows, ${dims.nonzeros} nonzeros; ${plan.solver?.engine ?? ''}`);
    console.log(`         greedy rejections by rule: ${Object.entries(rejected).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
    console.log(`         rules in the MILP plan: ${rules.milp}; greedy plan: ${rules.greedy}`);
    if (plan.fallbackReason) console.log(`         fallback: ${plan.fallbackReason}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load average at end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2));
