/**
 * Fixed-order ARIMA estimation against golden values from R 4.2.2 (stats::arima, forecast 8.20).
 * Each fixture names the R call that produced it. Our likelihood is the exact one on the
 * differenced series; R's diffuse prior (kappa = 1e6) shifts its log-likelihood by < 1e-4.
 */
import { describe, expect, it } from 'vitest';
import { m4WeeklyTrain, usAccDeaths, www } from './fixtures.js';
import { fitArima } from './index.js';

// R: as.numeric(lh)
const lh = [2.4, 2.4, 2.4, 2.2, 2.1, 1.5, 2.3, 2.3, 2.5, 2, 1.9, 1.7, 2.2, 1.8, 3.2, 3.2, 2.7, 2.2, 2.2, 1.9, 1.9, 1.8, 2.7, 3, 2.3, 2, 2, 2.9, 2.9, 2.7, 2.7, 2.3, 2.6, 2.4, 1.8, 1.7, 1.5, 1.4, 2.1, 3.3, 3.5, 3.5, 3.1, 2.6, 2.1, 3.4, 3, 2.9];
// R: as.numeric(LakeHuron)
const lakeHuron = [580.38, 581.86, 580.97, 580.8, 579.79, 580.39, 580.42, 580.82, 581.4, 581.32, 581.44, 581.68, 581.17, 580.53, 580.01, 579.91, 579.14, 579.16, 579.55, 579.67, 578.44, 578.24, 579.1, 579.09, 579.35, 578.82, 579.32, 579.01, 579, 579.8, 579.83, 579.72, 579.89, 580.01, 579.37, 578.69, 578.19, 578.67, 579.55, 578.92, 578.09, 579.37, 580.13, 580.14, 579.51, 579.24, 578.66, 578.86, 578.05, 577.79, 576.75, 576.75, 577.82, 578.64, 580.58, 579.48, 577.38, 576.9, 576.94, 576.24, 576.84, 576.85, 576.9, 577.79, 578.18, 577.51, 577.23, 578.42, 579.61, 579.05, 579.26, 579.22, 579.38, 579.1, 577.95, 578.12, 579.75, 580.85, 580.41, 579.96, 579.61, 578.76, 578.18, 577.21, 577.13, 579.1, 578.25, 577.91, 576.89, 575.96, 576.8, 577.68, 578.38, 578.52, 579.74, 579.31, 579.89, 579.96];

describe('fitArima reproduces stats::arima (CSS-ML)', () => {
  // Tolerances: coefficients 2e-3 absolute (flat likelihoods move the last digits), sigma2 1e-3
  // relative, log-likelihood 1e-3 absolute.
  const cases = [
    // arima(lh, order = c(1,0,0))
    { name: 'lh AR(1)', y: lh, order: { p: 1, d: 0, q: 0 }, ar: [0.573929601443], ma: [], mean: 2.413287957712, sigma2: 0.197489514927, loglik: -29.379162387371 },
    // arima(lh, order = c(3,0,0))
    { name: 'lh AR(3)', y: lh, order: { p: 3, d: 0, q: 0 }, ar: [0.6447965165482, -0.0633735287511, -0.2198061917137], ma: [], mean: 2.3931274684391, sigma2: 0.17866028768, loglik: -27.092411066 },
    // arima(lh, order = c(1,0,1))
    { name: 'lh ARMA(1,1)', y: lh, order: { p: 1, d: 0, q: 1 }, ar: [0.452202021976], ma: [0.198167326585], mean: 2.410059610486, sigma2: 0.192312134203, loglik: -28.762033205184 },
    // arima(WWWusage, order = c(1,1,1))
    { name: 'WWWusage ARIMA(1,1,1)', y: www, order: { p: 1, d: 1, q: 1 }, ar: [0.650375976232], ma: [0.525595888951], sigma2: 9.79332121755, loglik: -254.14973578717 },
  ];
  for (const c of cases) {
    it(`${c.name}: coefficients, sigma2 and log-likelihood`, () => {
      const fit = fitArima(c.y, c.order).model;
      c.ar.forEach((v, i) => expect(fit.coef.ar[i]).toBeCloseTo(v, 2));
      c.ma.forEach((v, i) => expect(fit.coef.ma[i]).toBeCloseTo(v, 2));
      if (c.mean !== undefined) expect(Math.abs(fit.coef.xreg[0] - c.mean)).toBeLessThan(2e-3);
      expect(Math.abs(fit.sigma2 / c.sigma2 - 1)).toBeLessThan(1e-3);
      expect(Math.abs(fit.loglik - c.loglik)).toBeLessThan(1e-3);
    });
  }

  it('seasonal ARIMA(0,1,1)(0,1,1)[12] on USAccDeaths, with forecast::forecast intervals', () => {
    // arima(USAccDeaths, order = c(0,1,1), seasonal = list(order = c(0,1,1))): ma1 −0.430269236217,
    // sma1 −0.552791270186, loglik −425.439993553 (R's diffuse prior, kappa = 1e6, on 13 initial
    // states costs it 1e-3 here). The exact likelihood of the differenced series, which is what we
    // maximise: arima(diff(diff(USAccDeaths, 12)), order = c(0,0,1), seasonal = list(order =
    // c(0,0,1), period = 12), include.mean = FALSE).
    const fit = fitArima(usAccDeaths, { p: 0, d: 1, q: 1, P: 0, D: 1, Q: 1, period: 12 });
    expect(fit.model.coef.ma[0]).toBeCloseTo(-0.43027110293963, 3);
    expect(fit.model.coef.sma[0]).toBeCloseTo(-0.55272859027983, 3);
    expect(Math.abs(fit.model.loglik - -425.441102430863)).toBeLessThan(1e-3);
    expect(Math.abs(fit.model.sigma2 / 99352.5832510287 - 1)).toBeLessThan(1e-3);
    expect(fit.model.coef.ma[0]).toBeCloseTo(-0.430269236217, 3);
    expect(fit.model.coef.sma[0]).toBeCloseTo(-0.552791270186, 3);
    // forecast(Arima(USAccDeaths, order = c(0,1,1), seasonal = c(0,1,1)), h = 6, level = 95)
    const mean = [8336.06126629841, 7531.82914118518, 8314.64376018511, 8616.86875619251, 9488.91252223543, 9859.75735984853];
    const lo = [7706.95692022864, 6807.87992088487, 7506.91071723575, 7733.26088869281, 8535.44880606881, 8841.21759515794];
    const hi = [8965.16561236818, 8255.77836148549, 9122.37680313448, 9500.47662369222, 10442.37623840204, 10878.29712453911];
    const p = fit.predict(6, [95]);
    // Tolerance 1.5 (2e-4 relative): R's diffuse-prior estimates differ from ours in the 5th digit.
    mean.forEach((v, k) => expect(Math.abs(p.mean[k] - v)).toBeLessThan(1.5));
    lo.forEach((v, k) => expect(Math.abs(p.lo['95'][k] - v)).toBeLessThan(1.5));
    hi.forEach((v, k) => expect(Math.abs(p.hi['95'][k] - v)).toBeLessThan(1.5));
  });

  it('regression with AR(2) errors on LakeHuron (xreg = year − 1920)', () => {
    // arima(LakeHuron, order = c(2,0,0), xreg = time(LakeHuron) - 1920)
    const xreg = lakeHuron.map((_, i) => [1875 + i - 1920]);
    const fit = fitArima(lakeHuron, { p: 2, d: 0, q: 0 }, { xreg }).model;
    expect(fit.coef.ar[0]).toBeCloseTo(1.0048037441569364, 3);
    expect(fit.coef.ar[1]).toBeCloseTo(-0.2913198222281989, 3);
    expect(fit.xregNames).toEqual(['intercept', 'xreg1']);
    expect(fit.coef.xreg[0]).toBeCloseTo(579.0993448208138261, 2);
    expect(fit.coef.xreg[1]).toBeCloseTo(-0.0215688282197286, 4);
    expect(Math.abs(fit.loglik - -101.198267321619)).toBeLessThan(1e-3);
  });
});

describe('ARIMA(0,1,0): the random walk (the npm arima package returned uninitialised memory here)', () => {
  // R: set.seed(1); y <- cumsum(rnorm(60, 0.5, 1)) + 10
  const y = [9.87354618925767, 10.55718951347975, 10.2215609010697, 12.31684170320749, 13.14634947502286, 12.82588109090484, 13.81331014333333, 15.05163484846254, 16.12741620011603, 16.32202781295968, 18.33380898141053, 19.22365221782196, 19.10241163728016, 17.38771175010265, 19.01264266824576, 19.46770905923053, 19.95151879613158, 21.39535500681689, 22.71657620191497, 23.81047752313248, 25.2294548947407, 26.51159119547177, 27.08615617883696, 25.59680448297359, 26.71663023086829, 27.16050149133929, 27.50470598463396, 26.53395360073469, 26.55580354562607, 27.47374510582577, 29.33242465735482, 29.72963693001182, 30.61730854157119, 31.06350350098829, 30.18644394415968, 30.27144938086, 30.37715942714965, 30.81784603043846, 32.41787140242235, 33.68104715087989, 34.0165235546263, 34.2631618744898, 35.46012524989453, 36.51678844856819, 36.32803275401867, 36.12053759705655, 36.98511955919338, 38.2536524837088, 38.64130627155857, 40.02241399801278, 40.92051987837985, 40.80849348512908, 41.6496131765535, 41.02025008047271, 42.95327378217375, 45.43367368067961, 45.5664522042131, 45.02231757789657, 46.09203720533898, 46.45698260145816];
  const last = y[y.length - 1];

  it('forecasts equal the last value, intervals widen as sqrt(h), no NaN', () => {
    const fit = fitArima(y, { p: 0, d: 1, q: 0 });
    const p = fit.predict(5, [80, 95]);
    for (const v of p.mean) expect(v).toBe(last);
    const diffs = y.slice(1).map((v, i) => v - y[i]);
    const sigma2 = diffs.reduce((s, d) => s + d * d, 0) / diffs.length;
    expect(fit.model.sigma2).toBeCloseTo(sigma2, 10);
    const w1 = p.hi['95'][0] - p.mean[0];
    p.hi['95'].forEach((v, k) => expect((v - p.mean[k]) / w1).toBeCloseTo(Math.sqrt(k + 1), 10));
    expect([...p.mean, ...p.lo['80'], ...p.hi['80'], ...fit.fitted.slice(1)].every(Number.isFinite)).toBe(true);
    expect(fit.fitted.slice(1)).toEqual(y.slice(0, -1));
  });

  it('with drift: last + k·drift, drift = mean difference (Arima(y, c(0,1,0), include.drift = TRUE))', () => {
    const fit = fitArima(y, { p: 0, d: 1, q: 0 }, { includeDrift: true });
    const drift = fit.model.coef.xreg[0];
    expect(drift).toBeCloseTo(0.620058244274724, 9);
    expect(drift).toBeCloseTo((last - y[0]) / (y.length - 1), 9);
    expect(fit.model.loglik).toBeCloseTo(-74.1093861802427, 6);
    const p = fit.predict(3, [95]);
    // forecast(Arima(y, order = c(0,1,0), include.drift = TRUE), h = 3)$mean
    [47.0770408457329, 47.6970990900076, 48.3171573342823].forEach((v, k) => expect(p.mean[k]).toBeCloseTo(v, 8));
    p.mean.forEach((v, k) => expect(v).toBeCloseTo(last + (k + 1) * drift, 10));
  });
});

describe('ARIMA(1,1,1) converges on M4 weekly series (npm arima diverged here)', () => {
  // R: arima(y, order = c(1,1,1)) on each series (frequency 1), convergence code 0 for all. The
  // log-likelihoods are identical to arima(diff(y), order = c(1,0,1), include.mean = FALSE), the
  // exact likelihood we maximise. On W1 and W3 R stops at a local optimum: we reach a strictly
  // higher likelihood there (W1 −14968.80, W3 −11953.41; checked by evaluating our likelihood at
  // R's estimates, which reproduces R's value), so only 'not worse than R' is asserted for them.
  const localOptimumInR = new Set(['W1', 'W3']);
  const golden = [
    { id: 'W1', ar1: -0.0000115743, ma1: -0.0000297273, sigma2: 54609.9656, loglik: -14969.22926873 },
    { id: 'W3', ar1: -0.2706324201, ma1: 0.5791521303, sigma2: 3720.636504, loglik: -12038.3671031 },
    { id: 'W5', ar1: 0.6199124415, ma1: -0.9816375476, sigma2: 1148027.493, loglik: -13450.89913694 },
    { id: 'W7', ar1: 0.4606270644, ma1: -0.9689783565, sigma2: 7892615.433, loglik: -14995.09728668 },
    { id: 'W9', ar1: 0.0728145935, ma1: -0.5067901855, sigma2: 1993654.809, loglik: -13892.14256774 },
    { id: 'W11', ar1: 0.4545722718, ma1: -0.6911443061, sigma2: 43167.5102, loglik: -6302.81444492 },
    { id: 'W13', ar1: -0.2023853179, ma1: 0.3586625407, sigma2: 1698.094457, loglik: -3699.06446464 },
    { id: 'W15', ar1: 0.3189362923, ma1: -0.8486716116, sigma2: 74606.08184, loglik: -5061.20249776 },
    { id: 'W17', ar1: 0.977152371, ma1: -0.8763571011, sigma2: 4268.204437, loglik: -4031.1960787 },
    { id: 'W19', ar1: 0.638037769, ma1: -0.9867143613, sigma2: 5708529.706, loglik: -14726.56255701 },
    { id: 'W21', ar1: 0.6600256501, ma1: -0.9741717398, sigma2: 1184606.957, loglik: -13467.39446457 },
    { id: 'W23', ar1: 0.3624792757, ma1: -0.8801229454, sigma2: 37871.9155, loglik: -10710.99482973 },
    { id: 'W25', ar1: 0.2727227887, ma1: -0.5543651859, sigma2: 238280.7406, loglik: -12182.93338699 },
    { id: 'W27', ar1: 0.0509771228, ma1: -0.707448708, sigma2: 1000562.418, loglik: -13331.7985106 },
    { id: 'W29', ar1: 0.3771579144, ma1: -0.7447339978, sigma2: 290431.2231, loglik: -12341.45922511 },
    { id: 'W31', ar1: 0.0968550161, ma1: -0.5372872217, sigma2: 121995.7231, loglik: -11647.09106112 },
  ];
  for (const g of golden) {
    it(`${g.id}: log-likelihood never below R's by more than 1e-3; same optimum within 0.01`, () => {
      const fit = fitArima([...m4WeeklyTrain[g.id]], { p: 1, d: 1, q: 1 }).model;
      expect(fit.loglik).toBeGreaterThan(g.loglik - 1e-3);
      if (localOptimumInR.has(g.id)) {
        expect(fit.loglik).toBeGreaterThan(g.loglik + 0.1);
      } else {
        expect(fit.loglik).toBeLessThan(g.loglik + 0.01);
        expect(Math.abs(fit.sigma2 / g.sigma2 - 1)).toBeLessThan(1e-3);
        expect(Math.abs(fit.coef.ar[0] - g.ar1)).toBeLessThan(0.01);
        expect(Math.abs(fit.coef.ma[0] - g.ma1)).toBeLessThan(0.01);
      }
      expect(fit.residuals.slice(1).every(Number.isFinite)).toBe(true);
    });
  }
});
