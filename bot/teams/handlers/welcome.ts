/**
 * The welcome card for whoever is talking to the bot (DESIGN.md §4 Install): their role from the
 * directory (manager, employee, OD) and what matters to them now, from the status index.
 */
import { type TurnContext } from 'botbuilder';
import { type CardJson } from '../../cards/card';
import { type WelcomeRole, createWelcomeCard } from '../../cards/welcome-card';
import { policyWords } from '../../i18n/policy-words';
import { type TurnDeps } from '../deps';
import { meetingWhen, readableDate } from './turn';

/** The welcome card for the sender of this turn. */
export async function welcomeCardFor(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const userId = context.activity.from.aadObjectId;
  const me = userId ? await deps.directory.getEmployee(userId) : undefined;
  let role: WelcomeRole = { kind: 'unknown' };
  let upcoming: { conversationId: string; when: string } | undefined;
  if (me !== undefined && userId !== undefined) {
    const today = deps.clock.today();
    const [team, manager, own, records] = await Promise.all([
      deps.records.team.team(userId),
      me.managerId ? deps.directory.getEmployee(me.managerId) : Promise.resolve(undefined),
      deps.records.team.get(me.managerId, me.id),
      deps.records.conversations.listForEmployee(me.id),
    ]);
    const current = team.filter((r) => r.employee.leaveDate === undefined || r.employee.leaveDate >= today);
    const count = (status: string) => current.filter((r) => r.evaluation?.status === status).length;
    const status = own?.evaluation?.status;
    role =
      current.length > 0
        ? {
            kind: 'manager',
            directReports: current.length,
            overdue: count('overdue'),
            dueSoon: count('due-soon'),
          }
        : {
            kind: 'employee',
            managerName: manager?.name,
            status: status && policyWords(deps.policy).status(status),
            nextDue: own?.evaluation?.nextDue && readableDate(own.evaluation.nextDue),
          };
    const next = records.map((r) => r.value).find((r) => r.status === 'scheduled' && r.date >= today);
    if (next?.meeting) {
      upcoming = { conversationId: next.id, when: meetingWhen(deps, next.meeting.start, next.meeting.end) };
    }
  }
  const firstName = (me?.name ?? context.activity.from.name ?? '').split(' ')[0] || undefined;
  return createWelcomeCard({
    firstName,
    role,
    areas: deps.areas,
    words: policyWords(deps.policy),
    od: userId !== undefined && deps.odMembers.has(userId),
    upcoming,
  });
}
