/** "My team" (DESIGN.md §4): the manager's direct reports from the status index, most urgent first, paged. */
import { type TurnContext } from 'botbuilder';
import { type TeamRow } from '../../../core/ports';
import { type CardJson } from '../../cards/card';
import { TEAM_PAGE_SIZE, type TeamCardRow, createTeamCard } from '../../cards/team-card';
import { text } from '../../i18n/en-GB';
import { type PolicyWords, policyWords } from '../../i18n/policy-words';
import { type TurnDeps } from '../deps';
import { actorOf, postedData, readableDate, unknownUser } from './turn';

const URGENCY: Readonly<Record<string, number>> = {
  overdue: 0,
  'due-soon': 1,
  'on-track': 2,
  induction: 3,
  excluded: 4,
};

/** The team card for the manager of this turn, at the posted page. */
export async function teamCard(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const rows = (await deps.records.team.team(actor.id)).filter(
    (r) => r.employee.leaveDate === undefined || r.employee.leaveDate >= deps.clock.today(),
  );
  rows.sort(
    (a, b) =>
      (URGENCY[a.evaluation?.status ?? ''] ?? 5) - (URGENCY[b.evaluation?.status ?? ''] ?? 5) ||
      (b.evaluation?.daysOverdue ?? 0) - (a.evaluation?.daysOverdue ?? 0) ||
      a.employee.name.localeCompare(b.employee.name),
  );
  const pages = Math.max(1, Math.ceil(rows.length / TEAM_PAGE_SIZE));
  const asked = Number(postedData(context).page);
  const page = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
  const count = (status: string) => rows.filter((r) => r.evaluation?.status === status).length;
  const words = policyWords(deps.policy);
  return createTeamCard({
    title: text.team.title(actor.employee.name),
    summary: text.team.summary(rows.length, count('overdue'), count('due-soon')),
    rows: rows.slice((page - 1) * TEAM_PAGE_SIZE, page * TEAM_PAGE_SIZE).map((r) => teamCardRow(r, words)),
    page,
    pages,
    payStep: deps.policy.payStep !== undefined,
  });
}

/** One report as the card shows them, in the policy's words (its status labels and window). */
export function teamCardRow(row: TeamRow, words: PolicyWords): TeamCardRow {
  const e = row.evaluation;
  const status = e?.status ?? 'unknown';
  return {
    employeeId: row.employee.id,
    name: row.employee.name,
    status:
      status === 'overdue' && e !== undefined && e.daysOverdue > 0
        ? `${text.status.overdue} · ${text.team.overdueDays(e.daysOverdue)}`
        : words.status(status),
    statusColor:
      status === 'overdue'
        ? 'Attention'
        : status === 'due-soon'
          ? 'Warning'
          : status === 'on-track'
            ? 'Good'
            : 'Default',
    held: e ? text.team.held(e.held12m, e.expected12m, words.windowMonths) : '',
    last: text.team.last(e?.lastHeld && readableDate(e.lastHeld)),
    // Nobody's first conversation shown as a due date years ago reads as a typo: say what it is.
    next:
      e?.nextDue && !e.lastHeld && status === 'overdue'
        ? text.team.neverHad(readableDate(e.nextDue))
        : text.team.next(e?.nextDue && readableDate(e.nextDue)),
    actions: text.team.actions(e?.openActions ?? 0, e?.overdueActions ?? 0),
  };
}
