import './style.css';
import { ApiError, setToken, takeTokenFromUrl, token } from './api.js';
import { h } from './dom.js';
import { loadPrincipal, type Principal } from './session.js';
import type { View } from './views/context.js';
import { itemView } from './views/item.js';
import { modelsView } from './views/models.js';
import { planView } from './views/plan.js';
import { replanView } from './views/replan.js';
import { runsView } from './views/runs.js';
import { scopesView } from './views/scopes.js';

/** Hash routes: the page is one document, so a reload or a shared link opens the same view. */
const ROUTES: Array<[RegExp, string[], View]> = [
  [/^\/?$/, [], scopesView],
  [/^\/plans\/(\d+)$/, ['id'], planView],
  [/^\/plans\/(\d+)\/items\/([^/]+)$/, ['id', 'candidateId'], itemView],
  [/^\/scopes\/([^/]+)\/([^/]+)\/replan$/, ['group', 'region'], replanView],
  [/^\/scopes\/([^/]+)\/([^/]+)\/runs$/, ['group', 'region'], runsView],
  [/^\/scopes\/([^/]+)\/([^/]+)\/models$/, ['group', 'region'], modelsView],
];

const main = document.getElementById('main')!;
const settings = { temporalUi: document.body.dataset.temporalUi ?? 'http://127.0.0.1:8233', namespace: document.body.dataset.namespace ?? 'default' };
let principal: Principal | null = null;
/** The signed-in principal, asked for once per token and shared by the views. */
let principalAsked: Promise<Principal | null> | null = null;
let generation = 0;

function signInForm(message: string): HTMLElement {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'signin' },
    h('h1', null, 'Sign in'),
    h('p', null, message),
    document.body.dataset.oidc === '1'
      ? h('p', null, h('a', { class: 'button', id: 'oidc-signin', href: '/auth/oidc/login' }, "Sign in with your organisation's account"))
      : null,
    h('p', { class: 'muted' }, 'Open the sign-in link the demo or `launchloop tokens create` printed, or paste its token here. It is kept for this tab only.'),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'API token'), input),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(input.value);
    forget();
    void render();
  });
  requestAnimationFrame(() => input.focus());
  return form;
}

function forget(): void {
  principal = null;
  principalAsked = null;
}

function renderWho(): void {
  const who = document.getElementById('who')!;
  if (!token()) return who.replaceChildren();
  const out = h('button', { type: 'button', class: 'link', onclick: () => (setToken(null), forget(), void render()) }, 'Sign out');
  const label = principal?.role ? `${principal.name ?? 'signed in'} · ${principal.role}` : 'signed in';
  who.replaceChildren(h('span', { class: 'who-name', 'data-role': principal?.role ?? '' }, label), ' ', out);
}

async function render(): Promise<void> {
  const mine = ++generation;
  delete document.body.dataset.ready;
  const path = decodeURI(location.hash.replace(/^#/, '').split('?')[0]);
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const match = ROUTES.map(([re, names, view]) => ({ m: re.exec(path), names, view })).find((r) => r.m);
  const show = (title: string, body: Node, ready: string) => {
    if (mine !== generation) return;
    performance.mark('view-built');
    document.title = `${title} · launchloop`;
    main.replaceChildren(body);
    // Ready once the view is laid out and painted (the frame after it went in), not merely built:
    // this is what bench:page and the browser tests wait for.
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (mine !== generation) return;
        performance.mark('view-painted');
        document.body.dataset.ready = ready;
      }, 0),
    );
  };
  try {
    if (!token()) return show('Sign in', signInForm('This page needs an API token.'), 'signin');
    principalAsked ??= loadPrincipal().then((p) => {
      principal = p;
      renderWho();
      return p;
    });
    // A refused token is answered by the view's own requests too; this keeps it from going unhandled.
    principalAsked.catch(() => (principalAsked = null));
    renderWho();
    if (!match) return show('Not found', h('div', null, h('h1', null, 'Not found'), h('p', null, `Nothing lives at #${path}. `, h('a', { href: '#/' }, 'Back to the scopes'))), 'error');
    const params = Object.fromEntries(match.names.map((n, i) => [n, decodeURIComponent(match.m![i + 1])]));
    main.setAttribute('aria-busy', 'true');
    performance.mark('view-start');
    // The header's name and role are part of the view: ready waits for both, asked for at once.
    const [{ title, body }] = await Promise.all([match.view({ params, query, principal: principalAsked, ...settings, reload: () => void render() }), principalAsked]);
    show(title, body, 'view');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      renderWho();
      return show('Sign in', signInForm(`The API refused the token: ${err.message}`), 'signin');
    }
    const forbidden = err instanceof ApiError && err.status === 403;
    show(
      forbidden ? 'Not allowed' : 'Error',
      h(
        'div',
        { class: 'notice error', role: 'alert' },
        h('h1', null, forbidden ? 'Not allowed' : 'Something went wrong'),
        h('p', null, err instanceof Error ? err.message : String(err)),
        err instanceof ApiError && err.code ? h('p', { class: 'muted small' }, `code: ${err.code}`) : null,
        h('p', null, h('a', { href: '#/' }, 'Back to the scopes')),
      ),
      'error',
    );
  } finally {
    main.removeAttribute('aria-busy');
  }
}

takeTokenFromUrl();
// The skip link's #main would be read as a route: focus the content instead.
document.querySelector('a.skip')?.addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => {
  if (takeTokenFromUrl()) forget();
  void render().then(() => main.focus({ preventScroll: true }));
});
void render();
