// The console's only way to the service: POST /graphql with the session's bearer
// token. The token lives in sessionStorage (gone when the tab closes); the only other
// thing the browser keeps is the language preference (i18n.js).

const TOKEN_KEY = 'benefits.console.token';

/** A refused operation, with the contract's `extensions.code` and `reason`. */
export class ApiError extends Error {
  constructor(message, code, reason, correlationId) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.correlationId = correlationId;
  }
}

/** Whom the session's token names, as the service verified it (kept in memory only). */
let who = null;

/** The signed-in session: the token, and the role and subject the service says it
 * names (the console never reads a token's claims itself: an identity provider's
 * roles sit wherever its configuration puts them). */
export const session = {
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  role() {
    return who?.role ?? null;
  },
  subject() {
    return who?.subject ?? null;
  },
  /** Keeps `token` once the service has said whom it names; false when it refuses it. */
  async establish(token) {
    const response = await fetch('/admin/session', {
      headers: { authorization: `Bearer ${token.trim()}` },
    });
    if (!response.ok) {
      this.clear();
      return false;
    }
    who = await response.json();
    sessionStorage.setItem(TOKEN_KEY, token.trim());
    return true;
  },
  /** After a reload: asks again whom the kept token names. */
  async restore() {
    const token = this.token();
    if (token && !who) await this.establish(token);
  },
  clear() {
    who = null;
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** Runs one GraphQL operation; resolves to `data`, rejects with an ApiError. */
export async function gql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${session.token() ?? ''}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`, 'INTERNAL');
  }
  if (body.errors?.length) {
    const first = body.errors[0];
    const code = first.extensions?.code ?? 'INTERNAL';
    if (code === 'UNAUTHENTICATED') {
      session.clear();
      window.dispatchEvent(new Event('session-ended'));
    }
    throw new ApiError(first.message, code, first.extensions?.reason, first.extensions?.correlationId);
  }
  return body.data;
}
