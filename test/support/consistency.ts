/**
 * The fault suite's yardstick (test/faults*.test.ts): after any fault, what is stored must equal
 * a fresh evaluation of the stored records. It reads the directory and every person's
 * conversations, evaluates them with the policy engine (core/) at the given day, and compares the
 * result with what the service keeps derived from them — the status index (one row per person,
 * filed under their manager, not dirty, facts and status as evaluated), the roll-ups (every node's
 * and child's figures for the eight quarters) and the exceptions index — and, for the records a
 * test names, that each exists once with exactly one `conversation.created` audit entry. It
 * returns every difference as a line, so a failing test says what is out of step.
 */
import { evaluateOrganisation } from '../../core/compliance/organisation';
import {
  ROLLUP_FIGURES,
  type RollupFigures,
  emptyFigures,
  evaluateFromFacts,
  quarterAsOf,
  rollupQuarters,
  statusFacts,
  toRollupFigures,
} from '../../core/compliance/status-facts';
import { type ConversationFacts, type Employee, type EmployeeId, type IsoDate } from '../../core/model';
import { type RollUpNode, groupFigures, rollUp } from '../../core/org/rollup';
import { type Policy } from '../../core/policy/schema';
import { type ConversationRecord } from '../../core/records';
import { AuditTable } from '../../bot/storage/audit-table';
import { TableConversations } from '../../bot/storage/conversation-table';
import { TableDirectory } from '../../bot/storage/employee-table';
import {
  APPEALS_PARTITION,
  exceptionPartition,
  exceptionRowsFor,
  serviceOf,
} from '../../bot/storage/exception-table';
import { ROOT_PARTITION, SELF, quarterKey, teamPartition } from '../../bot/storage/keys';
import { type Tables } from '../../bot/storage/tables';
import { type TeamRow, TeamTable, summarise } from '../../bot/storage/team-table';

/** What to check beyond the derived tables. */
export interface ConsistencyOptions {
  readonly policy: Policy;
  /** The day the service evaluates at (its clock's today). */
  readonly today: IsoDate;
  /** Records that must exist exactly once, each (unless `audited: false`) with one `conversation.created` audit entry. */
  readonly records?: readonly {
    readonly employeeId: EmployeeId;
    readonly id: string;
    readonly audited?: boolean;
  }[];
}

/** What the check found: `problems` is empty when everything agrees. */
export interface ConsistencyReport {
  readonly problems: string[];
  readonly people: number;
  readonly conversations: number;
  readonly rollupRows: number;
}

const figureText = (f: RollupFigures): string => ROLLUP_FIGURES.map((k) => `${k}=${f[k]}`).join(' ');

/** Compares the derived tables with a fresh evaluation of the stored records. */
export async function checkConsistency(
  tables: Tables,
  options: ConsistencyOptions,
): Promise<ConsistencyReport> {
  const { policy, today } = options;
  const problems: string[] = [];
  const directory = new TableDirectory(tables);
  const conversations = new TableConversations(tables.conversations);
  const employees: Employee[] = [];
  for await (const e of directory.listAll()) employees.push(e);
  const byId = new Map(employees.map((e) => [e.id, e]));
  const recordsOf = new Map<EmployeeId, ConversationRecord[]>();
  await Promise.all(
    employees.map(async (e) => {
      recordsOf.set(
        e.id,
        (await conversations.listForEmployee(e.id)).map((r) => r.value),
      );
    }),
  );
  const all: ConversationFacts[] = [...recordsOf.values()].flat();

  // The status index: each person once, under their manager, evaluated from their own records.
  const filed = new Map<EmployeeId, TeamRow[]>();
  for await (const row of new TeamTable(tables.team).all()) {
    filed.set(row.employee.id, [...(filed.get(row.employee.id) ?? []), row]);
    if (!byId.has(row.employee.id))
      problems.push(`status row for ${row.employee.id}, who is not in the directory`);
  }
  const expectedRows = new Map<EmployeeId, TeamRow>();
  for (const e of employees) {
    const rows = filed.get(e.id) ?? [];
    const facts = statusFacts(recordsOf.get(e.id) ?? [], today);
    const evaluation = summarise(evaluateFromFacts(policy, e, facts, today));
    const path = pathOf(byId, e);
    expectedRows.set(e.id, { employee: e, path, facts, evaluation, evaluatedAt: today, dirty: false });
    if (rows.length !== 1) {
      problems.push(`${e.id} has ${rows.length} status rows`);
      continue;
    }
    const row = rows[0]!;
    if (row.partition !== teamPartition(e.managerId))
      problems.push(`${e.id} is filed under ${row.partition}, not ${teamPartition(e.managerId)}`);
    if (row.dirty) problems.push(`${e.id}'s status row is still dirty`);
    if (JSON.stringify(row.facts) !== JSON.stringify(facts))
      problems.push(`${e.id}'s facts ${JSON.stringify(row.facts)} are not ${JSON.stringify(facts)}`);
    if (JSON.stringify(sorted(row.evaluation)) !== JSON.stringify(sorted(evaluation)))
      problems.push(
        `${e.id}'s status ${JSON.stringify(sorted(row.evaluation))} is not ${JSON.stringify(sorted(evaluation))}`,
      );
    if (JSON.stringify(row.path) !== JSON.stringify(path))
      problems.push(`${e.id}'s path ${row.path.join('/')} is not ${path.join('/')}`);
  }

  // The roll-ups: every quarter evaluated as the engine evaluates a whole organisation.
  const expected = new Map<string, RollupFigures>();
  const quarters = rollupQuarters(today);
  for (const q of quarters) {
    const org = evaluateOrganisation(policy, employees, all, quarterAsOf(q, today), { actions: false });
    const key = (node: string, subject: string) =>
      `${node}|${quarterKey(q)}|${subject === node ? SELF : subject}`;
    expected.set(key(ROOT_PARTITION, ROOT_PARTITION), toRollupFigures(groupFigures(org, undefined, q)));
    const visit = (node: RollUpNode) => {
      if (node.children.length === 0) return;
      expected.set(key(node.employeeId, node.employeeId), toRollupFigures(node.figures));
      for (const child of node.children) {
        if (child.children.length > 0)
          expected.set(key(node.employeeId, child.employeeId), toRollupFigures(child.figures));
        visit(child);
      }
    };
    for (const root of rollUp(org, { quarter: q })) {
      if (root.children.length > 0)
        expected.set(key(ROOT_PARTITION, root.employeeId), toRollupFigures(root.figures));
      visit(root);
    }
  }
  const stored = new Map<string, RollupFigures>();
  for await (const e of tables.rollups.listEntities<Record<string, unknown>>()) {
    const figures = emptyFigures();
    for (const k of ROLLUP_FIGURES) figures[k] = Number(e[k] ?? 0);
    stored.set(`${e.partitionKey}|${e.rowKey}`, figures);
  }
  const zero = figureText(emptyFigures());
  for (const key of new Set([...expected.keys(), ...stored.keys()])) {
    const want = figureText(expected.get(key) ?? emptyFigures());
    const have = figureText(stored.get(key) ?? emptyFigures());
    if (want !== have)
      problems.push(`roll-up ${key}: stored ${have === zero ? 'nothing' : have}, evaluated ${want}`);
  }

  // The exceptions index: exactly the rows the evaluated statuses stand for.
  const wantExceptions = new Map<string, string>();
  for (const row of expectedRows.values()) {
    const managerName =
      row.employee.managerId === undefined ? '' : (byId.get(row.employee.managerId)?.name ?? '');
    for (const x of exceptionRowsFor(row, managerName)) {
      wantExceptions.set(
        `${exceptionPartition(x.kind, serviceOf(x.path, x.employeeId))}/${x.employeeId}`,
        JSON.stringify([x.status, x.daysOverdue, x.lastHeld ?? '', x.managerName, JSON.stringify(x.path)]),
      );
    }
  }
  const haveExceptions = new Map<string, string>();
  for await (const e of tables.exceptions.listEntities<Record<string, unknown>>()) {
    if (e.partitionKey === APPEALS_PARTITION) continue;
    haveExceptions.set(
      `${e.partitionKey}/${e.rowKey}`,
      JSON.stringify([e.status, Number(e.daysOverdue ?? 0), e.lastHeld ?? '', e.managerName, e.path]),
    );
  }
  for (const key of new Set([...wantExceptions.keys(), ...haveExceptions.keys()])) {
    if (wantExceptions.get(key) !== haveExceptions.get(key))
      problems.push(
        `exception ${key}: stored ${haveExceptions.get(key) ?? 'nothing'}, evaluated ${wantExceptions.get(key) ?? 'nothing'}`,
      );
  }

  // The records a test names: each once, each audited once as created.
  const audit = new AuditTable(tables.audit);
  for (const { employeeId, id, audited = true } of options.records ?? []) {
    const found = (recordsOf.get(employeeId) ?? []).filter((r) => r.id === id);
    if (found.length !== 1) problems.push(`record ${employeeId}/${id} stored ${found.length} times`);
    if (!audited) continue;
    const created = (await audit.forSubject(employeeId, 1_000)).filter(
      (a) => a.recordId === id && a.action === 'conversation.created',
    );
    if (created.length !== 1)
      problems.push(`record ${employeeId}/${id} has ${created.length} "created" audit entries`);
  }
  return { problems, people: employees.length, conversations: all.length, rollupRows: stored.size };
}

/** A person's ancestors, the top first, from the directory. */
function pathOf(byId: ReadonlyMap<EmployeeId, Employee>, employee: Employee): EmployeeId[] {
  const path: EmployeeId[] = [];
  const seen = new Set([employee.id]);
  for (let m = employee.managerId; m !== undefined && !seen.has(m); m = byId.get(m)?.managerId) {
    if (!byId.has(m)) break;
    path.unshift(m);
    seen.add(m);
  }
  return path;
}

/** An object with its keys sorted, so two summaries compare by content. */
function sorted(value: object | undefined): unknown {
  if (value === undefined) return undefined;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}
