/** A small DOM builder: the page is plain DOM, no framework, and nothing is parsed from HTML strings. */
type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs)
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

export const fmt = {
  int: (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : integer.format(x)),
  money: (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : money.format(x)),
  num: (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : decimal.format(x)),
  pct: (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`),
  date: (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '–'),
  dateTime: (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '–'),
};

/** A table with a caption, a header row and one row per item (cells built by `row`). */
export function table<T>(o: { caption: string; head: string[]; rows: T[]; row: (r: T) => Child[]; numeric?: number[]; className?: string; empty?: string }): HTMLElement {
  if (!o.rows.length) return h('p', { class: 'muted' }, o.empty ?? `${o.caption}: none.`);
  const numeric = new Set(o.numeric ?? []);
  const body = h('tbody');
  // One fragment: a 1,000-row plan is one layout, not a thousand.
  const frag = document.createDocumentFragment();
  for (const r of o.rows) {
    const tr = document.createElement('tr');
    o.row(r).forEach((cell, i) => {
      const td = document.createElement('td');
      if (numeric.has(i)) td.className = 'num';
      append(td, [cell]);
      tr.appendChild(td);
    });
    frag.appendChild(tr);
  }
  body.appendChild(frag);
  return h(
    'div',
    // Focusable, so a table wider than the screen can be scrolled from the keyboard.
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': o.caption },
    h('table', { class: o.className ?? null }, h('caption', null, o.caption), h('thead', null, h('tr', null, o.head.map((t, i) => h('th', { scope: 'col', class: numeric.has(i) ? 'num' : null }, t)))), body),
  );
}

export function badge(text: string, kind: string = text): HTMLElement {
  return h('span', { class: `badge badge-${kind.replace(/[^a-z0-9-]/gi, '')}` }, text);
}

export function section(title: string, id: string, ...children: Child[]): HTMLElement {
  return h('section', { 'aria-labelledby': `${id}-h`, id }, h('h2', { id: `${id}-h` }, title), ...children);
}
