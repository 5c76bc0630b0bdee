// Public surface of engine/calendar: ISO dates and Monday-based weeks as 'YYYY-MM-DD' strings.
export {
  WEEKDAY_NAMES,
  addDays,
  addWeeks,
  dayNumber,
  fromDayNumber,
  isMonday,
  isoWeekOfYear,
  mondayOf,
  nearestMonday,
  weekdayIndex,
  weekSequence,
  weeksBetween,
  yearFraction,
} from './weeks.js';
