/**
 * The {@link CalendarPort} on Microsoft Graph (DESIGN.md §4 "Schedule"): `getSchedule` for
 * free/busy (an application permission exists for it; `findMeetingTimes` has none), events on the
 * organiser's calendar as Teams meetings, read-backs in `$batch`. Times are written in the
 * policy's zone (Europe/London) and read back in UTC (`Prefer: outlook.timezone="UTC"`).
 * A create is retried after a lost response with the same `transactionId`, so Graph returns the
 * first event instead of making a second; 429/503/504 are retried by the client's RetryHandler.
 * getSchedule's answers are matched to the addresses asked ignoring case, and its free/busy
 * values read in any case (Exchange answers with the mailbox's primary address, `Busy`, `FREE`).
 */
import { type Client } from '@microsoft/microsoft-graph-client';
import {
  type BusyItem,
  type CalendarEvent,
  type CalendarPort,
  type EventRef,
  type FreeBusyStatus,
  type MeetingDraft,
  type PersonSchedule,
} from '../../core/calendar';
import { formatClockTime, utcToWallTime } from '../../core/dates/london-time';
import { type EmployeeId } from '../../core/model';
import { type Interval } from '../../core/slots';
import { type Logger } from '../log';
import { runBatch } from './batch';
import { type GraphOperation, isTransportError, statusOfGraphError, toGraphFailure } from './errors';

const UTC_PREFERENCE = 'outlook.timezone="UTC"';
const EVENT_FIELDS = 'id,subject,start,end,isCancelled,onlineMeeting,transactionId,attendees';

/** Graph's `dateTimeTimeZone`. */
interface DateTimeTimeZone {
  readonly dateTime: string;
  readonly timeZone: string;
}

interface GraphEvent {
  readonly id: string;
  readonly subject?: string;
  readonly start: DateTimeTimeZone;
  readonly end: DateTimeTimeZone;
  readonly isCancelled?: boolean;
  readonly onlineMeeting?: { readonly joinUrl?: string } | null;
  readonly transactionId?: string | null;
  readonly attendees?: readonly { readonly emailAddress?: { readonly address?: string } }[];
}

interface ScheduleInformation {
  readonly scheduleId: string;
  readonly scheduleItems?: readonly { status?: string; start: DateTimeTimeZone; end: DateTimeTimeZone }[];
  readonly error?: { readonly message?: string; readonly responseCode?: string };
}

/** Options of the adapter. */
export interface GraphCalendarOptions {
  readonly log: Logger;
  /** Attempts of a write whose response was lost (network error), default 3. */
  readonly transportAttempts?: number;
  /** Give up on one Graph call (all its retries) after this long, default 30 s. */
  readonly timeoutMs?: number;
}

/** A UTC `dateTimeTimeZone` as Graph writes it, e.g. `2026-03-30T08:00:00.0000000` → epoch ms. */
export function parseGraphDateTime(value: DateTimeTimeZone): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,7}))?$/.exec(value.dateTime);
  const zone = value.timeZone.toUpperCase();
  if (!match || (zone !== 'UTC' && zone !== 'COORDINATED UNIVERSAL TIME')) {
    throw new Error(`unexpected Graph time ${value.dateTime} ${value.timeZone} (asked for UTC)`);
  }
  const ms = (match[2] ?? '0').padEnd(3, '0').slice(0, 3);
  return Date.parse(`${match[1]}.${ms}Z`);
}

/** An instant as wall time in a zone, for writing an event: `2026-03-30T09:00:00`. */
export function wallDateTime(instant: number, timeZone: string): DateTimeTimeZone {
  const { date, minutes } = utcToWallTime(instant, timeZone);
  return { dateTime: `${date}T${formatClockTime(minutes)}:00`, timeZone };
}

const utcDateTime = (instant: number): DateTimeTimeZone => ({
  dateTime: new Date(instant).toISOString().slice(0, 19),
  timeZone: 'UTC',
});

/** Graph's free/busy values by their lower case: Exchange may write them `Busy`, `FREE`. */
const STATUSES: ReadonlyMap<string, FreeBusyStatus> = new Map(
  (['free', 'tentative', 'busy', 'oof', 'workingElsewhere'] as const).map((s) => [s.toLowerCase(), s]),
);

/** A free/busy value as the app knows it, whatever its case; `unknown` (busy) when not one. */
export function freeBusyStatus(value: unknown): FreeBusyStatus {
  return (typeof value === 'string' && STATUSES.get(value.toLowerCase())) || 'unknown';
}

/**
 * Each address asked for with its answer. `scheduleId` is matched ignoring case (Graph may answer
 * with the mailbox's primary address in another case); an answer whose id matches no address asked
 * for (an alias answered with the primary address) is taken for the address at its position, as
 * Graph answers the schedules in the order asked.
 */
export function matchSchedules<T extends { readonly scheduleId?: string }>(
  asked: readonly string[],
  answers: readonly T[],
): (T | undefined)[] {
  const key = (address: string) => address.trim().toLowerCase();
  const askedKeys = new Set(asked.map(key));
  const byId = new Map<string, T>();
  for (const a of answers) if (typeof a.scheduleId === 'string') byId.set(key(a.scheduleId), a);
  return asked.map((address, i) => {
    const found = byId.get(key(address));
    if (found !== undefined) return found;
    const atPosition = answers[i];
    const id = atPosition?.scheduleId;
    return answers.length === asked.length && typeof id === 'string' && !askedKeys.has(key(id))
      ? atPosition
      : undefined;
  });
}

function toEvent(e: GraphEvent): CalendarEvent {
  return {
    id: e.id,
    subject: e.subject ?? '',
    start: parseGraphDateTime(e.start),
    end: parseGraphDateTime(e.end),
    cancelled: e.isCancelled === true,
    joinUrl: e.onlineMeeting?.joinUrl ?? undefined,
    transactionId: e.transactionId ?? undefined,
    attendeeEmails: (e.attendees ?? []).map((a) => a.emailAddress?.address ?? '').filter(Boolean),
  };
}

const userPath = (id: EmployeeId) => `/users/${encodeURIComponent(id)}`;

/** Calendars on Microsoft Graph. */
export class GraphCalendar implements CalendarPort {
  private readonly attempts: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: Client,
    private readonly options: GraphCalendarOptions,
  ) {
    this.attempts = options.transportAttempts ?? 3;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async getSchedules(
    organizerId: EmployeeId,
    emails: readonly string[],
    window: Interval,
  ): Promise<PersonSchedule[]> {
    const response = (await this.call('read free/busy', () =>
      this.client
        .api(`${userPath(organizerId)}/calendar/getSchedule`)
        .header('Prefer', UTC_PREFERENCE)
        .option('signal', AbortSignal.timeout(this.timeoutMs))
        .post({
          schedules: emails,
          startTime: utcDateTime(window.start),
          endTime: utcDateTime(window.end),
          availabilityViewInterval: 30,
        }),
    )) as { value?: ScheduleInformation[] };
    const matched = matchSchedules(emails, response.value ?? []);
    return emails.map((email, i) => {
      const info = matched[i];
      if (info === undefined) return { email, items: [], error: 'not returned by Graph' };
      if (info.error)
        return { email, items: [], error: info.error.responseCode ?? info.error.message ?? 'error' };
      const items: BusyItem[] = (info.scheduleItems ?? []).map((item) => ({
        start: parseGraphDateTime(item.start),
        end: parseGraphDateTime(item.end),
        status: freeBusyStatus(item.status),
      }));
      return { email, items };
    });
  }

  async createEvent(organizerId: EmployeeId, draft: MeetingDraft): Promise<CalendarEvent> {
    const body = {
      subject: draft.subject,
      body: { contentType: 'HTML', content: draft.bodyHtml },
      start: wallDateTime(draft.start, draft.timeZone),
      end: wallDateTime(draft.end, draft.timeZone),
      attendees: draft.attendees.map((a) => ({
        emailAddress: { address: a.email, name: a.name },
        type: 'required',
      })),
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      allowNewTimeProposals: true,
      responseRequested: true,
      transactionId: draft.transactionId,
    };
    const event = (await this.call(
      'create meeting',
      () =>
        this.client
          .api(`${userPath(organizerId)}/events`)
          .header('Prefer', UTC_PREFERENCE)
          .option('signal', AbortSignal.timeout(this.timeoutMs))
          .post(body),
      true,
    )) as GraphEvent;
    this.options.log.info('meeting created', { organizerId, eventId: event.id });
    return toEvent(event);
  }

  async moveEvent(ref: EventRef, start: number, end: number, timeZone: string): Promise<CalendarEvent> {
    const event = (await this.call(
      'update meeting',
      () =>
        this.client
          .api(`${userPath(ref.organizerId)}/events/${encodeURIComponent(ref.eventId)}`)
          .header('Prefer', UTC_PREFERENCE)
          .option('signal', AbortSignal.timeout(this.timeoutMs))
          .patch({ start: wallDateTime(start, timeZone), end: wallDateTime(end, timeZone) }),
      true,
    )) as GraphEvent;
    return toEvent(event);
  }

  async cancelEvent(ref: EventRef, comment: string): Promise<void> {
    try {
      await this.call(
        'cancel meeting',
        () =>
          this.client
            .api(`${userPath(ref.organizerId)}/events/${encodeURIComponent(ref.eventId)}/cancel`)
            .option('signal', AbortSignal.timeout(this.timeoutMs))
            .post({ comment }),
        true,
      );
    } catch (error) {
      // Already deleted: the meeting is not happening, which is what was asked.
      if (statusOfGraphError((error as { cause?: unknown }).cause) === 404) return;
      throw error;
    }
  }

  async getEvent(ref: EventRef): Promise<CalendarEvent | undefined> {
    try {
      const event = (await this.call('read meeting', () =>
        this.client
          .api(`${userPath(ref.organizerId)}/events/${encodeURIComponent(ref.eventId)}`)
          .header('Prefer', UTC_PREFERENCE)
          .select(EVENT_FIELDS)
          .option('signal', AbortSignal.timeout(this.timeoutMs))
          .get(),
      )) as GraphEvent;
      return toEvent(event);
    } catch (error) {
      if (statusOfGraphError((error as { cause?: unknown }).cause) === 404) return undefined;
      throw error;
    }
  }

  async getEvents(refs: readonly EventRef[]): Promise<(CalendarEvent | undefined)[]> {
    if (refs.length === 0) return [];
    const answers = await this.call('read meeting', () =>
      runBatch(
        this.client,
        refs.map((ref, i) => ({
          id: String(i),
          method: 'GET' as const,
          url: `${userPath(ref.organizerId)}/events/${encodeURIComponent(ref.eventId)}?$select=${EVENT_FIELDS}`,
          headers: { Prefer: UTC_PREFERENCE },
        })),
      ),
    );
    return refs.map((_, i) => {
      const answer = answers.get(String(i));
      if (answer === undefined || answer.status === 404) return undefined;
      if (answer.status >= 400) {
        const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code ?? 'unknown';
        throw toGraphFailure(Object.assign(new Error(code), { statusCode: answer.status }), 'read meeting');
      }
      return toEvent(answer.body as GraphEvent);
    });
  }

  /**
   * Runs one Graph call, mapping failures to typed errors (the original kept as `cause`). With
   * `retryLostResponse`, a call whose response never arrived is sent again, unchanged: writes here
   * are idempotent (creates by transactionId, updates and cancels by nature).
   */
  private async call<T>(
    operation: GraphOperation,
    run: () => Promise<T>,
    retryLostResponse = false,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (retryLostResponse && isTransportError(error) && attempt < this.attempts) {
          this.options.log.warn('graph response lost; sending again', { operation, attempt });
          continue;
        }
        const failure = toGraphFailure(error, operation);
        this.options.log.warn('graph call failed', { operation, status: failure.status, code: failure.code });
        throw Object.assign(failure, { cause: error });
      }
    }
  }
}
