/**
 * CPLEX LP text of a formulation, so the exact model the planner solves can be cross-checked
 * with native HiGHS (`highs model.lp`, or highspy's readModel) or any other LP-format solver.
 */
import type { Formulation } from './formulation.js';

function term(v: number, name: string, first: boolean): string {
  const sign = v < 0 ? '-' : '+';
  const a = Math.abs(v);
  return `${first && sign === '+' ? '' : `${sign} `}${a === 1 ? '' : `${a} `}${name}`;
}

/** Lines of at most ~200 characters (LP readers limit line length). */
function wrap(head: string, terms: string[], tail: string): string {
  const lines: string[] = [];
  let line = head;
  for (const t of terms) {
    if (line.length + t.length > 200) {
      lines.push(line);
      line = '   ';
    }
    line += ` ${t}`;
  }
  line += tail;
  lines.push(line);
  return lines.join('\n');
}

export function formulationToLp(f: Formulation, sense: 'max' | 'min' = 'max'): string {
  const out: string[] = [`\\ launchloop planner model: ${f.nX} launch binaries, ${f.numCols} columns, ${f.rows.length} rows`];
  out.push(sense === 'max' ? 'Maximize' : 'Minimize');
  const obj: string[] = [];
  f.colCost.forEach((v, j) => {
    if (v !== 0) obj.push(term(v, f.colNames[j], obj.length === 0));
  });
  out.push(wrap(' obj:', obj.length > 0 ? obj : ['0 x_dummy_zero'], ''));
  out.push('Subject To');
  f.rows.forEach((r, i) => {
    const terms = r.idx.map((k, p) => term(r.val[p], f.colNames[k], p === 0));
    if (terms.length === 0) terms.push('0 x_dummy_zero');
    const name = `r${i}_${r.meta.family.replace(/-/g, '_')}`;
    if (r.lo === r.hi) out.push(wrap(` ${name}:`, terms, ` = ${r.hi}`));
    else {
      if (Number.isFinite(r.hi)) out.push(wrap(` ${name}${Number.isFinite(r.lo) ? '_hi' : ''}:`, terms, ` <= ${r.hi}`));
      if (Number.isFinite(r.lo)) out.push(wrap(` ${name}${Number.isFinite(r.hi) ? '_lo' : ''}:`, terms, ` >= ${r.lo}`));
    }
  });
  out.push('Bounds');
  f.colNames.forEach((n, j) => {
    if (f.integrality[j] === 1 && f.colLower[j] === 0 && f.colUpper[j] === 1) return;
    const lo = f.colLower[j];
    const hi = f.colUpper[j];
    if (lo === 0 && !Number.isFinite(hi)) return;
    out.push(` ${Number.isFinite(lo) ? lo : '-inf'} <= ${n} <= ${Number.isFinite(hi) ? hi : 'inf'}`);
  });
  if (obj.length === 0 || f.rows.some((r) => r.idx.length === 0)) out.push(' x_dummy_zero = 0');
  const bins = f.colNames.filter((_, j) => f.integrality[j] === 1 && f.colLower[j] === 0 && f.colUpper[j] === 1);
  const gens = f.colNames.filter((_, j) => f.integrality[j] === 1 && !(f.colLower[j] === 0 && f.colUpper[j] === 1));
  if (bins.length > 0) out.push('Binary', wrap('', bins, ''));
  if (gens.length > 0) out.push('General', wrap('', gens, ''));
  out.push('End', '');
  return out.join('\n');
}
