/**
 * Logging a conversation (DESIGN.md §4 Log): the manager's record form, checked field by field;
 * a valid record is stored with last time's open actions carried forward (reviewed ones marked
 * done), compliance is brought up to date in the same request, and both parties get a copy.
 * Only the employee's line manager may log; a retried submit stores one record; a form opened
 * before the record changed is refreshed rather than allowed to overwrite.
 */
import { type TurnContext } from 'botbuilder';
import { agreedObjectives, isObjectivesArea, smartFlags } from '../../../core/objectives';
import { openActions } from '../../../core/compliance/evaluate';
import { type ConversationAction, type Employee } from '../../../core/model';
import { ConflictError, type Versioned } from '../../../core/ports';
import { type ConversationType } from '../../../core/policy/schema';
import { type ConversationRecord } from '../../../core/records';
import { type CardJson } from '../../cards/card';
import { createNoticeCard } from '../../cards/notice-card';
import { createRecordFormCard } from '../../cards/record-form-card';
import { Verb } from '../../cards/verbs';
import {
  type FieldErrors,
  MAX_ACTIONS,
  type RecordFormValues,
  checkRecordForm,
  extraFields,
  readRecordForm,
} from '../../conversations/record-form';
import { text } from '../../i18n/en-GB';
import { type TurnDeps } from '../deps';
import { recordCardFor, sendCopies } from './record';
import { teamCard } from './team';
import {
  ID_PATTERN,
  actorOf,
  archivedRecords,
  postedData,
  postedPersonId,
  objectivesToReview,
  postedString,
  readableDate,
  refusal,
  saveRecord,
  typeFor,
  unknownUser,
} from './turn';

/** What the form is about, once access is checked. */
interface LogSubject {
  readonly manager: Employee;
  readonly employee: Employee;
  readonly type: ConversationType;
  /** The booked conversation being logged, if any. */
  readonly booked?: Versioned<ConversationRecord> | undefined;
  readonly history: readonly ConversationRecord[];
}

/** `log`: an empty form (or the booked conversation's), pre-filled with what is known. */
export async function logStart(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const subject = await subjectOf(context, deps, true);
  if ('card' in subject) return subject.card;
  const { employee, booked, type } = subject;
  const today = deps.clock.today();
  const values: RecordFormValues = {
    date: booked && booked.value.date <= today ? booked.value.date : today,
    minutes: String(booked?.value.durationMinutes ?? type.duration.defaultMinutes),
    positionNumber: employee.positionNumber,
    areas: {},
    actions: [],
    reviewedDone: [],
    fields: {},
  };
  const objectives = agreedObjectives(deps.policy, subject.history);
  if (objectives !== undefined && objectives.record.managerId !== subject.manager.id) {
    // Objectives agreed with a previous manager are note text of their record: this reading by
    // the current line manager is audited as opening that record is (DESIGN.md §6), once per form.
    await deps.records.audit.append(
      {
        subjectId: employee.id,
        actorId: subject.manager.id,
        action: 'notes.read',
        recordId: objectives.record.id,
        reason: 'line manager',
      },
      deps.clock.now(),
    );
  }
  return formCard(deps, subject, values, { conversationId: booked?.value.id ?? deps.newId(), rows: 2 });
}

/** `log.more`: the same form with one more action row, everything typed kept. */
export async function logMore(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const subject = await subjectOf(context, deps, false);
  if ('card' in subject) return subject.card;
  const data = postedData(context);
  const values = readRecordForm(
    data,
    subject.type,
    previousActions(subject, deps).map((a) => a.id),
  );
  const rows = Math.min(MAX_ACTIONS, Math.max(Number(data.rows) || 2, values.actions.length) + 1);
  return formCard(deps, subject, values, { conversationId: conversationIdOf(data, deps), rows });
}

/** `log.save`: checks the form and stores the record, or returns the form with a message at each bad field. */
export async function logSave(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const subject = await subjectOf(context, deps, false);
  if ('card' in subject) return subject.card;
  const data = postedData(context);
  const conversationId = postedString(data, 'conversationId');
  if (conversationId === undefined || !ID_PATTERN.test(conversationId))
    return refusal(text.errors.missingAction);
  const previous = previousActions(subject, deps);
  const values = readRecordForm(
    data,
    subject.type,
    previous.map((a) => a.id),
  );
  const rows = Math.max(Number(data.rows) || 2, values.actions.length);
  const etag = postedString(data, 'etag');
  const parties = [subject.employee, subject.manager];
  const existing = await deps.records.conversations.get(subject.employee.id, conversationId);

  // Already saved (Submit pressed twice, or a retried invoke): show the record, store nothing.
  if (existing !== undefined && existing.value.status === 'completed') {
    // Only the manager who saved it gets it back this way (anyone else opens it through `record`).
    if (existing.value.managerId !== subject.manager.id) return refusal(text.access.notParty);
    // Each a no-op unless the first attempt died after the record was written: its audit entry, its
    // figures (the status row, My team, the roll-ups) and its copies are finished now, not at night.
    await deps.records.finishSaved(subject.employee, existing.value);
    await sendCopies(deps, existing, subject.manager, { parties });
    return recordCardFor(deps, subject.manager.id, existing, text.record.alreadySaved, '', undefined, {
      parties,
    });
  }
  if (existing !== undefined && existing.value.status !== 'scheduled') return refusal(text.record.missing);
  // The booked conversation changed since the form was opened: refresh it, keep what was typed.
  if (existing !== undefined && etag !== existing.etag) {
    return formCard(deps, { ...subject, booked: existing }, values, {
      conversationId,
      rows,
      message: text.log.stale,
    });
  }

  const checked = checkRecordForm(values, {
    type: subject.type,
    employee: subject.employee,
    today: deps.clock.today(),
    newId: deps.newId,
  });
  if (!checked.ok) return formCard(deps, subject, values, { conversationId, rows, errors: checked.errors });

  const result = checked.result;
  // A new record of a type already held with this person that day is stored only once confirmed:
  // three forms saved for one meeting must not become three conversations (issue 19).
  const sameDay = subject.history.filter(
    (r) =>
      r.status === 'completed' &&
      r.type === subject.type.id &&
      r.date === result.date &&
      r.id !== conversationId,
  ).length;
  if (existing === undefined && sameDay > 0 && data.confirmSameDay !== 'true') {
    return formCard(deps, subject, values, {
      conversationId,
      rows,
      message: text.log.sameDay(
        sameDay,
        subject.type.label,
        subject.employee.name,
        readableDate(result.date),
      ),
      confirmSameDay: true,
    });
  }
  const now = deps.clock.now().toISOString();
  const carried: ConversationAction[] = previous.map((a) => ({
    id: a.id,
    text: a.text,
    owner: a.owner,
    dueDate: a.dueDate,
    done: values.reviewedDone.includes(a.id),
  }));
  const record: ConversationRecord = {
    ...(existing?.value ?? {}),
    id: conversationId,
    employeeId: subject.employee.id,
    type: subject.type.id,
    date: result.date,
    managerId: subject.manager.id,
    status: 'completed',
    positionNumber: result.positionNumber,
    durationMinutes: result.durationMinutes,
    areas: result.areas,
    actions: [...carried, ...result.newActions],
    ...(Object.keys(result.fields).length > 0 ? { fields: result.fields } : {}),
    ...(result.objectivesMet !== undefined ? { objectivesMet: result.objectivesMet } : {}),
    createdBy: existing?.value.createdBy ?? subject.manager.id,
    createdAt: existing?.value.createdAt ?? now,
    updatedAt: now,
  };
  let saved;
  try {
    saved = await saveRecord(deps, record, {
      actorId: subject.manager.id,
      ...(existing ? { etag: existing.etag } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const current = await deps.records.conversations.get(subject.employee.id, conversationId);
    if (current?.value.status === 'completed') {
      return recordCardFor(deps, subject.manager.id, current, text.record.alreadySaved);
    }
    return formCard(deps, { ...subject, booked: current }, values, {
      conversationId,
      rows,
      message: text.log.stale,
    });
  }
  if (!saved.created && existing === undefined) {
    // saved by an attempt that may have died
    await sendCopies(deps, saved.record, subject.manager, { parties });
    return recordCardFor(deps, subject.manager.id, saved.record, text.record.alreadySaved, '', undefined, {
      parties,
    });
  }
  // Created by this turn: nobody has read its notes exceptionally yet.
  const known = { parties, created: saved.created };
  await sendCopies(deps, saved.record, subject.manager, known);
  return recordCardFor(
    deps,
    subject.manager.id,
    saved.record,
    [text.record.saved, ...smartAdvice(subject.type, saved.record.value)].join(' '),
    '',
    undefined,
    known,
  );
}

/**
 * The SMART helper's advice on the objectives just saved (CC §5.3): for each key area the policy
 * titles "SMART", the objectives that say nothing measurable or give no date. Empty when all are.
 */
export function smartAdvice(type: ConversationType, record: ConversationRecord): string[] {
  const t = text.smart;
  const out: string[] = [];
  for (const area of type.areas) {
    if (!isObjectivesArea(area)) continue;
    const entry = record.areas[area.id];
    const flags = smartFlags([entry?.notes ?? '', entry?.outcomes ?? ''].join('\n'));
    if (flags.length === 0) continue;
    out.push(`${t.heading(area.title)} ${flags.map((f) => t.flag(f.index, f.missing)).join('; ')}.`);
  }
  return out.length > 0 ? [...out, t.advice] : [];
}

/** Checks the actor is the employee's line manager; finds the type and any booked conversation. */
async function subjectOf(
  context: TurnContext,
  deps: TurnDeps,
  starting: boolean,
): Promise<LogSubject | { card: CardJson }> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return { card: unknownUser() };
  const data = postedData(context);
  const employeeId = postedPersonId(data);
  if (employeeId === undefined) return { card: await teamCard(context, deps) };
  const employee = await deps.directory.getEmployee(employeeId);
  if (employee === undefined) return { card: refusal(text.access.unknownEmployee) };
  if (employee.managerId !== actor.id) return { card: refusal(text.access.notManager) };
  const archived = archivedRecords(deps, employee);
  if (archived !== undefined) return { card: archived };
  const typeId = postedString(data, 'typeId');
  if (starting && typeId === undefined && deps.policy.conversationTypes.length > 1) {
    return {
      card: createNoticeCard({
        message: text.schedule.pickType,
        actions: deps.policy.conversationTypes.map((t) => ({
          title: t.label,
          verb: Verb.log,
          data: { employeeId, typeId: t.id },
        })),
      }),
    };
  }
  const type = typeFor(deps, typeId);
  if (type === undefined) return { card: refusal(text.errors.unknownVerb) };
  const stored = await deps.records.conversations.listForEmployee(employee.id);
  const postedId = postedString(data, 'conversationId');
  const booked = stored.find((r) =>
    postedId !== undefined
      ? r.value.id === postedId && r.value.status === 'scheduled'
      : // Unasked, only a booking that has come round binds the form: logging today's
        // conversation must not complete next week's booking.
        r.value.status === 'scheduled' &&
        r.value.managerId === actor.id &&
        r.value.date <= deps.clock.today(),
  );
  return { manager: actor.employee, employee, type, booked, history: stored.map((r) => r.value) };
}

/** Last time's open actions, to review on this form (the latest held record's, DESIGN.md §3.1). */
function previousActions(subject: LogSubject, deps: TurnDeps) {
  return openActions(subject.history, deps.clock.today());
}

function conversationIdOf(data: Readonly<Record<string, unknown>>, deps: TurnDeps): string {
  const id = postedString(data, 'conversationId');
  return id !== undefined && ID_PATTERN.test(id) ? id : deps.newId();
}

function formCard(
  deps: TurnDeps,
  subject: LogSubject,
  values: RecordFormValues,
  options: {
    conversationId: string;
    rows: number;
    errors?: FieldErrors;
    message?: string;
    confirmSameDay?: boolean;
  },
): CardJson {
  const { type, booked } = subject;
  const prep = booked?.value.prep;
  const errors = options.errors ?? {};
  return createRecordFormCard({
    employeeId: subject.employee.id,
    employeeName: subject.employee.name,
    managerName: subject.manager.name,
    conversationId: options.conversationId,
    typeId: type.id,
    typeLabel: type.label,
    etag: booked?.value.id === options.conversationId ? booked.etag : undefined,
    minutesRange: { min: type.duration.minMinutes, max: type.duration.maxMinutes },
    areas: type.areas,
    areaFields: type.areaFields.map((f) => ({ id: f.id, label: f.label })),
    extraFields: extraFields(type),
    previousActions: previousActions(subject, deps),
    values,
    actionRows: options.rows,
    prep:
      prep?.shared === true
        ? {
            areas: type.areas
              .filter((a) => (prep.areas[a.id] ?? '') !== '')
              .map((a) => ({ title: a.title, text: prep.areas[a.id]! })),
          }
        : undefined,
    prepFirst: type.ledByEmployee === true,
    objectives: objectivesToReview(deps, subject.history),
    adjustments: prep?.adjustments,
    errors,
    message: options.message ?? (Object.keys(errors).length > 0 ? text.log.fixErrors : undefined),
    confirmSameDay: options.confirmSameDay,
  });
}
