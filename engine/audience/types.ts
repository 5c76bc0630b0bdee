/** One customer's purchases of one product in one week (the `audience` import rows). */
export interface OrderRow {
  customerId: string;
  /** The customer's region (country); a customer with several keeps the most frequent. */
  country: string;
  itemId: string;
  /** Monday of the week, 'YYYY-MM-DD'. */
  week: string;
  units: number;
}

/** A product and the attributes a candidate is scored from. */
export interface AudienceItem {
  itemId: string;
  category: string;
  keyword: string;
  prefix: string;
  price: number;
}

/** A product to launch: no buyers yet. `launchWeek` is informative only. */
export interface AudienceCandidate extends AudienceItem {
  launchWeek?: string;
}

/** Who bought a product in its first weeks (evaluation truth). */
export interface TruthRow {
  itemId: string;
  customerId: string;
  units: number;
}

export interface AudienceMember {
  customerId: string;
  /** Higher = more likely to buy in the first 13 weeks (a logit of the learned model). */
  score: number;
}

export interface DemandShare {
  key: string;
  /** Share of the candidate's expected units, 0..1; shares of one breakdown sum to 1. */
  share: number;
}

export interface CandidateAudience {
  itemId: string;
  /** The best `top` customers, best first (ties: customer id ascending). */
  audience: AudienceMember[];
  /** Expected buyers among existing customers (sum of purchase probabilities). */
  expectedBuyers: number;
  byRegion: DemandShare[];
  bySegment: DemandShare[];
}
