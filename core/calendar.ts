/**
 * Calendars as the domain sees them (DESIGN.md §4 "Schedule"): the {@link CalendarPort} that
 * bot/graph implements on Microsoft Graph, and the pure rules around it — the free/busy window of
 * the next N working days, three proposed slots free for both people inside working hours, the
 * meeting's subject and agenda from the policy, the idempotency key of a booking, and what a
 * read-back of the meeting says about the record (moved or cancelled). No I/O.
 */
import { formatIsoDate } from './dates/day';
import { formatClockTime, utcToWallTime, wallTimeToUtc, zonedDayOf } from './dates/london-time';
import { addWorkingDays, isWorkingDay } from './dates/working-days';
import { type EmployeeId } from './model';
import { type PolicyCalendar, policyCalendar } from './policy/calendar';
import { type Policy } from './policy/schema';
import { type MeetingLink } from './records';
import { type Interval, findFreeSlots } from './slots';

/** A person on a meeting: directory id, mailbox and display name. */
export interface Participant {
  readonly id: EmployeeId;
  readonly email: string;
  readonly name: string;
}

/** Free/busy statuses as Graph reports them. */
export type FreeBusyStatus = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

/** One busy block of a person's calendar (instants in epoch ms). */
export interface BusyItem extends Interval {
  readonly status: FreeBusyStatus;
}

/** One person's free/busy over the window asked for. */
export interface PersonSchedule {
  readonly email: string;
  readonly items: readonly BusyItem[];
  /** Set when the calendar could not be read (e.g. no mailbox); such a person blocks every slot. */
  readonly error?: string | undefined;
}

/** A meeting to create on the organiser's calendar. */
export interface MeetingDraft {
  readonly subject: string;
  /** HTML agenda. */
  readonly bodyHtml: string;
  readonly start: number;
  readonly end: number;
  /** IANA zone the times are written in (the policy's, Europe/London). */
  readonly timeZone: string;
  readonly attendees: readonly Participant[];
  /** The same key on a retried create returns the first event instead of making a second. */
  readonly transactionId: string;
}

/** A meeting as read back from the organiser's calendar. */
export interface CalendarEvent {
  readonly id: string;
  readonly subject: string;
  readonly start: number;
  readonly end: number;
  readonly cancelled: boolean;
  readonly joinUrl?: string | undefined;
  readonly transactionId?: string | undefined;
  readonly attendeeEmails: readonly string[];
}

/** Which event on whose calendar. */
export interface EventRef {
  readonly organizerId: EmployeeId;
  readonly eventId: string;
}

/** The calendar operations scheduling needs (implemented on Microsoft Graph in bot/graph). */
export interface CalendarPort {
  /** Free/busy of each mailbox over [window.start, window.end), read with the organiser's rights. */
  getSchedules(
    organizerId: EmployeeId,
    emails: readonly string[],
    window: Interval,
  ): Promise<PersonSchedule[]>;
  /** Creates the meeting (idempotent by `transactionId`). */
  createEvent(organizerId: EmployeeId, draft: MeetingDraft): Promise<CalendarEvent>;
  /** Moves the meeting; attendees get the update. */
  moveEvent(ref: EventRef, start: number, end: number, timeZone: string): Promise<CalendarEvent>;
  /** Cancels the meeting and tells the attendees, with a comment. */
  cancelEvent(ref: EventRef, comment: string): Promise<void>;
  /** The meeting as it is now; undefined when it no longer exists (deleted). */
  getEvent(ref: EventRef): Promise<CalendarEvent | undefined>;
  /** Several meetings at once (Graph `$batch`), in the order asked. */
  getEvents(refs: readonly EventRef[]): Promise<(CalendarEvent | undefined)[]>;
}

/** Statuses that make a person unavailable; `free` and `workingElsewhere` do not. */
const BLOCKING: ReadonlySet<FreeBusyStatus> = new Set(['busy', 'tentative', 'oof', 'unknown']);

/**
 * The free/busy window: from `from` to the end of the `workingDays`-th working day counting the
 * day of `from` when it is a working day (so "the next 10 working days" includes today).
 */
export function scheduleWindow(calendar: PolicyCalendar, from: number, workingDays: number): Interval {
  const today = zonedDayOf(from, calendar.timeZone);
  const first = isWorkingDay(calendar, today) ? today : addWorkingDays(calendar, today, 1);
  const last = addWorkingDays(calendar, first, Math.max(0, workingDays - 1));
  return { start: from, end: wallTimeToUtc(formatIsoDate(last + 1), 0, calendar.timeZone) };
}

/** What to propose slots for. */
export interface ProposalQuery {
  readonly policy: Policy;
  /** The conversation type (its default duration is used unless `durationMinutes` is given). */
  readonly typeId: string;
  readonly schedules: readonly PersonSchedule[];
  readonly window: Interval;
  readonly durationMinutes?: number;
}

/**
 * The policy's number of slots (three by default) when everyone is free, inside working hours on
 * working days, within the window (DESIGN.md §4). At most one a day while that still finds enough,
 * so the choice spreads over days; then the earliest free slots fill up the rest.
 */
export function proposeSlots(query: ProposalQuery): Interval[] {
  const type = conversationType(query.policy, query.typeId);
  const calendar = policyCalendar(query.policy);
  const count = query.policy.calendar.proposeSlots;
  const durationMinutes = query.durationMinutes ?? type.duration.defaultMinutes;
  const busy = query.schedules.map((s) =>
    s.error !== undefined
      ? [query.window]
      : s.items.filter((i) => BLOCKING.has(i.status)).map((i) => ({ start: i.start, end: i.end })),
  );
  const horizonDays =
    zonedDayOf(query.window.end, calendar.timeZone) - zonedDayOf(query.window.start, calendar.timeZone);
  const search = (maxPerDay?: number) =>
    findFreeSlots({
      busy,
      from: query.window.start,
      durationMinutes,
      count: count * 4,
      calendar,
      horizonDays,
      ...(maxPerDay === undefined ? {} : { maxPerDay }),
    }).filter((slot) => slot.end <= query.window.end);
  const spread = search(1).slice(0, count);
  if (spread.length >= count) return spread;
  const chosen = [...spread];
  for (const slot of search()) {
    if (chosen.length >= count) break;
    if (!chosen.some((c) => c.start < slot.end && slot.start < c.end)) chosen.push(slot);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/**
 * Why a slot cannot be booked, or undefined when it can: its length is within the type's range, it
 * starts in the future, and it lies inside working hours on one working day (weekends and bank
 * holidays excluded). A booking request carries its slot from a card, so it is checked, not trusted.
 */
export function slotProblem(
  policy: Policy,
  typeId: string,
  slot: Interval,
  now: number,
): 'length' | 'past' | 'outside-working-hours' | undefined {
  const type = conversationType(policy, typeId);
  const minutes = (slot.end - slot.start) / 60_000;
  if (
    !Number.isInteger(minutes) ||
    minutes < type.duration.minMinutes ||
    minutes > type.duration.maxMinutes
  ) {
    return 'length';
  }
  if (slot.start < now) return 'past';
  const calendar = policyCalendar(policy);
  const day = zonedDayOf(slot.start, calendar.timeZone);
  const date = formatIsoDate(day);
  const dayStart = wallTimeToUtc(date, calendar.workStartMinutes, calendar.timeZone);
  const dayEnd = wallTimeToUtc(date, calendar.workEndMinutes, calendar.timeZone);
  if (!isWorkingDay(calendar, day) || slot.start < dayStart || slot.end > dayEnd)
    return 'outside-working-hours';
  return undefined;
}

/** The policy's conversation type, or an error naming the unknown id. */
export function conversationType(policy: Policy, typeId: string): Policy['conversationTypes'][number] {
  const type = policy.conversationTypes.find((t) => t.id === typeId);
  if (type === undefined)
    throw new RangeError(`"${typeId}" is not a conversation type of policy ${policy.id}`);
  return type;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Subject and HTML agenda of the meeting: the conversation type and its key areas, in order. */
export function meetingText(
  policy: Policy,
  typeId: string,
  manager: Participant,
  employee: Participant,
): { subject: string; bodyHtml: string } {
  const type = conversationType(policy, typeId);
  const areas = type.areas.map((a) => `<li>${escapeHtml(a.title)}</li>`).join('');
  const adjustments = type.reasonableAdjustmentsBeforeMeeting
    ? '<p>If you need any reasonable adjustments for this meeting, please ask before it, from the preparation card in Teams.</p>'
    : '';
  return {
    subject: `${type.label}: ${employee.name} with ${manager.name}`,
    bodyHtml:
      `<p>${escapeHtml(type.label)} between ${escapeHtml(employee.name)} and ${escapeHtml(manager.name)}.</p>` +
      `<p>Agenda — the key areas:</p><ol>${areas}</ol>${adjustments}` +
      '<p>Add your notes per area beforehand from the preparation card the app sends you in Teams.</p>',
  };
}

/**
 * The `transactionId` of a booking: the same conversation always gives the same key, so a create
 * retried after a lost response finds the first event rather than making a second one.
 */
export function bookingKey(conversationId: string): string {
  return `pc-${conversationId}`;
}

/** What a read-back of a booked meeting means for its record. */
export type MeetingChange =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'moved'; readonly start: number; readonly end: number }
  | { readonly kind: 'cancelled' };

/** Compares the meeting on the record with the calendar: gone or cancelled, moved, or as booked. */
export function meetingChange(booked: MeetingLink, event: CalendarEvent | undefined): MeetingChange {
  if (event === undefined || event.cancelled) return { kind: 'cancelled' };
  if (Date.parse(booked.start) !== event.start || Date.parse(booked.end) !== event.end) {
    return { kind: 'moved', start: event.start, end: event.end };
  }
  return { kind: 'unchanged' };
}

/** The record's meeting link for an event. */
export function meetingLink(event: CalendarEvent): MeetingLink {
  return {
    eventId: event.id,
    joinUrl: event.joinUrl,
    start: new Date(event.start).toISOString(),
    end: new Date(event.end).toISOString(),
  };
}

/** The day of a slot as people read it (made once: `toLocaleDateString` builds a formatter per call). */
const SLOT_DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A slot as the user reads it in the organisation's zone, e.g. `Mon 30 Mar 2026, 09:00–09:30`. */
export function describeSlot(slot: Interval, timeZone: string): string {
  const start = utcToWallTime(slot.start, timeZone);
  const end = utcToWallTime(slot.end, timeZone);
  const day = SLOT_DAY.format(new Date(`${start.date}T12:00:00Z`));
  return `${day.replace(',', '')}, ${formatClockTime(start.minutes)}–${formatClockTime(end.minutes)}`;
}
