/**
 * Records: writing a conversation and keeping every figure current in the same request
 * (DESIGN.md §5). The order makes a crash harmless: (1) the person's status row is flagged dirty,
 * (2) the record is written (idempotent by id, or ETag-checked), (3) their facts are recomputed from
 * their own partition and the status row written (ETag-checked, dirty cleared), (4) roll-up deltas
 * are applied along their management path, after the person's rows in the exceptions index (the
 * organisation view's overdue / none-in-12-months lists) are set from the new status. A crash after
 * (1) or (2) leaves a dirty row; after (3), roll-ups and exceptions the refresh job rebuilds.
 * Nothing is lost: the record itself is the source of truth.
 */
import {
  FACTS_HISTORY_MONTHS,
  contributions,
  evaluateFromFacts,
  figuresDelta,
  rollupQuarters,
  statusFacts,
} from '../../core/compliance/status-facts';
import { type Employee, type EmployeeId } from '../../core/model';
import { type Clock, ConflictError, type Versioned } from '../../core/ports';
import { type Policy } from '../../core/policy/schema';
import { type ConversationRecord } from '../../core/records';
import { type Logger } from '../log';
import { AuditTable } from '../storage/audit-table';
import { TableConversations } from '../storage/conversation-table';
import { TableDirectory } from '../storage/employee-table';
import { ExceptionTable, exceptionRowsFor } from '../storage/exception-table';
import { ROOT_PARTITION } from '../storage/keys';
import { type RollupDelta, RollupTable } from '../storage/rollup-table';
import { type Tables } from '../storage/tables';
import { type TeamRow, TeamTable, summarise } from '../storage/team-table';

/** A conversation for someone the directory does not know. */
export class UnknownEmployeeError extends Error {
  constructor(readonly employeeId: EmployeeId) {
    super(`No employee ${employeeId} in the directory.`);
    this.name = 'UnknownEmployeeError';
  }
}

/** What saving a conversation did. */
export interface SaveResult {
  readonly record: Versioned<ConversationRecord>;
  /** False when the id already existed (a retried submit): nothing was changed. */
  readonly created: boolean;
}

/** The records of the organisation and the figures kept from them. */
export class Records {
  readonly directory: TableDirectory;
  readonly conversations: TableConversations;
  readonly team: TeamTable;
  readonly rollups: RollupTable;
  readonly audit: AuditTable;
  readonly exceptions: ExceptionTable;

  constructor(
    tables: Tables,
    readonly policy: Policy,
    readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.directory = new TableDirectory(tables);
    this.conversations = new TableConversations(tables.conversations);
    this.team = new TeamTable(tables.team);
    this.rollups = new RollupTable(tables.rollups);
    this.audit = new AuditTable(tables.audit);
    this.exceptions = new ExceptionTable(tables.exceptions);
  }

  /**
   * Creates a conversation (or, with `etag`, updates it; a stale ETag throws ConflictError) and
   * brings the person's status and the roll-ups above them up to date.
   */
  async saveConversation(
    record: ConversationRecord,
    options: {
      readonly actorId: EmployeeId;
      readonly etag?: string;
      /** What the audit log calls an update (default `conversation.updated`). */
      readonly auditAction?: 'conversation.updated' | 'conversation.acknowledged';
    },
  ): Promise<SaveResult> {
    const employee = await this.directory.getEmployee(record.employeeId);
    if (employee === undefined) throw new UnknownEmployeeError(record.employeeId);
    await this.team.markDirty(employee.managerId, employee.id);
    let result: SaveResult;
    if (options.etag === undefined) {
      const created = await this.conversations.create(record);
      result = { record: created, created: created.created };
    } else {
      result = { record: await this.conversations.update(record, options.etag), created: false };
    }
    if (result.created || options.etag !== undefined) {
      await this.audit.append({
        subjectId: record.employeeId,
        actorId: options.actorId,
        action: result.created ? 'conversation.created' : (options.auditAction ?? 'conversation.updated'),
        recordId: record.id,
      });
    } else {
      // A create that found the record stored: a retry of a save whose turn may have died before
      // the audit entry.
      await this.auditCreatedIfMissing(record, options.actorId);
    }
    // The colleague acknowledging an old record does not re-apply what it agreed.
    const agreed =
      options.auditAction === 'conversation.acknowledged'
        ? employee
        : await this.keepAgreedSupervision(employee, record);
    await this.refreshPerson(agreed);
    return result;
  }

  /**
   * Finishes a save whose turn may have died after the record was written (the same submit again
   * finds it stored): writes its `conversation.created` audit entry if it has none, and brings the
   * person's figures up to date. Both are no-ops when the first attempt finished.
   */
  async finishSaved(employee: Employee, record: ConversationRecord): Promise<void> {
    await this.auditCreatedIfMissing(record, record.createdBy ?? record.managerId);
    await this.refreshPerson(employee);
  }

  private async auditCreatedIfMissing(record: ConversationRecord, actorId: EmployeeId): Promise<void> {
    if (await this.audit.has(record.employeeId, record.id, 'conversation.created')) return;
    await this.audit.append({
      subjectId: record.employeeId,
      actorId,
      action: 'conversation.created',
      recordId: record.id,
    });
  }

  /**
   * A supervision frequency agreed in a held meeting (the NHS induction meeting, CC §1.0 "agree
   * frequency of supervision meetings", or a later supervision) is stored on the employee, where
   * it drives their supervision due dates. Returns the person as now stored.
   */
  private async keepAgreedSupervision(employee: Employee, record: ConversationRecord): Promise<Employee> {
    const weeks = record.fields?.supervisionFrequencyWeeks;
    if (this.policy.supervision === undefined || record.status !== 'completed' || typeof weeks !== 'number')
      return employee;
    if (!Number.isInteger(weeks) || weeks <= 0) return employee;
    if (employee.supervisionFrequencyWeeks === weeks && employee.supervisionFrequencySource === 'record')
      return employee;
    const updated: Employee = {
      ...employee,
      supervisionFrequencyWeeks: weeks,
      supervisionFrequencySource: 'record',
    };
    await this.directory.updateOwnFacts(updated);
    return updated;
  }

  /**
   * Recomputes one person's facts and status from their conversations (one partition read), sets
   * their rows in the exceptions index (point writes), and moves the roll-ups above them by the
   * difference. Safe to repeat: a second run finds no difference. Used after every write and by
   * the refresh job for dirty rows.
   */
  async refreshPerson(employee: Employee): Promise<void> {
    // Whether they manage anyone (their own roll-up row moves too) is read alongside the rest.
    const isNode = this.team.team(employee.id).then((team) => team.length > 0);
    isNode.catch(() => undefined); // awaited below; a failure surfaces there
    for (let attempt = 0; ; attempt++) {
      const [row, records] = await Promise.all([
        this.team.get(employee.managerId, employee.id),
        this.conversations.listForEmployee(employee.id),
      ]);
      const today = this.clock.today();
      const facts = statusFacts(
        records.map((r) => r.value),
        today,
      );
      const evaluation = summarise(evaluateFromFacts(this.policy, employee, facts, today));
      const path = row?.path ?? (await this.pathOf(employee));
      const updated = { employee, path, facts, evaluation, evaluatedAt: today, dirty: false };
      try {
        await this.team.put(updated, row?.etag, row); // over the pages just read
      } catch (error) {
        if (error instanceof ConflictError && attempt < 5) continue;
        throw error;
      }
      // The exceptions index and the roll-ups follow the row just written, independently of each other.
      const listed = this.managerName(updated).then((name) =>
        this.exceptions.setPerson(employee.id, path, exceptionRowsFor(updated, name)),
      );
      listed.catch(() => undefined); // awaited below
      const quarters = rollupQuarters(today);
      // What the roll-ups hold for the person is their row as it was (its facts and its person, whose
      // pay-step decisions count as deferrals, CC §8), so a decision alone moves the figures too.
      const before = contributions(
        this.policy,
        row?.employee ?? employee,
        row?.facts ?? { held: [] },
        quarters,
        today,
      );
      const after = contributions(this.policy, employee, facts, quarters, today);
      const deltas: RollupDelta[] = [];
      const node = await isNode;
      quarters.forEach((quarter, k) => {
        const delta = figuresDelta(before[k]!, after[k]!);
        if (delta === undefined) return;
        for (const { nodeId, subjectId } of rollupTargets(path, employee.id, node)) {
          deltas.push({ nodeId, subjectId, quarter, delta });
        }
      });
      await Promise.all([listed, deltas.length > 0 ? this.rollups.apply(deltas) : undefined]);
      this.log.debug('person refreshed', {
        employeeId: employee.id,
        deltas: deltas.length,
        historyMonths: FACTS_HISTORY_MONTHS,
      });
      return;
    }
  }

  /** The manager's name for an exception row; read only when the person is on a list. */
  private async managerName(row: TeamRow): Promise<string> {
    const managerId = row.employee.managerId;
    if (managerId === undefined || exceptionRowsFor(row, '').length === 0) return '';
    return (await this.directory.getEmployee(managerId))?.name ?? '';
  }

  /** A person's ancestors, root first, walking the directory (used when they have no team row yet). */
  private async pathOf(employee: Employee): Promise<EmployeeId[]> {
    const path: EmployeeId[] = [];
    const seen = new Set([employee.id]);
    let managerId = employee.managerId;
    while (managerId !== undefined && !seen.has(managerId)) {
      const manager = await this.directory.getEmployee(managerId);
      if (manager === undefined) break;
      path.unshift(managerId);
      seen.add(managerId);
      managerId = manager.managerId;
    }
    return path;
  }
}

/**
 * The roll-up rows a person's figures count in: every ancestor's own row, each ancestor's row for
 * the child on the way down, the organisation row (`~root`), and — for a manager — their own.
 */
export function rollupTargets(
  path: readonly EmployeeId[],
  employeeId: EmployeeId,
  isNode: boolean,
): { nodeId: EmployeeId; subjectId: EmployeeId }[] {
  const chain = isNode ? [...path, employeeId] : [...path];
  const targets: { nodeId: EmployeeId; subjectId: EmployeeId }[] = [
    { nodeId: ROOT_PARTITION, subjectId: ROOT_PARTITION },
  ];
  if (chain.length > 0) targets.push({ nodeId: ROOT_PARTITION, subjectId: chain[0]! });
  chain.forEach((nodeId, i) => {
    targets.push({ nodeId, subjectId: nodeId });
    const child = chain[i + 1];
    if (child !== undefined) targets.push({ nodeId, subjectId: child });
  });
  return targets;
}
