/**
 * The completion trend over the last 8 quarters (DESIGN.md §4 Tab) as a hand-made inline SVG:
 * the policy's quarterly figure as bars (named: tab/src/figure.ts), rolling 12-month completion as a line, with a title and summary
 * for assistive technology and the same figures in a visually hidden table.
 */
import { type TrendPoint } from '../../core/tab-api';
import { h, svg, uniqueId } from './dom';
import { type QuarterlyFigure } from './figure';
import { fraction, percent } from './format';

const HEIGHT = 240;
/** The narrowest quarter slot (user units, one per CSS pixel) in which two years stand side by side. */
const YEAR_SLOT = 44;
const MARGIN = { top: 14, right: 12, bottom: 44, left: 44 } as const;

/**
 * Renders the chart into `container` at its current width, and again when that width changes,
 * until `signal` is aborted (the user left the view).
 */
export function mountTrendChart(
  container: HTMLElement,
  trend: readonly TrendPoint[],
  title: string,
  figure: QuarterlyFigure,
  signal: AbortSignal,
): void {
  let width = 0;
  const draw = () => {
    const next = Math.max(300, Math.min(1100, Math.floor(container.clientWidth || 640)));
    if (Math.abs(next - width) < 24) return;
    width = next;
    container.replaceChildren(
      trendChart(trend, title, figure, width),
      legend(figure),
      trendTable(trend, title, figure),
    );
  };
  draw();
  if (typeof ResizeObserver === 'undefined') return;
  const observer = new ResizeObserver(() => draw());
  observer.observe(container);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

/** The SVG chart, `width` user units wide (one unit per CSS pixel, so text keeps its size). */
export function trendChart(
  trend: readonly TrendPoint[],
  title: string,
  figure: QuarterlyFigure,
  width: number,
): SVGSVGElement {
  const titleId = uniqueId('chart-title');
  const descId = uniqueId('chart-desc');
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotW / Math.max(1, trend.length);
  const barW = Math.min(44, slot * 0.55);
  const y = (rate: number) => MARGIN.top + plotH * (1 - rate);
  const xMid = (i: number) => MARGIN.left + slot * (i + 0.5);

  const grid = [0, 0.25, 0.5, 0.75, 1].map((tick) =>
    svg(
      'g',
      { class: 'chart-grid' },
      svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: y(tick), y2: y(tick) }),
      svg('text', { x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, percent(tick)),
    ),
  );
  const bars = trend.map((point, i) => {
    const rate = point.quarterly.rate;
    // Before the organisation's first data the quarter says so; a quarter nobody was eligible in, "—".
    if (rate === null)
      return svg(
        'text',
        { class: 'chart-none', x: xMid(i), y: y(0) - 4, 'text-anchor': 'middle' },
        point.noData === true && slot >= 44 ? 'no data' : '—',
      );
    const top = y(rate);
    return svg('rect', {
      class: 'chart-bar',
      x: xMid(i) - barW / 2,
      y: top,
      width: barW,
      height: Math.max(0, y(0) - top),
    });
  });
  const points = trend
    .map((point, i) => (point.rolling.rate === null ? null : ([xMid(i), y(point.rolling.rate)] as const)))
    .filter((p): p is readonly [number, number] => p !== null);
  const line =
    points.length > 1
      ? svg('polyline', { class: 'chart-line', points: points.map(([px, py]) => `${px},${py}`).join(' ') })
      : null;
  const dots = points.map(([px, py]) => svg('circle', { class: 'chart-dot', cx: px, cy: py, r: 4 }));
  // The year under the first quarter and wherever it changes, so eight labels fit on a phone; when
  // the slots are too narrow for two years side by side (the first quarter alone in its year, at
  // 360 px), the first is left to the hidden table and the quarters' titles.
  const years = trend.map((point, i) => {
    const { year } = splitQuarter(point.quarter);
    return i === 0 || splitQuarter(trend[i - 1]?.quarter ?? '').year !== year ? year : '';
  });
  if (slot < YEAR_SLOT && years[0] !== '' && years[1] !== undefined && years[1] !== '') years[0] = '';
  const labels = trend.map((point, i) => {
    const { quarter } = splitQuarter(point.quarter);
    const year = years[i] ?? '';
    return svg(
      'text',
      { class: 'chart-axis', x: xMid(i), y: HEIGHT - MARGIN.bottom + 18, 'text-anchor': 'middle' },
      svg('tspan', { x: xMid(i) }, quarter),
      svg('tspan', { x: xMid(i), dy: 15 }, year),
    );
  });

  return svg(
    'svg',
    {
      class: 'chart',
      'data-testid': 'trend-chart',
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      viewBox: `0 0 ${width} ${HEIGHT}`,
      width,
      height: HEIGHT,
      focusable: 'false',
    },
    svg('title', { id: titleId }, title),
    svg('desc', { id: descId }, describe(trend, figure)),
    ...grid,
    svg('line', {
      class: 'chart-axis-line',
      x1: MARGIN.left,
      x2: width - MARGIN.right,
      y1: y(0),
      y2: y(0),
    }),
    ...bars,
    line,
    ...dots,
    ...labels,
  );
}

/** What the bars and the line are (the hidden table says the same to screen readers). */
function legend(figure: QuarterlyFigure): HTMLUListElement {
  return h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    h('li', {}, h('span', { class: 'swatch bar' }), figure.label),
    h('li', {}, h('span', { class: 'swatch line' }), 'Rolling 12 months'),
  );
}

/** The chart's figures as a table for screen readers. */
function trendTable(trend: readonly TrendPoint[], title: string, figure: QuarterlyFigure): HTMLDivElement {
  // The wrapper hides it: a table's own box ignores the clipping that .vh relies on.
  return h(
    'div',
    { class: 'vh' },
    h(
      'table',
      {},
      h('caption', {}, title),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Quarter'),
          h('th', { scope: 'col' }, figure.label),
          h('th', { scope: 'col' }, 'Rolling 12 months'),
        ),
      ),
      h(
        'tbody',
        {},
        ...trend.map((p) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, p.quarter),
            h('td', {}, p.noData ? 'No data' : `${percent(p.quarterly.rate)} (${fraction(p.quarterly)})`),
            h('td', {}, p.noData ? 'No data' : `${percent(p.rolling.rate)} (${fraction(p.rolling)})`),
          ),
        ),
      ),
    ),
  );
}

/** A one-sentence summary: where each series started and ended. */
function describe(all: readonly TrendPoint[], figure: QuarterlyFigure): string {
  const trend = all.filter((p) => p.noData !== true);
  const first = trend[0];
  const last = trend[trend.length - 1];
  if (first === undefined || last === undefined) return 'No data in any of these quarters yet.';
  return (
    `Bars: ${figure.series}, from ${percent(first.quarterly.rate)} in ${first.quarter} ` +
    `to ${percent(last.quarterly.rate)} in ${last.quarter}. Line: rolling 12-month completion, ` +
    `from ${percent(first.rolling.rate)} to ${percent(last.rolling.rate)}.`
  );
}

/** `2026/27 Q3` → `Q3` over `26/27`, so eight labels fit on a phone. */
function splitQuarter(label: string): { quarter: string; year: string } {
  const match = /^(?:\d{2})?(\d{2}\/\d{2})\s+(Q\d)$/.exec(label.trim());
  return match?.[1] !== undefined && match[2] !== undefined
    ? { quarter: match[2], year: match[1] }
    : { quarter: label, year: '' };
}
