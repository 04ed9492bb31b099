/**
 * Ports: what the domain needs from the outside world, implemented in bot/ on Azure Tables,
 * Microsoft Graph and the system clock, and by fakes in tests (DESIGN.md §5 "Ports and adapters").
 */
import { type RollupFigures, type StatusFacts } from './compliance/status-facts';
import { type EmployeeEvaluation } from './compliance/types';
import { type FinancialQuarter } from './dates/quarters';
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
  /**
   * People whose rows an earlier, interrupted write had left inconsistent (in one table and not
   * the other, or filed under a former manager), put right by this write.
   */
  readonly repaired?: number | undefined;
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
    /** Everyone in the directory as the caller has just read it with `listAll`, to save a second read. */
    current?: ReadonlyMap<EmployeeId, Employee>,
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

/** A person's status as the status index keeps it: figures and dates only. */
export type StatusSummary = Pick<
  EmployeeEvaluation,
  | 'status'
  | 'held12m'
  | 'expected12m'
  | 'compliant'
  | 'lastHeld'
  | 'nextDue'
  | 'daysOverdue'
  | 'openActions'
  | 'overdueActions'
>;

/** One row of the status index: a direct report with the facts and status the rules derived. */
export interface TeamRow {
  readonly employee: Employee;
  /** Ancestors' ids, the root first, not including the person. */
  readonly path: readonly EmployeeId[];
  readonly facts: StatusFacts;
  /** Undefined until the person is first evaluated. */
  readonly evaluation?: StatusSummary | undefined;
  readonly evaluatedAt?: IsoDate | undefined;
  /** True while a conversation write has not reached the facts (the refresh job repairs it). */
  readonly dirty: boolean;
  readonly etag?: string | undefined;
  /** Where the row was read from (a row left under a former manager shows here). */
  readonly partition?: string | undefined;
}

/** The status index that serves "my team" (DESIGN.md §5): one partition per manager. */
export interface StatusIndex {
  /** A manager's direct reports with their status: one partition read. */
  team(managerId: EmployeeId | undefined): Promise<TeamRow[]>;
  get(managerId: EmployeeId | undefined, employeeId: EmployeeId): Promise<TeamRow | undefined>;
  /** Writes a row, only if still at `etag` when given (else {@link ConflictError}); resolves to the new ETag. */
  put(row: TeamRow, etag?: string): Promise<string>;
  markDirty(managerId: EmployeeId | undefined, employeeId: EmployeeId): Promise<void>;
}

/** One roll-up row: whose subtree, which quarter, the figures. */
export interface RollupRow {
  readonly nodeId: EmployeeId;
  /** The subtree's root: `nodeId` itself for the node's own row, else a child manager. */
  readonly subjectId: EmployeeId;
  readonly quarterKey: string;
  readonly quarter: string;
  readonly figures: RollupFigures;
}

/** A change to add to one roll-up row. */
export interface RollupDelta {
  readonly nodeId: EmployeeId;
  readonly subjectId: EmployeeId;
  readonly quarter: FinancialQuarter;
  readonly delta: RollupFigures;
}

/** The roll-ups that serve the organisation view (DESIGN.md §5). */
export interface RollupStore {
  /** A node's rows (its own and its child managers'), optionally for a range of quarters. */
  node(nodeId: EmployeeId, from?: FinancialQuarter, to?: FinancialQuarter): Promise<RollupRow[]>;
  /** Adds deltas without losing a concurrent writer's. */
  apply(deltas: readonly RollupDelta[]): Promise<void>;
}

/** One nudge's identity (DESIGN.md §4: never sent twice for the same due date and stage). */
export interface LedgerKey {
  readonly employeeId: EmployeeId;
  readonly item: string;
  readonly dueDate: string;
  readonly stage: string;
}

/** The nudge ledger. */
export interface NudgeLedger {
  /** Claims a key; resolves false when it was already claimed (the nudge must not be sent again). */
  claim(key: LedgerKey, at?: Date): Promise<boolean>;
  markSent(key: LedgerKey, at?: Date): Promise<void>;
  keysFor(employeeId: EmployeeId): Promise<string[]>;
}

/** What an audit entry records. */
export type AuditAction =
  | 'conversation.created'
  | 'conversation.updated'
  | 'conversation.acknowledged'
  | 'notes.read'
  | 'directory.imported'
  | 'status.repaired'
  /** The nudge sweep told OD or the manager chain about a person's continual gap. */
  | 'nudge.escalated'
  /** A line manager held the reminders about a report's due date until a chosen date. */
  | 'nudge.snoozed'
  /** A line manager recorded a pay-step decision or completed a deferral's support plan (CC §5.8). */
  | 'paystep.decided'
  /** A colleague appealed against a career conversation; the appeal manager acknowledged or decided it (CC §5.10). */
  | 'appeal.received'
  | 'appeal.acknowledged'
  | 'appeal.decided'
  /** A colleague asked their line manager for a supervision/1:1 (CC §4.1). */
  | 'supervision.requested';

/** One audit entry: who did what to whose record, when and (for exceptional reads) why. Never note text. */
export interface AuditEntry {
  readonly subjectId: EmployeeId;
  /** An Entra object id, or `system:<job>`. */
  readonly actorId: string;
  readonly action: AuditAction;
  readonly recordId?: string | undefined;
  readonly reason?: string | undefined;
  readonly at: string;
}

/** The append-only audit log (DESIGN.md §6). */
export interface AuditLog {
  append(entry: Omit<AuditEntry, 'at'>, at?: Date): Promise<AuditEntry>;
  /** The newest entries about one person. */
  forSubject(subjectId: EmployeeId, limit?: number): Promise<AuditEntry[]>;
}
