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

/** A conversation as stored: scheduled, completed or cancelled. */
export interface ConversationRecord extends ConversationFacts {
  /** The employee's position number at the time (PC §4.4 step 8). */
  readonly positionNumber: string;
  readonly durationMinutes?: number | undefined;
  /** Discussion notes and outcomes per key area id. */
  readonly areas: Readonly<Record<string, AreaEntry>>;
  readonly meeting?: MeetingLink | undefined;
  /** The employee's comments on the record, and when they acknowledged it. */
  readonly employeeComments?: string | undefined;
  readonly acknowledgedAt?: string | undefined;
  readonly createdBy: EmployeeId;
  /** ISO instants. */
  readonly createdAt: string;
  readonly updatedAt: string;
}
