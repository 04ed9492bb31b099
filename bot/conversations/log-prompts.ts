/**
 * "Log it" prompts (DESIGN.md §4 Log): after a booked meeting ends, its manager gets a card with a
 * Log button that opens the record form for that conversation.
 *
 * Once: the sweep claims a nudge-ledger key for the meeting (`log-prompt`, the London date it
 * ended, the conversation id) and posts the card to the durable outbox; only the sweep that
 * creates the key posts, across restarts and instances. When the post fails (the queue is
 * unreachable) the claim is withdrawn and the meeting's row kept, so the next sweep posts it.
 */
import { type Clock, type DirectoryReader, type LedgerKey } from '../../core/ports';
import { describeSlot } from '../../core/calendar';
import { type Policy } from '../../core/policy/schema';
import { type ConversationRecord, type MeetingLink } from '../../core/records';
import { createNoticeCard } from '../cards/notice-card';
import { Verb } from '../cards/verbs';
import { londonDate } from '../clock';
import { forEachLimit } from '../concurrency';
import { text } from '../i18n/en-GB';
import { type Logger } from '../log';
import { type TableConversations } from '../storage/conversation-table';
import { statusOf } from '../storage/entities';
import { type LedgerTable } from '../storage/ledger-table';
import { type MeetingTable, type TrackedMeeting } from '../storage/meeting-table';
import { type Outbox } from '../outbox/outbox';

/** The ledger item of a "log it" prompt. */
export const LOG_PROMPT_ITEM = 'log-prompt';

/** Meetings handled at once (each is a few table calls and at most one send). */
const CONCURRENCY = 4;

/** What a sweep needs. */
export interface LogPromptOptions {
  readonly meetings: MeetingTable;
  readonly conversations: TableConversations;
  readonly ledger: LedgerTable;
  readonly directory: DirectoryReader;
  readonly outbox: Outbox;
  readonly policy: Policy;
  readonly clock: Clock;
  readonly log: Logger;
  /** London dates before today whose ended meetings are still swept (default 7). */
  readonly lookBackDays?: number;
}

/** What a sweep did: prompts sent, and meetings dealt with without a prompt. Failures are logged. */
export interface LogPromptResult {
  readonly prompted: number;
  readonly skipped: number;
}

/** A running schedule of sweeps. */
export interface LogPromptSchedule {
  /** Cancels future sweeps and waits for one in progress. */
  stop(): Promise<void>;
  /** Sweeps now, or joins the sweep already in progress (sweeps never overlap). */
  runNow(): Promise<LogPromptResult>;
}

/**
 * Prompts the manager of each booked meeting that has ended and is still unlogged, at most once
 * per meeting, and forgets meetings that need no prompt (logged, cancelled, moved or deleted).
 * A failure for one meeting is logged and leaves its row for the next sweep; the rest go on.
 */
export async function promptEndedMeetings(options: LogPromptOptions): Promise<LogPromptResult> {
  const { meetings, log } = options;
  const due: TrackedMeeting[] = [];
  // Read the whole list before changing it, so deletes cannot disturb the query's paging.
  for await (const meeting of meetings.due(options.clock.now(), options.lookBackDays ?? 7)) due.push(meeting);
  let prompted = 0;
  let skipped = 0;
  let failed = 0;
  await forEachLimit(due, CONCURRENCY, async (meeting) => {
    try {
      const outcome = await promptOne(options, meeting);
      if (outcome === 'sent') prompted++;
      else skipped++;
      await meetings.remove(meeting);
    } catch (error) {
      failed++;
      log.error('log prompt failed; the meeting is kept for the next sweep', {
        employeeId: meeting.employeeId,
        conversationId: meeting.conversationId,
        reason: error instanceof Error ? error.name : 'unknown',
        status: statusOf(error),
      });
    }
  });
  if (due.length > 0) log.info('log prompt sweep', { due: due.length, prompted, skipped, failed });
  return { prompted, skipped };
}

/** Why a meeting got no prompt, or that it got one. */
type Outcome = 'sent' | 'claimed-before' | 'not-due' | 'unknown-employee';

/** Sends one meeting's prompt if it is still wanted and not yet claimed. */
async function promptOne(options: LogPromptOptions, meeting: TrackedMeeting): Promise<Outcome> {
  const { conversations, ledger, directory, outbox, log } = options;
  const record = (await conversations.get(meeting.employeeId, meeting.conversationId))?.value;
  const booked = record && bookedMeeting(record, meeting);
  if (record === undefined || booked === undefined) return 'not-due';
  const employee = await directory.getEmployee(record.employeeId);
  if (employee === undefined) {
    log.warn('log prompt skipped: employee not in the directory', {
      employeeId: record.employeeId,
      conversationId: record.id,
    });
    return 'unknown-employee';
  }
  const key: LedgerKey = {
    employeeId: record.employeeId,
    item: LOG_PROMPT_ITEM,
    dueDate: londonDate(new Date(meeting.end)),
    stage: record.id,
  };
  const now = options.clock.now();
  if (!(await ledger.claim(key, now))) return 'claimed-before';
  const card = createNoticeCard({
    message: text.record.promptToLog(
      employee.name,
      describeSlot(
        { start: Date.parse(booked.start), end: Date.parse(booked.end) },
        options.policy.calendar.timeZone,
      ),
    ),
    actions: [
      {
        title: text.menu.log,
        verb: Verb.log,
        // The type too, so a policy with several types opens this conversation's form directly.
        data: { employeeId: record.employeeId, conversationId: record.id, typeId: record.type },
      },
    ],
  });
  // The employee's line manager now: only they may log it (a manager who booked and has since
  // moved on would be refused).
  const managerId = employee.managerId ?? record.managerId;
  try {
    await outbox.post({ to: managerId, kind: 'log-prompt', day: key.dueDate, ref: record.id, card });
  } catch (error) {
    await ledger.release(key).catch(() => undefined);
    throw error;
  }
  await ledger.markSent(key, options.clock.now());
  log.info('log prompt posted', { managerId, conversationId: record.id });
  return 'sent';
}

/**
 * The record's meeting while it is still booked as this one: scheduled, with the same end. A row
 * for a meeting since moved is stale (the move tracked a row of its own).
 */
function bookedMeeting(record: ConversationRecord, meeting: TrackedMeeting): MeetingLink | undefined {
  const link = record.meeting;
  return record.status === 'scheduled' &&
    link !== undefined &&
    Date.parse(link.end) === Date.parse(meeting.end)
    ? link
    : undefined;
}

/**
 * Sweeps at start and then every `everyMs`, never two at once; the timer does not keep the
 * process alive. A failed sweep is logged and the next one tries again.
 */
export function startLogPrompts(options: LogPromptOptions & { readonly everyMs: number }): LogPromptSchedule {
  let running: Promise<LogPromptResult> | undefined;
  const runNow = (): Promise<LogPromptResult> => {
    running ??= promptEndedMeetings(options).finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = (): void => {
    runNow().catch((error: unknown) => {
      options.log.error('log prompt sweep failed; the next one tries again', {
        reason: error instanceof Error ? error.name : 'unknown',
        status: statusOf(error),
      });
    });
  };
  const timer = setInterval(tick, options.everyMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      // A failure of that sweep was already logged by its tick or returned to its runNow caller.
      await running?.catch(() => undefined);
    },
    runNow,
  };
}
