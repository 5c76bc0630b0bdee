import { afterAll, describe, expect, it } from 'vitest';
import { ThreadPool } from './thread-pool.js';

describe('ThreadPool', () => {
  const pool = new ThreadPool(2);
  afterAll(() => pool.close());

  it('runs forecast batches on worker threads and returns plain results', async () => {
    const y = Array.from({ length: 30 }, (_, i) => 10 + (i % 5));
    const [a, b] = await Promise.all([
      pool.run('forecastBatch', [{ id: 'a', y, horizon: 3, season: 1, model: 'naive' }]),
      pool.run('forecastBatch', [{ id: 'b', y, horizon: 2, season: 5, model: 'snaive' }]),
    ]);
    expect(a[0]).toMatchObject({ ok: true });
    expect(a[0].ok && a[0].result.mean).toEqual([y[29], y[29], y[29]]);
    expect(b[0].ok && b[0].result.mean).toEqual([y[25], y[26]]);
  });

  it('reports one bad series without failing the batch', async () => {
    const out = await pool.run('forecastBatch', [
      { id: 'bad', y: [], horizon: 3, season: 1, model: 'naive' },
      { id: 'good', y: [1, 2, 3, 4], horizon: 1, season: 1, model: 'naive' },
    ]);
    expect(out[0].ok).toBe(false);
    expect(out[1].ok).toBe(true);
  });

  it('rejects unknown task names', async () => {
    // @ts-expect-error an unknown task is a type error and a runtime rejection
    await expect(pool.run('rm -rf', {})).rejects.toThrow(/unknown thread task/);
  });
});
