/**
 * Ports: what the domain needs from the outside world, implemented in bot/ on Azure Tables,
 * Microsoft Graph and the system clock, and by fakes in tests (DESIGN.md §5 "Ports and adapters").
 */
import { type Employee, type EmployeeId, type IsoDate } from './model';
import { type ConversationRecord } from './records';

/** Reads the organisation directory (HR import merged with Graph). */
export interface DirectoryReader {
  /** One person by Entra object id, or undefined if unknown. */
  getEmployee(id: EmployeeId): Promise<Employee | undefined>;
  /** A manager's direct reports, leavers included (callers filter by status). */
  listDirectReports(managerId: EmployeeId): Promise<Employee[]>;
}

/** What a bulk directory write changed. */
export interface DirectoryWriteSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  /** People newly marked as leavers by this write. */
  readonly left: number;
}

/** Reads and writes the whole directory: the HR import and the Graph directory sync use it. */
export interface DirectoryStore extends DirectoryReader {
  /** Every person, in no particular order (an admin job's scan, never a request path). */
  listAll(): AsyncIterable<Employee>;
  /**
   * Writes people as given, skipping those unchanged, keeping the reports-to index and the
   * status index in step (a changed manager moves the person between managers' partitions).
   */
  upsertMany(
    employees: readonly Employee[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<DirectoryWriteSummary>;
}

/** A stored record with the version (ETag) a later update must quote. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/** Conversation records (note text included; DESIGN.md §6 keeps it only here). */
export interface ConversationRepository {
  get(employeeId: EmployeeId, id: string): Promise<Versioned<ConversationRecord> | undefined>;
  /** One person's records, oldest first: one partition read. */
  listForEmployee(employeeId: EmployeeId): Promise<Versioned<ConversationRecord>[]>;
  /**
   * Creates the record; creating the same id again returns the stored one with `created: false`
   * (a retried submit stores one record).
   */
  create(record: ConversationRecord): Promise<Versioned<ConversationRecord> & { readonly created: boolean }>;
  /** Replaces the record if it is still at `etag`; otherwise throws {@link ConflictError}. */
  update(record: ConversationRecord, etag: string): Promise<Versioned<ConversationRecord>>;
}

/** A write refused because the record changed since it was read (a stale ETag). */
export class ConflictError extends Error {
  constructor(what: string) {
    super(`${what} was changed by someone else since it was read; reload it and try again.`);
    this.name = 'ConflictError';
  }
}

/** A value too large for the store (Azure Tables: 64 KiB per string property, 1 MiB per entity). */
export class TooLargeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'TooLargeError';
  }
}

/** Today's date in Europe/London and the current instant; injected so rules and tests agree on "now". */
export interface Clock {
  now(): Date;
  today(): IsoDate;
}
