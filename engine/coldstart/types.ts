/**
 * The generic catalogue format of the cold-start engine. Attribute columns are whatever the
 * catalogue has; each is categorical (strings) or numeric (every value parses as a number).
 */

/** One row of the long sales file: units sold by an item in the week starting `week` (ISO Monday). */
export interface SalesRow {
  itemId: string;
  week: string;
  units: number;
}

export type AttributeValue = string | number;

export interface ItemRow {
  itemId: string;
  attributes: Record<string, AttributeValue>;
}

export interface CandidateRow extends ItemRow {
  /** ISO Monday of the first week on sale; step 1 of the forecast. */
  launchWeek: string;
}

/** One forecast point: step 1 is the launch week. */
export interface LaunchForecast {
  itemId: string;
  step: number;
  mean: number;
  p10: number;
  /** Median, where the method has one (the LSTM); the WAPE-optimal point forecast, below the mean. */
  p50?: number;
  p90: number;
  /**
   * The point forecast, where the method has one besides the mean (the LSTM: a quantile chosen
   * for least absolute error with unbiased totals); the mean otherwise.
   */
  point?: number;
}

export interface AttributeSchema {
  /** Columns in file order, excluding item_id (and launch_week). */
  columns: string[];
  kinds: Record<string, 'categorical' | 'numeric'>;
}

export type AttributeKind = AttributeSchema['kinds'][string];

/** A shop's history as the cold-start engine reads it: weekly sales, item attributes and their schema. */
export interface Catalogue {
  sales: SalesRow[];
  items: ItemRow[];
  schema: AttributeSchema;
}
