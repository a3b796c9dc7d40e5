// The console's shell: who is signed in, the sections their role may use, the language
// switch, and the hash router (#/customers, #/dashboard, …) that renders one section
// into <main>.

import { session } from './api.js';
import { fill, h } from './dom.js';
import { language, setLanguage, t, translatePage, word } from './i18n.js';
import * as signin from './signin.js';
import * as agent from './agent.js';
import * as admin from './admin.js';
import * as dashboard from './dashboard.js';
import * as texts from './texts.js';

/** Sections per role: route, message key of the title, renderer. The first is the
 * landing page. */
const SECTIONS = {
  AGENT: [['customers', 'nav.customers', agent.render]],
  ADMIN: [
    ['dashboard', 'nav.dashboard', dashboard.render],
    ['customers', 'nav.customers', agent.render],
    ['campaign', 'nav.campaign', admin.campaign],
    ['texts', 'nav.texts', texts.render],
    ['partners', 'nav.partners', admin.partners],
    ['ott', 'nav.ott', admin.ott],
    ['refunds', 'nav.refunds', admin.refunds],
    ['notices', 'nav.notices', admin.notices],
    ['grants', 'nav.grants', admin.grants],
    ['claims', 'nav.claims', admin.claims],
    ['audit', 'nav.audit', admin.audit],
  ],
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');
const switcher = document.getElementById('language');

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

/** The switch offers the other language, named in that language. */
function labelSwitcher() {
  const other = language() === 'ko' ? 'en' : 'ko';
  switcher.textContent = t(`app.switchTo.${other}`);
  switcher.lang = other;
  switcher.setAttribute('aria-label', t('app.switchLabel'));
}

async function route() {
  await session.restore();
  translatePage();
  labelSwitcher();
  nav.setAttribute('aria-label', t('app.sections'));
  const available = sections();
  if (!session.token() || available.length === 0) {
    if (session.token()) session.clear();
    fill(nav);
    who.textContent = '';
    signOut.hidden = true;
    document.title = `${t('signin.title')} · ${t('app.title')}`;
    await show(signin.render);
    return;
  }
  const wanted = location.hash.replace(/^#\//, '');
  const current = available.find(([name]) => name === wanted) ?? available[0];
  fill(who, h('code', { class: 'subject' }, session.subject()), ` · ${word('Role', session.role())}`);
  signOut.hidden = false;
  fill(
    nav,
    h(
      'ul',
      {},
      available.map(([name, key]) =>
        h('li', {}, h('a', { href: `#/${name}`, 'aria-current': name === current[0] ? 'page' : null }, t(key))),
      ),
    ),
  );
  document.title = `${t(current[1])} · ${t('app.title')}`;
  fill(main, h('p', {}, t('common.loading')));
  await show(current[2], session.role());
}

switcher.addEventListener('click', () => {
  setLanguage(language() === 'ko' ? 'en' : 'ko');
  route();
});
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
