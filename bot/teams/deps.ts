/** What turn handlers receive (STYLE.md rule 2): ports and settings, never singletons. */
import { type Clock, type DirectoryReader, type NudgeLedger } from '../../core/ports';
import { type Policy } from '../../core/policy/schema';
import { type ConversationScheduler } from '../graph/scheduling';
import { type Logger } from '../log';
import { type PeopleFinder } from '../records/people-finder';
import { type Records } from '../records/records';
import { type ReferenceStore } from '../storage/reference-store';
import { type Snoozes } from '../storage/snoozes';
import { type Outbox } from '../outbox/outbox';
import { type Notifier } from './notifier';

/** Remembers booked meetings so the manager is prompted to log each one once it has ended. */
export interface MeetingTracker {
  track(meeting: {
    readonly employeeId: string;
    readonly managerId: string;
    readonly conversationId: string;
    /** ISO instant the meeting ends. */
    readonly end: string;
  }): Promise<void>;
}

/** Dependencies of every turn handler. */
export interface TurnDeps {
  readonly log: Logger;
  readonly directory: DirectoryReader;
  readonly references: ReferenceStore;
  /** The policy's key areas in order, shown on the welcome card. */
  readonly areas: readonly string[];
  readonly records: Records;
  readonly policy: Policy;
  readonly clock: Clock;
  /** Calendar booking through Graph; undefined when Graph is not configured. */
  readonly scheduler: ConversationScheduler | undefined;
  /** Working days of calendars searched for free times. */
  readonly scheduleWorkingDays: number;
  /** Teams ids of people who installed the app (`refresh.userIds`); sending goes through the outbox. */
  readonly notifier: Notifier;
  /** Every proactive card (copies, notices) is posted here and sent by the outbox's workers. */
  readonly outbox: Outbox;
  readonly meetings: MeetingTracker;
  /** Claims each follow-up message once (a copy, a booking notice), across retries and restarts. */
  readonly ledger: NudgeLedger;
  /** Reminder snoozes (the nudge-ledger table); when absent, snoozing is refused politely. */
  readonly snoozes?: Snoozes;
  /**
   * The organisation's Entra tenant: an activity from any other (a guest's home tenant, another
   * organisation's Teams reaching a multi-tenant bot) is refused before any route. Undefined when
   * none is configured (the local Agents Playground, which sends no tenant).
   */
  readonly tenantId?: string | undefined;
  /** Entra object ids of the OD team. */
  readonly odMembers: ReadonlySet<string>;
  /** Name and e-mail search over the whole directory (exceptional access). */
  readonly people: PeopleFinder;
  /** New record and action ids. */
  readonly newId: () => string;
}
