/**
 * A record's copies (DESIGN.md §4 Log, §6): each party sees the record card, kept current through
 * Universal Actions `refresh`; the employee acknowledges it and may comment, and the manager is
 * told. Only the two parties and the employee's current line manager may open a record; a read by
 * anyone other than the two parties is written to the audit log.
 */
import { type TurnContext } from 'botbuilder';
import { appealDeadlines } from '../../../core/compliance/pay-step';
import { createExceptionalCard, createExceptionalFinderCard } from '../../cards/exceptional-card';
import { londonDate } from '../../clock';
import { type Employee } from '../../../core/model';
import { ConflictError, type Versioned } from '../../../core/ports';
import { type ConversationRecord } from '../../../core/records';
import { type CardJson } from '../../cards/card';
import { createNoticeCard } from '../../cards/notice-card';
import { createRecordCard } from '../../cards/record-card';
import { Verb } from '../../cards/verbs';
import { LIMITS, lengthProblem } from '../../conversations/record-form';
import { text } from '../../i18n/en-GB';
import { type TurnDeps } from '../deps';
import { prepCardFor } from './prep';
import {
  ID_PATTERN,
  actorOf,
  archivedRecords,
  meetingWhen,
  postedData,
  postedPersonId,
  postedString,
  readableDate,
  refusal,
  saveRecord,
  sendOnce,
  typeFor,
  unknownUser,
} from './turn';

/** `record`: the record as the reader may see it (also the Universal Actions refresh). */
export async function recordView(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const found = await recordOf(context, deps);
  if (found === undefined) return refusal(text.record.missing);
  const { record, employee } = found;
  const isParty = actor.id === record.value.employeeId || actor.id === record.value.managerId;
  if (!isParty && employee.managerId !== actor.id) return refusal(text.access.notParty);
  const archived = archivedRecords(deps, employee);
  if (archived !== undefined) return archived;
  if (record.value.status === 'scheduled') {
    if (actor.id === record.value.employeeId) return prepCardFor(deps, record.value);
    const when = record.value.meeting
      ? meetingWhen(deps, record.value.meeting.start, record.value.meeting.end)
      : readableDate(record.value.date);
    return createNoticeCard({
      message: text.record.scheduled(when),
      actions: [{ title: text.menu.log, verb: Verb.log, data: { employeeId: employee.id } }],
    });
  }
  if (!isParty) {
    // The current line manager reading a record another manager held (DESIGN.md §6).
    await deps.records.audit.append({
      subjectId: employee.id,
      actorId: actor.id,
      action: 'notes.read',
      recordId: record.value.id,
      reason: 'line manager',
    });
  }
  return recordCardFor(deps, actor.id, record);
}

/** `record.ack`: the employee acknowledges the record, with optional comments; the manager is told. */
export async function acknowledge(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const found = await recordOf(context, deps);
  if (found === undefined) return refusal(text.record.missing);
  const { record } = found;
  if (actor.id !== record.value.employeeId) return refusal(text.access.notEmployee);
  if (record.value.status !== 'completed') return refusal(text.record.missing);
  const data = postedData(context);
  const comments = typeof data.comments === 'string' ? data.comments.trim() : '';
  if (record.value.acknowledgedAt !== undefined) return recordCardFor(deps, actor.id, record);
  if (postedString(data, 'etag') !== record.etag) {
    // The record changed since this copy was sent: show the current one, keep the comments typed.
    return recordCardFor(deps, actor.id, record, text.log.stale, comments);
  }
  const commentsProblem = lengthProblem(comments, LIMITS.comments);
  if (commentsProblem !== undefined) {
    return recordCardFor(deps, actor.id, record, undefined, comments, { comments: commentsProblem });
  }
  const now = deps.clock.now();
  const updated: ConversationRecord = {
    ...record.value,
    acknowledgedAt: deps.clock.today(),
    ...(comments === '' ? {} : { employeeComments: comments }),
    updatedAt: now.toISOString(),
  };
  let saved;
  try {
    saved = await saveRecord(deps, updated, {
      actorId: actor.id,
      etag: record.etag,
      auditAction: 'conversation.acknowledged',
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const current = await deps.records.conversations.get(record.value.employeeId, record.value.id);
    if (current === undefined) return refusal(text.record.missing);
    return recordCardFor(deps, actor.id, current, text.log.stale, comments);
  }
  const ids = { employeeId: record.value.employeeId, conversationId: record.value.id };
  await deps.outbox.post({
    to: record.value.managerId,
    kind: 'notice',
    day: deps.clock.today(),
    // One notice per acknowledgement saved (a retried turn posts the same delivery).
    ref: `ack-${record.value.id}-${Date.parse(saved.record.value.updatedAt)}`,
    card: createNoticeCard({
      message: text.record.acknowledgedToManager(actor.employee.name, readableDate(record.value.date)),
      details: comments === '' ? [] : [`${text.record.comments}: ${comments}`],
      actions: [{ title: text.menu.view, verb: Verb.record, data: ids }],
    }),
  });
  return recordCardFor(deps, actor.id, saved.record, text.record.acknowledgedToast);
}

/** Sends the employee their copy of a saved record, once (the manager's is the reply). */
export async function sendCopies(
  deps: TurnDeps,
  record: Versioned<ConversationRecord>,
  manager: Employee,
  known: KnownParties = {},
): Promise<void> {
  await sendOnce(deps, record.value, 'record-copy', record.value.employeeId, () =>
    recordCardFor(
      deps,
      record.value.employeeId,
      record,
      text.record.savedEmployee(manager.name),
      '',
      undefined,
      { ...known, parties: [manager, ...(known.parties ?? [])] },
    ),
  );
}

/**
 * What the caller already holds, so a card does not read it again (issue 19: a save read the
 * employee and manager three more times): `parties`, people already read this turn (used when
 * their id is the record's); `created`, the record was created by this very turn, so no one can
 * have read its notes exceptionally yet.
 */
export interface KnownParties {
  readonly parties?: readonly Employee[];
  readonly created?: boolean;
}

/** The record card for one reader: the employee's copy can be acknowledged until it is. */
export async function recordCardFor(
  deps: TurnDeps,
  readerId: string,
  stored: Versioned<ConversationRecord>,
  message?: string,
  commentsDraft = '',
  errors?: Readonly<Record<string, string>>,
  known: KnownParties = {},
): Promise<CardJson> {
  const record = stored.value;
  const type = typeFor(deps, record.type);
  const person = (id: string) => known.parties?.find((p) => p.id === id) ?? deps.directory.getEmployee(id);
  const [employee, manager, employeeMri, managerMri] = await Promise.all([
    person(record.employeeId),
    person(record.managerId),
    deps.notifier.teamsUserId(record.employeeId),
    deps.notifier.teamsUserId(record.managerId),
  ]);
  const fieldLabel = (id: string) => type?.recordFields.find((f) => f.id === id)?.label ?? id;
  return createRecordCard(
    {
      employeeId: record.employeeId,
      conversationId: record.id,
      etag: stored.etag,
      title: text.record.title(type?.label ?? record.type, readableDate(record.date)),
      parties: text.record.parties(employee?.name ?? '', manager?.name ?? ''),
      positionNumber: record.positionNumber,
      minutes: record.durationMinutes,
      areas: (type?.areas ?? []).map((a) => ({
        title: a.title,
        notes: record.areas[a.id]?.notes ?? '',
        outcomes: record.areas[a.id]?.outcomes ?? '',
      })),
      actions: (record.actions ?? []).map((a) =>
        text.record.action(a.text, ownerLabel(a.owner), readableDate(a.dueDate), a.done),
      ),
      facts: Object.entries(record.fields ?? {}).map(([id, value]) => ({
        title: fieldLabel(id),
        value: typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value),
      })),
      acknowledgedAt: record.acknowledgedAt && readableDate(record.acknowledgedAt),
      comments: record.employeeComments,
      canAcknowledge: readerId === record.employeeId && record.acknowledgedAt === undefined,
      appeal: readerId === record.employeeId ? appealOffer(deps, record) : undefined,
      exceptionalReads:
        readerId !== record.employeeId
          ? undefined
          : known.created
            ? []
            : await exceptionalReads(deps, record),
      message,
      refreshUserIds: [employeeMri, managerMri].filter((id): id is string => id !== undefined),
      ...(errors ? { errors } : {}),
    },
    commentsDraft,
  );
}

/**
 * What the colleague's copy of a career conversation says about appealing (CC §5.10): the Appeal
 * button inside the window, "closed on …" after it, and where an appeal stands once made.
 */
function appealOffer(
  deps: TurnDeps,
  record: ConversationRecord,
): { line: string | undefined; button: boolean } | undefined {
  const rule = deps.policy.appeal;
  if (rule === undefined || record.type !== rule.typeId || record.status !== 'completed') return undefined;
  if (record.appeal !== undefined) {
    const a = record.appeal;
    const line = a.outcome
      ? text.appeal.decided(a.outcome.result, readableDate(a.outcome.decidedOn))
      : text.appeal.statusReceived(readableDate(a.receivedOn));
    return { line, button: true };
  }
  const { appealBy } = appealDeadlines(deps.policy, record.date);
  if (deps.clock.today() > appealBy)
    return { line: text.appeal.windowClosed(readableDate(appealBy), rule.windowDays), button: false };
  return { line: undefined, button: true };
}

/** The reason an exceptional reading is recorded with (CC §6.1), so the colleague's copy can list them. */
export const EXCEPTIONAL_PREFIX = 'exceptional:';

/** Each exceptional reading of this record's notes, as the colleague sees it. */
async function exceptionalReads(deps: TurnDeps, record: ConversationRecord): Promise<string[]> {
  const reasons = text.exceptional.reasons as Readonly<Record<string, string>>;
  return (await deps.records.audit.forSubject(record.employeeId))
    .filter(
      (e) =>
        e.action === 'notes.read' && e.recordId === record.id && e.reason?.startsWith(EXCEPTIONAL_PREFIX),
    )
    .map((e) => {
      const id = e.reason!.slice(EXCEPTIONAL_PREFIX.length);
      return text.exceptional.shownToEmployee(readableDate(londonDate(new Date(e.at))), reasons[id] ?? id);
    });
}

/**
 * `record.exceptional`: People Services (the policy's monitoring team, `OD_MEMBERS`) reads a
 * record's notes with a reason from the fixed list; without one nothing is shown. The reading is
 * audited and listed on the colleague's copy.
 */
export async function exceptionalAccess(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const t = text.exceptional;
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  if (!deps.odMembers.has(actor.id)) return refusal(t.notPeopleServices);
  const found = await recordOf(context, deps);
  if (found === undefined || found.record.value.status !== 'completed') return refusal(text.record.missing);
  const reason = postedString(postedData(context), 'reason');
  if (reason === undefined || !Object.hasOwn(t.reasons, reason)) {
    return createExceptionalCard({
      employeeId: found.employee.id,
      conversationId: found.record.value.id,
      message: reason === undefined ? undefined : t.reasonMissing,
    });
  }
  await deps.records.audit.append(
    {
      subjectId: found.employee.id,
      actorId: actor.id,
      action: 'notes.read',
      recordId: found.record.value.id,
      reason: `${EXCEPTIONAL_PREFIX}${reason}`,
    },
    deps.clock.now(),
  );
  return recordCardFor(deps, actor.id, found.record);
}

/** Records listed for one colleague on the finder card, newest first: ten years of quarterly ones. */
const RECORDS_LISTED = 40;

/**
 * `record.exceptional.find`: the way in to exceptional access (CC §6.1) for People Services — a
 * name or e-mail (input `query`) finds the colleague, leavers included; a chosen one (data
 * `employeeId`) lists their completed conversations by date, type and who held them. No note text
 * is on either card; the reason card comes before any is shown.
 */
export async function exceptionalFind(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const t = text.exceptional;
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  if (!deps.odMembers.has(actor.id)) return refusal(t.notPeopleServices);
  const data = postedData(context);
  const employeeId = postedPersonId(data);
  const finder = (message?: string, query?: string) =>
    createExceptionalFinderCard({
      title: t.findTitle,
      intro: t.findIntro,
      message,
      query,
      askQuery: true,
      lines: [],
      buttonTitle: t.choose,
      buttonVerb: Verb.exceptionalFind,
    });
  if (employeeId !== undefined) {
    const employee = await deps.directory.getEmployee(employeeId);
    return employee === undefined ? finder(text.access.unknownEmployee) : recordsOf(deps, employee);
  }
  const query = postedString(data, 'query')?.slice(0, 200);
  if (query === undefined) return finder();
  const { people, total } = await deps.people.find(query);
  if (total === 0) return finder(t.findNone(query), query);
  if (total === 1) {
    const employee = await deps.directory.getEmployee(people[0]!.id);
    if (employee !== undefined) return recordsOf(deps, employee);
  }
  return createExceptionalFinderCard({
    title: t.findTitle,
    message: t.findChoose(total, query),
    query,
    askQuery: true,
    lines: people.map((p) => ({
      label: t.person(p.name, p.department, p.email, p.leaveDate && readableDate(p.leaveDate)),
      data: { employeeId: p.id },
    })),
    buttonTitle: t.choose,
    buttonVerb: Verb.exceptionalFind,
    moreLine: total > people.length ? t.findMore(total - people.length) : undefined,
  });
}

/** One colleague's completed conversations, newest first, each opening the reason card. */
async function recordsOf(deps: TurnDeps, employee: Employee): Promise<CardJson> {
  const t = text.exceptional;
  const completed = (await deps.records.conversations.listForEmployee(employee.id))
    .map((r) => r.value)
    .filter((r) => r.status === 'completed')
    .sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt));
  const shown = completed.slice(0, RECORDS_LISTED);
  const managers = new Map<string, string>();
  for (const id of new Set(shown.map((r) => r.managerId)))
    managers.set(id, (await deps.directory.getEmployee(id))?.name ?? id);
  return createExceptionalFinderCard({
    title: t.recordsTitle(employee.name),
    intro: completed.length === 0 ? t.recordsNone(employee.name) : t.recordsIntro,
    message:
      employee.leaveDate !== undefined && employee.leaveDate < deps.clock.today()
        ? text.access.archivedHere(employee.name, readableDate(employee.leaveDate))
        : undefined,
    askQuery: false,
    lines: shown.map((r) => ({
      label: t.recordLine(
        typeFor(deps, r.type)?.label ?? r.type,
        readableDate(r.date),
        managers.get(r.managerId)!,
      ),
      data: { employeeId: employee.id, conversationId: r.id },
    })),
    buttonTitle: t.readNotes,
    buttonVerb: Verb.exceptionalAccess,
    moreLine: completed.length > shown.length ? t.recordsMore(completed.length - shown.length) : undefined,
  });
}

function ownerLabel(owner: string): string {
  return owner === 'manager' ? text.log.ownerManager : owner === 'employee' ? text.log.ownerEmployee : owner;
}

async function recordOf(
  context: TurnContext,
  deps: TurnDeps,
): Promise<{ record: Versioned<ConversationRecord>; employee: Employee } | undefined> {
  const data = postedData(context);
  const employeeId = postedPersonId(data);
  const id = postedString(data, 'conversationId');
  if (employeeId === undefined || id === undefined || !ID_PATTERN.test(id)) return undefined;
  const [record, employee] = await Promise.all([
    deps.records.conversations.get(employeeId, id),
    deps.directory.getEmployee(employeeId),
  ]);
  return record && employee && { record, employee };
}
