/**
 * Standard normal density, distribution function and quantile: the one implementation shared by
 * the forecasters (interval multipliers) and the planner (newsvendor quantiles, expected sales).
 * Pure functions, no dependencies. Both algorithms are the ones R uses, so results agree with
 * R's `pnorm` / `qnorm` to about 1e-16 relative.
 */

const INV_SQRT_2PI = 0.398942280401432677939946059934;

/** Standard normal density, R's `dnorm(z)`. */
export function dnorm(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

// W. J. Cody, "Rational Chebyshev approximations for the error function", Mathematics of
// Computation 23 (1969), as in R's nmath/pnorm.c (pnorm_both, lower tail).
const PA = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const PB = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const PC = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const PD = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const PP = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const PQ = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];
const SQRT_32 = 5.656854249492380195206754896838;

/** exp(-y²/2) computed without cancellation (R's do_del): split y at a multiple of 1/16. */
function gaussTail(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq * 0.5) * Math.exp(-del * 0.5);
}

/** Standard normal distribution function P(Z ≤ z), R's `pnorm(z)` (Cody's algorithm). */
export function pnorm(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const y = Math.abs(z);
  if (y <= 0.67448975) {
    let num = 0;
    let den = 0;
    if (y > 1.1102230246251565e-16) {
      const zsq = z * z;
      num = PA[4] * zsq;
      den = zsq;
      for (let i = 0; i < 3; i++) {
        num = (num + PA[i]) * zsq;
        den = (den + PB[i]) * zsq;
      }
    }
    return 0.5 + (z * (num + PA[3])) / (den + PB[3]);
  }
  let upper: number; // P(Z > |z|)
  if (y <= SQRT_32) {
    let num = PC[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + PC[i]) * y;
      den = (den + PD[i]) * y;
    }
    upper = gaussTail(y) * ((num + PC[7]) / (den + PD[7]));
  } else if (y < 38.5) {
    const ysq = 1 / (z * z);
    let num = PP[5] * ysq;
    let den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + PP[i]) * ysq;
      den = (den + PQ[i]) * ysq;
    }
    const r = (ysq * (num + PP[4])) / (den + PQ[4]);
    upper = (gaussTail(y) * (INV_SQRT_2PI - r)) / y;
  } else {
    upper = 0;
  }
  return z > 0 ? 1 - upper : upper;
}

/**
 * Standard normal quantile, Wichura's algorithm AS 241 (Applied Statistics 37, 1988), the PPND16
 * variant: about 1e-16 relative accuracy, the algorithm of R's `qnorm`, so interval widths match
 * R's to the printed digits. qnorm(0) = -Infinity, qnorm(1) = Infinity, NaN outside [0, 1].
 */
export function qnorm(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
          133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -val : val;
}

/** qnorm(0.9): p10..p90 spans 2 x Z90 standard deviations of a normal (an 80% interval). */
export const Z90 = 1.2815515655446004;

/** The normal-equivalent sd of an 80% interval [p10, p90] (0 when it is empty or inverted). */
export function sdFromInterval80(p10: number, p90: number): number {
  return Math.max(0, p90 - p10) / (2 * Z90);
}
