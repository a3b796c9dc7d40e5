// Small DOM helpers: elements, forms, tables, buttons and the status line. Every word
// they show comes from the message catalogues (i18n.js).

import { has, language, t } from './i18n.js';

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
    attrs.multiline
      ? h('textarea', { id, name: attrs.name, required: attrs.required, rows: '3', lang: attrs.lang, autocomplete: 'off' }, attrs.value ?? '')
      : attrs.options !== undefined
      ? h(
          'select',
          { id, name: attrs.name, required: attrs.required },
          attrs.options.map(([value, text]) =>
            h('option', { value, selected: value === attrs.value }, text),
          ),
        )
      : h('input', { id, type: 'text', ...attrs, options: null, multiline: null });
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
          : h('tr', {}, h('td', { colspan: String(headings.length) }, t('common.empty'))),
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

/** Reports an API refusal in the console's language: what the code means, and the
 * reason's explanation when there is one (in English also the service's own words). */
export function sayError(error) {
  const what = has(`error.${error.code}`) ? t(`error.${error.code}`) : t('error.INTERNAL');
  const reason = error.reason && has(`reason.${error.reason}`) ? ` ${t(`reason.${error.reason}`)}` : '';
  const detail = language() === 'en' && !reason && error.message ? ` (${error.message})` : '';
  const reference = error.correlationId ? ` ${t('error.correlation', { id: error.correlationId })}` : '';
  say(`${what}${reason}${detail}${reference}`, 'error');
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
