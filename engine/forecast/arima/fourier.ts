/**
 * Fourier terms for long or non-integer seasonal periods, as forecast::fourier
 * (Hyndman & Athanasopoulos, FPP3 §12.1; Hyndman's "dynamic harmonic regression"):
 * sin(2πkt/m) and cos(2πkt/m) for k = 1..K, t the 1-based time index. When 2k = m the sine
 * is identically zero and is left out.
 */
export function fourierColumns(period: number, K: number, start: number, length: number): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let k = 1; k <= K; k++) {
    const s = new Float64Array(length);
    const c = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const angle = (2 * Math.PI * k * (start + i + 1)) / period;
      s[i] = Math.sin(angle);
      c[i] = Math.cos(angle);
    }
    if (2 * k === period) cols.push(c);
    else cols.push(s, c);
  }
  return cols;
}

/** Largest usable K for a period: K ≤ m/2. */
export function maxHarmonics(period: number): number {
  return Math.floor(period / 2);
}
