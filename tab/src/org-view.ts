/**
 * Organisation (DESIGN.md §4 Tab, §6): the hierarchy rolled up from the caller's top (the Chief
 * Executive for OD) with drill-down for a picked quarter, a directorate × quarter heat map, the trend,
 * and the overdue and "nobody in 12 months" lists with a department filter; under a policy with pay
 * steps, the quarter's pay-step deferrals (CC §8). Status and counts only: no note text
 * is in these responses, nor in their CSV exports.
 */
import {
  type OrgChildKind,
  type OrgListKind,
  type OrgListResponse,
  type OrgListRow,
  type OrgNode,
  type OrgResponse,
} from '../../core/tab-api';
import { isAbort } from './api';
import { mountTrendChart } from './chart';
import { type Rgb, luminance, mix, parseHex, textOn, toHex } from './colour';
import { debounce, h, replaceChildren, uniqueId } from './dom';
import { type QuarterlyFigure, quarterlyFigure } from './figure';
import { count, formatDate, fraction, percent, statusClass } from './format';
import { type ViewContext, actionButton, quarterField, scrollingTable, statFigure } from './view';

/** The organisation URL for a node (a real link: it can be opened, copied and reached by keyboard). */
export function nodeHref(nodeId: string): string {
  const url = new URL(window.location.href);
  url.searchParams.set('view', 'organisation');
  url.searchParams.set('node', nodeId);
  return `${url.pathname}${url.search}`;
}

/** Renders the organisation view for `?node=` (the caller's top when absent) and `?quarter=` (the current one). */
export async function showOrganisation(ctx: ViewContext): Promise<void> {
  const title = h('h2', { class: 'view-title', tabindex: -1 }, 'Organisation');
  replaceChildren(ctx.root, title);
  const fetchOrg = async (quarter: string | null, what: string): Promise<OrgResponse> => {
    ctx.status.busy(what);
    ctx.root.setAttribute('aria-busy', 'true');
    try {
      return await ctx.api.get<OrgResponse>(
        '/api/org',
        { node: ctx.params.get('node'), quarter },
        ctx.signal,
      );
    } finally {
      ctx.root.removeAttribute('aria-busy');
    }
  };
  let org = await fetchOrg(ctx.params.get('quarter'), 'Loading the organisation…');

  const quarter = quarterField(
    'org-quarter-picker',
    `The quarter changes the figures and the table of ${CHILDREN[org.childKind]} below. The heat map and trend show every quarter; the overdue lists are as of today.`,
  );
  const picker = quarter.picker;
  quarter.fill(org.quarters, org.quarter);
  // What depends on the quarter is redrawn in place when another is picked (the picker keeps focus);
  // the heat map, trend and lists cover every quarter and stay.
  const crumbs = h('div', {});
  const quarterPart = h('div', {});
  const drawQuarter = () => {
    const figure = quarterlyFigure(org);
    replaceChildren(crumbs, breadcrumb(org));
    replaceChildren(
      quarterPart,
      h('p', { class: 'muted' }, `${org.node.department} · figures for ${org.quarter}`),
      nodeFigures(org, figure),
      childrenSection(ctx, org, figure),
    );
  };
  const chart = h('div', { class: 'chart-box' });
  const heat = h('div', { class: 'heat-box' });
  const figure = quarterlyFigure(org);
  drawQuarter();
  replaceChildren(
    ctx.root,
    title,
    crumbs,
    h('h3', { class: 'node-name', 'data-testid': 'org-node-name', tabindex: -1 }, org.node.name),
    h('div', { class: 'toolbar' }, quarter.field),
    quarter.hint,
    quarterPart,
    h('h4', {}, `${figure.short}, by quarter`),
    heat,
    h('h4', {}, 'Trend'),
    chart,
    listsSection(ctx, org.node),
    outboxNote(org),
  );
  const drawHeat = () => replaceChildren(heat, heatmap(org, figure));
  drawHeat();
  ctx.onTheme(drawHeat);
  mountTrendChart(
    chart,
    org.trend,
    `${org.node.name}: completion over the last 8 quarters`,
    figure,
    ctx.signal,
  );
  ctx.status.say(`${org.node.name}: ${count(org.children.length, 'team', 'teams')} below.`);

  const pick = async (quarter: string) => {
    org = await fetchOrg(quarter, `Loading ${quarter}…`);
    // The URL keeps the quarter, so drilling down, Back and a copied link stay in it.
    const url = new URL(window.location.href);
    url.searchParams.set('quarter', org.quarter);
    window.history.replaceState(null, '', `${url.pathname}${url.search}`);
    ctx.params.set('quarter', org.quarter);
    drawQuarter();
    ctx.status.say(`${org.node.name}: figures for ${org.quarter}.`);
  };
  picker.addEventListener('change', () => {
    const asked = picker.value;
    pick(asked).catch((error: unknown) => {
      picker.value = org.quarter;
      ctx.fail(error, `the figures for ${asked}`, () => void pick(asked));
    });
  });
}

/** For OD: what reminders could not reach (people without the app, dead-lettered messages). */
function outboxNote(org: OrgResponse): HTMLElement | null {
  if (org.outbox === undefined) return null;
  const { notReachable, deadLettered } = org.outbox;
  return h(
    'p',
    { class: 'muted', 'data-testid': 'outbox-faults' },
    `Reminders: ${count(notReachable, 'person', 'people')} not reachable (the app is not installed for them), ` +
      `${count(deadLettered, 'message', 'messages')} dead-lettered. List them with npm run cli -- outbox --list.`,
  );
}

function breadcrumb(org: OrgResponse): HTMLElement | null {
  if (org.path.length <= 1) return null;
  const last = org.path.length - 1;
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
    h(
      'ol',
      {},
      ...org.path.map((step, i) =>
        h(
          'li',
          {},
          i === last
            ? h('span', { 'aria-current': 'page' }, step.name)
            : h('a', { href: nodeHref(step.id), 'data-nav': '' }, step.name),
        ),
      ),
    ),
  );
}

function nodeFigures(org: OrgResponse, figure: QuarterlyFigure): HTMLElement {
  const { node, quarter } = org;
  const deferrals = org.payStepDeferrals;
  return h(
    'div',
    { class: 'figures' },
    statFigure(
      figure.label,
      percent(node.quarterly.rate),
      `${figure.detail(fraction(node.quarterly))}, ${quarter}`,
      'org-quarterly-rate',
    ),
    statFigure(
      'Rolling 12 months',
      percent(node.rolling.rate),
      `${fraction(node.rolling)} up to date`,
      'org-rolling-rate',
    ),
    statFigure('People', node.headcount.toLocaleString('en-GB'), 'in this part of the organisation'),
    statFigure(
      'Overdue',
      node.overdue.toLocaleString('en-GB'),
      `and ${node.dueSoon.toLocaleString('en-GB')} due soon`,
    ),
    // CC §8 "number of deferrals", in the policy's words; only under a policy with pay steps.
    deferrals !== undefined &&
      statFigure(
        deferrals.label,
        (node.payStepDeferrals ?? 0).toLocaleString('en-GB'),
        `recorded for pay-step dates in ${quarter}`,
        'org-pay-step-deferrals',
      ),
  );
}

function childrenSection(ctx: ViewContext, org: OrgResponse, figure: QuarterlyFigure): HTMLElement {
  const captionId = uniqueId('children-caption');
  const deferrals = org.payStepDeferrals;
  const headings = [
    'Name',
    'Department',
    'People',
    figure.short,
    'Rolling 12 months',
    'Overdue',
    'Due soon',
    ...(deferrals !== undefined ? [deferrals.short] : []),
  ];
  const rows =
    org.children.length === 0
      ? [h('tr', {}, h('td', { colspan: headings.length }, 'No teams below this one.'))]
      : org.children.map((child) =>
          h(
            'tr',
            { 'data-testid': 'org-child-row', 'data-node-id': child.id },
            h(
              'th',
              { scope: 'row' },
              child.hasChildren
                ? h('a', { href: nodeHref(child.id), 'data-nav': '', 'data-drill': '' }, child.name)
                : child.name,
            ),
            h('td', {}, child.department),
            h('td', { class: 'num' }, child.headcount.toLocaleString('en-GB')),
            rateCell(child.quarterly.rate, fraction(child.quarterly)),
            rateCell(child.rolling.rate, fraction(child.rolling)),
            h('td', { class: 'num' }, child.overdue.toLocaleString('en-GB')),
            h('td', { class: 'num' }, child.dueSoon.toLocaleString('en-GB')),
            deferrals !== undefined &&
              h(
                'td',
                { class: 'num', 'data-testid': 'org-child-deferrals' },
                (child.payStepDeferrals ?? 0).toLocaleString('en-GB'),
              ),
          ),
        );
  const nodeId = org.node.id;
  return h(
    'section',
    { class: 'section', 'aria-labelledby': `${captionId}-h` },
    h(
      'div',
      { class: 'section-head' },
      h('h4', { id: `${captionId}-h` }, `${capitalised(CHILDREN[org.childKind])} below`),
      actionButton(
        'Export CSV',
        () => exportCsv(ctx, '/api/org.csv', { node: nodeId, quarter: org.quarter }, 'organisation.csv'),
        { 'data-testid': 'csv-export' },
      ),
    ),
    scrollingTable(
      h(
        'table',
        { class: 'table' },
        h(
          'caption',
          { id: captionId },
          `${capitalised(CHILDREN[org.childKind])} below ${org.node.name}, ${org.quarter}`,
        ),
        h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...rows),
      ),
      captionId,
    ),
  );
}

function rateCell(rate: number | null, detail: string): HTMLTableCellElement {
  return h(
    'td',
    { class: 'num' },
    h('span', { class: 'rate' }, percent(rate)),
    ' ',
    h('span', { class: 'muted' }, `(${detail})`),
  );
}

/** The heat map's colours, from the theme's CSS variables (`--heat-low`, `--heat-high`). */
function heatScale(): { low: Rgb; high: Rgb } {
  const style = getComputedStyle(document.documentElement);
  return {
    low: parseHex(style.getPropertyValue('--heat-low')) ?? [240, 240, 250],
    high: parseHex(style.getPropertyValue('--heat-high')) ?? [51, 53, 138],
  };
}

/** Short column heading for a quarter: `Q3 26/27`. */
function shortQuarter(label: string): string {
  const match = /^(?:\d{2})?(\d{2}\/\d{2})\s+(Q\d)$/.exec(label.trim());
  return match?.[1] !== undefined && match[2] !== undefined ? `${match[2]} ${match[1]}` : label;
}

/** What a node's children are called, in the plural. */
const CHILDREN: Readonly<Record<OrgChildKind, string>> = {
  directorate: 'directorates',
  service: 'services',
  team: 'teams',
};

/** Whether the theme's colour for a high figure is the darker of its two (light themes) or not (dark). */
function darkerIsHigher(low: Rgb, high: Rgb): boolean {
  return luminance(high) < luminance(low);
}

function heatmap(org: OrgResponse, figure: QuarterlyFigure): HTMLElement {
  const { low, high } = heatScale();
  const captionId = uniqueId('heat-caption');
  const cell = (rate: number | null) => {
    if (rate === null) return h('td', { class: 'heat heat-none' }, '—');
    const background = mix(low, high, rate);
    return h(
      'td',
      { class: 'heat', style: `background-color:${toHex(background)};color:${textOn(background)}` },
      percent(rate),
    );
  };
  const table = h(
    'table',
    { class: 'table heatmap', 'data-testid': 'heatmap' },
    h(
      'caption',
      { id: captionId },
      `${capitalised(figure.series)}, by ${org.childKind} (${darkerIsHigher(low, high) ? 'darker' : 'brighter'} is higher; — no data)`,
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Name'),
        ...org.quarters.map((q) =>
          h('th', { scope: 'col' }, h('abbr', { title: q, class: 'plain' }, shortQuarter(q))),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...(org.heatmap.length === 0
        ? [h('tr', {}, h('td', { colspan: org.quarters.length + 1 }, 'Nothing to show yet.'))]
        : org.heatmap.map((row) =>
            h('tr', { 'data-node-id': row.id }, h('th', { scope: 'row' }, row.name), ...row.cells.map(cell)),
          )),
    ),
  );
  const legend = h(
    'p',
    { class: 'heat-legend', 'aria-hidden': 'true' },
    h('span', {}, '0%'),
    h('span', {
      class: 'heat-ramp',
      style: `background:linear-gradient(to right, ${toHex(low)}, ${toHex(high)})`,
    }),
    h('span', {}, '100%'),
  );
  return h('div', {}, scrollingTable(table, captionId), legend);
}

const LISTS: readonly { kind: OrgListKind; title: string; testId: string; file: string }[] = [
  { kind: 'overdue', title: 'Overdue', testId: 'list-overdue', file: 'overdue.csv' },
  {
    kind: 'none-12m',
    title: 'No conversation in 12 months',
    testId: 'list-none-12m',
    file: 'no-conversation-12-months.csv',
  },
];

/** The two exception lists under one department filter (debounced: one request per pause in typing). */
function listsSection(ctx: ViewContext, node: OrgNode): HTMLElement {
  const filterId = uniqueId('department');
  const filter = h('input', {
    id: filterId,
    type: 'search',
    class: 'input',
    autocomplete: 'off',
    'data-testid': 'department-filter',
  });
  let controller: AbortController | undefined;
  /** The filter the lists on screen were loaded with: an export has the rows shown. */
  let shownDepartment = '';
  const lists = LISTS.map((spec) => {
    const headingId = uniqueId(spec.testId);
    const countText = h('span', { class: 'count', 'data-testid': 'list-count' });
    const body = h('div', { class: 'list-body' });
    const section = h(
      'section',
      { class: 'section', 'data-testid': spec.testId, 'aria-labelledby': headingId },
      h(
        'div',
        { class: 'section-head' },
        h('h4', { id: headingId }, spec.title, ' ', countText),
        actionButton(
          'Export CSV',
          () =>
            exportCsv(
              ctx,
              '/api/org/list.csv',
              { kind: spec.kind, node: node.id, department: shownDepartment },
              spec.file,
            ),
          { 'data-testid': 'list-csv-export' },
        ),
      ),
      body,
    );
    return { spec, section, countText, body, headingId };
  });

  const load = async () => {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const signal = AbortSignal.any([ctx.signal, mine.signal]);
    const department = filter.value.trim();
    for (const list of lists) list.section.setAttribute('aria-busy', 'true');
    try {
      const answers = await Promise.all(
        lists.map((list) =>
          ctx.api.get<OrgListResponse>(
            '/api/org/list',
            { kind: list.spec.kind, node: node.id, department },
            signal,
          ),
        ),
      );
      shownDepartment = department;
      const said: string[] = [];
      answers.forEach((answer, i) => {
        const list = lists[i];
        if (list === undefined) return;
        list.countText.textContent = `(${answer.total.toLocaleString('en-GB')})`;
        replaceChildren(list.body, listTable(list.spec.kind, list.spec.title, answer));
        said.push(`${list.spec.title}: ${count(answer.total, 'person', 'people')}`);
      });
      ctx.status.say(`${department === '' ? '' : `Department “${department}”. `}${said.join('; ')}.`);
    } catch (error) {
      if (!isAbort(error)) ctx.fail(error, 'the lists', () => void load());
    } finally {
      if (controller === mine) for (const list of lists) list.section.removeAttribute('aria-busy');
    }
  };
  filter.addEventListener(
    'input',
    debounce(() => void load(), 350),
  );
  void load();

  return h(
    'section',
    { class: 'section lists' },
    h('h4', { class: 'vh' }, 'Exception lists'),
    h('div', { class: 'field' }, h('label', { for: filterId }, 'Filter the lists by department'), filter),
    ...lists.map((list) => list.section),
  );
}

function listTable(kind: OrgListKind, title: string, answer: OrgListResponse): HTMLElement {
  const captionId = uniqueId('list-caption');
  const headings = [
    'Name',
    'Department',
    'Manager',
    'Status',
    ...(kind === 'overdue' ? ['Days overdue'] : []),
    'Last held',
  ];
  const row = (r: OrgListRow) =>
    h(
      'tr',
      { 'data-testid': 'list-row', 'data-employee-id': r.employeeId },
      h('th', { scope: 'row' }, r.name),
      h('td', {}, r.department),
      h('td', {}, r.managerName),
      h('td', {}, h('span', { class: statusClass(r.status) }, r.statusLabel)),
      kind === 'overdue' && h('td', { class: 'num' }, r.daysOverdue.toLocaleString('en-GB')),
      h('td', {}, formatDate(r.lastHeld)),
    );
  const shown =
    answer.rows.length < answer.total
      ? h(
          'p',
          { class: 'muted' },
          `Showing ${answer.rows.length.toLocaleString('en-GB')} of ${answer.total.toLocaleString('en-GB')}; the CSV has everyone.`,
        )
      : null;
  return h(
    'div',
    {},
    shown,
    scrollingTable(
      h(
        'table',
        { class: 'table' },
        h('caption', { id: captionId, class: 'vh' }, title),
        h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          ...(answer.rows.length === 0
            ? [h('tr', {}, h('td', { colspan: headings.length }, 'Nobody.'))]
            : answer.rows.map(row)),
        ),
      ),
      captionId,
    ),
  );
}

async function exportCsv(
  ctx: ViewContext,
  path: string,
  query: Readonly<Record<string, string>>,
  fallback: string,
): Promise<void> {
  try {
    ctx.status.busy('Preparing the CSV…');
    const name = await ctx.api.download(path, query, fallback);
    ctx.status.say(`Downloaded ${name}.`);
  } catch (error) {
    ctx.fail(error, 'the CSV export');
  }
}

function capitalised(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
