/**
 * ISO-week helpers for the pure engines. Weeks are 'YYYY-MM-DD' Mondays; arithmetic is on UTC
 * day numbers so no time zone or DST can shift a week.
 */
const DAY_MS = 86_400_000;

function day(iso: string): number {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`"${iso}" is not a YYYY-MM-DD date`);
  return Math.round(ms / DAY_MS);
}

export function addWeeks(week: string, n: number): string {
  return new Date((day(week) + 7 * n) * DAY_MS).toISOString().slice(0, 10);
}

export function weeksBetween(from: string, to: string): number {
  return Math.round((day(to) - day(from)) / 7);
}

/** ISO 8601 week number (1..53): the week containing the year's first Thursday is week 1. */
export function isoWeekOfYear(week: string): number {
  const d = new Date(`${week}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return 1 + Math.floor((thursday.getTime() - yearStart) / DAY_MS / 7);
}
