/**
 * Pay-step readiness on My team (Career Conversations policy §5.8; DESIGN.md §4 Tab): a member's
 * pay-step line ("Pay step 14 Jan 2027 — decision due") is a disclosure button; opening it loads
 * the checks I–V from `GET /api/team/:employeeId/pay-step` into a row under the member — each
 * check's result, reason and source, the decision recorded and any open support plan. Decisions
 * are made on the bot's Pay step card; the tab only shows them.
 */
import { type PayStepCheckRow, type PayStepResponse, type TeamMember } from '../../core/tab-api';
import { isAbort } from './api';
import { h, replaceChildren, uniqueId } from './dom';
import { count, formatDate } from './format';
import { type ViewContext, scrollingTable } from './view';

/** The member's pay-step cell and the row under theirs that the checks open into. */
export interface PayStepParts {
  readonly cell: HTMLTableCellElement;
  /** Hidden until the line is pressed; undefined when the member has no pay-step line. */
  readonly details: HTMLTableRowElement | undefined;
}

/** The line as My team shows it: "Pay step 14 Jan 2027 — decision due". */
export function payStepLine(payStep: NonNullable<TeamMember['payStep']>): string {
  return `Pay step ${formatDate(payStep.date)} — ${payStep.stateLabel}`;
}

/** The pay-step cell of a member's row, spanning `columns` when opened. */
export function payStepParts(ctx: ViewContext, member: TeamMember, columns: number): PayStepParts {
  const payStep = member.payStep;
  if (payStep === undefined) return { cell: h('td', { class: 'muted' }, '—'), details: undefined };
  const panelId = uniqueId('pay-step');
  const panel = h('div', {
    id: panelId,
    class: 'pay-step-panel',
    role: 'region',
    'aria-label': `Pay-step checks for ${member.name}`,
    'data-testid': 'pay-step-panel',
  });
  const details = h(
    'tr',
    { class: 'pay-step-row', hidden: true, 'data-testid': 'pay-step-row' },
    h('td', { colspan: columns }, panel),
  );
  const button = h(
    'button',
    {
      type: 'button',
      class: `button link-button pay-step-line pay-step-line--${payStep.state}`,
      'aria-expanded': 'false',
      'aria-controls': panelId,
      'data-testid': 'pay-step-line',
    },
    payStepLine(payStep),
  );
  let controller: AbortController | undefined;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') === 'true';
    if (open) {
      controller?.abort();
      button.setAttribute('aria-expanded', 'false');
      details.hidden = true;
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    details.hidden = false;
    controller = new AbortController();
    void load(ctx, member, panel, AbortSignal.any([ctx.signal, controller.signal]));
  });
  return { cell: h('td', { class: 'pay-step-cell' }, button), details };
}

/** Loads the checks into the panel (afresh each time it opens: a decision may have been recorded). */
async function load(
  ctx: ViewContext,
  member: TeamMember,
  panel: HTMLElement,
  signal: AbortSignal,
): Promise<void> {
  panel.setAttribute('aria-busy', 'true');
  replaceChildren(panel, h('p', { class: 'muted' }, `Loading the pay-step checks for ${member.name}…`));
  try {
    const answer = await ctx.api.get<PayStepResponse>(
      `/api/team/${encodeURIComponent(member.employeeId)}/pay-step`,
      {},
      signal,
    );
    replaceChildren(panel, ...readinessParts(answer));
    ctx.status.say(`Pay step for ${member.name}: ${answer.readinessText}`);
  } catch (error) {
    if (isAbort(error)) return;
    replaceChildren(panel, h('p', {}, `The pay-step checks for ${member.name} could not be loaded.`));
    ctx.fail(error, `the pay-step checks for ${member.name}`);
  } finally {
    panel.removeAttribute('aria-busy');
  }
}

function when(days: number): string {
  if (days === 0) return 'today';
  return days > 0 ? `in ${count(days, 'day', 'days')}` : `${count(-days, 'day', 'days')} ago`;
}

function readinessParts(answer: PayStepResponse): HTMLElement[] {
  const captionId = uniqueId('pay-step-caption');
  const from =
    answer.dateSource === 'pay-step-date'
      ? 'the incremental date in the HR record'
      : "no incremental date in the HR record: the start date's anniversary";
  const table = h(
    'table',
    { class: 'table pay-step-checks', 'data-testid': 'pay-step-checks' },
    h('caption', { id: captionId }, `Pay-step checks for ${answer.name} (policy §5.8 I–V)`),
    h(
      'thead',
      {},
      h('tr', {}, ...['Check', 'Result', 'Reason', 'Source'].map((t) => h('th', { scope: 'col' }, t))),
    ),
    h('tbody', {}, ...answer.checks.map(checkRow)),
  );
  return [
    h(
      'p',
      {},
      h('strong', {}, `Pay-step date ${formatDate(answer.date)}`),
      ` (${from}), ${when(answer.daysToDate)}.`,
    ),
    h('p', { 'data-testid': 'pay-step-readiness' }, answer.readinessText),
    scrollingTable(table, captionId),
    h('p', { 'data-testid': 'pay-step-decision' }, decisionText(answer)),
  ];
}

function checkRow(check: PayStepCheckRow): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-testid': 'pay-step-check', 'data-check-id': check.id },
    h('th', { scope: 'row' }, `${check.id}. ${check.label}`),
    h('td', {}, h('span', { class: `badge badge--check-${check.outcome}` }, check.outcomeLabel)),
    h('td', {}, check.reason),
    h('td', {}, check.source, h('br', {}), h('span', { class: 'muted small' }, check.clause)),
  );
}

function decisionText(answer: PayStepResponse): string {
  const parts: string[] = [];
  const d = answer.decision;
  if (d === null) {
    parts.push(
      answer.awaitingDecision
        ? 'No decision is recorded yet: record it from the Pay step card in your chat with the bot.'
        : 'No decision is recorded for this date yet.',
    );
  } else if (d.decision === 'progressed') {
    parts.push(
      `Progressed: recorded on ${formatDate(d.decidedOn)}, effective ${formatDate(d.effectiveFrom)}.`,
    );
  } else {
    parts.push(
      d.effectiveFrom === null
        ? `Deferred on ${formatDate(d.decidedOn)}.`
        : `Deferred on ${formatDate(d.decidedOn)}; the support plan was completed and the increase applies from ${formatDate(d.effectiveFrom)} (not backdated).`,
    );
  }
  const plan = answer.openPlan;
  if (plan !== null) {
    const last = plan.lastDue === null ? '' : `, the last due ${formatDate(plan.lastDue)}`;
    parts.push(
      `Support plan open (pay step ${formatDate(plan.forDate)}): ${count(plan.actions, 'action', 'actions')}${last}.`,
    );
  }
  return parts.join(' ');
}
