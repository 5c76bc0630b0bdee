/**
 * How the replan form offers a scope's categories for a promotion (no DOM here, so the API's unit
 * tests check it): a few are ticked in place; a shop's hundreds (the real UCI shop's scope has
 * 765) fold into a collapsed list with a filter, so the promotion's other fields and the rule
 * overrides are not pushed three screens down.
 */

/** Above this many categories the picker is collapsed and filterable. */
export const INLINE_CATEGORIES = 24;

export function collapsesCategories(count: number): boolean {
  return count > INLINE_CATEGORIES;
}

/** Whether a category is shown for the filter text: case-insensitive substring, empty shows all. */
export function matchesCategoryFilter(category: string, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  return f === '' || category.toLowerCase().includes(f);
}

/** The collapsed picker's summary line. */
export function categoryPickerSummary(total: number, ticked: number): string {
  const choice = ticked === 0 ? 'none ticked: site-wide' : `${ticked} ticked`;
  return `Categories (${choice}; ${total} in the scope)`;
}
