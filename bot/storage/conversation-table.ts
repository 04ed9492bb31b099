/**
 * Conversation records on Azure Tables: PK = employee id, RK = conversation id, so one person's
 * history is one partition read. These rows are the only place note text is stored (DESIGN.md §6).
 * Creating an id twice keeps one record; updates quote the ETag they read.
 */
import { type TableEntityResult, odata } from '@azure/data-tables';
import { type ConversationAction, type ConversationStatus, type EmployeeId } from '../../core/model';
import { ConflictError, type ConversationRepository, type Versioned } from '../../core/ports';
import {
  type Appeal,
  type AreaEntry,
  type ConversationRecord,
  type MeetingLink,
  type PrepNotes,
} from '../../core/records';
import { statusOf, withoutUndefined } from './entities';
import { assertFits } from './limits';
import { type TableStore } from './sharded-table';

interface ConversationEntity {
  partitionKey: string;
  rowKey: string;
  type: string;
  date: string;
  managerId: string;
  status: string;
  positionNumber: string;
  durationMinutes: number;
  /** JSON: per-area notes and outcomes (note text). */
  areas: string;
  /** JSON of the actions, or '' when the record lists none. */
  actions: string;
  objectivesMet: string;
  meeting: string;
  /** JSON: the employee's preparation (note text), or ''. */
  prep: string;
  /** JSON: other policy record fields, or ''. */
  fields: string;
  employeeComments: string;
  acknowledgedAt: string;
  /** JSON: the colleague's appeal (its grounds are note text), or ''; absent on older rows. */
  appeal?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** A record's row; refuses values over the storage limits with a message naming the field. */
export function conversationToEntity(c: ConversationRecord): ConversationEntity {
  const entity: ConversationEntity = {
    partitionKey: c.employeeId,
    rowKey: c.id,
    type: c.type,
    date: c.date,
    managerId: c.managerId,
    status: c.status,
    positionNumber: c.positionNumber,
    durationMinutes: c.durationMinutes ?? 0,
    areas: JSON.stringify(c.areas),
    actions: c.actions === undefined ? '' : JSON.stringify(c.actions),
    objectivesMet: c.objectivesMet === undefined ? '' : String(c.objectivesMet),
    meeting: c.meeting === undefined ? '' : JSON.stringify(c.meeting),
    prep: c.prep === undefined ? '' : JSON.stringify(c.prep),
    fields: c.fields === undefined ? '' : JSON.stringify(c.fields),
    employeeComments: c.employeeComments ?? '',
    acknowledgedAt: c.acknowledgedAt ?? '',
    appeal: c.appeal === undefined ? '' : JSON.stringify(c.appeal),
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
  assertFits(entity as unknown as Record<string, unknown>, `Conversation ${c.id}`);
  return entity;
}

function fromEntity(e: TableEntityResult<ConversationEntity>): Versioned<ConversationRecord> {
  const optional = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);
  return {
    etag: e.etag,
    value: withoutUndefined({
      id: e.rowKey ?? '',
      employeeId: e.partitionKey ?? '',
      type: e.type,
      date: e.date,
      managerId: e.managerId,
      status: e.status as ConversationStatus,
      positionNumber: e.positionNumber,
      durationMinutes: e.durationMinutes || undefined,
      areas: JSON.parse(e.areas || '{}') as Record<string, AreaEntry>,
      actions: e.actions ? (JSON.parse(e.actions) as ConversationAction[]) : undefined,
      objectivesMet:
        e.objectivesMet === '' || e.objectivesMet === undefined ? undefined : e.objectivesMet === 'true',
      meeting: e.meeting ? (JSON.parse(e.meeting) as MeetingLink) : undefined,
      prep: e.prep ? (JSON.parse(e.prep) as PrepNotes) : undefined,
      fields: e.fields ? (JSON.parse(e.fields) as Record<string, string | number | boolean>) : undefined,
      employeeComments: optional(e.employeeComments),
      acknowledgedAt: optional(e.acknowledgedAt),
      appeal: e.appeal ? (JSON.parse(e.appeal) as Appeal) : undefined,
      createdBy: e.createdBy,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    }),
  };
}

/** {@link ConversationRepository} on the conversations table. */
export class TableConversations implements ConversationRepository {
  constructor(private readonly table: TableStore) {}

  async get(employeeId: EmployeeId, id: string): Promise<Versioned<ConversationRecord> | undefined> {
    try {
      return fromEntity(await this.table.getEntity<ConversationEntity>(employeeId, id));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async listForEmployee(employeeId: EmployeeId): Promise<Versioned<ConversationRecord>[]> {
    const out: Versioned<ConversationRecord>[] = [];
    for await (const e of this.table.listEntities<ConversationEntity>({
      queryOptions: { filter: odata`PartitionKey eq ${employeeId}` },
    })) {
      out.push(fromEntity(e));
    }
    return out.sort((a, b) => (a.value.date < b.value.date ? -1 : a.value.date > b.value.date ? 1 : 0));
  }

  async create(
    record: ConversationRecord,
  ): Promise<Versioned<ConversationRecord> & { readonly created: boolean }> {
    try {
      const result = await this.table.createEntity(conversationToEntity(record));
      return { value: record, etag: result.etag ?? '', created: true };
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      const existing = await this.get(record.employeeId, record.id);
      if (existing === undefined) throw error;
      return { ...existing, created: false };
    }
  }

  async update(record: ConversationRecord, etag: string): Promise<Versioned<ConversationRecord>> {
    try {
      const result = await this.table.updateEntity(conversationToEntity(record), 'Replace', { etag });
      return { value: record, etag: result.etag ?? '' };
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 404) throw new ConflictError(`Conversation ${record.id}`);
      throw error;
    }
  }

  /** Writes many records (a history import), ≤ 100 per transaction within one person's partition. */
  entities(records: readonly ConversationRecord[]): ConversationEntity[] {
    return records.map(conversationToEntity);
  }
}
