/**
 * The directory on Azure Tables, behind the {@link DirectoryStore} port: people in the employees
 * table (PK = hash bucket, RK = id), and their reports-to/status rows in the team table.
 */
import { type Employee, type EmployeeId } from '../../core/model';
import { type DirectoryStore, type DirectoryWriteSummary } from '../../core/ports';
import { statusOf, writeBatches } from './entities';
import { employeeBucket, teamPartition } from './keys';
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

  async listDirectReports(managerId: EmployeeId): Promise<Employee[]> {
    return (await this.team.team(managerId)).map((row) => row.employee);
  }

  async *listAll(): AsyncIterable<Employee> {
    for await (const row of this.employees.listEntities<EmployeeEntity>()) {
      yield employeeFromEntity(row.rowKey ?? '', row);
    }
  }

  async upsertMany(
    incoming: readonly Employee[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<DirectoryWriteSummary> {
    const before = new Map<EmployeeId, Employee>();
    for await (const e of this.listAll()) before.set(e.id, e);
    const after = new Map(before);
    for (const e of incoming) after.set(e.id, e);

    let added = 0;
    let updated = 0;
    let unchanged = 0;
    let left = 0;
    const changed: Employee[] = [];
    const moved: { employee: Employee; from: EmployeeId | undefined }[] = [];
    for (const e of new Map(incoming.map((x) => [x.id, x])).values()) {
      const old = before.get(e.id);
      if (old === undefined) added++;
      else if (samePerson(old, e)) {
        unchanged++;
        continue;
      } else updated++;
      if (e.leaveDate !== undefined && old?.leaveDate === undefined) left++;
      changed.push(e);
      if (old !== undefined && (old.managerId ?? '') !== (e.managerId ?? ''))
        moved.push({ employee: e, from: old.managerId });
    }

    // Paths change for the changed people and for everyone below a person whose manager changed.
    const oldPaths = ancestorPaths(before);
    const newPaths = ancestorPaths(after);
    const movedIds = new Set(moved.map((m) => m.employee.id));
    const changedIds = new Set(changed.map((e) => e.id));
    const directoryRows = [...after.values()]
      .filter((e) => !movedIds.has(e.id))
      .filter(
        (e) =>
          changedIds.has(e.id) ||
          (oldPaths.get(e.id) ?? []).join('/') !== (newPaths.get(e.id) ?? []).join('/'),
      )
      .map((employee) => ({ employee, path: newPaths.get(employee.id) ?? [] }));

    // Teams nobody was in before are created without reading them first (all of them, on a first import).
    const teamsBefore = new Set([...before.values()].map((e) => teamPartition(e.managerId)));
    const total = changed.length + directoryRows.length + moved.length;
    let done = 0;
    const progress = (n: number) => {
      done += n;
      onProgress?.(done, total);
    };
    // The two tables are independent until a move: write them at the same time.
    await Promise.all([
      writeBatches(this.employees, changed.map(employeeToEntity), 'Replace', progress),
      this.team.mergeDirectory(directoryRows, progress, {
        isNewTeam: (partition) => !teamsBefore.has(partition),
      }),
    ]);
    // A new manager: the row moves partition, keeping its facts and status, then the old row goes.
    for (const { employee, from } of moved) {
      const old = await this.team.get(from, employee.id);
      await this.team.put({
        employee,
        path: newPaths.get(employee.id) ?? [],
        facts: old?.facts ?? { held: [] },
        evaluation: old?.evaluation,
        evaluatedAt: old?.evaluatedAt,
        dirty: old?.dirty ?? false,
      });
      await this.team.remove(from, employee.id);
      progress(1);
    }
    return { added, updated, unchanged, left };
  }
}
