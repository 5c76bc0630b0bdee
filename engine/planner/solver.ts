/**
 * Thin wrapper over HiGHS (wasm, `highs` npm package): load once, pass a Formulation as CSR
 * arrays (no LP text parsing on the hot path), solve with a time limit and gap target, and
 * read back status, incumbent and bound. The only module that imports `highs`.
 */
import * as highsModule from 'highs';
import type { Highs } from 'highs';

/** What the solver needs: columns and CSR rows (a Formulation is one). */
export interface LinearProgram {
  numCols: number;
  colCost: number[];
  colLower: number[];
  colUpper: number[];
  /** 1 = integer, 0 = continuous. */
  integrality: number[];
  rows: { lo: number; hi: number; idx: number[]; val: number[] }[];
}

let loading: Promise<Highs> | null = null;

/** Solver settings for experiments; services/engine-options.ts reads them from the environment. */
export interface HighsSettings {
  /** HiGHS log to stderr (LAUNCHLOOP_HIGHS_LOG=1). */
  log: boolean;
  /** Extra HiGHS options, e.g. LAUNCHLOOP_HIGHS_OPTIONS='{"presolve":"off"}'. */
  extraOptions: Record<string, string | number | boolean>;
}

let settings: HighsSettings = { log: false, extraOptions: {} };

/** Sets the settings every later solve uses (once per process or thread, at start). */
export function configureHighs(s: HighsSettings): void {
  settings = s;
}

type Loader = () => Promise<Highs>;

/**
 * The package ships CommonJS typings for an ESM build: under NodeNext the types see the loader
 * at `.default.default`, the runtime (highs.mjs) at `.default`. Accept either.
 */
function loader(): Loader {
  const d = (highsModule as unknown as { default: Loader | { default: Loader } }).default;
  return typeof d === 'function' ? d : d.default;
}

export function loadHighs(): Promise<Highs> {
  if (!loading) loading = loader()();
  return loading;
}

export interface SolveRequest {
  sense: 'max' | 'min';
  timeLimitSeconds: number;
  gapTarget: number;
  /** false turns HiGHS presolve off (default: HiGHS chooses). */
  presolve?: boolean;
  /** Full column vector of a feasible plan to start from (e.g. the greedy plan). */
  start?: number[];
  /** MIP: stop as soon as an incumbent reaches this objective (in the model's sense). */
  stopAtObjective?: number;
}

export interface SolveOutcome {
  /** HiGHS model status name, e.g. 'optimal', 'timeLimit', 'infeasible'. */
  status: string;
  optimal: boolean;
  infeasible: boolean;
  /** Column values of the incumbent, when there is one. */
  values: Float64Array | null;
  objective: number | null;
  bound: number | null;
  /** Relative gap |bound - objective| / max(1, |objective|), null without both. */
  gap: number | null;
  seconds: number;
  /** e.g. 'HiGHS 1.15.1 (wasm)'. */
  engine: string;
}

export async function solveFormulation(f: LinearProgram, req: SolveRequest): Promise<SolveOutcome> {
  const highs = await loadHighs();
  const inf = highs.infinity;
  const starts = new Int32Array(f.rows.length + 1);
  let nnz = 0;
  f.rows.forEach((r, i) => {
    nnz += r.idx.length;
    starts[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  for (const r of f.rows) {
    for (let k = 0; k < r.idx.length; k++) {
      indices[p] = r.idx[k];
      values[p] = r.val[k];
      p++;
    }
  }
  const clip = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const model = highs.createModel({
    numCols: f.numCols,
    numRows: f.rows.length,
    sense: req.sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: Float64Array.from(f.colCost),
    colLower: Float64Array.from(f.colLower, clip),
    colUpper: Float64Array.from(f.colUpper, clip),
    rowLower: Float64Array.from(f.rows, (r) => clip(r.lo)),
    rowUpper: Float64Array.from(f.rows, (r) => clip(r.hi)),
    matrix: { format: 'csr', numRows: f.rows.length, numCols: f.numCols, starts, indices, values },
    integrality: Int32Array.from(f.integrality),
  });
  const t0 = performance.now();
  try {
    const { log, extraOptions } = settings;
    model.options.set({
      output_flag: log,
      time_limit: Math.max(0.1, req.timeLimitSeconds),
      mip_rel_gap: req.gapTarget,
      presolve: req.presolve === false ? 'off' : 'choose',
      ...extraOptions,
    });
    if (req.start) model.setSolution({ colValue: Float64Array.from(req.start) });
    // The wasm build prints nowhere; with LAUNCHLOOP_HIGHS_LOG=1 the log goes to stderr.
    const target = req.stopAtObjective;
    const reached = (v: number | undefined) => v !== undefined && target !== undefined && (req.sense === 'max' ? v >= target : v <= target);
    const run = model.run({
      ...(log ? { [highs.constants.callbackType.logging]: (e: { message: string }) => void process.stderr.write(e.message) } : {}),
      ...(target !== undefined
        ? {
            [highs.constants.callbackType.mipInterrupt]: (e: { data: { mip_primal_bound?: number }; interrupt(): void }) => {
              if (reached(e.data.mip_primal_bound)) e.interrupt();
            },
          }
        : {}),
    });
    const seconds = (performance.now() - t0) / 1000;
    const codes = highs.constants.modelStatus;
    const status = (Object.keys(codes) as (keyof typeof codes)[]).find((k) => codes[k] === run.modelStatus) ?? `status ${run.modelStatus}`;
    const hasPrimal = Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    const objective = hasPrimal ? model.getObjectiveValue() : null;
    const isLp = f.integrality.every((v) => v === 0);
    const solution = hasPrimal ? model.getSolution() : null;
    const rawBound = isLp ? (run.modelStatus === codes.optimal && objective !== null ? objective : NaN) : Number(model.info.get('mip_dual_bound'));
    const bound = Number.isFinite(rawBound) && Math.abs(rawBound) < 1e29 ? rawBound : null;
    const gap = objective !== null && bound !== null ? Math.abs(bound - objective) / Math.max(1, Math.abs(objective)) : null;
    return {
      status,
      optimal: run.modelStatus === codes.optimal,
      infeasible: run.modelStatus === codes.infeasible,
      values: hasPrimal && solution ? solution.colValue : null,
      objective,
      bound,
      gap,
      seconds,
      engine: `HiGHS ${highs.version.string} (wasm)`,
    };
  } finally {
    model.dispose();
  }
}
