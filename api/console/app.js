// The console's shell: who is signed in, the sections their role may use, and the
// hash router (#/customers, #/dashboard, …) that renders one section into <main>.

import { session } from './api.js';
import { fill, h } from './dom.js';
import * as signin from './signin.js';
import * as agent from './agent.js';
import * as admin from './admin.js';
import * as dashboard from './dashboard.js';

/** Sections per role; the first is the landing page. */
const SECTIONS = {
  AGENT: [['customers', 'Customers', agent.render]],
  ADMIN: [
    ['dashboard', 'Dashboard', dashboard.render],
    ['customers', 'Customers', agent.render],
    ['campaign', 'Campaign', admin.campaign],
    ['partners', 'Partners', admin.partners],
    ['ott', 'OTT catalog', admin.ott],
    ['refunds', 'Refunds', admin.refunds],
    ['notices', 'Notices', admin.notices],
    ['grants', 'Data grant', admin.grants],
    ['claims', 'Claims', admin.claims],
    ['audit', 'Audit log', admin.audit],
  ],
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');

/** Counts navigations: a section that finishes loading after the user moved on is
 * dropped instead of replacing the newer one. */
let navigation = 0;

/** Renders a section into a view of its own and shows it if it is still wanted. */
async function show(render, ...args) {
  const mine = ++navigation;
  const view = h('div', { class: 'view' });
  await render(view, ...args);
  if (mine !== navigation) return;
  fill(main, view);
  main.focus({ preventScroll: true });
}

function sections() {
  return SECTIONS[session.role()] ?? [];
}

async function route() {
  await session.restore();
  const available = sections();
  if (!session.token() || available.length === 0) {
    if (session.token()) session.clear();
    fill(nav);
    who.textContent = '';
    signOut.hidden = true;
    await show(signin.render);
    return;
  }
  const wanted = location.hash.replace(/^#\//, '');
  const current = available.find(([name]) => name === wanted) ?? available[0];
  who.textContent = `${session.subject()} · ${session.role()}`;
  signOut.hidden = false;
  fill(
    nav,
    h(
      'ul',
      {},
      available.map(([name, title]) =>
        h('li', {}, h('a', { href: `#/${name}`, 'aria-current': name === current[0] ? 'page' : null }, title)),
      ),
    ),
  );
  document.title = `${current[1]} · Benefits console`;
  fill(main, h('p', {}, 'Loading…'));
  await show(current[2], session.role());
}

signOut.addEventListener('click', () => {
  session.clear();
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
window.addEventListener('session-started', () => {
  const target = `#/${sections()[0]?.[0] ?? ''}`;
  if (location.hash === target) route();
  else location.hash = target;
});
window.addEventListener('session-ended', route);
route();
