/**
 * The full record of a conversation: the facts the rules read plus what was said. Note text
 * (discussion notes, outcomes, comments) exists only in this type and the rows that store it;
 * status, roll-up, ledger and audit data never carry it (DESIGN.md §6).
 */
import { type ConversationFacts, type EmployeeId } from './model';

/** What was recorded under one key area. */
export interface AreaEntry {
  readonly notes: string;
  readonly outcomes: string;
}

/** The Teams meeting a scheduled conversation was booked as. */
export interface MeetingLink {
  /** The Graph event id on the manager's calendar. */
  readonly eventId: string;
  readonly joinUrl?: string | undefined;
  /** ISO instants. */
  readonly start: string;
  readonly end: string;
}

/**
 * The employee's preparation before a scheduled meeting (DESIGN.md §4 Schedule): notes per area,
 * shown to the manager only when shared, and a reasonable-adjustments request (PC §5.2).
 */
export interface PrepNotes {
  /** Notes per key area id. */
  readonly areas: Readonly<Record<string, string>>;
  /** True when the employee shares the notes with the manager before the meeting. */
  readonly shared: boolean;
  readonly adjustments?: string | undefined;
  /** ISO instant of the last change. */
  readonly updatedAt: string;
}

/**
 * An appeal against a career conversation (Career Conversations policy §5.10): in writing within
 * 14 calendar days, to the next manager up from the one who held it, acknowledged within 7 days,
 * heard with a People Services member not previously involved; the outcome is final. The grounds
 * are note text: only the colleague, the appeal manager and the manager who held it read them.
 */
export interface Appeal {
  /** The day it was received. */
  readonly receivedOn: string;
  readonly grounds: string;
  readonly preferredResolution?: string | undefined;
  /** The next manager up from the one who held the conversation. */
  readonly appealManagerId: EmployeeId;
  readonly acknowledgedOn?: string | undefined;
  readonly hearing?: { readonly on: string; readonly peopleServices: string } | undefined;
  readonly outcome?:
    { readonly result: string; readonly action: string; readonly decidedOn: string } | undefined;
}

/** A conversation as stored: scheduled, completed or cancelled. */
export interface ConversationRecord extends ConversationFacts {
  /** The employee's position number at the time (PC §4.4 step 8). */
  readonly positionNumber: string;
  readonly durationMinutes?: number | undefined;
  /** Discussion notes and outcomes per key area id. */
  readonly areas: Readonly<Record<string, AreaEntry>>;
  readonly meeting?: MeetingLink | undefined;
  /** The employee's preparation (scheduled conversations; kept on the record once held). */
  readonly prep?: PrepNotes | undefined;
  /** Policy record fields other than the fixed ones, by field id (e.g. an agreed rating). */
  readonly fields?: Readonly<Record<string, string | number | boolean>> | undefined;
  /** The employee's comments on the record, and when they acknowledged it. */
  readonly employeeComments?: string | undefined;
  readonly acknowledgedAt?: string | undefined;
  /** The colleague's appeal against it (NHS career conversation; one only). */
  readonly appeal?: Appeal | undefined;
  readonly createdBy: EmployeeId;
  /** ISO instants. */
  readonly createdAt: string;
  readonly updatedAt: string;
}
