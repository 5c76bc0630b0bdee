/**
 * Customers, their orders and launch audiences: the customer orders import's writes (inside the
 * import's transaction), a scope's purchase histories in the audience engine's terms, the
 * audiences scored with a forecast set (stored set-based, replaced whole on a retry), and the
 * API's reads of them.
 */
import type { Database } from '../client.js';
import { DEFAULT_CHUNK, inChunks, type Tx } from '../bulk.js';
import type { AudienceCandidate, AudienceItem, OrderRow } from '../../engine/audience/index.js';

export interface CustomerOrderRow {
  customerId: string;
  sku: string;
  week: string;
  units: number;
}

export interface CustomerRow {
  id: string;
  region: string;
  attributes: Record<string, string | number>;
}

/** The customer orders import's statements, inside the import's one transaction. */
export interface CustomerOrdersWriter {
  /** Which of these skus are stored products. */
  storedSkus(skus: readonly string[]): Promise<Set<string>>;
  /** Which of these orders' keys are stored, as `customer|sku|week`. */
  storedOrders(keys: ReadonlyArray<{ customerId: string; sku: string; week: string }>): Promise<Set<string>>;
  /** Creates customers not stored yet (their region is set again by `finishCustomers`). */
  ensureCustomers(rows: ReadonlyArray<{ id: string; region: string }>): Promise<void>;
  insertOrders(rows: readonly CustomerOrderRow[]): Promise<number>;
  /** The file's final word on each customer: region replaced, attributes merged over stored ones. */
  finishCustomers(rows: readonly CustomerRow[]): Promise<void>;
}

export function customerOrdersWriter(tx: Tx): CustomerOrdersWriter {
  return {
    async storedSkus(skus) {
      if (skus.length === 0) return new Set();
      const rows = await tx<{ sku: string }[]>`select sku from products where sku = any(${tx.array([...new Set(skus)])}::text[])`;
      return new Set(rows.map((r) => r.sku));
    },
    async storedOrders(keys) {
      if (keys.length === 0) return new Set();
      const rows = await tx<{ key: string }[]>`
        select o.customer_id || '|' || o.sku || '|' || o.week::text as key from customer_orders o
        join unnest(${tx.array(keys.map((k) => k.customerId))}::text[], ${tx.array(keys.map((k) => k.sku))}::text[], ${tx.array(keys.map((k) => k.week))}::date[])
          as k(customer_id, sku, week) on o.customer_id = k.customer_id and o.sku = k.sku and o.week = k.week`;
      return new Set(rows.map((r) => r.key));
    },
    async ensureCustomers(rows) {
      await inChunks(rows, DEFAULT_CHUNK, (p) => tx`
        insert into customers (id, region)
        select * from unnest(${tx.array(p.map((r) => r.id))}::text[], ${tx.array(p.map((r) => r.region))}::text[])
        on conflict (id) do nothing`);
    },
    insertOrders(rows) {
      return inChunks(rows, DEFAULT_CHUNK, (p) => tx`
        insert into customer_orders (customer_id, sku, week, units)
        select * from unnest(
          ${tx.array(p.map((r) => r.customerId))}::text[], ${tx.array(p.map((r) => r.sku))}::text[],
          ${tx.array(p.map((r) => r.week))}::date[], ${tx.array(p.map((r) => r.units))}::float8[])`);
    },
    async finishCustomers(rows) {
      await inChunks(rows, DEFAULT_CHUNK, (p) => tx`
        update customers c set region = t.region, attributes = c.attributes || t.attributes::jsonb
          from unnest(${tx.array(p.map((r) => r.id))}::text[], ${tx.array(p.map((r) => r.region))}::text[],
                      ${tx.array(p.map((r) => JSON.stringify(r.attributes)))}::text[]) as t(id, region, attributes)
         where c.id = t.id`);
    },
  };
}

/** The scope an audience is scored for: the forecast set's scope. */
export interface AudienceScope {
  setId: number;
  scopeId: string;
  categories: string[];
}

/** One candidate's stored audience, as the audience activity hands it over. */
export interface StoredAudience {
  candidateId: string;
  expectedBuyers: number;
  byRegion: Array<{ key: string; share: number }>;
  bySegment: Array<{ key: string; share: number }>;
  /** Best first; rank = position + 1. */
  members: Array<{ customerId: string; score: number }>;
}

/** A plan item's audience as the API serves it. */
export interface ItemAudience {
  planId: number;
  candidateId: string;
  forecastSetId: number;
  /** Customers stored for the candidate (the top K when the audience was scored). */
  size: number;
  expectedBuyers: number;
  byRegion: Array<{ key: string; share: number }>;
  bySegment: Array<{ key: string; share: number }>;
  customers: Array<{ rank: number; customerId: string; score: number; region: string }>;
}

/**
 * The audience engine's item attributes from the catalogue: `keyword` and `prefix` are product
 * attributes of those names when the import gave them (a shop's description word and stock-code
 * prefix, as convert-uci writes them), otherwise the subcategory and the brand, the nearest
 * fixed columns of the same grain.
 */
const ITEM_COLUMNS = (alias: string) =>
  `${alias}.category, coalesce(nullif(${alias}.attributes->>'keyword', ''), ${alias}.subcategory) as keyword, ` +
  `coalesce(nullif(${alias}.attributes->>'prefix', ''), ${alias}.brand) as prefix, ${alias}.price`;

export function audiencesRepository({ sql }: Database) {
  return {
    async scopeOfSet(setId: number): Promise<AudienceScope | undefined> {
      const [row] = await sql<AudienceScope[]>`
        select f.id as "setId", s.id as "scopeId", s.categories from forecast_sets f join scopes s on s.id = f.scope_id where f.id = ${setId}`;
      return row;
    },

    /** Whether any customer bought a product of these categories (the audience stage's gate). */
    async hasOrders(categories: string[]): Promise<boolean> {
      const [row] = await sql<{ any: boolean }[]>`
        select exists (select 1 from customer_orders o join products p on p.sku = o.sku where p.category = any(${categories}::text[])) as any`;
      return row.any;
    },

    /**
     * The purchase histories of the scope's categories (every customer who bought one, in any
     * region) and those products' attributes, in the audience engine's terms.
     */
    async histories(categories: string[]): Promise<{ orders: OrderRow[]; items: AudienceItem[] }> {
      const [orders, items] = await Promise.all([
        sql<OrderRow[]>`
          select o.customer_id as "customerId", c.region as country, o.sku as "itemId", o.week::text as week, o.units
            from customer_orders o join customers c on c.id = o.customer_id join products p on p.sku = o.sku
           where p.category = any(${categories}::text[])
           order by o.week, o.customer_id, o.sku`,
        sql.unsafe<AudienceItem[]>(`select p.sku as "itemId", ${ITEM_COLUMNS('p')} from products p where p.category = any($1::text[]) order by p.sku`, [categories]),
      ]);
      return { orders: [...orders], items: [...items] };
    },

    /** Every candidate of the scope (launched ones too: a plan keeps them as fixed items). */
    async candidates(scopeId: string): Promise<AudienceCandidate[]> {
      const rows = await sql.unsafe<AudienceCandidate[]>(
        `select c.id as "itemId", ${ITEM_COLUMNS('c')}, c.earliest_week::text as "launchWeek" from candidates c where c.scope_id = $1 order by c.id`,
        [scopeId],
      );
      return [...rows];
    },

    /**
     * Replaces the set's audiences in one transaction (a retried activity writes the same rows
     * again instead of adding to them). Set-based: one statement per table and chunk.
     */
    async store(setId: number, audiences: readonly StoredAudience[]): Promise<{ candidates: number; members: number }> {
      const members = audiences.flatMap((a) => a.members.map((m, i) => ({ candidateId: a.candidateId, rank: i + 1, customerId: m.customerId, score: m.score })));
      await sql.begin(async (tx) => {
        await tx`delete from audience_members where set_id = ${setId}`;
        await tx`delete from candidate_audiences where set_id = ${setId}`;
        if (audiences.length > 0)
          await tx`
            insert into candidate_audiences (set_id, candidate_id, audience_size, expected_buyers, by_region, by_segment)
            select ${setId}::int, t.candidate_id, t.size, t.buyers, t.by_region::jsonb, t.by_segment::jsonb from unnest(
              ${tx.array(audiences.map((a) => a.candidateId))}::text[], ${tx.array(audiences.map((a) => a.members.length))}::int4[],
              ${tx.array(audiences.map((a) => a.expectedBuyers))}::float8[], ${tx.array(audiences.map((a) => JSON.stringify(a.byRegion)))}::text[],
              ${tx.array(audiences.map((a) => JSON.stringify(a.bySegment)))}::text[]) as t(candidate_id, size, buyers, by_region, by_segment)`;
        await inChunks(members, DEFAULT_CHUNK, (p) => tx`
          insert into audience_members (set_id, candidate_id, rank, customer_id, score)
          select ${setId}::int, * from unnest(
            ${tx.array(p.map((m) => m.candidateId))}::text[], ${tx.array(p.map((m) => m.rank))}::int4[],
            ${tx.array(p.map((m) => m.customerId))}::text[], ${tx.array(p.map((m) => m.score))}::float8[])`);
      });
      return { candidates: audiences.length, members: members.length };
    },

    /**
     * A plan item's audience from the plan's forecast set: its best `limit` customers with their
     * region, and its demand shares. `plan` is undefined when the plan does not exist, `item` when
     * the plan has no such candidate, `audience` when none was stored for it. One round trip.
     */
    async planItemAudience(
      planId: number,
      candidateId: string,
      limit: number,
    ): Promise<{ plan?: { id: number }; item?: { candidateId: string }; audience?: ItemAudience }> {
      const [row] = await sql<
        {
          id: number;
          forecastSetId: number | null;
          item: string | null;
          size: number | null;
          expectedBuyers: number | null;
          byRegion: ItemAudience['byRegion'] | null;
          bySegment: ItemAudience['bySegment'] | null;
          customers: ItemAudience['customers'] | null;
        }[]
      >`
        select p.id, p.forecast_set_id as "forecastSetId", i.candidate_id as item,
               a.audience_size as size, a.expected_buyers as "expectedBuyers", a.by_region as "byRegion", a.by_segment as "bySegment",
               (select coalesce(json_agg(json_build_object('rank', m.rank, 'customerId', m.customer_id, 'score', m.score, 'region', c.region) order by m.rank), '[]'::json)
                  from (select * from audience_members m
                         where m.set_id = p.forecast_set_id and m.candidate_id = i.candidate_id
                         order by m.rank limit ${limit}) m
                  join customers c on c.id = m.customer_id) as customers
          from plans p
          left join plan_items i on i.plan_id = p.id and i.candidate_id = ${candidateId}
          left join candidate_audiences a on a.set_id = p.forecast_set_id and a.candidate_id = i.candidate_id
         where p.id = ${planId}`;
      if (!row) return {};
      if (!row.item) return { plan: { id: row.id } };
      if (row.size === null || row.forecastSetId === null) return { plan: { id: row.id }, item: { candidateId: row.item } };
      return {
        plan: { id: row.id },
        item: { candidateId: row.item },
        audience: {
          planId: row.id,
          candidateId: row.item,
          forecastSetId: row.forecastSetId,
          size: row.size,
          expectedBuyers: row.expectedBuyers ?? 0,
          byRegion: row.byRegion ?? [],
          bySegment: row.bySegment ?? [],
          customers: row.customers ?? [],
        },
      };
    },

    /** Stored customers and orders (import checks and tests). */
    async counts(): Promise<{ customers: number; orders: number }> {
      const [row] = await sql<{ customers: number; orders: number }[]>`
        select (select count(*)::int from customers) as customers, (select count(*)::int from customer_orders) as orders`;
      return row;
    },
  };
}
