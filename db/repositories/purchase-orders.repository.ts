import type { Database } from '../client.js';
import type { PurchaseOrder, PurchaseOrderStatus } from '../schema.js';

// The API validates status filters against the list the CHECK constraint is built from.
export { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from '../schema.js';

export type NewPurchaseOrder = Pick<PurchaseOrder, 'scopeId' | 'candidateId' | 'planId' | 'orderWeek' | 'arrivalWeek' | 'quantity' | 'status' | 'rationale'>;

export type PurchaseOrderTransitionError = { code: 'reorders.not_found' | 'reorders.not_pending'; message: string };

const COLUMNS = (sql: Database['sql']) => sql`
  id, scope_id as "scopeId", candidate_id as "candidateId", plan_id as "planId", order_week::text as "orderWeek",
  arrival_week::text as "arrivalWeek", quantity, status, rationale, decided_by as "decidedBy", decision_note as "decisionNote",
  decided_at as "decidedAt", created_at as "createdAt"`;

/** In-season reorders of launched items (the adjust stage proposes them; merchandisers decide the pending ones). */
export function purchaseOrdersRepository({ sql }: Database) {
  async function get(id: number): Promise<PurchaseOrder | undefined> {
    const [row] = await sql<PurchaseOrder[]>`select ${COLUMNS(sql)} from purchase_orders where id = ${id}`;
    return row;
  }

  return {
    /**
     * Stores proposed orders, one per item and order week: an order already stored for that item
     * and week stands (a re-run of the same week's adjust, or a duplicate sales batch, changes
     * nothing) and is returned as stored. `created` counts the rows this call added.
     */
    async propose(rows: NewPurchaseOrder[]): Promise<{ orders: PurchaseOrder[]; created: number }> {
      if (rows.length === 0) return { orders: [], created: 0 };
      return sql.begin(async (tx) => {
        const inserted = await tx<{ id: number }[]>`
          insert into purchase_orders (scope_id, candidate_id, plan_id, order_week, arrival_week, quantity, status, rationale)
          select s, c, p, o, a, q, st, r::jsonb
            from unnest(${tx.array(rows.map((r) => r.scopeId))}::text[], ${tx.array(rows.map((r) => r.candidateId))}::text[], ${tx.array(rows.map((r) => r.planId))}::int[],
                        ${tx.array(rows.map((r) => r.orderWeek))}::date[], ${tx.array(rows.map((r) => r.arrivalWeek))}::date[], ${tx.array(rows.map((r) => r.quantity))}::int[],
                        ${tx.array(rows.map((r) => r.status))}::text[], ${tx.array(rows.map((r) => JSON.stringify(r.rationale)))}::text[]) as u(s, c, p, o, a, q, st, r)
          on conflict (candidate_id, order_week) do nothing
          returning id`;
        const orders = await tx<PurchaseOrder[]>`
          select ${COLUMNS(tx as unknown as Database['sql'])} from purchase_orders
           where (candidate_id, order_week) in (select * from unnest(${tx.array(rows.map((r) => r.candidateId))}::text[], ${tx.array(rows.map((r) => r.orderWeek))}::date[]))
           order by candidate_id, order_week`;
        return { orders, created: inserted.length };
      });
    },

    /** Orders of these items that count toward their stock: published (and pending, which may still be approved). */
    async openForItems(candidateIds: string[]) {
      if (candidateIds.length === 0) return [];
      return sql<Pick<PurchaseOrder, 'candidateId' | 'orderWeek' | 'arrivalWeek' | 'quantity' | 'status'>[]>`
        select candidate_id as "candidateId", order_week::text as "orderWeek", arrival_week::text as "arrivalWeek", quantity, status
          from purchase_orders where candidate_id = any(${candidateIds}) and status in ('pending', 'published')
         order by candidate_id, order_week`;
    },

    /**
     * A scope's orders, latest order week first (then by item); `after` is the (order week, item)
     * of the last order of the previous page, which starts strictly after it.
     */
    async list(filter: { scopeId: string; status?: PurchaseOrderStatus; planId?: number; limit?: number; after?: readonly [orderWeek: string, candidateId: string] }) {
      return sql<PurchaseOrder[]>`
        select ${COLUMNS(sql)} from purchase_orders
         where scope_id = ${filter.scopeId}
           ${filter.status ? sql`and status = ${filter.status}` : sql``}
           ${filter.planId !== undefined ? sql`and plan_id = ${filter.planId}` : sql``}
           ${filter.after ? sql`and (order_week < ${filter.after[0]}::date or (order_week = ${filter.after[0]}::date and candidate_id > ${filter.after[1]}))` : sql``}
         order by order_week desc, candidate_id
         ${filter.limit !== undefined ? sql`limit ${filter.limit}` : sql``}`;
    },

    get,

    /** pending → published or pending → rejected, once: a decided order is not decided again. */
    async decide(input: { id: number; to: 'published' | 'rejected'; by: string; note?: string }): Promise<{ order: PurchaseOrder } | { error: PurchaseOrderTransitionError }> {
      const [row] = await sql<PurchaseOrder[]>`
        update purchase_orders set status = ${input.to}, decided_by = ${input.by}, decision_note = ${input.note ?? null}, decided_at = now()
         where id = ${input.id} and status = 'pending'
        returning ${COLUMNS(sql)}`;
      if (row) return { order: row };
      const current = await get(input.id);
      if (!current) return { error: { code: 'reorders.not_found', message: `reorder ${input.id} does not exist` } };
      return { error: { code: 'reorders.not_pending', message: `reorder ${input.id} is ${current.status}; only a pending reorder can be ${input.to === 'published' ? 'approved' : 'rejected'}` } };
    },
  };
}
