/**
 * Booked meetings awaiting a "log it" prompt (DESIGN.md §4 Log): PK = `<London date the meeting
 * ends>|<employee hash bucket>` (no date-only partition keys, DESIGN.md §5: a day's bookings spread
 * over 256 partitions), RK = `<end ISO>|<conversation id>`. The sweep asks for one key range — the
 * last few days' partitions — and finds the meetings that have ended by row key. Rows hold ids and
 * an instant, never text.
 */
import { type TableClient, odata } from '@azure/data-tables';
import { formatIsoDate, parseIsoDate } from '../../core/dates/day';
import { londonDate } from '../clock';
import { type MeetingTracker } from '../teams/deps';
import { statusOf } from './entities';
import { employeeBucket } from './keys';

/** One booked meeting as the index keeps it. */
export interface TrackedMeeting {
  readonly employeeId: string;
  readonly managerId: string;
  readonly conversationId: string;
  /** ISO instant the meeting ends (normalised to `toISOString()`). */
  readonly end: string;
}

interface MeetingEntity {
  partitionKey: string;
  rowKey: string;
  employeeId: string;
  managerId: string;
  conversationId: string;
  end: string;
}

/** Rows per page asked of the table (the service's maximum). */
const PAGE_SIZE = 1000;

/** {@link MeetingTracker} on the meetings table, with the sweep's reads and deletes. */
export class MeetingTable implements MeetingTracker {
  constructor(private readonly table: TableClient) {}

  /** Remembers a booked meeting; tracking the same meeting again writes the same row. */
  async track(meeting: TrackedMeeting): Promise<void> {
    const end = new Date(meeting.end);
    if (Number.isNaN(end.getTime())) throw new RangeError(`Meeting end is not an instant: ${meeting.end}`);
    const entity: MeetingEntity = {
      ...meetingKeys(meeting, end),
      employeeId: meeting.employeeId,
      managerId: meeting.managerId,
      conversationId: meeting.conversationId,
      end: end.toISOString(),
    };
    await this.table.upsertEntity(entity, 'Replace');
  }

  /**
   * Meetings that ended at or before `now`, from the partitions of the last `lookBackDays` London
   * dates up to today, in key order. Follows continuation tokens page by page (a page may be empty).
   */
  async *due(now: Date, lookBackDays: number): AsyncIterable<TrackedMeeting> {
    const today = londonDate(now);
    const from = formatIsoDate(parseIsoDate(today) - Math.max(0, Math.floor(lookBackDays)));
    // Row keys start with the fixed-width end instant, so "RowKey < (now + 1 ms)" is "end ≤ now".
    const before = new Date(now.getTime() + 1).toISOString();
    const pages = this.table
      .listEntities<Partial<MeetingEntity>>({
        queryOptions: {
          filter: odata`PartitionKey ge ${`${from}|`} and PartitionKey lt ${`${today}|~`} and RowKey lt ${before}`,
        },
      })
      .byPage({ maxPageSize: PAGE_SIZE });
    for await (const page of pages) {
      for (const entity of page) {
        const meeting = fromEntity(entity);
        if (meeting !== undefined && Date.parse(meeting.end) <= now.getTime()) yield meeting;
      }
    }
  }

  /** Forgets a meeting (prompted, or no longer waiting); a row already gone is not an error. */
  async remove(meeting: TrackedMeeting): Promise<void> {
    const { partitionKey, rowKey } = meetingKeys(meeting, new Date(meeting.end));
    try {
      await this.table.deleteEntity(partitionKey, rowKey);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}

/** A meeting's keys: the London date it ends and the employee's bucket; its end instant then conversation id. */
function meetingKeys(
  meeting: Pick<TrackedMeeting, 'employeeId' | 'conversationId'>,
  end: Date,
): { partitionKey: string; rowKey: string } {
  return {
    partitionKey: `${londonDate(end)}|${employeeBucket(meeting.employeeId)}`,
    rowKey: `${end.toISOString()}|${meeting.conversationId}`,
  };
}

/** A row as a meeting; undefined for a row missing a field (never written by {@link MeetingTable.track}). */
function fromEntity(e: Partial<MeetingEntity>): TrackedMeeting | undefined {
  const { employeeId, managerId, conversationId, end } = e;
  if (!employeeId || !managerId || !conversationId || !end || Number.isNaN(Date.parse(end))) return undefined;
  return { employeeId, managerId, conversationId, end };
}
