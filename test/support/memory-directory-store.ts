/**
 * An in-memory {@link DirectoryStore} following the port's contract (core/ports.ts) exactly, for
 * tests of code that writes the directory (the Graph sync): `upsertMany` writes people as given,
 * skips unchanged ones, and counts added, updated, unchanged and newly left; the last of several
 * entries for one id wins; direct reports follow each person's current manager.
 */
import { type Employee, type EmployeeId } from '../../core/model';
import { type DirectoryStore, type DirectoryWriteSummary } from '../../core/ports';
import { samePerson } from '../../bot/storage/person-entity';

/**
 * True when two records of a person hold the same values: the Table store's own comparison (every
 * column, the facts' sources and `inDirectory` included), so "unchanged" means the same here.
 */
export { samePerson } from '../../bot/storage/person-entity';

/** The directory in a Map. */
export class MemoryDirectoryStore implements DirectoryStore {
  readonly people = new Map<EmployeeId, Employee>();
  /** Every write that changed someone, in order (tests check what a sync wrote). */
  readonly writes: Employee[] = [];

  constructor(initial: readonly Employee[] = []) {
    for (const e of initial) this.people.set(e.id, { ...e });
  }

  getEmployee(id: EmployeeId): Promise<Employee | undefined> {
    return Promise.resolve(this.people.get(id));
  }

  listDirectReports(managerId: EmployeeId): Promise<Employee[]> {
    return Promise.resolve([...this.people.values()].filter((p) => p.managerId === managerId));
  }

  async *listAll(): AsyncIterable<Employee> {
    await Promise.resolve();
    yield* [...this.people.values()];
  }

  upsertMany(
    employees: readonly Employee[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<DirectoryWriteSummary> {
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    let left = 0;
    const latest = new Map(employees.map((e) => [e.id, e]));
    let done = 0;
    for (const e of latest.values()) {
      const old = this.people.get(e.id);
      if (old === undefined) added++;
      else if (samePerson(old, e)) unchanged++;
      else updated++;
      if (old === undefined || !samePerson(old, e)) {
        if (e.leaveDate !== undefined && old?.leaveDate === undefined) left++;
        this.people.set(e.id, { ...e });
        this.writes.push(e);
      }
      onProgress?.(++done, latest.size);
    }
    return Promise.resolve({ added, updated, unchanged, left });
  }
}
