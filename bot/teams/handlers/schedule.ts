/**
 * Scheduling (DESIGN.md §4 Schedule): the manager — or the employee, with their manager — picks
 * a length within the policy's range, sees three times free in both calendars, and books one as a
 * Teams meeting. The booked conversation is stored as `scheduled`, the employee gets a prep card,
 * and the meeting is tracked so the manager is prompted to log it once it ends. If the calendars
 * cannot be reached, the user is told so and offered to log instead.
 */
import { type TurnContext } from 'botbuilder';
import { type Employee } from '../../../core/model';
import { type ConversationType } from '../../../core/policy/schema';
import { type ConversationRecord } from '../../../core/records';
import { londonDate } from '../../clock';
import { type CardJson } from '../../cards/card';
import { createNoticeCard } from '../../cards/notice-card';
import { createScheduleCard, type SlotChoice } from '../../cards/schedule-card';
import { Verb } from '../../cards/verbs';
import { GraphFailure } from '../../graph/errors';
import { SchedulingError } from '../../graph/scheduling';
import { text } from '../../i18n/en-GB';
import { type TurnDeps } from '../deps';
import { prepCardFor } from './prep';
import { teamCard } from './team';
import {
  ID_PATTERN,
  actorOf,
  archivedRecords,
  meetingWhen,
  postedData,
  postedPersonId,
  postedString,
  refusal,
  saveRecord,
  sendOnce,
  typeFor,
  unknownUser,
} from './turn';

/** Who is booking with whom. */
interface Pair {
  readonly actor: Employee;
  readonly employee: Employee;
  readonly managerId: string;
  readonly byManager: boolean;
  readonly type: ConversationType;
}

/** `schedule`: free times at the policy's default length. */
export async function scheduleStart(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  return findTimes(context, deps, undefined);
}

/** `schedule.find`: free times at the chosen length. */
export async function scheduleFind(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const minutes = Number(postedString(postedData(context), 'minutes'));
  return findTimes(context, deps, Number.isInteger(minutes) ? minutes : undefined);
}

async function findTimes(
  context: TurnContext,
  deps: TurnDeps,
  minutes: number | undefined,
): Promise<CardJson> {
  const pair = await pairOf(context, deps);
  if ('card' in pair) return pair.card;
  const { employee, type } = pair;
  const length = clampLength(type, minutes);
  // The id a previous slots card issued, kept so pressing Book twice books once; anything else
  // posted (oversized, not an id the bot issues) starts a new one rather than being echoed back.
  const posted = postedString(postedData(context), 'conversationId');
  const conversationId = posted !== undefined && ID_PATTERN.test(posted) ? posted : deps.newId();
  const base = {
    title: text.schedule.title(
      employee.name,
      pair.byManager ? pair.actor.name : await nameOf(deps, pair.managerId),
    ),
    employeeId: employee.id,
    typeId: type.id,
    lengths: lengthsOf(type),
    minutes: length,
    conversationId,
    workingDays: deps.scheduleWorkingDays,
    canLog: pair.byManager,
  };
  if (deps.scheduler === undefined) return unavailable(pair, text.schedule.notConfigured);
  try {
    const proposal = await deps.scheduler.propose(pair.managerId, employee.id, type.id, length);
    const slots: SlotChoice[] = proposal.slots.map((s) => ({
      value: `${s.start}/${s.end}`,
      label: meetingWhen(deps, new Date(s.start).toISOString(), new Date(s.end).toISOString()),
    }));
    return createScheduleCard({ ...base, slots });
  } catch (error) {
    if (error instanceof SchedulingError) return createScheduleCard({ ...base, message: error.userMessage });
    if (error instanceof GraphFailure) {
      deps.log.warn('free/busy unavailable', { operation: error.operation, status: error.status });
      return unavailable(pair, text.schedule.unavailable);
    }
    throw error;
  }
}

/** `schedule.book`: books the chosen time, stores the conversation as scheduled, sends the prep card. */
export async function scheduleBook(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const pair = await pairOf(context, deps);
  if ('card' in pair) return pair.card;
  const data = postedData(context);
  const conversationId = postedString(data, 'conversationId');
  const slot = parseSlot(postedString(data, 'slot'));
  if (conversationId === undefined || !ID_PATTERN.test(conversationId))
    return refusal(text.errors.missingAction);
  const { employee, type } = pair;
  const already = await deps.records.conversations.get(employee.id, conversationId);
  if (already !== undefined) {
    // Book pressed again, or a retry after a turn that died part-way: finish what is missing.
    const booked = already.value;
    if (booked.status !== 'scheduled' || booked.meeting === undefined) return refusal(text.prep.notScheduled);
    await deps.meetings.track({
      employeeId: employee.id,
      managerId: booked.managerId,
      conversationId,
      end: booked.meeting.end,
    });
    return bookedCard(deps, pair, booked);
  }
  if (slot === undefined) {
    return findTimes(context, deps, Number(postedString(data, 'minutes')) || undefined);
  }
  if (deps.scheduler === undefined) return unavailable(pair, text.schedule.notConfigured);
  let meeting;
  try {
    meeting = await deps.scheduler.book({
      conversationId,
      managerId: pair.managerId,
      employeeId: employee.id,
      typeId: type.id,
      slot,
    });
  } catch (error) {
    if (error instanceof SchedulingError) {
      const card = await findTimes(context, deps, Math.round((slot.end - slot.start) / 60_000));
      return { ...card, body: [refusalLine(error.userMessage), ...((card.body as unknown[]) ?? [])] };
    }
    if (error instanceof GraphFailure) {
      deps.log.warn('booking unavailable', { operation: error.operation, status: error.status });
      // Trying again keeps the record id, so a meeting Graph made before the failure is reused.
      return unavailable(pair, text.schedule.unavailable, {
        employeeId: employee.id,
        typeId: type.id,
        conversationId,
        slot: `${slot.start}/${slot.end}`,
      });
    }
    throw error;
  }
  const now = deps.clock.now().toISOString();
  // The meeting as booked (a retried booking returns the first one, whatever slot was posted).
  const start = Date.parse(meeting.start);
  const end = Date.parse(meeting.end);
  const record: ConversationRecord = {
    id: conversationId,
    employeeId: employee.id,
    type: type.id,
    date: londonDate(new Date(start)),
    managerId: pair.managerId,
    status: 'scheduled',
    positionNumber: employee.positionNumber,
    durationMinutes: Math.round((end - start) / 60_000),
    areas: {},
    meeting,
    createdBy: pair.actor.id,
    createdAt: now,
    updatedAt: now,
  };
  const saved = await saveRecord(deps, record, { actorId: pair.actor.id });
  await deps.meetings.track({
    employeeId: employee.id,
    managerId: pair.managerId,
    conversationId,
    end: meeting.end,
  });
  return bookedCard(deps, pair, saved.record.value);
}

/** The booker's confirmation; the other person is told once (the employee with a prep card). */
async function bookedCard(deps: TurnDeps, pair: Pair, record: ConversationRecord): Promise<CardJson> {
  const when = record.meeting ? meetingWhen(deps, record.meeting.start, record.meeting.end) : record.date;
  if (pair.byManager) {
    await sendOnce(deps, record, 'booking-notice', pair.employee.id, () =>
      prepCardFor(deps, record, text.schedule.bookedEmployee(pair.actor.name, when)),
    );
    return createNoticeCard({
      message: text.schedule.booked(when),
      actions: [{ title: text.menu.team, verb: Verb.team }],
    });
  }
  await sendOnce(deps, record, 'booking-notice', record.managerId, () =>
    createNoticeCard({
      message: text.schedule.bookedByEmployee(pair.employee.name, when),
      actions: [{ title: text.menu.team, verb: Verb.team }],
    }),
  );
  return prepCardFor(deps, record);
}

/** The pair a schedule card is about, or a card explaining why there is none. */
async function pairOf(context: TurnContext, deps: TurnDeps): Promise<Pair | { card: CardJson }> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return { card: unknownUser() };
  const data = postedData(context);
  const type = typeFor(deps, postedString(data, 'typeId'));
  if (type === undefined) return { card: refusal(text.errors.unknownVerb) };
  const employeeId = postedPersonId(data);
  if (employeeId === undefined || employeeId === actor.id) {
    if (
      employeeId === undefined &&
      (await deps.directory.listDirectReports(actor.id)).some((r) => !r.leaveDate)
    ) {
      // A manager typed "schedule": pick the person from the team.
      return { card: await teamCard(context, deps) };
    }
    if (actor.employee.managerId === undefined) return { card: refusal(text.schedule.noManager) };
    return {
      actor: actor.employee,
      employee: actor.employee,
      managerId: actor.employee.managerId,
      byManager: false,
      type,
    };
  }
  const employee = await deps.directory.getEmployee(employeeId);
  if (employee === undefined) return { card: refusal(text.access.unknownEmployee) };
  if (employee.managerId !== actor.id) return { card: refusal(text.access.notManager) };
  const archived = archivedRecords(deps, employee);
  if (archived !== undefined) return { card: archived };
  return { actor: actor.employee, employee, managerId: actor.id, byManager: true, type };
}

function unavailable(pair: Pair, message: string, retry?: Readonly<Record<string, string>>): CardJson {
  return createNoticeCard({
    message,
    tone: 'warning',
    actions: [
      ...(retry ? [{ title: text.schedule.tryAgain, verb: Verb.scheduleBook, data: retry }] : []),
      ...(pair.byManager
        ? [
            {
              title: text.schedule.logInstead,
              verb: Verb.log,
              data: { employeeId: pair.employee.id, typeId: pair.type.id },
            },
          ]
        : []),
    ],
  });
}

function refusalLine(message: string): object {
  return { type: 'TextBlock', text: message, wrap: true, color: 'Attention', weight: 'Bolder' };
}

async function nameOf(deps: TurnDeps, id: string): Promise<string> {
  return (await deps.directory.getEmployee(id))?.name ?? '';
}

/** The lengths offered: the policy's minimum, default and maximum and the quarter hours between. */
export function lengthsOf(type: ConversationType): number[] {
  const { minMinutes, maxMinutes, defaultMinutes } = type.duration;
  const set = new Set([minMinutes, defaultMinutes, maxMinutes]);
  for (let m = Math.ceil(minMinutes / 15) * 15; m <= maxMinutes; m += 15) set.add(m);
  return [...set].sort((a, b) => a - b);
}

function clampLength(type: ConversationType, minutes: number | undefined): number {
  const { minMinutes, maxMinutes, defaultMinutes } = type.duration;
  if (minutes === undefined) return defaultMinutes;
  return Math.min(maxMinutes, Math.max(minMinutes, minutes));
}

function parseSlot(value: string | undefined): { start: number; end: number } | undefined {
  const match = /^(\d{10,15})\/(\d{10,15})$/.exec(value ?? '');
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  return end > start && end - start <= 8 * 3_600_000 ? { start, end } : undefined;
}
