/**
 * Ridge / OLS market-trend regression against R 4.2.2. Fixtures from mtcars (mpg on wt, hp, qsec).
 */
import { describe, expect, it } from 'vitest';
import { fitArima } from './arima/index.js';
import { designMatrix, ridgeRegression } from './regression.js';
import { ForecastInputError } from './types.js';

// R: mtcars$wt, mtcars$hp, mtcars$qsec, mtcars$mpg
const wt = [2.62, 2.875, 2.32, 3.215, 3.44, 3.46, 3.57, 3.19, 3.15, 3.44, 3.44, 4.07, 3.73, 3.78, 5.25, 5.424, 5.345, 2.2, 1.615, 1.835, 2.465, 3.52, 3.435, 3.84, 3.845, 1.935, 2.14, 1.513, 3.17, 2.77, 3.57, 2.78];
const hp = [110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215, 230, 66, 52, 65, 97, 150, 150, 245, 175, 66, 91, 113, 264, 175, 335, 109];
const qsec = [16.46, 17.02, 18.61, 19.44, 17.02, 20.22, 15.84, 20, 22.9, 18.3, 18.9, 17.4, 17.6, 18, 17.98, 17.82, 17.42, 19.47, 18.52, 19.9, 20.01, 16.87, 17.3, 15.41, 17.05, 18.9, 16.7, 16.9, 14.5, 15.5, 14.6, 18.6];
const mpg = [21, 21, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4, 10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3, 26, 30.4, 15.8, 19.7, 15, 21.4];
const X = wt.map((_, i) => [wt[i], hp[i], qsec[i]]);

describe('ridgeRegression', () => {
  it('with lambda = 0 reproduces lm(mpg ~ wt + hp + qsec, data = mtcars): estimates and standard errors to 1e-8', () => {
    const fit = ridgeRegression({ X, y: mpg, names: ['wt', 'hp', 'qsec'], lambda: 0 });
    // summary(lm(mpg ~ wt + hp + qsec, data = mtcars))$coefficients[, 1:2]
    const est = [27.6105268582049383, -4.3587972001626856, -0.0178222716055425, 0.5108336942450574];
    const se = [8.4199284765393205, 0.7527003922347395, 0.0149811688489363, 0.4392215320375534];
    expect(fit.intercept.estimate).toBeCloseTo(est[0], 8);
    expect(fit.intercept.se).toBeCloseTo(se[0], 8);
    fit.coefficients.forEach((c, j) => {
      expect(c.estimate).toBeCloseTo(est[j + 1], 8);
      expect(c.se).toBeCloseTo(se[j + 1], 8);
    });
    // Elasticity at the means: β·x̄/ȳ.
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    expect(fit.coefficients[0].elasticity).toBeCloseTo((est[1] * mean(wt)) / mean(mpg), 10);
    expect(fit.df).toBeCloseTo(3, 10);
  });

  it('with lambda = 5 on standardised columns matches the closed form solve(X\'X + 5I, X\'y)', () => {
    // R: X <- scale(as.matrix(mtcars[, c("wt","hp","qsec")])); yc <- mtcars$mpg - mean(mtcars$mpg)
    //    b <- solve(crossprod(X) + 5 * diag(3), crossprod(X, yc)); b / attr(X, "scaled:scale")
    const fit = ridgeRegression({ X, y: mpg, lambda: 5 });
    [-3.5255815276414721, -0.0246789485925074, 0.3480818093594831].forEach((v, j) => expect(fit.coefficients[j].estimate).toBeCloseTo(v, 9));
    expect(fit.intercept.estimate).toBeCloseTo(28.8405702466629, 8);
    expect(fit.df).toBeLessThan(3);
  });

  it('chooses lambda by GCV: finite, non-negative, no worse GCV than OLS, stable under exact collinearity', () => {
    const fit = ridgeRegression({ X, y: mpg });
    const ols = ridgeRegression({ X, y: mpg, lambda: 0 });
    expect(fit.lambda).toBeGreaterThanOrEqual(0);
    expect(fit.gcv).toBeLessThanOrEqual(ols.gcv + 1e-9);
    // A duplicated price column: OLS is singular, ridge still gives finite, split coefficients.
    const Xc = X.map((r) => [...r, r[1]]);
    const fc = ridgeRegression({ X: Xc, y: mpg });
    expect(fc.lambda).toBeGreaterThan(0);
    expect(fc.coefficients.every((c) => Number.isFinite(c.estimate) && Number.isFinite(c.se))).toBe(true);
    expect(fc.coefficients[1].estimate).toBeCloseTo(fc.coefficients[3].estimate, 8);
  });

  it('log-log mode reports coefficients as elasticities; predict uses original units', () => {
    const lp = hp.map(Math.log);
    const fit = ridgeRegression({ X: lp.map((v) => [v]), y: mpg.map(Math.log), lambda: 0, elasticity: 'log-log' });
    expect(fit.coefficients[0].elasticity).toBe(fit.coefficients[0].estimate);
    const pr = fit.predict([[Math.log(100)]])[0];
    expect(pr).toBeCloseTo(fit.intercept.estimate + fit.coefficients[0].estimate * Math.log(100), 12);
    expect(() => ridgeRegression({ X: [[1]], y: [1, 2] })).toThrow(ForecastInputError);
  });
});

describe('designMatrix', () => {
  it('builds Fourier week-of-year terms, festival dummies and extra columns, usable as ARIMA xreg', () => {
    const weeks = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2022, 0, 3) + i * 7 * 86_400_000).toISOString().slice(0, 10));
    const promo = weeks.map((_, i) => (i % 9 === 0 ? 1 : 0));
    const { names, rows } = designMatrix({ weeks, fourierK: 2, festivals: { christmas: ['2022-12-19', '2023-12-18'] }, extra: { promo } });
    expect(names).toEqual(['sin1', 'cos1', 'sin2', 'cos2', 'christmas', 'promo']);
    expect(rows).toHaveLength(120);
    expect(rows[50][4]).toBe(1); // 2022-12-19 is week index 50
    // Same calendar week one year apart: nearly identical Fourier values (period 365.25/7).
    expect(rows[52][0]).toBeCloseTo(rows[0][0], 1);
    const y = rows.map((r, i) => 100 + 10 * r[0] + 30 * r[4] + 5 * r[5] + Math.sin(i * 1.7));
    const fit = fitArima(y, { p: 1, d: 0, q: 0 }, { xreg: rows });
    const names2 = fit.model.xregNames;
    expect(names2).toContain('xreg6');
    expect(fit.model.coef.xreg[names2.indexOf('xreg5')]).toBeCloseTo(30, 0);
  });
});
