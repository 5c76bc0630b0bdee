import type { Database } from '../client.js';
import type { competitorEvents, promotions } from '../schema.js';

type Promotion = typeof promotions.$inferSelect;
type CompetitorEvent = typeof competitorEvents.$inferSelect;

export type PromotionRow = Pick<Promotion, 'id' | 'name' | 'category' | 'startWeek' | 'endWeek' | 'discount' | 'kind'>;

/** What the launch calendar marks beside a scope's launches: its region's promotions and competitor launches. */
export function calendarRepository({ sql }: Database) {
  return {
    /** Promotions of the region touching the scope's categories (a null category is site-wide). */
    async promotions(scope: { region: string; categories: string[] }): Promise<PromotionRow[]> {
      return sql<PromotionRow[]>`
        select id, name, category, start_week::text as "startWeek", end_week::text as "endWeek", discount, kind
          from promotions where region = ${scope.region} and (category is null or category = any(${scope.categories}))
         order by start_week, name, category nulls first`;
    },

    async competitorLaunches(scope: { region: string; categories: string[] }) {
      return sql<Pick<CompetitorEvent, 'competitor' | 'category' | 'week' | 'description'>[]>`
        select competitor, category, week::text, description from competitor_events
         where region = ${scope.region} and category = any(${scope.categories}) and kind = 'launch' order by week, category`;
    },

    /**
     * Adds a promotion of a region, one row per category (null: site-wide). A row with the same
     * name, region, category and start week is kept, not added twice, so a retried request
     * leaves one promotion; the rows of the promotion are returned either way.
     */
    async addPromotion(p: { name: string; region: string; categories: Array<string | null>; startWeek: string; endWeek: string; discount: number }): Promise<PromotionRow[]> {
      return sql.begin(async (tx) => {
        const rows: PromotionRow[] = [];
        for (const category of p.categories) {
          const [existing] = await tx<PromotionRow[]>`
            select id, name, category, start_week::text as "startWeek", end_week::text as "endWeek", discount, kind from promotions
             where name = ${p.name} and region = ${p.region} and category is not distinct from ${category} and start_week = ${p.startWeek}`;
          if (existing) {
            rows.push(existing);
            continue;
          }
          const [row] = await tx<PromotionRow[]>`
            insert into promotions (name, region, category, start_week, end_week, discount, kind)
            values (${p.name}, ${p.region}, ${category}, ${p.startWeek}, ${p.endWeek}, ${p.discount}, 'promotion')
            returning id, name, category, start_week::text as "startWeek", end_week::text as "endWeek", discount, kind`;
          rows.push(row);
        }
        return rows;
      });
    },
  };
}
