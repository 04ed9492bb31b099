/**
 * Scheduling a conversation (DESIGN.md §4 "Schedule"): read both calendars over the next N working
 * days, propose the policy's number of free slots, book the chosen one as a Teams meeting on the
 * manager's calendar with the employee invited and the key areas as the agenda, move or cancel it,
 * and read it back to tell the record whether it moved or was cancelled. The calendar is a port,
 * so the Teams handlers (and tests) get this with Graph behind it.
 */
import {
  type CalendarPort,
  type EventRef,
  type MeetingChange,
  type Participant,
  bookingKey,
  conversationType,
  meetingChange,
  meetingLink,
  meetingText,
  proposeSlots,
  scheduleWindow,
  slotProblem,
} from '../../core/calendar';
import { type EmployeeId } from '../../core/model';
import { policyCalendar } from '../../core/policy/calendar';
import { type Policy } from '../../core/policy/schema';
import { type Clock, type DirectoryReader } from '../../core/ports';
import { type MeetingLink } from '../../core/records';
import { type Interval } from '../../core/slots';
import { type Logger } from '../log';
import { GraphFailure } from './errors';

/** How long, and how many, bookings whose create got no answer are remembered (see `book`). */
const UNANSWERED_TTL_MS = 60 * 60_000;
const UNANSWERED_LIMIT = 1_000;

/** A scheduling request that cannot go ahead, with a message for the user. */
export class SchedulingError extends Error {
  constructor(
    readonly reason: 'unknown-person' | 'no-email' | 'slot-taken' | 'bad-duration' | 'bad-slot',
    readonly userMessage: string,
  ) {
    super(userMessage);
    this.name = 'SchedulingError';
  }
}

/** What the scheduler needs. */
export interface SchedulerDeps {
  readonly calendar: CalendarPort;
  readonly directory: DirectoryReader;
  readonly policy: Policy;
  readonly clock: Clock;
  /** Working days of free/busy to read (GRAPH_SCHEDULE_DAYS). */
  readonly workingDays: number;
  readonly log: Logger;
}

/** Proposed slots for a pair. */
export interface Proposal {
  readonly manager: Participant;
  readonly employee: Participant;
  readonly window: Interval;
  readonly durationMinutes: number;
  readonly slots: readonly Interval[];
}

/** What to book. */
export interface BookingRequest {
  /** The conversation record's id: the booking's idempotency key comes from it. */
  readonly conversationId: string;
  readonly managerId: EmployeeId;
  readonly employeeId: EmployeeId;
  readonly typeId: string;
  readonly slot: Interval;
}

/** Proposes, books, moves, cancels and checks conversation meetings. */
export class ConversationScheduler {
  constructor(private readonly deps: SchedulerDeps) {}

  /** Three (the policy's number) slots free for both people in the next N working days. */
  async propose(
    managerId: EmployeeId,
    employeeId: EmployeeId,
    typeId: string,
    durationMinutes?: number,
  ): Promise<Proposal> {
    const type = conversationType(this.deps.policy, typeId);
    const minutes = durationMinutes ?? type.duration.defaultMinutes;
    if (minutes < type.duration.minMinutes || minutes > type.duration.maxMinutes) {
      throw new SchedulingError(
        'bad-duration',
        `A ${type.label} lasts ${type.duration.minMinutes}–${type.duration.maxMinutes} minutes.`,
      );
    }
    const [manager, employee] = await Promise.all([
      this.participant(managerId),
      this.participant(employeeId),
    ]);
    const calendar = policyCalendar(this.deps.policy);
    const window = scheduleWindow(calendar, this.deps.clock.now().getTime(), this.deps.workingDays);
    const schedules = await this.deps.calendar.getSchedules(
      managerId,
      [manager.email, employee.email],
      window,
    );
    const slots = proposeSlots({
      policy: this.deps.policy,
      typeId,
      schedules,
      window,
      durationMinutes: minutes,
    });
    this.deps.log.info('slots proposed', { managerId, employeeId, slots: slots.length });
    return { manager, employee, window, durationMinutes: minutes, slots };
  }

  /**
   * Books the slot on the manager's calendar with the employee invited, after checking it is
   * still free for both. Booking the same conversation again returns the same meeting.
   */
  async book(request: BookingRequest): Promise<MeetingLink> {
    const problem = slotProblem(
      this.deps.policy,
      request.typeId,
      request.slot,
      this.deps.clock.now().getTime(),
    );
    if (problem !== undefined) {
      throw new SchedulingError(
        'bad-slot',
        problem === 'past'
          ? 'That time has passed. Please choose another slot.'
          : 'That time is not one the policy allows (length, working day or working hours). Please choose one of the times offered.',
      );
    }
    const [manager, employee] = await Promise.all([
      this.participant(request.managerId),
      this.participant(request.employeeId),
    ]);
    const transactionId = bookingKey(request.conversationId);
    // An earlier attempt at this very booking whose answer never came may have made the meeting:
    // busy time filling exactly this slot is then taken to be that meeting, and the create (the
    // same transactionId) returns it rather than making a second.
    const unanswered = this.unanswered.get(transactionId);
    const maybeMade =
      unanswered !== undefined &&
      unanswered.start === request.slot.start &&
      unanswered.end === request.slot.end &&
      this.deps.clock.now().getTime() - unanswered.at < UNANSWERED_TTL_MS;
    await this.assertFree(manager, employee, request.slot, maybeMade ? { slot: request.slot } : undefined);
    const { subject, bodyHtml } = meetingText(this.deps.policy, request.typeId, manager, employee);
    let event;
    try {
      event = await this.deps.calendar.createEvent(manager.id, {
        subject,
        bodyHtml,
        start: request.slot.start,
        end: request.slot.end,
        timeZone: this.deps.policy.calendar.timeZone,
        attendees: [employee],
        transactionId,
      });
    } catch (error) {
      if (error instanceof GraphFailure && (error.status === 0 || error.status >= 500)) {
        this.rememberUnanswered(transactionId, request.slot);
      }
      throw error;
    }
    this.unanswered.delete(transactionId);
    return meetingLink(event);
  }

  /**
   * Bookings whose create got no answer (timed out, connection lost, 5xx), by transactionId, with
   * the slot asked for: kept in this process for an hour, at most 1,000. Another instance or a
   * restart does not know them, and answers a retry with "no longer free" — never a second meeting.
   */
  private readonly unanswered = new Map<string, { start: number; end: number; at: number }>();

  private rememberUnanswered(transactionId: string, slot: Interval): void {
    this.unanswered.delete(transactionId);
    this.unanswered.set(transactionId, {
      start: slot.start,
      end: slot.end,
      at: this.deps.clock.now().getTime(),
    });
    if (this.unanswered.size > UNANSWERED_LIMIT) {
      const oldest = this.unanswered.keys().next().value;
      if (oldest !== undefined) this.unanswered.delete(oldest);
    }
  }

  /** Moves a booked meeting to another slot (checked free for both people first). */
  async reschedule(ref: EventRef, employeeId: EmployeeId, slot: Interval): Promise<MeetingLink> {
    const [manager, employee] = await Promise.all([
      this.participant(ref.organizerId),
      this.participant(employeeId),
    ]);
    await this.assertFree(manager, employee, slot, { eventId: ref.eventId });
    const event = await this.deps.calendar.moveEvent(
      ref,
      slot.start,
      slot.end,
      this.deps.policy.calendar.timeZone,
    );
    return meetingLink(event);
  }

  /** Cancels a booked meeting; the employee gets the cancellation with the comment. */
  async cancel(ref: EventRef, comment: string): Promise<void> {
    await this.deps.calendar.cancelEvent(ref, comment);
  }

  /** Reads booked meetings back ($batch) and says, for each, whether it moved or was cancelled. */
  async check(
    items: readonly { readonly organizerId: EmployeeId; readonly meeting: MeetingLink }[],
  ): Promise<MeetingChange[]> {
    const events = await this.deps.calendar.getEvents(
      items.map((i) => ({ organizerId: i.organizerId, eventId: i.meeting.eventId })),
    );
    return items.map((item, n) => meetingChange(item.meeting, events[n]));
  }

  private async participant(id: EmployeeId): Promise<Participant> {
    const person = await this.deps.directory.getEmployee(id);
    if (person === undefined) {
      throw new SchedulingError(
        'unknown-person',
        'That person is not in the directory yet; the daily directory sync adds new starters.',
      );
    }
    if (person.email.trim() === '') {
      throw new SchedulingError(
        'no-email',
        `${person.name} has no mailbox in the directory, so no meeting can be booked.`,
      );
    }
    return { id: person.id, email: person.email, name: person.name };
  }

  /**
   * Refuses a slot someone has filled since it was proposed. Busy time exactly where the meeting
   * being moved is (`ignore.eventId`), or exactly filling the slot (`ignore.slot`, a booking whose
   * earlier attempt may have made its meeting), does not count.
   */
  private async assertFree(
    manager: Participant,
    employee: Participant,
    slot: Interval,
    ignore?: { readonly eventId: string } | { readonly slot: Interval },
  ): Promise<void> {
    const schedules = await this.deps.calendar.getSchedules(
      manager.id,
      [manager.email, employee.email],
      slot,
    );
    let ignored: Interval | undefined;
    if (ignore !== undefined && 'slot' in ignore) ignored = ignore.slot;
    else if (ignore !== undefined) {
      const current = await this.deps.calendar.getEvent({ organizerId: manager.id, eventId: ignore.eventId });
      ignored = current && { start: current.start, end: current.end };
    }
    const clash = schedules.some(
      (s) =>
        s.error !== undefined ||
        s.items.some(
          (i) =>
            i.status !== 'free' &&
            i.status !== 'workingElsewhere' &&
            i.start < slot.end &&
            slot.start < i.end &&
            !(ignored && i.start === ignored.start && i.end === ignored.end),
        ),
    );
    if (clash) {
      throw new SchedulingError(
        'slot-taken',
        'That time is no longer free for both of you. Please choose another slot.',
      );
    }
  }
}
