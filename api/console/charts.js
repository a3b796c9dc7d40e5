// Bar charts drawn as SVG, with the same numbers in a table for screen readers.

import { h } from './dom.js';
import { number, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A round number at or above `value` for the axis. */
function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

/** An axis number, shortened in the console's language (`1.2만`, `1.2k`). */
function short(n) {
  const units = t('chart.units').split(' ').map((pair) => pair.split('='));
  for (const [size, suffix] of units.map(([size, suffix]) => [Number(size), suffix]).sort((a, b) => b[0] - a[0])) {
    if (n >= size) return `${+(n / size).toFixed(1)}${suffix}`;
  }
  return number(n);
}

/**
 * A bar chart, stacked when there is more than one series.
 * groups: [{ label, values: { series: number } }]; series: [name]; format(n) for the
 * table; labels(name) for the legend.
 */
export function barChart({ id, title, groups, series = ['value'], format = number, label = () => t('chart.value') }) {
  const width = 520;
  const height = 270;
  const left = 52;
  const bottom = 84;
  const top = 12;
  const plot = height - top - bottom;
  const totals = groups.map((g) => series.reduce((sum, name) => sum + (g.values[name] ?? 0), 0));
  // Counts get whole-number ticks: at least 0 to 4.
  const whole = totals.every(Number.isInteger);
  const max = niceMax(Math.max(whole ? 4 : 0, ...totals));
  const band = (width - left - 10) / Math.max(groups.length, 1);
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
    'aria-labelledby': `${id}-title`,
    'data-chart': id,
  });
  svg.append(s('title', { id: `${id}-title` }, title));
  for (let i = 0; i <= 4; i++) {
    const y = top + plot - (plot * i) / 4;
    svg.append(
      s('line', { x1: left, x2: width - 6, y1: y, y2: y, class: 'grid' }),
      s('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, short((max * i) / 4)),
    );
  }
  groups.forEach((group, index) => {
    const barWidth = Math.min(band * 0.7, 64);
    const x = left + index * band + (band - barWidth) / 2;
    let y = top + plot;
    series.forEach((name, seriesIndex) => {
      const value = group.values[name] ?? 0;
      const barHeight = (plot * value) / max;
      y -= barHeight;
      if (value > 0) {
        svg.append(
          s(
            'rect',
            { x, y, width: barWidth, height: barHeight, class: `bar s${seriesIndex}` },
            s('title', {}, `${group.label} · ${label(name)}: ${format(value)}`),
          ),
        );
      }
    });
    const text = group.label.length > 16 ? `${group.label.slice(0, 15)}…` : group.label;
    svg.append(
      s(
        'text',
        {
          x: x + barWidth / 2,
          y: top + plot + 14,
          class: 'axis',
          'text-anchor': 'end',
          transform: `rotate(-35 ${x + barWidth / 2} ${top + plot + 14})`,
        },
        text,
      ),
    );
  });
  const legend =
    series.length > 1
      ? h(
          'ul',
          { class: 'legend' },
          series.map((name, i) => h('li', {}, h('span', { class: `swatch s${i}`, 'aria-hidden': 'true' }), label(name))),
        )
      : null;
  const details = h(
    'details',
    {},
    h('summary', {}, t('chart.numbers')),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('chart.group')), series.map((name) => h('th', { scope: 'col' }, label(name))))),
      h(
        'tbody',
        {},
        groups.map((g) =>
          h('tr', {}, h('th', { scope: 'row' }, g.label), series.map((name) => h('td', {}, format(g.values[name] ?? 0)))),
        ),
      ),
    ),
  );
  return h(
    'figure',
    { class: 'chart-card' },
    h('figcaption', {}, title),
    groups.length ? svg : h('p', { class: 'empty' }, t('chart.empty')),
    legend,
    details,
  );
}
