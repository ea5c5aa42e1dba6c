// The console's one page: finds who is logged in, draws the navigation their roles allow, and shows the page the
// address's #fragment names. Each page module exports render(main, ctx) and may return a function that stops it
// (the dashboard's refresh).
import { get, post, onLoggedOut } from './api.js';
import { el, show, say, unsay } from './dom.js';
import * as login from './login.js';
import * as dashboard from './dashboard.js';
import * as messages from './messages.js';
import * as message from './message.js';
import * as jobs from './jobs.js';
import * as consent from './consent.js';
import * as extracts from './extracts.js';

const main = document.getElementById('main');
let me = null;
let stop = null;

/** Pages, the permission each needs (null: none) and the nav label (null: not in the nav). */
const PAGES = [
  { path: 'dashboard', page: dashboard, needs: 'signed_in', nav: 'Dashboard' },
  { path: 'messages', page: messages, needs: 'message_metadata', nav: 'Messages' },
  { path: 'message', page: message, needs: 'message_metadata', nav: null },
  { path: 'jobs', page: jobs, needs: 'replay', nav: 'Replay jobs' },
  { path: 'extracts', page: extracts, needs: 'message_metadata', nav: 'Practice extracts' },
  { path: 'consent', page: consent, needs: 'consent_read', nav: 'Consent' },
];

const can = permission => Boolean(me && me.permissions.includes(permission));

function go(hash) {
  if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

/** '#/messages/x?status=parked' -> {path: 'messages', rest: ['x'], params: URLSearchParams}. */
function parse() {
  const h = location.hash.replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const parts = (q < 0 ? h : h.slice(0, q)).split('/').filter(Boolean).map(decodeURIComponent);
  return { path: parts[0] || 'dashboard', rest: parts.slice(1), params: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

async function whoAmI() {
  try {
    me = await get('/api/me');
  } catch (e) {
    me = null;
  }
}

function drawHeader(current) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!me || me.mustChangePassword) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  show(nav, PAGES.filter(p => p.nav && can(p.needs)).map(p =>
    el('a', { href: '#/' + p.path, class: p.path === current ? 'current' : null, id: 'nav-' + p.path }, p.nav)));
  show(who,
    el('span', { id: 'username' }, me.username),
    el('span', { class: 'roles', id: 'roles' }, me.roles.join(', ')),
    el('button', { class: 'secondary', id: 'logout', on: { click: logout } }, 'Log out'));
}

async function logout() {
  try {
    await post('/api/logout');
  } catch (e) {
    // Ended already: either way the user is out.
  }
  me = null;
  go('#/login');
}

async function route() {
  if (stop) {
    stop();
    stop = null;
  }
  unsay();
  const where = parse();
  if (!me && where.path !== 'login') {
    await whoAmI();
  }
  if (!me) {
    drawHeader(null);
    show(main);
    login.renderLogin(main, { done: async () => { await whoAmI(); go('#/dashboard'); } });
    return;
  }
  if (me.mustChangePassword) {
    drawHeader(null);
    show(main);
    login.renderPasswordChange(main, { me, done: async () => { await whoAmI(); go('#/dashboard'); } });
    return;
  }
  if (where.path === 'login') {
    go('#/dashboard');
    return;
  }
  const entry = PAGES.find(p => p.path === where.path);
  drawHeader(where.path);
  show(main);
  if (!entry) {
    show(main, el('h1', null, 'Not found'), el('p', null, 'There is no such page.'));
    return;
  }
  if (!can(entry.needs)) {
    show(main, el('h1', null, 'Not allowed'), el('p', null, 'None of your roles allows this page.'));
    return;
  }
  const ctx = { me, can, go, rest: where.rest, params: where.params };
  try {
    const stopper = await entry.page.render(main, ctx);
    if (typeof stopper === 'function') {
      stop = stopper;
    }
  } catch (e) {
    say(e.message);
  }
}

onLoggedOut(() => {
  me = null;
  if (parse().path !== 'login') {
    go('#/login');
  }
});
window.addEventListener('hashchange', route);
route();
