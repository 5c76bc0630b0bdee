/**
 * Shopping festivals that move electronics demand: Spring Festival (lunar calendar, from a
 * table of real dates), 618 (June 18), Double 11 (Nov 11) and Black Friday (the Friday after
 * US Thanksgiving, the fourth Thursday of November). Each is anchored to the ISO Monday
 * week containing its day.
 */
import { fromDayNumber, dayNumber, mondayOf } from '../../engine/calendar/index.js';

export type FestivalName = 'spring_festival' | '618' | 'double_11' | 'black_friday';

export const FESTIVAL_LABELS: Record<FestivalName, string> = {
  spring_festival: 'Spring Festival',
  '618': '618',
  double_11: 'Double 11',
  black_friday: 'Black Friday',
};

/** Lunar New Year's Day (Gregorian), 2019–2030. Years outside the table have no Spring Festival effect. */
export const SPRING_FESTIVAL_DATES: Readonly<Record<number, string>> = {
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
};

export interface FestivalWeek {
  name: FestivalName;
  year: number;
  /** The festival's own day. */
  date: string;
  /** ISO Monday of the week containing `date`. */
  week: string;
}

/** US Thanksgiving is the fourth Thursday of November; Black Friday is the next day. */
export function blackFriday(year: number): string {
  const nov1 = dayNumber(`${year}-11-01`)!;
  const weekday = (((nov1 + 3) % 7) + 7) % 7; // 0 = Monday
  const firstThursday = nov1 + ((3 - weekday + 7) % 7);
  return fromDayNumber(firstThursday + 21 + 1);
}

export function festivalsOfYear(year: number): FestivalWeek[] {
  const dates: Array<[FestivalName, string | undefined]> = [
    ['spring_festival', SPRING_FESTIVAL_DATES[year]],
    ['618', `${year}-06-18`],
    ['double_11', `${year}-11-11`],
    ['black_friday', blackFriday(year)],
  ];
  return dates
    .filter((entry): entry is [FestivalName, string] => entry[1] !== undefined)
    .map(([name, date]) => ({ name, year, date, week: mondayOf(date) }));
}

/** Festivals whose week falls in [fromWeek, toWeek], in date order. */
export function festivalsBetween(fromWeek: string, toWeek: string): FestivalWeek[] {
  const first = Number(fromWeek.slice(0, 4)) - 1;
  const last = Number(toWeek.slice(0, 4)) + 1;
  const out: FestivalWeek[] = [];
  for (let year = first; year <= last; year++) {
    for (const f of festivalsOfYear(year)) if (f.week >= fromWeek && f.week <= toWeek) out.push(f);
  }
  return out.sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
}
