/**
 * The directory on Azure Tables, behind the {@link DirectoryStore} port: people in the employees
 * table (PK = hash bucket, RK = id), and their reports-to/status rows in the team table.
 */
import { type Employee, type EmployeeId } from '../../core/model';
import { type DirectoryStore, type DirectoryWriteSummary } from '../../core/ports';
import { statusOf, writeBatches } from './entities';
import { ROOT_PARTITION, employeeBucket, teamPartition } from './keys';
import { type PersonColumns, personColumns, personFromColumns, samePerson } from './person-entity';
import { TeamTable } from './team-table';
import { type Tables } from './tables';
import { type TableStore } from './sharded-table';

/** An employees-table row: a person's columns as one JSON property. */
interface EmployeeEntity {
  partitionKey: string;
  rowKey: string;
  person: string;
}

/**
 * The employees-table row of a person: their columns packed into one JSON property. Each property
 * costs the SDK and Azurite time on every write and read; one instead of ten made a first HR
 * import's directory writes about a fifth cheaper (README "Storage").
 */
export function employeeToEntity(e: Employee): EmployeeEntity {
  return { partitionKey: employeeBucket(e.id), rowKey: e.id, person: JSON.stringify(personColumns(e)) };
}

/** A person from their employees-table row; a row written before the columns were packed reads too. */
function employeeFromEntity(id: string, row: Partial<EmployeeEntity> & Partial<PersonColumns>): Employee {
  return personFromColumns(id, row.person ? (JSON.parse(row.person) as Partial<PersonColumns>) : row);
}

/**
 * Each person's ancestors, root first (the cascade from the Chief Executive, PC §2.3). A manager id
 * that is not in the directory ends the chain; a cycle is cut where it repeats.
 */
export function ancestorPaths(people: ReadonlyMap<EmployeeId, Employee>): Map<EmployeeId, EmployeeId[]> {
  const paths = new Map<EmployeeId, EmployeeId[]>();
  const pathOf = (id: EmployeeId, seen: Set<EmployeeId>): EmployeeId[] => {
    const known = paths.get(id);
    if (known) return known;
    const managerId = people.get(id)?.managerId;
    let path: EmployeeId[] = [];
    if (managerId !== undefined && people.has(managerId) && !seen.has(managerId)) {
      seen.add(id);
      path = [...pathOf(managerId, seen), managerId];
    }
    paths.set(id, path);
    return path;
  };
  for (const id of people.keys()) pathOf(id, new Set());
  return paths;
}

/** The directory read from and written to Azure Tables. */
export class TableDirectory implements DirectoryStore {
  private readonly employees: TableStore;
  private readonly team: TeamTable;

  constructor(tables: Pick<Tables, 'employees' | 'team'>) {
    this.employees = tables.employees;
    this.team = new TeamTable(tables.team);
  }

  async getEmployee(id: EmployeeId): Promise<Employee | undefined> {
    try {
      const row = await this.employees.getEntity<EmployeeEntity>(employeeBucket(id), id);
      return employeeFromEntity(id, row);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Writes one person's own facts (an agreed supervision frequency, a pay-step decision) where
   * their manager and place in the tree stay as they are: one point write to the employees table.
   * Their team row takes the same columns when their status is refreshed next, which the caller
   * does at once ({@link Records.refreshPerson}). A change of manager goes through {@link upsertMany}.
   */
  async updateOwnFacts(updated: Employee): Promise<void> {
    const stored = await this.getEmployee(updated.id);
    if (stored === undefined) throw new RangeError(`no employee ${updated.id} in the directory`);
    if ((stored.managerId ?? '') !== (updated.managerId ?? ''))
      throw new RangeError('updateOwnFacts cannot move a person to another manager');
    await this.employees.upsertEntity(employeeToEntity(updated), 'Replace');
  }

  async listDirectReports(managerId: EmployeeId): Promise<Employee[]> {
    return (await this.team.team(managerId)).map((row) => row.employee);
  }

  async *listAll(): AsyncIterable<Employee> {
    for await (const row of this.employees.listEntities<EmployeeEntity>()) {
      yield employeeFromEntity(row.rowKey ?? '', row);
    }
  }

  /**
   * Writes people (the HR import, the Graph sync) and brings the team table into line with the
   * employees table for everyone — not only the people given. The two tables are compared as they
   * are, so a write interrupted between them (a crash, storage gone) is finished by the next run
   * of any import or of the refresh: a person in one table and not the other, filed under a former
   * manager, or with a stale copy of their columns is written again (DESIGN.md §5 "a crash is
   * harmless"). `repaired` counts the people this write did not change whose rows were wrong.
   */
  async upsertMany(
    incoming: readonly Employee[],
    onProgress?: (done: number, total: number) => void,
    current?: ReadonlyMap<EmployeeId, Employee>,
  ): Promise<DirectoryWriteSummary> {
    const [before, filed] = await Promise.all([
      current === undefined ? this.byId() : new Map(current),
      this.filedRows(),
    ]);
    const after = new Map(before);
    const given = new Map(incoming.map((x) => [x.id, x]));
    for (const e of given.values()) after.set(e.id, e);

    let added = 0;
    let updated = 0;
    let left = 0;
    const same: EmployeeId[] = [];
    const changed: Employee[] = [];
    for (const e of given.values()) {
      const old = before.get(e.id);
      if (old === undefined) added++;
      else if (samePerson(old, e)) {
        same.push(e.id);
        continue;
      } else updated++;
      if (e.leaveDate !== undefined && old?.leaveDate === undefined) left++;
      changed.push(e);
    }
    // Team rows whose employees row is gone (a crash between the two writes) are restored from
    // the row, which holds the person as the interrupted write meant them.
    let restored = 0;
    for (const [id, rows] of filed) {
      const kept = rows.find((r) => r.employee.startDate !== '');
      if (after.has(id) || kept === undefined) continue;
      after.set(id, kept.employee);
      changed.push(kept.employee);
      restored++;
    }
    const plan = teamPlan(after, filed);
    // Everyone whose rows were wrong before this write, other than the people it adds or changes.
    const written = new Set(changed.map((e) => e.id));
    const repaired = [...plan.inconsistent].filter((id) => !written.has(id)).length + restored;
    const unchanged = same.filter((id) => !plan.inconsistent.has(id)).length;

    const total = changed.length + plan.merge.length + plan.moves.length + plan.stale.length;
    let done = 0;
    const progress = (n: number) => {
      done += n;
      onProgress?.(done, total);
    };
    // The two tables are independent until a move: write them at the same time.
    await Promise.all([
      writeBatches(this.employees, changed.map(employeeToEntity), 'Replace', progress),
      this.team.mergeDirectory(plan.merge, progress, {
        isNewTeam: (partition) => !plan.teams.has(partition),
      }),
    ]);
    // A new manager: the row moves partition, keeping its facts and status, then the old row goes.
    for (const { employee, path, from } of plan.moves) {
      const old = await this.team.get(managerOfPartition(from.partition), employee.id);
      await this.team.put({
        employee,
        path,
        facts: old?.facts ?? { held: [] },
        evaluation: old?.evaluation,
        evaluatedAt: old?.evaluatedAt,
        dirty: old?.dirty ?? false,
      });
      await this.team.removeFrom(from.partition, employee.id);
      progress(1);
    }
    for (const row of plan.stale) {
      await this.team.removeFrom(row.partition, row.employee.id);
      progress(1);
    }
    return { added, updated, unchanged, left, repaired };
  }

  /**
   * Puts right what an interrupted write left inconsistent between the employees and team tables
   * (the refresh runs it first); resolves to how many people were repaired.
   */
  async repair(onProgress?: (done: number, total: number) => void): Promise<number> {
    return (await this.upsertMany([], onProgress)).repaired ?? 0;
  }

  /** Every person in the employees table, by id. */
  private async byId(): Promise<Map<EmployeeId, Employee>> {
    const people = new Map<EmployeeId, Employee>();
    for await (const e of this.listAll()) people.set(e.id, e);
    return people;
  }

  /**
   * Where each person is filed in the team table, as whom and with what path (a person filed
   * twice, after an interrupted move, has two); facts and statuses are not kept, so this holds
   * about what the employees table does.
   */
  private async filedRows(): Promise<Map<EmployeeId, Filed[]>> {
    const filed = new Map<EmployeeId, Filed[]>();
    for await (const row of this.team.all()) {
      const entry: Filed = { partition: row.partition!, employee: row.employee, path: row.path };
      const rows = filed.get(row.employee.id);
      if (rows) rows.push(entry);
      else filed.set(row.employee.id, [entry]);
    }
    return filed;
  }
}

/** A person's place in the team table: the partition, their columns there, and their path. */
interface Filed {
  readonly partition: string;
  readonly employee: Employee;
  readonly path: readonly EmployeeId[];
}

/** The manager whose team partition this is (none for the root partition). */
function managerOfPartition(partition: string): EmployeeId | undefined {
  return partition === ROOT_PARTITION ? undefined : partition;
}

/** What the team table needs so that it matches the directory `after`. */
interface TeamPlan {
  /** Rows to set (directory columns and path; facts and status kept, or none for a new row). */
  readonly merge: { employee: Employee; path: readonly EmployeeId[] }[];
  /** People filed under a partition other than their manager's: the row to move. */
  readonly moves: { employee: Employee; path: readonly EmployeeId[]; from: Filed }[];
  /** Extra copies of a person, and rows of people in no table but the team table's bare rows. */
  readonly stale: Filed[];
  /** People whose rows were missing, misfiled or held another copy of their columns. */
  readonly inconsistent: Set<EmployeeId>;
  /** Partitions that hold a team already. */
  readonly teams: Set<string>;
}

/**
 * Compares the team table as read with the directory: each person must have exactly one row, in
 * their manager's partition, with their columns and their path from the directory.
 */
function teamPlan(
  after: ReadonlyMap<EmployeeId, Employee>,
  filed: ReadonlyMap<EmployeeId, Filed[]>,
): TeamPlan {
  const paths = ancestorPaths(after);
  const plan: TeamPlan = { merge: [], moves: [], stale: [], inconsistent: new Set(), teams: new Set() };
  for (const rows of filed.values()) for (const row of rows) if (row.partition) plan.teams.add(row.partition);
  for (const [id, rows] of filed) if (!after.has(id)) plan.stale.push(...rows);
  for (const employee of after.values()) {
    const path = paths.get(employee.id) ?? [];
    const home = teamPartition(employee.managerId);
    const rows = filed.get(employee.id) ?? [];
    const atHome = rows.find((r) => r.partition === home);
    const away = rows.filter((r) => r !== atHome);
    if (atHome !== undefined) {
      plan.stale.push(...away);
      if (away.length > 0) plan.inconsistent.add(employee.id);
      const same = samePerson(atHome.employee, employee);
      if (!same) plan.inconsistent.add(employee.id);
      if (!same || atHome.path.join('/') !== path.join('/')) plan.merge.push({ employee, path });
    } else if (away.length > 0) {
      // A move (or a row left under a former manager): the first copy carries the facts.
      const [from, ...extra] = away;
      plan.inconsistent.add(employee.id);
      plan.moves.push({ employee, path, from: from! });
      plan.stale.push(...extra);
    } else {
      plan.inconsistent.add(employee.id);
      plan.merge.push({ employee, path });
    }
  }
  return plan;
}
