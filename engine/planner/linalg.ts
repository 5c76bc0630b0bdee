/** Small dense linear algebra for the Markov chain and the game solver (matrices are tiny). */

export type Matrix = number[][];

export function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const m = b[0]?.length ?? 0;
  const k = b.length;
  const out = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) {
      const v = a[i][t];
      if (v === 0) continue;
      for (let j = 0; j < m; j++) out[i][j] += v * b[t][j];
    }
  return out;
}

/** A^k by repeated squaring. */
export function matPow(a: Matrix, k: number): Matrix {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`matPow: k must be a non-negative integer, got ${k}`);
  let result = identity(a.length);
  let base = a;
  let e = k;
  while (e > 0) {
    if (e & 1) result = matMul(result, base);
    base = matMul(base, base);
    e >>= 1;
  }
  return result;
}

/**
 * Solve A x = b by Gaussian elimination with partial pivoting. Returns null when A is
 * singular to working precision (pivot below `tol` times the largest entry).
 */
export function solveLinear(a: Matrix, b: number[], tol = 1e-12): number[] | null {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]]);
  let scale = 0;
  for (const row of a) for (const v of row) scale = Math.max(scale, Math.abs(v));
  if (scale === 0) return n === 0 ? [] : null;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    if (Math.abs(m[piv][col]) <= tol * scale) return null;
    [m[col], m[piv]] = [m[piv], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}
