// Small DOM helpers and the words the console uses for the API's codes.

/** Creates an element: h('p', { class: 'x' }, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's content. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let fieldCounter = 0;

/** A labelled input: field('Bank code', { name: 'bankCode', required: true }). */
export function field(label, attrs = {}) {
  const id = `f${++fieldCounter}`;
  const control =
    attrs.options !== undefined
      ? h(
          'select',
          { id, name: attrs.name, required: attrs.required },
          attrs.options.map(([value, text]) =>
            h('option', { value, selected: value === attrs.value }, text),
          ),
        )
      : h('input', { id, type: 'text', ...attrs, options: null });
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

/** A table from column headings and rows of cells. */
export function table(caption, headings, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headings.map((text) => h('th', { scope: 'col' }, text)))),
      h(
        'tbody',
        {},
        rows.length
          ? rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))
          : h('tr', {}, h('td', { colspan: String(headings.length) }, 'Nothing yet.')),
      ),
    ),
  );
}

/** Form values as an object of trimmed strings (empty fields left out). */
export function values(form) {
  const result = {};
  for (const [name, value] of new FormData(form)) {
    const text = String(value).trim();
    if (text !== '') result[name] = text;
  }
  return result;
}

const toastElement = () => document.getElementById('toast');
let toastTimer;

/** Says something to the user (and to screen readers). */
export function say(message, kind = 'info') {
  const toast = toastElement();
  toast.textContent = message;
  toast.className = `toast show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toast.className = 'toast'), 6000);
}

/** Reports an API refusal in words. */
export function sayError(error) {
  const reason = error.reason ? ` (${words(error.reason)})` : '';
  say(`${error.message}${reason} [${error.code ?? 'ERROR'}]`, 'error');
}

export const krw = (amount) =>
  amount === null || amount === undefined ? '—' : `₩${Number(amount).toLocaleString('en-US')}`;

export const dateTime = (rfc3339) =>
  rfc3339 ? new Date(rfc3339).toLocaleString('en-GB', { timeZone: 'Asia/Seoul' }) + ' KST' : '—';

const WORDS = {
  // Fee waiver reasons.
  BUDGET_PHONE: 'a budget phone from a virtual operator',
  IOT_LINE: 'an IoT line',
  NOT_SUBSCRIBED_AT_BASELINE: 'not subscribed at the end of the baseline date',
  CONTRACT_CHANGED_AFTER_CUTOFF: 'new subscription, device change or renewal after the cut-off',
  NOT_CANCELLED: 'still in service (see the estimate)',
  OPERATOR_TERMINATED: 'ended by the operator, not the customer',
  CANCELLED_OUTSIDE_WINDOW: 'cancelled outside the waiver’s window',
  RESUBSCRIBED: 'cancelled and subscribed again in the window',
  NO_REFUNDABLE_FEE: 'no refundable fee was charged',
  // Benefit reasons.
  NOT_IN_SERVICE_ON_BASE_DATE: 'not in service at the end of the program’s base date',
  LINE_TERMINATED: 'terminated since',
  PREPAID_LINE: 'a prepaid line',
  SECOND_DEVICE: 'a second device (watch, tablet)',
  SUSPENDED: 'suspended now',
  CORPORATE_CUSTOMER: 'a corporate customer',
  NOT_ENROLLED: 'eligible, not enrolled yet',
  BELOW_MINIMUM_AGE: 'below the service’s minimum age',
  // Late-application reasons.
  MILITARY_SERVICE: 'military service',
  OVERSEAS_STAY: 'an overseas stay',
  HOSPITALISATION: 'hospitalisation',
  BUSINESS_TRIP: 'a business trip',
  // Campaign days.
  BASELINE_DATE: 'Subscribed at the end of',
  CONTRACT_CHANGE_CUTOFF: 'No contract change from',
  ELIGIBILITY_CHECK_OPENS: 'Eligibility checking opens',
  BASE_DATE: 'Appreciation program base date',
  // Others.
  CALL_CENTER: 'call centre',
  STORE: 'shop',
  WEB: 'app or website',
};

/** A code in plain words (the code itself when there is no wording). */
export function words(code) {
  if (code === null || code === undefined) return '—';
  return WORDS[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

/** A button that runs `action` and is disabled meanwhile. */
export function button(text, action, attrs = {}) {
  const element = h('button', { type: 'button', ...attrs }, text);
  element.addEventListener('click', async () => {
    element.disabled = true;
    try {
      await action();
    } finally {
      element.disabled = false;
    }
  });
  return element;
}
