/**
 * An item's launch audience on its page: who is most likely to buy it in its first 13 weeks
 * (the best customers of `GET /plans/{id}/items/{candidateId}/audience`), where its demand is
 * expected to come from (customer regions and segments), and the whole ranked list as a CSV
 * file for a campaign tool.
 */
import { api, ApiError, token } from '../api.js';
import { fmt, h, section, table } from '../dom.js';
import { answerErrorText } from './answer-error.js';
import { breakdownRows } from './breakdown.js';

/** `GET /plans/:id/items/:candidateId/audience`. */
export interface ItemAudience {
  planId: number;
  candidateId: string;
  forecastSetId: number;
  size: number;
  expectedBuyers: number;
  byRegion: Array<{ key: string; share: number }>;
  bySegment: Array<{ key: string; share: number }>;
  customers: Array<{ rank: number; customerId: string; score: number; region: string }>;
}

/** Customers listed on the page; the CSV has all of them. */
const SHOWN = 20;

const SEGMENT_MEANING: Record<string, string> = {
  champions: 'bought recently and often',
  loyal: 'buys fairly recently and often',
  'at-risk': 'used to buy often, not lately',
  lapsed: 'bought rarely and long ago',
  occasional: 'recent but infrequent',
  new: 'first purchase in the last 8 weeks',
};

function shares(caption: string, noun: string, rows: Array<{ key: string; share: number }>, describe?: (key: string) => string): HTMLElement {
  const shown = breakdownRows(rows, noun);
  return table({
    caption,
    head: ['', 'Share of expected units'],
    numeric: [1],
    rows: shown,
    row: (r) => [describe?.(r.key) ? h('span', { title: describe(r.key) }, r.key) : r.key, fmt.pct(r.share)],
    className: 'compact',
  });
}

/** Fetches the CSV with the page's token (a plain link could not send it) and saves it. */
async function downloadCsv(planId: number, candidateId: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const t = token();
    const res = await fetch(`/plans/${planId}/items/${encodeURIComponent(candidateId)}/audience`, {
      headers: { accept: 'text/csv', ...(t ? { authorization: `Bearer ${t}` } : {}) },
    });
    if (!res.ok) throw new Error(answerErrorText(res.status, await res.text()));
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: `audience-plan-${planId}-${candidateId}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    // One message, the latest: a second failed click replaces it rather than adding another.
    const said = h('span', { class: 'muted', role: 'status', 'data-download-status': '' }, ` The file could not be downloaded: ${err instanceof Error ? err.message : String(err)}`);
    const before = button.parentElement?.querySelector('[data-download-status]');
    if (before) before.replaceWith(said);
    else button.after(said);
  } finally {
    button.disabled = false;
  }
}

/** The "Launch audience" section of an item's page; a notice when none was scored. */
export async function audienceSection(planId: number, candidateId: string): Promise<HTMLElement> {
  let audience: ItemAudience;
  try {
    audience = await api<ItemAudience>(`/plans/${planId}/items/${encodeURIComponent(candidateId)}/audience?limit=${SHOWN}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    const none = err instanceof ApiError && err.code === 'audiences.not_found';
    return section(
      'Launch audience',
      'audience',
      h('p', { class: none ? 'muted' : 'notice' }, none ? 'No audience: the scope had no customer orders when this plan was forecast (import them with launchloop import --customer-orders).' : `The audience could not be loaded: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
  const button = h('button', { type: 'button' }, `Download all ${fmt.int(audience.size)} customers (CSV)`);
  button.addEventListener('click', () => void downloadCsv(planId, candidateId, button));
  return section(
    'Launch audience',
    'audience',
    h(
      'p',
      { class: 'lead' },
      `About ${fmt.int(audience.expectedBuyers)} existing customers are expected to buy it in its first 13 weeks (new customers not counted). `,
      `The ${fmt.int(audience.size)} most likely are ranked below; the shares say where its expected units come from.`,
    ),
    h('div', { class: 'two-col' }, shares('By customer segment', 'segments', audience.bySegment, (k) => SEGMENT_MEANING[k] ?? ''), shares('By region', 'regions', audience.byRegion)),
    table({
      caption: `The ${Math.min(SHOWN, audience.customers.length)} customers most likely to buy it`,
      head: ['Rank', 'Customer', 'Region', 'Score'],
      numeric: [0, 3],
      rows: audience.customers,
      row: (c) => [c.rank, c.customerId, c.region, fmt.num(c.score)],
      className: 'compact',
    }),
    h('p', null, button),
  );
}
