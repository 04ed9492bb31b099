/**
 * The employee's preparation (DESIGN.md §4 Schedule; PC §5.2): notes per key area, kept private
 * unless shared, and a reasonable-adjustments request that reaches the manager before the meeting.
 */
import { type TurnContext } from 'botbuilder';
import { ConflictError } from '../../../core/ports';
import { type ConversationRecord, type PrepNotes } from '../../../core/records';
import { type CardJson } from '../../cards/card';
import { createNoticeCard } from '../../cards/notice-card';
import { createPrepCard } from '../../cards/prep-card';
import { Verb } from '../../cards/verbs';
import { LIMITS, lengthProblem } from '../../conversations/record-form';
import { text } from '../../i18n/en-GB';
import { type TurnDeps } from '../deps';
import {
  ID_PATTERN,
  actorOf,
  meetingWhen,
  objectivesToReview,
  postedData,
  postedPersonId,
  postedString,
  refusal,
  saveRecord,
  typeFor,
  unknownUser,
} from './turn';

/** `prep`: the prep card for the posted conversation, or the employee's next booked one. */
export async function prepStart(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const id = postedString(postedData(context), 'conversationId');
  // An id the bot never issues (oversized, or with characters a table key cannot hold) is no
  // conversation of theirs, not a storage error.
  const record =
    id === undefined
      ? await nextBooked(deps, actor.id)
      : ID_PATTERN.test(id)
        ? (await deps.records.conversations.get(actor.id, id))?.value
        : undefined;
  if (record === undefined) {
    return createNoticeCard({
      message: text.prep.none,
      actions: [{ title: text.menu.schedule, verb: Verb.schedule }],
    });
  }
  if (record.status !== 'scheduled') return refusal(text.prep.notScheduled);
  return prepCardFor(deps, record);
}

/** `prep.save`: stores the preparation; a new or changed adjustments request goes to the manager. */
export async function prepSave(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const data = postedData(context);
  const id = postedString(data, 'conversationId');
  const employeeId = postedPersonId(data);
  if (employeeId !== undefined && employeeId !== actor.id) return refusal(text.access.notEmployee);
  if (id === undefined || !ID_PATTERN.test(id)) return refusal(text.errors.missingAction);
  for (let attempt = 0; ; attempt++) {
    const stored = await deps.records.conversations.get(actor.id, id);
    if (stored === undefined) return refusal(text.access.notEmployee);
    const record = stored.value;
    if (record.status !== 'scheduled') return refusal(text.prep.notScheduled);
    const type = typeFor(deps, record.type);
    const areas: Record<string, string> = {};
    const errors: Record<string, string> = {};
    for (const area of type?.areas ?? []) {
      const value = typeof data[`prep.${area.id}`] === 'string' ? (data[`prep.${area.id}`] as string) : '';
      const problem = lengthProblem(value.trim(), LIMITS.prepArea);
      if (problem !== undefined) errors[`prep.${area.id}`] = problem;
      areas[area.id] = value;
    }
    const adjustments = typeof data.adjustments === 'string' ? data.adjustments : '';
    const adjustmentsProblem = lengthProblem(adjustments.trim(), LIMITS.adjustments);
    if (adjustmentsProblem !== undefined) errors.adjustments = adjustmentsProblem;
    const prep: PrepNotes = {
      areas: Object.fromEntries(Object.entries(areas).map(([k, v]) => [k, v.trim()])),
      shared: data.shared === 'true' || data.shared === true,
      adjustments: adjustments.trim() === '' ? undefined : adjustments.trim(),
      updatedAt: deps.clock.now().toISOString(),
    };
    // The card quotes the version of the notes it showed; another copy may have saved since.
    const version = record.prep?.updatedAt ?? '';
    // What was typed goes back on the card cut to each field's limit: only a client that ignores
    // the inputs' maxLength sends more, and the whole of it would not fit in a card (DESIGN.md §7).
    // The field's message still gives the full length.
    const shownAreas = Object.fromEntries(
      Object.entries(areas).map(([k, v]) => [k, v.slice(0, LIMITS.prepArea)]),
    );
    const shownAdjustments = adjustments.slice(0, LIMITS.adjustments);
    const typed = { ...record, prep: { ...prep, areas: shownAreas, updatedAt: version } };
    if (Object.keys(errors).length > 0)
      return prepCardFor(deps, typed, text.log.fixErrors, errors, shownAdjustments);
    if (typeof data.version === 'string' && data.version !== version) {
      return prepCardFor(deps, typed, text.prep.stale, undefined, shownAdjustments);
    }
    const updated: ConversationRecord = { ...record, prep, updatedAt: prep.updatedAt };
    try {
      await saveRecord(deps, updated, { actorId: actor.id, etag: stored.etag });
    } catch (error) {
      if (error instanceof ConflictError && attempt < 3) continue;
      throw error;
    }
    let message = text.prep.saved(prep.shared);
    if (prep.adjustments !== undefined && prep.adjustments !== record.prep?.adjustments) {
      const when = record.meeting ? meetingWhen(deps, record.meeting.start, record.meeting.end) : record.date;
      await deps.outbox.post({
        to: actor.employee.managerId ?? record.managerId,
        kind: 'notice',
        day: deps.clock.today(),
        // One notice per version of the adjustments: a retried save is the same delivery.
        ref: `adjustments-${record.id}-${Date.parse(prep.updatedAt)}`,
        card: createNoticeCard({
          message: text.prep.adjustmentsToManager(actor.employee.name, when),
          details: [prep.adjustments],
          tone: 'warning',
        }),
      });
      message = `${message} ${text.prep.adjustmentsSent}`;
    }
    return prepCardFor(deps, updated, message);
  }
}

/** The prep card for a booked conversation, with what the employee has written so far. */
export async function prepCardFor(
  deps: TurnDeps,
  record: ConversationRecord,
  message?: string,
  errors?: Readonly<Record<string, string>>,
  adjustmentsTyped?: string,
): Promise<CardJson> {
  const type = typeFor(deps, record.type);
  const [manager, history] = await Promise.all([
    deps.directory.getEmployee(record.managerId),
    deps.records.conversations.listForEmployee(record.employeeId),
  ]);
  return createPrepCard({
    managerName: manager?.name ?? '',
    when: record.meeting ? meetingWhen(deps, record.meeting.start, record.meeting.end) : record.date,
    joinUrl: record.meeting?.joinUrl,
    conversationId: record.id,
    employeeId: record.employeeId,
    version: record.prep?.updatedAt ?? '',
    areas: (type?.areas ?? []).map((a) => ({
      id: a.id,
      title: a.title,
      prompts: a.prompts,
      value: record.prep?.areas[a.id] ?? '',
    })),
    shared: record.prep?.shared ?? false,
    adjustments: adjustmentsTyped ?? record.prep?.adjustments ?? '',
    askAdjustments: type?.reasonableAdjustmentsBeforeMeeting ?? false,
    leads: type?.ledByEmployee === true,
    // Their own records: the objectives they agreed, to review before the meeting.
    objectives: objectivesToReview(
      deps,
      history.map((r) => r.value),
    ),
    message,
    ...(errors ? { errors } : {}),
  });
}

/** The employee's next booked conversation (today or later). */
async function nextBooked(deps: TurnDeps, employeeId: string): Promise<ConversationRecord | undefined> {
  const today = deps.clock.today();
  return (await deps.records.conversations.listForEmployee(employeeId))
    .map((r) => r.value)
    .find((r) => r.status === 'scheduled' && r.date >= today);
}
