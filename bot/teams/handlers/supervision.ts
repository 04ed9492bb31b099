/**
 * `supervision.ask` (Career Conversations policy §4.1: colleagues "request supervision/1:1's if
 * they are not occurring on a regular basis as agreed"): the colleague's line manager gets a card
 * saying when the last one was, the agreed frequency and how overdue it is, with Log and Schedule.
 * Once a day: asking again the same day sends nothing more.
 */
import { type TurnContext } from 'botbuilder';
import { evaluateEmployee } from '../../../core/compliance/evaluate';
import { londonDate } from '../../clock';
import { type CardJson } from '../../cards/card';
import { createNoticeCard } from '../../cards/notice-card';
import { Verb } from '../../cards/verbs';
import { text } from '../../i18n/en-GB';
import { type TurnDeps } from '../deps';
import { actorOf, readableDate, refusal, unknownUser } from './turn';

/** `supervision.ask`: passes the colleague's request to their line manager. */
export async function supervisionAsk(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const t = text.supervisionAsk;
  const rule = deps.policy.supervision;
  if (rule === undefined) return refusal(t.notThisPolicy);
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const manager = actor.employee.managerId && (await deps.directory.getEmployee(actor.employee.managerId));
  if (!manager || manager.leaveDate !== undefined) return refusal(t.noManager);
  const today = deps.clock.today();
  const asked = await deps.records.audit.forSubject(actor.id, 50);
  if (asked.some((e) => e.action === 'supervision.requested' && londonDate(new Date(e.at)) === today)) {
    return createNoticeCard({ message: t.already(manager.name) });
  }
  const records = await deps.records.conversations.listForEmployee(actor.id);
  const supervision = evaluateEmployee(
    deps.policy,
    actor.employee,
    records.map((r) => r.value),
    today,
  ).supervision;
  const label = deps.policy.conversationTypes.find((c) => c.id === rule.typeId)?.label ?? rule.typeId;
  const state = t.state(
    supervision?.lastHeld && readableDate(supervision.lastHeld),
    supervision?.frequencyWeeks,
    supervision?.daysOverdue ?? 0,
  );
  await deps.outbox.post({
    to: manager.id,
    kind: 'notice',
    day: today,
    ref: `supervision-ask:${actor.id}`,
    card: createNoticeCard({
      message: t.toManager(actor.employee.name, label, state),
      actions: [
        {
          title: text.menu.schedule,
          verb: Verb.schedule,
          data: { employeeId: actor.id, typeId: rule.typeId },
        },
        { title: text.menu.log, verb: Verb.log, data: { employeeId: actor.id, typeId: rule.typeId } },
      ],
    }),
  });
  await deps.records.audit.append(
    { subjectId: actor.id, actorId: actor.id, action: 'supervision.requested' },
    deps.clock.now(),
  );
  return createNoticeCard({ message: t.sent(manager.name) });
}
