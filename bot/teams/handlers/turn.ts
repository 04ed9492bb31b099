/**
 * What every conversation-cycle handler reads from a turn: who is acting, the data their card
 * button posted (inputs included), and small formatting shared by the cards.
 */
import { type TurnContext } from 'botbuilder';
import { readableDay } from '../../clock';
import { describeSlot } from '../../../core/calendar';
import { agreedObjectives } from '../../../core/objectives';
import { type Employee } from '../../../core/model';
import { ConflictError, type Versioned } from '../../../core/ports';
import { type ConversationRecord } from '../../../core/records';
import { type SaveResult } from '../../records/records';
import { type ConversationType } from '../../../core/policy/schema';
import { type CardJson } from '../../cards/card';
import { createNoticeCard, type NoticeAction } from '../../cards/notice-card';
import { text } from '../../i18n/en-GB';
import { inPost } from '../../api/caller';
import { policyWords } from '../../i18n/policy-words';
import { type TurnDeps } from '../deps';

/** The data a card button posted: `Action.Execute` data or the `Action.Submit` value; `{}` for typed text. */
export function postedData(context: TurnContext): Readonly<Record<string, unknown>> {
  const value = context.activity.value as { action?: { data?: unknown } } | undefined;
  const data = context.activity.type === 'invoke' ? value?.action?.data : value;
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : {};
}

/** A posted string, or undefined when absent or not a string. */
export function postedString(data: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * A posted person id, or undefined when absent or not one a table key can hold (no `/ \\ # ?` or
 * control characters): a forged id is "nobody", not a storage error.
 */
export function postedPersonId(data: Readonly<Record<string, unknown>>): string | undefined {
  const id = postedString(data, 'employeeId');
  // eslint-disable-next-line no-control-regex
  return id !== undefined && id.length <= 128 && !/[/\\#?\u0000-\u001f\u007f]/.test(id) ? id : undefined;
}

/** Ids the bot issues (record and action ids) look like this; anything else posted is refused. */
export const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The person acting in this turn, from the directory; undefined once their leave date has passed
 * (records are kept while a person is employed, DESIGN.md §6), as the tab refuses a leaver's token.
 */
export async function actorOf(
  context: TurnContext,
  deps: TurnDeps,
): Promise<{ id: string; employee: Employee } | undefined> {
  const id = context.activity.from.aadObjectId;
  if (!id) return undefined;
  const employee = await deps.directory.getEmployee(id);
  if (employee === undefined || !inPost(employee, deps.clock.today())) return undefined;
  return { id, employee };
}

/**
 * A leaver's conversation records are archived (DESIGN.md §6 "archived when they leave"; CC §6.1
 * "thereafter should be sent to People Services for filing and archiving") from the day after their
 * leave date: no working view shows or changes them — not their copies, their history, a new log
 * or booking. The monitoring team reaches them by exceptional access, with a reason, audited.
 * Returns the refusal to show, or undefined while the person is in post.
 */
export function archivedRecords(deps: TurnDeps, employee: Employee): CardJson | undefined {
  if (inPost(employee, deps.clock.today())) return undefined;
  const team = policyWords(deps.policy).monitoringTeam;
  return refusal(text.access.archived(employee.name, readableDate(employee.leaveDate!), team));
}

/** A refusal: nothing was changed, and the user is told why. */
export function refusal(message: string, actions: readonly NoticeAction[] = []): CardJson {
  return createNoticeCard({ message, tone: 'attention', actions });
}

/** The conversation type a posted `typeId` names, or the policy's main counted type. */
export function typeFor(deps: TurnDeps, typeId: string | undefined): ConversationType | undefined {
  const types = deps.policy.conversationTypes;
  if (typeId !== undefined) return types.find((t) => t.id === typeId);
  return types.find((t) => t.id === deps.policy.compliance.countedTypes[0]) ?? types[0];
}

/** When a booked meeting is, as people read it (`Mon 30 Mar 2026, 09:00–09:30`). */
export function meetingWhen(deps: TurnDeps, start: string, end: string): string {
  return describeSlot({ start: Date.parse(start), end: Date.parse(end) }, deps.policy.calendar.timeZone);
}

/** A date `YYYY-MM-DD` as people read it (`23 Nov 2026`). */
export function readableDate(date: string): string {
  return readableDay(date);
}

/**
 * The objectives in force (CC §5.3), for a form's or prep card's "to review" block: a heading
 * naming the conversation that agreed them, and one line per objective. Undefined when none.
 */
export function objectivesToReview(
  deps: TurnDeps,
  history: readonly ConversationRecord[],
): { heading: string; lines: readonly string[] } | undefined {
  const found = agreedObjectives(deps.policy, history);
  if (found === undefined) return undefined;
  const type = typeFor(deps, found.record.type);
  return {
    heading: text.log.objectivesHeading(type?.label ?? found.record.type, readableDate(found.record.date)),
    lines: found.objectives,
  };
}

/** The user is not in the directory: nothing can be shown or changed. */
export const unknownUser = (): CardJson => refusal(text.access.unknownUser);

/**
 * Saves a record. When the record is written but a later step fails (status row, roll-ups), the
 * turn goes on: the person's row is flagged dirty and the refresh job repairs the figures, and a
 * retried submit must not be told "already saved" with its follow-ups never sent. A stale ETag
 * still throws {@link ConflictError}.
 */
export async function saveRecord(
  deps: TurnDeps,
  record: ConversationRecord,
  options: Parameters<TurnDeps['records']['saveConversation']>[1],
): Promise<SaveResult> {
  try {
    return await deps.records.saveConversation(record, options);
  } catch (error) {
    if (error instanceof ConflictError) throw error;
    const stored = await deps.records.conversations.get(record.employeeId, record.id).catch(() => undefined);
    if (stored === undefined || stored.value.updatedAt !== record.updatedAt) throw error;
    deps.log.warn('record saved; figures left for the refresh job', {
      recordId: record.id,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return { record: stored, created: options.etag === undefined };
  }
}

/**
 * Posts a follow-up card once per record and purpose: the delivery's key (recipient, purpose,
 * record date, record id) makes a retried turn's second post the same delivery, which the
 * outbox sends once; a turn that died before posting posts it when retried.
 */
export async function sendOnce(
  deps: TurnDeps,
  record: Versioned<ConversationRecord>['value'],
  purpose: 'record-copy' | 'booking-notice' | 'prep-card',
  to: string,
  card: () => Promise<CardJson> | CardJson,
): Promise<void> {
  await deps.outbox.post({ to, kind: purpose, day: record.date, ref: record.id, card: await card() });
}
