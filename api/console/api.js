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

function decodePart(part) {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  return JSON.parse(atob(padded));
}

/** The signed-in session: the token and what its payload says (not verified here; the
 * service verifies every request). */
export const session = {
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  claims() {
    const token = this.token();
    if (!token) return null;
    try {
      return decodePart(token.split('.')[1]);
    } catch {
      return null;
    }
  },
  role() {
    return this.claims()?.role ?? null;
  },
  save(token) {
    sessionStorage.setItem(TOKEN_KEY, token.trim());
  },
  clear() {
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
