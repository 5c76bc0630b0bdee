export { generateMarketplace, DEFAULT_OPTIONS } from './generate.js';
export { lifeCycle, curveUnits, delistAge, type LaunchCurve } from './curves.js';
export { festivalsBetween, festivalsOfYear, blackFriday, SPRING_FESTIVAL_DATES, type FestivalName, type FestivalWeek } from './festivals.js';
export { CATEGORIES, DEFAULT_REGIONS, type Tier } from './catalogue.js';
export type * from './types.js';
