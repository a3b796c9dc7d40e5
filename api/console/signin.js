// Sign-in: on the embedded default, a development sign-in as ADMIN or AGENT;
// otherwise the user pastes a token from the operator's identity provider.

import { session } from './api.js';
import { button, h, field, fill, say, values } from './dom.js';
import { t } from './i18n.js';

async function devSignIn(role) {
  const response = await fetch('/admin/dev-sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  if (!response.ok) {
    say(t('signin.devRefused', { status: response.status }), 'error');
    return;
  }
  const { token } = await response.json();
  session.save(token);
  window.dispatchEvent(new Event('session-started'));
}

export async function render(main) {
  let development = false;
  try {
    const options = await fetch('/admin/sign-in-options').then((r) => r.json());
    development = options.development === true;
  } catch {
    development = false;
  }
  const paste = h(
    'form',
    { class: 'card', 'aria-labelledby': 'token-title' },
    h('h2', { id: 'token-title' }, t('signin.tokenTitle')),
    h('p', {}, t('signin.tokenIntro')),
    field(t('signin.token'), { name: 'token', required: true, autocomplete: 'off', spellcheck: 'false' }),
    h('button', { type: 'submit' }, t('signin.submit')),
  );
  paste.addEventListener('submit', (event) => {
    event.preventDefault();
    const { token } = values(paste);
    if (!token || token.split('.').length !== 3) {
      say(t('signin.notAToken'), 'error');
      return;
    }
    session.save(token);
    window.dispatchEvent(new Event('session-started'));
  });
  fill(
    main,
    h('h1', {}, t('signin.title')),
    development
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'dev-title' },
          h('h2', { id: 'dev-title' }, t('signin.devTitle')),
          h('p', {}, t('signin.devIntro')),
          h(
            'div',
            { class: 'actions' },
            button(t('signin.asAdmin'), () => devSignIn('ADMIN'), { id: 'dev-admin' }),
            button(t('signin.asAgent'), () => devSignIn('AGENT'), { id: 'dev-agent' }),
          ),
        )
      : null,
    paste,
  );
}
