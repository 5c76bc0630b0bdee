/**
 * ISO-week arithmetic on 'YYYY-MM-DD' strings. Every week in launchloop is the date of its
 * Monday; days are handled as integer day numbers since 1970-01-01 (UTC) so there is no
 * time-zone or DST drift.
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Day number of an ISO date, or undefined when the text is not a real calendar date. */
export function dayNumber(iso: string): number | undefined {
  const m = ISO_DATE.exec(iso);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March; a round trip catches it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return Math.round(ms / DAY_MS);
}

export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function requireDay(iso: string): number {
  const day = dayNumber(iso);
  if (day === undefined) throw new RangeError(`"${iso}" is not a valid YYYY-MM-DD date`);
  return day;
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayIndex(iso: string): number {
  return (((requireDay(iso) + 3) % 7) + 7) % 7;
}

export function isMonday(iso: string): boolean {
  const day = dayNumber(iso);
  return day !== undefined && (((day + 3) % 7) + 7) % 7 === 0;
}

/** The Monday of the ISO week containing `iso`. */
export function mondayOf(iso: string): string {
  const day = requireDay(iso);
  return fromDayNumber(day - ((((day + 3) % 7) + 7) % 7));
}

/** The Monday closest to `iso` (Fri–Sun round forward), for "did you mean" hints. */
export function nearestMonday(iso: string): string {
  const offset = weekdayIndex(iso);
  const day = requireDay(iso);
  return fromDayNumber(offset <= 3 ? day - offset : day + (7 - offset));
}

export function addWeeks(week: string, n: number): string {
  return fromDayNumber(requireDay(week) + 7 * n);
}

export function addDays(iso: string, n: number): string {
  return fromDayNumber(requireDay(iso) + n);
}

/** Whole weeks from `from` to `to` (negative when `to` is earlier). Both must be Mondays. */
export function weeksBetween(from: string, to: string): number {
  return Math.round((requireDay(to) - requireDay(from)) / 7);
}

/** `count` consecutive Mondays starting at `start`. */
export function weekSequence(start: string, count: number): string[] {
  const first = requireDay(start);
  return Array.from({ length: count }, (_, i) => fromDayNumber(first + 7 * i));
}

/** Fraction of the year (0 ≤ f < 1) at the Thursday of the week: the ISO-year anchor day. */
export function yearFraction(week: string): number {
  const thursday = requireDay(week) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Math.round(Date.UTC(year, 0, 1) / DAY_MS);
  const length = Math.round(Date.UTC(year + 1, 0, 1) / DAY_MS) - jan1;
  return (thursday - jan1) / length;
}

/** ISO 8601 week number (1..53) of a Monday: the week holding the year's first Thursday is 1. */
export function isoWeekOfYear(week: string): number {
  const thursday = requireDay(week) + 3;
  const jan1 = Math.round(Date.UTC(new Date(thursday * DAY_MS).getUTCFullYear(), 0, 1) / DAY_MS);
  return Math.floor((thursday - jan1) / 7) + 1;
}
