/** "My conversations" for the employee and "history" for their line manager (DESIGN.md §4, §6). */
import { type TurnContext } from 'botbuilder';
import { type Versioned } from '../../../core/ports';
import { type ConversationRecord } from '../../../core/records';
import { type CardJson } from '../../cards/card';
import { CONVERSATIONS_SHOWN, createConversationsCard } from '../../cards/conversations-card';
import { text } from '../../i18n/en-GB';
import { type TurnDeps } from '../deps';
import { teamCard } from './team';
import {
  actorOf,
  archivedRecords,
  postedData,
  postedPersonId,
  readableDate,
  refusal,
  typeFor,
  unknownUser,
} from './turn';

/** `mine`: the employee's own conversations, newest first; booked ones can be prepared for. */
export async function myConversations(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const records = await deps.records.conversations.listForEmployee(actor.id);
  return listCard(deps, text.conversations.mineTitle, actor.id, records, true);
}

/** `history`: one report's conversations, for their line manager. */
export async function history(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const employeeId = postedPersonId(postedData(context));
  if (employeeId === undefined) {
    const reports = await deps.directory.listDirectReports(actor.id);
    return reports.length > 0 ? teamCard(context, deps) : myConversations(context, deps);
  }
  const employee = await deps.directory.getEmployee(employeeId);
  if (employee === undefined) return refusal(text.access.unknownEmployee);
  if (employee.managerId !== actor.id) return refusal(text.access.notManager);
  const archived = archivedRecords(deps, employee);
  if (archived !== undefined) return archived;
  const records = await deps.records.conversations.listForEmployee(employee.id);
  return listCard(deps, text.conversations.historyTitle(employee.name), employee.id, records, false);
}

function listCard(
  deps: TurnDeps,
  title: string,
  employeeId: string,
  records: readonly Versioned<ConversationRecord>[],
  own: boolean,
): CardJson {
  const today = deps.clock.today();
  const newestFirst = records
    .map((r) => r.value)
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const state = (r: ConversationRecord) =>
    r.status === 'completed'
      ? text.conversations.completed
      : r.status === 'scheduled'
        ? text.conversations.scheduledState
        : text.conversations.cancelled;
  return createConversationsCard({
    title,
    employeeId,
    lines: newestFirst.slice(0, CONVERSATIONS_SHOWN).map((r) => ({
      conversationId: r.id,
      label: text.conversations.line(typeFor(deps, r.type)?.label ?? r.type, readableDate(r.date), state(r)),
      canPrepare: own && r.status === 'scheduled' && r.date >= today,
      canOpen: r.status === 'completed',
    })),
    more: Math.max(0, newestFirst.length - CONVERSATIONS_SHOWN),
    askSupervision: own && deps.policy.supervision !== undefined,
  });
}
