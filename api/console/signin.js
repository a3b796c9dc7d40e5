// Sign-in: through the operator's identity provider (OpenID Connect authorization code
// with PKCE: the verifier and state stay in this tab, the service redeems the code),
// on the embedded default a development sign-in as ADMIN or AGENT, or a pasted token.

import { session } from './api.js';
import { button, h, field, fill, say, values } from './dom.js';
import { t } from './i18n.js';

/** The PKCE verifier and state of a sign-in in progress, for this tab only. */
const PENDING_KEY = 'benefits.console.oidc';

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(size) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

async function signedIn(token) {
  if (await session.establish(token)) {
    window.dispatchEvent(new Event('session-started'));
  } else {
    say(t('signin.tokenRefused'), 'error');
  }
}

/** Sends the browser to the identity provider with a fresh PKCE challenge and state. */
async function startProviderSignIn(oidc) {
  const verifier = randomText(32);
  const state = randomText(16);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(oidc.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: oidc.redirectUri,
    scope: oidc.scope,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Back from the identity provider: redeems the code if the state is this tab's. */
async function finishProviderSignIn(params) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', location.pathname + location.hash);
  if (params.get('error')) {
    say(t('signin.providerRefused', { error: params.get('error') }), 'error');
    return;
  }
  if (!pending || pending.state !== params.get('state')) {
    say(t('signin.notStartedHere'), 'error');
    return;
  }
  const response = await fetch('/admin/oidc/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: params.get('code'), codeVerifier: pending.verifier }),
  });
  if (!response.ok) {
    say(
      response.status === 403
        ? t('signin.staffOnly')
        : t('signin.providerFailed', { status: response.status }),
      'error',
    );
    return;
  }
  const { token } = await response.json();
  await signedIn(token);
}

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
  await signedIn(token);
}

export async function render(main) {
  const params = new URLSearchParams(location.search);
  if (params.has('code') || params.has('error')) {
    await finishProviderSignIn(params);
    if (session.token()) return;
  }
  let options = {};
  try {
    options = await fetch('/admin/sign-in-options').then((r) => r.json());
  } catch {
    options = {};
  }
  const paste = h(
    'form',
    { class: 'card', 'aria-labelledby': 'token-title' },
    h('h2', { id: 'token-title' }, t('signin.tokenTitle')),
    h('p', {}, t('signin.tokenIntro')),
    field(t('signin.token'), { name: 'token', required: true, autocomplete: 'off', spellcheck: 'false' }),
    h('button', { type: 'submit' }, t('signin.submit')),
  );
  paste.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { token } = values(paste);
    if (!token || token.split('.').length !== 3) {
      say(t('signin.notAToken'), 'error');
      return;
    }
    await signedIn(token);
  });
  fill(
    main,
    h('h1', {}, t('signin.title')),
    options.oidc
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'oidc-title' },
          h('h2', { id: 'oidc-title' }, t('signin.providerTitle')),
          h('p', {}, t('signin.providerIntro')),
          h('div', { class: 'actions' }, button(t('signin.submit'), () => startProviderSignIn(options.oidc), { id: 'oidc-sign-in' })),
        )
      : null,
    options.oidcUnavailable
      ? h('p', { class: 'card' }, t('signin.providerUnavailable'))
      : null,
    options.development === true
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
