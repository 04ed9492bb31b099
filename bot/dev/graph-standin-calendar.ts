/**
 * Calendars of the Graph stand-in: deterministic seeded busy time for every person (so free/busy
 * looks like a real organisation's week), events created through the API with `transactionId`
 * de-duplication, and Graph's `getSchedule` answer (scheduleItems and availabilityView).
 */
import { createHash, randomUUID } from 'node:crypto';
import { formatIsoDate, isoWeekday } from '../../core/dates/day';
import { MS_PER_DAY, MS_PER_MINUTE, utcToWallTime, wallTimeToUtc } from '../../core/dates/london-time';

/** Free/busy statuses Graph reports, in availabilityView order (0 free … 4 working elsewhere). */
export const FREE_BUSY = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere'] as const;
/** One of {@link FREE_BUSY}. */
export type FreeBusyStatus = (typeof FREE_BUSY)[number];

/** A block of time on someone's calendar, instants in epoch ms. */
export interface BusyBlock {
  readonly start: number;
  readonly end: number;
  readonly status: FreeBusyStatus;
  readonly subject: string;
}

/** An attendee as Graph writes it. */
export interface StandinAttendee {
  readonly emailAddress: { readonly address: string; readonly name?: string };
  readonly type?: string;
}

/** An event the stand-in stores (on the organiser's calendar). */
export interface StoredEvent {
  readonly id: string;
  readonly organizerId: string;
  readonly organizerEmail: string;
  readonly organizerName: string;
  subject: string;
  body: { contentType: string; content: string };
  start: number;
  end: number;
  /** The time zone the client wrote start/end in (echoed as originalStartTimeZone). */
  timeZone: string;
  attendees: StandinAttendee[];
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  joinUrl: string | undefined;
  transactionId: string | undefined;
  isCancelled: boolean;
  readonly createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
}

/** Graph's `dateTimeTimeZone`. */
export interface DateTimeTimeZone {
  readonly dateTime: string;
  readonly timeZone: string;
}

const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'GMT Standard Time': 'Europe/London',
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'W. Europe Standard Time': 'Europe/Berlin',
};

/** The IANA zone for a Graph time zone name (Windows or IANA), or undefined if unknown. */
export function ianaZone(name: string): string | undefined {
  const zone = WINDOWS_ZONES[name] ?? name;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** Parses a Graph `dateTimeTimeZone` to epoch ms; undefined when malformed or the zone is unknown. */
export function parseDateTimeTimeZone(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dateTime, timeZone } = value as Partial<DateTimeTimeZone>;
  if (typeof dateTime !== 'string' || typeof timeZone !== 'string') return undefined;
  const zone = ianaZone(timeZone);
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(dateTime);
  if (zone === undefined || !match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return wallTimeToUtc(match[1]!, minutes, zone) + Number(match[4] ?? 0) * 1000;
}

/** Formats an instant as Graph does in a zone: `2026-03-30T09:00:00.0000000`. */
export function formatDateTimeTimeZone(instant: number, timeZone: string): DateTimeTimeZone {
  const zone = ianaZone(timeZone) ?? 'UTC';
  const { date, minutes } = utcToWallTime(instant, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = Math.floor((instant % MS_PER_MINUTE) / 1000);
  return {
    dateTime: `${date}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:${pad(seconds)}.0000000`,
    timeZone,
  };
}

/** A small deterministic PRNG (mulberry32) seeded from a string. */
function prng(key: string): () => number {
  let state = createHash('sha256').update(key).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MEETINGS = [
  'Team meeting',
  'Project board',
  'Case review',
  '1:1',
  'Budget review',
  'Training',
  'Site visit',
];

/**
 * The seeded busy time of one person on one calendar day (Europe/London): on weekdays two to five
 * meetings between 08:30 and 17:30 on the half hour, some tentative; now and then a day out of
 * office; weekends empty. The same seed, person and day always give the same blocks.
 */
export function seededBusy(seed: number, personId: string, day: number): BusyBlock[] {
  if (isoWeekday(day) > 5) return [];
  const random = prng(`${seed}/${personId}/${day}`);
  const date = formatIsoDate(day);
  const at = (minutes: number) => wallTimeToUtc(date, minutes, 'Europe/London');
  if (random() < 0.03) {
    return [{ start: at(0), end: at(24 * 60), status: 'oof', subject: 'Annual leave' }];
  }
  const blocks: BusyBlock[] = [];
  const count = 2 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const startMinutes = 8 * 60 + 30 + Math.floor(random() * 16) * 30; // 08:30 … 16:00
    const length = [30, 30, 60, 60, 90, 120][Math.floor(random() * 6)] ?? 60;
    const endMinutes = Math.min(startMinutes + length, 17 * 60 + 30);
    blocks.push({
      start: at(startMinutes),
      end: at(endMinutes),
      status: random() < 0.15 ? 'tentative' : 'busy',
      subject: MEETINGS[Math.floor(random() * MEETINGS.length)] ?? 'Meeting',
    });
  }
  return blocks.sort((a, b) => a.start - b.start);
}

/** Everyone's calendars: seeded busy time, extra blocks tests add, and events made through the API. */
export class StandinCalendars {
  private readonly events = new Map<string, StoredEvent>();
  private readonly extra = new Map<string, BusyBlock[]>();

  constructor(
    private readonly seed: number | false,
    /** Resolves an e-mail address to the person's id (lower-case match). */
    private readonly idOfEmail: (email: string) => string | undefined,
  ) {}

  /** Adds a busy block to a person's calendar (tests use it to set up exact free/busy). */
  addBusy(personId: string, block: BusyBlock): void {
    const list = this.extra.get(personId) ?? [];
    list.push(block);
    this.extra.set(personId, list);
  }

  /** Every block on a person's calendar overlapping [start, end): seeded, added and events. */
  busyBetween(personId: string, start: number, end: number): BusyBlock[] {
    const blocks: BusyBlock[] = [];
    if (this.seed !== false) {
      const first = Math.floor(start / MS_PER_DAY) - 1;
      const last = Math.floor(end / MS_PER_DAY) + 1;
      for (let day = first; day <= last; day++) blocks.push(...seededBusy(this.seed, personId, day));
    }
    blocks.push(...(this.extra.get(personId) ?? []));
    for (const event of this.events.values()) {
      if (event.isCancelled) continue;
      const attends =
        event.organizerId === personId ||
        event.attendees.some((a) => this.idOfEmail(a.emailAddress.address) === personId);
      if (attends)
        blocks.push({ start: event.start, end: event.end, status: 'busy', subject: event.subject });
    }
    return blocks.filter((b) => b.end > start && b.start < end).sort((a, b) => a.start - b.start);
  }

  /** Graph's availabilityView: one digit per interval, the highest status in it. */
  availabilityView(
    blocks: readonly BusyBlock[],
    start: number,
    end: number,
    intervalMinutes: number,
  ): string {
    const step = intervalMinutes * MS_PER_MINUTE;
    let view = '';
    for (let t = start; t < end; t += step) {
      let level = 0;
      for (const b of blocks) {
        if (b.start < t + step && b.end > t) {
          const rank = FREE_BUSY.indexOf(b.status);
          // Precedence: oof > busy > tentative > working elsewhere > free.
          const weight = (r: number) => [0, 2, 3, 4, 1][r] ?? 0;
          if (weight(rank) > weight(level)) level = rank;
        }
      }
      view += String(level);
    }
    return view;
  }

  /** Creates an event, or returns the organiser's live event with the same transactionId. */
  create(
    draft: Omit<
      StoredEvent,
      'id' | 'createdDateTime' | 'lastModifiedDateTime' | 'changeKey' | 'isCancelled' | 'joinUrl'
    >,
  ): { event: StoredEvent; created: boolean } {
    if (draft.transactionId !== undefined) {
      for (const e of this.events.values()) {
        if (e.organizerId === draft.organizerId && e.transactionId === draft.transactionId) {
          return { event: e, created: false };
        }
      }
    }
    const now = new Date().toISOString();
    const id = `AAMk${randomUUID().replace(/-/g, '')}`;
    const event: StoredEvent = {
      ...draft,
      id,
      joinUrl: draft.isOnlineMeeting
        ? `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${id.slice(4, 28)}%40thread.v2/0`
        : undefined,
      isCancelled: false,
      createdDateTime: now,
      lastModifiedDateTime: now,
      changeKey: randomUUID(),
    };
    this.events.set(id, event);
    return { event, created: true };
  }

  /** The organiser's event by id (cancelled ones included; deleted ones are gone). */
  get(organizerId: string, id: string): StoredEvent | undefined {
    const event = this.events.get(id);
    return event?.organizerId === organizerId ? event : undefined;
  }

  /** Marks an event changed (a new changeKey and modification time). */
  touch(event: StoredEvent): void {
    event.lastModifiedDateTime = new Date().toISOString();
    event.changeKey = randomUUID();
  }

  delete(organizerId: string, id: string): boolean {
    if (this.get(organizerId, id) === undefined) return false;
    return this.events.delete(id);
  }

  /** Every event an organiser has (tests count them to prove a retried create made one). */
  eventsOf(organizerId: string): StoredEvent[] {
    return [...this.events.values()].filter((e) => e.organizerId === organizerId);
  }
}
