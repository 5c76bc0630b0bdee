import type { Database, Sql } from '../client.js';
import { insertForecastPoints } from '../bulk.js';
import type { datasetSnapshots, forecastPoints, forecastSets, sales, Scope } from '../schema.js';

type ForecastPoint = typeof forecastPoints.$inferSelect;
/** A forecast set with what it is read against: its snapshot's last sales week and its scope. */
export type ForecastSetContext = Pick<typeof forecastSets.$inferSelect, 'id' | 'scopeId' | 'horizon' | 'startWeek'> & {
  snapshotId: number;
  salesThrough: (typeof datasetSnapshots.$inferSelect)['salesThrough'];
} & Pick<Scope, 'region' | 'categories' | 'rules'>;

export interface SeriesForecastRow {
  seriesKey: string;
  kind: 'product' | 'candidate';
  model: string;
  params: Record<string, unknown>;
  backtest?: Record<string, number>;
  error?: string;
  points: Array<Pick<ForecastPoint, 'step' | 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95'>>;
}

export function forecastsRepository({ sql }: Database) {
  return {
    async createSet(input: { scopeId: string; snapshotId: number; runId: string; horizon: number; startWeek: string; method: string }) {
      const [row] = await sql<{ id: number }[]>`
        insert into forecast_sets (scope_id, run_id, snapshot_id, horizon, start_week, method)
        values (${input.scopeId}, ${input.runId}, ${input.snapshotId}, ${input.horizon}, ${input.startWeek}, ${input.method})
        returning id`;
      return row.id;
    },

    async getSet(id: number) {
      const [row] = await sql<ForecastSetContext[]>`select f.id, f.scope_id as "scopeId", f.snapshot_id as "snapshotId", f.horizon, f.start_week::text as "startWeek",
               d.sales_through::text as "salesThrough", s.region, s.categories, s.rules
          from forecast_sets f join dataset_snapshots d on d.id = f.snapshot_id join scopes s on s.id = f.scope_id
         where f.id = ${id}`;
      return row;
    },

    /** Series already stored for a set (of `keys`, when given): a retried activity skips them. */
    async doneKeys(setId: number, keys?: string[]): Promise<Set<string>> {
      const rows = await sql<{ series_key: string }[]>`
        select series_key from forecast_series where set_id = ${setId} ${keys ? sql`and series_key = any(${keys}::text[])` : sql``}`;
      return new Set(rows.map((r) => r.series_key));
    },

    /**
     * Stores a batch of series (model, params, points) atomically, one `unnest` statement per
     * table, idempotent on (set, series): a series already stored (by an earlier attempt, or by
     * a duplicate attempt of the same shard running at the same time) keeps the row and points
     * it has, and only the series this call inserted get points. Returns how many it inserted.
     */
    async saveSeries(setId: number, rows: SeriesForecastRow[]): Promise<number> {
      if (rows.length === 0) return 0;
      return sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        const inserted = await t<{ k: string }[]>`
          insert into forecast_series (set_id, series_key, kind, model, params, backtest, error)
          select ${setId}, k, kind, m, p::jsonb, b::jsonb, e from unnest(
            ${rows.map((r) => r.seriesKey)}::text[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.model)}::text[],
            ${rows.map((r) => JSON.stringify(r.params))}::text[], ${rows.map((r) => (r.backtest ? JSON.stringify(r.backtest) : null))}::text[],
            ${rows.map((r) => r.error ?? null)}::text[]) as u(k, kind, m, p, b, e)
          on conflict do nothing
          returning series_key as k`;
        const fresh = new Set(inserted.map((r) => r.k));
        await insertForecastPoints(
          t,
          rows.filter((r) => fresh.has(r.seriesKey)).flatMap((r) => r.points.map((p) => ({ setId, seriesKey: r.seriesKey, ...p }))),
        );
        return fresh.size;
      });
    },

    /** Product series of a set: how many were forecast, how many failed, and which models won. */
    async productStats(setId: number) {
      const [stats] = await sql<{ ok: number; failed: number; models: Record<string, number> | null }[]>`
        select count(*) filter (where error is null)::int as ok, count(*) filter (where error is not null)::int as failed,
               (select jsonb_object_agg(model, n) from (select model, count(*)::int n from forecast_series
                 where set_id = ${setId} and kind = 'product' and error is null group by model) m) as models
          from forecast_series where set_id = ${setId} and kind = 'product'`;
      return stats;
    },

    async summarise(setId: number, summary: Record<string, unknown>) {
      await sql`update forecast_sets set summary = summary || ${JSON.stringify(summary)}::jsonb where id = ${setId}`;
    },

    /** Weekly unit history of every product in the scope (or of the `skus` given), stock-out flags included. */
    async scopeSales(set: { region: string; categories: string[]; salesThrough: string }, skus?: string[]) {
      return sql<Pick<typeof sales.$inferSelect, 'sku' | 'week' | 'units' | 'stockout'>[]>`
        select s.sku, s.week::text, s.units, s.stockout
          from sales s join products p using (sku)
         where s.region = ${set.region} and p.category = any(${set.categories}) and s.week <= ${set.salesThrough}::date
               ${skus ? sql`and s.sku = any(${skus}::text[])` : sql``}
         order by s.sku, s.week`;
    },

    /**
     * The scope's product series: every product of its categories with sales in its region up
     * to the snapshot's cut-off (the same series `scopeSales` returns), probed per product
     * through the sales key so a shard does not scan the region's sales.
     */
    async seriesKeys(set: { region: string; categories: string[]; salesThrough: string }): Promise<string[]> {
      const rows = await sql<{ sku: string }[]>`
        select p.sku from products p
         where p.category = any(${set.categories})
           and exists (select 1 from sales s where s.sku = p.sku and s.region = ${set.region} and s.week <= ${set.salesThrough}::date)
         order by p.sku`;
      return rows.map((r) => r.sku);
    },

    async points(setId: number, kind?: 'product' | 'candidate') {
      return sql<Pick<ForecastPoint, 'seriesKey' | 'step' | 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95'>[]>`
        select p.series_key as "seriesKey", p.step, p.mean, p.lo_80 as "lo80", p.hi_80 as "hi80", p.lo_95 as "lo95", p.hi_95 as "hi95"
          from forecast_points p join forecast_series s on s.set_id = p.set_id and s.series_key = p.series_key
         where p.set_id = ${setId} ${kind ? sql`and s.kind = ${kind}` : sql``}
         order by p.series_key, p.step`;
    },
  };
}
