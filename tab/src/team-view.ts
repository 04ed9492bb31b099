/**
 * My team (DESIGN.md §4 Tab): a manager's direct reports for a chosen quarter — status, held in
 * 12 months vs expected, last and next dates, open actions — with the completion figures, the
 * 8-quarter trend, a CSV export of the same rows, and Schedule / Log, which have the bot send that
 * card to the manager's chat. Under a policy with pay steps, each member's pay-step line opens the
 * checks I–V under their row (pay-step-view.ts).
 */
import { type TeamActionResponse, type TeamMember, type TeamResponse } from '../../core/tab-api';
import { mountTrendChart } from './chart';
import { h, hidden, replaceChildren, uniqueId } from './dom';
import { quarterlyFigure } from './figure';
import { count, formatDate, fraction, percent, statusClass } from './format';
import { payStepParts } from './pay-step-view';
import { openInTeams } from './teams';
import { type ViewContext, actionButton, quarterField, scrollingTable, statFigure } from './view';

/** Renders My team into `ctx.root`, for the current quarter first. */
export async function showTeam(ctx: ViewContext): Promise<void> {
  const quarterPick = quarterField(
    'quarter-picker',
    'The quarter changes the two figures and “Held in quarter”. Each person’s status, 12-month count, dates and actions are as of today.',
  );
  const picker = quarterPick.picker;
  /** The quarter on screen: the export has the rows shown, even when a later load failed. */
  let shown: string | undefined;
  const exportButton = actionButton('Export CSV', () => exportCsv(ctx, shown), {
    'data-testid': 'csv-export',
  });
  const notice = h('div', { class: 'notice', 'aria-live': 'polite', 'data-testid': 'notice' });
  const body = h('div', { class: 'view-body' });
  replaceChildren(
    ctx.root,
    h('h2', { class: 'view-title', tabindex: -1 }, 'My team'),
    h('div', { class: 'toolbar' }, quarterPick.field, exportButton),
    quarterPick.hint,
    notice,
    body,
  );

  const load = async (quarter?: string) => {
    ctx.status.busy(quarter === undefined ? 'Loading your team…' : `Loading ${quarter}…`);
    ctx.root.setAttribute('aria-busy', 'true');
    try {
      const team = await ctx.api.get<TeamResponse>('/api/team', { quarter }, ctx.signal);
      quarterPick.fill(team.quarters, team.quarter);
      renderBody(ctx, body, notice, team);
      shown = team.quarter;
      ctx.status.say(`${team.quarter}: ${count(team.members.length, 'person', 'people')} in your team.`);
    } finally {
      ctx.root.removeAttribute('aria-busy');
    }
  };
  const reload = (quarter: string): void => {
    load(quarter).catch((error: unknown) => {
      if (shown !== undefined) picker.value = shown;
      ctx.fail(error, 'your team', () => reload(quarter));
    });
  };
  picker.addEventListener('change', () => reload(picker.value));
  await load();
}

function renderBody(ctx: ViewContext, body: HTMLElement, notice: HTMLElement, team: TeamResponse): void {
  const chart = h('div', { class: 'chart-box' });
  const captionId = uniqueId('team-caption');
  const figure = quarterlyFigure(team);
  replaceChildren(
    body,
    h(
      'div',
      { class: 'figures' },
      statFigure(
        figure.label,
        percent(team.quarterly.rate),
        `${figure.detail(fraction(team.quarterly))}, ${team.quarter}`,
        'team-quarterly-rate',
      ),
      statFigure(
        'Rolling 12 months',
        percent(team.rolling.rate),
        `${fraction(team.rolling)} up to date`,
        'team-rolling-rate',
      ),
    ),
    h('h3', {}, 'Trend'),
    chart,
    h('h3', {}, 'Team members'),
    scrollingTable(membersTable(ctx, notice, team, captionId), captionId),
  );
  mountTrendChart(chart, team.trend, 'Team completion over the last 8 quarters', figure, ctx.signal);
}

function membersTable(
  ctx: ViewContext,
  notice: HTMLElement,
  team: TeamResponse,
  captionId: string,
): HTMLTableElement {
  const headings = [
    'Name',
    'Status',
    'Held in 12 months',
    'Last held',
    'Next due',
    'Open actions',
    'Held in quarter',
    // CC §5.8: the pay-step line opens the checks under the member's row.
    ...(team.paySteps ? ['Pay step'] : []),
    'Conversation',
  ];
  const header = h('tr', {}, ...headings.map((label) => h('th', { scope: 'col' }, label)));
  const rows =
    team.members.length === 0
      ? [h('tr', {}, h('td', { colspan: headings.length }, 'Nobody reports to you in this quarter.'))]
      : team.members.flatMap((m) => memberRows(ctx, notice, m, team.paySteps, headings.length));
  return h(
    'table',
    { class: 'table' },
    h('caption', { id: captionId }, `${team.manager.name}'s direct reports, ${team.quarter}`),
    h('thead', {}, header),
    h('tbody', {}, ...rows),
  );
}

/** A member's row, and under a policy with pay steps the row their pay-step checks open into. */
function memberRows(
  ctx: ViewContext,
  notice: HTMLElement,
  m: TeamMember,
  paySteps: boolean,
  columns: number,
): HTMLTableRowElement[] {
  const actions =
    m.overdueActions > 0 ? `${m.openActions} (${m.overdueActions} past due)` : String(m.openActions);
  const payStep = paySteps ? payStepParts(ctx, m, columns) : undefined;
  const row = h(
    'tr',
    { 'data-testid': 'team-row', 'data-employee-id': m.employeeId },
    h('th', { scope: 'row' }, m.name),
    h(
      'td',
      {},
      h('span', { class: statusClass(m.status) }, m.statusLabel),
      m.status === 'overdue' && m.daysOverdue > 0 ? ` · ${count(m.daysOverdue, 'day', 'days')} overdue` : '',
    ),
    h('td', { class: 'num' }, `${m.held12m} of ${m.expected12m}`),
    h('td', {}, formatDate(m.lastHeld)),
    // Nobody's first conversation as a due date years ago reads as a typo: say what it is.
    h(
      'td',
      {},
      m.lastHeld === null && m.nextDue !== null && m.status === 'overdue'
        ? `Never had one: due since ${formatDate(m.nextDue)}`
        : formatDate(m.nextDue),
    ),
    h('td', { class: 'num' }, actions),
    h('td', { class: 'num' }, m.heldInQuarter),
    payStep?.cell,
    h(
      'td',
      { class: 'row-actions' },
      actionButton(
        h('span', {}, 'Schedule', hidden(` a conversation with ${m.name}`)),
        () => askBot(ctx, notice, m, 'schedule'),
        { 'data-testid': 'schedule' },
      ),
      actionButton(
        h('span', {}, 'Log', hidden(` a conversation with ${m.name}`)),
        () => askBot(ctx, notice, m, 'log'),
        { 'data-testid': 'log' },
      ),
    ),
  );
  return payStep?.details === undefined ? [row] : [row, payStep.details];
}

/** The chat links the tab opens: Teams deep links only. */
const TEAMS_LINK = /^https:\/\/teams\.microsoft\.com\/l\//;

/** Has the bot send the Schedule or Log card to the manager's chat, then opens (or links) that chat. */
async function askBot(
  ctx: ViewContext,
  notice: HTMLElement,
  member: TeamMember,
  action: 'schedule' | 'log',
): Promise<void> {
  const what = action === 'schedule' ? 'scheduling' : 'the record form';
  try {
    const result = await ctx.api.post<TeamActionResponse>(
      `/api/team/${encodeURIComponent(member.employeeId)}/${action}`,
      {},
      ctx.signal,
    );
    const message = result.sent
      ? `The ${action === 'schedule' ? 'Schedule' : 'Log'} card for ${member.name} was sent to your chat with the bot.`
      : `The bot could not send the card for ${member.name}: add the Professional Conversations app in Teams chat first.`;
    // Only a Teams deep link is followed, whatever the answer says.
    const chat = TEAMS_LINK.test(result.chatUrl) ? result.chatUrl : undefined;
    replaceChildren(
      notice,
      h(
        'p',
        {},
        message,
        ...(chat ? [' ', h('a', { href: chat, target: '_blank', rel: 'noopener' }, 'Open the chat')] : []),
      ),
    );
    if (chat && ctx.host.inTeams) await openInTeams(chat);
  } catch (error) {
    ctx.fail(error, what);
  }
}

async function exportCsv(ctx: ViewContext, quarter: string | undefined): Promise<void> {
  try {
    ctx.status.busy('Preparing the CSV…');
    const name = await ctx.api.download('/api/team.csv', { quarter }, 'my-team.csv');
    ctx.status.say(`Downloaded ${name}.`);
  } catch (error) {
    ctx.fail(error, 'the CSV export');
  }
}
