// Sign-in: on the embedded default, a development sign-in as ADMIN or AGENT;
// otherwise the user pastes a token from the operator's identity provider.

import { session } from './api.js';
import { button, h, field, fill, say, values } from './dom.js';

async function devSignIn(role) {
  const response = await fetch('/admin/dev-sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  if (!response.ok) {
    say(`Development sign-in refused (${response.status}).`, 'error');
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
    h('h2', { id: 'token-title' }, 'Sign in with a token'),
    h('p', {}, 'Paste an access token from the operator’s identity provider. It is kept for this tab only.'),
    field('Access token', { name: 'token', required: true, autocomplete: 'off', spellcheck: 'false' }),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  paste.addEventListener('submit', (event) => {
    event.preventDefault();
    const { token } = values(paste);
    if (!token || token.split('.').length !== 3) {
      say('That does not look like a token.', 'error');
      return;
    }
    session.save(token);
    window.dispatchEvent(new Event('session-started'));
  });
  fill(
    main,
    h('h1', {}, 'Sign in'),
    development
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'dev-title' },
          h('h2', { id: 'dev-title' }, 'Development sign-in'),
          h('p', {}, 'This service runs on its embedded development keys. Sign in as:'),
          h(
            'div',
            { class: 'actions' },
            button('Admin', () => devSignIn('ADMIN'), { id: 'dev-admin' }),
            button('Agent', () => devSignIn('AGENT'), { id: 'dev-agent' }),
          ),
        )
      : null,
    paste,
  );
}
