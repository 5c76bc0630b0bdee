import { describe, expect, it } from 'vitest';
import { pageTarget } from '../../web/sign-in-target.js';

describe('a sign-in link’s target page (#token=…&to=…)', () => {
  it('opens the page path it names, encoded or not', () => {
    expect(pageTarget('/plans/5')).toBe('/plans/5');
    expect(pageTarget(encodeURIComponent('/plans/5/items/C-001'))).toBe('/plans/5/items/C-001');
    expect(pageTarget('/runs?scope=toys/east')).toBe('/runs?scope=toys/east');
  });

  it('falls back to the scopes list without a target or for anything that is not a path of the page', () => {
    for (const to of [undefined, '', 'https://evil.example/', '//evil.example/x', 'javascript:alert(1)', '%E0%A4%A', '/a b', '/<script>'])
      expect(pageTarget(to), String(to)).toBe('/');
  });
});
