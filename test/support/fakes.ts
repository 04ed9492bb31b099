/** In-memory fakes of our own ports (STYLE.md rule 9: fakes that implement our interfaces, not deep mocks). */
import { type DirectoryReader } from '../../core/ports';
import { type Employee, type EmployeeId } from '../../core/model';
import { type ReferenceStore, type StoredReference } from '../../bot/storage/reference-store';

/** A directory over a list of people. */
export class MemoryDirectory implements DirectoryReader {
  constructor(private readonly people: readonly Employee[]) {}
  getEmployee(id: EmployeeId): Promise<Employee | undefined> {
    return Promise.resolve(this.people.find((p) => p.id === id));
  }
  listDirectReports(managerId: EmployeeId): Promise<Employee[]> {
    return Promise.resolve(this.people.filter((p) => p.managerId === managerId));
  }
}

/** A reference store in a Map, with the same "new installation?" contract as the table. */
export class MemoryReferenceStore implements ReferenceStore {
  readonly rows = new Map<string, StoredReference>();
  saveOnInstall(reference: StoredReference): Promise<boolean> {
    const existing = this.rows.get(reference.key);
    // Same contract as the table: an existing row is merged (absent fields kept), first install time kept.
    const defined = Object.fromEntries(Object.entries(reference).filter(([, v]) => v !== undefined));
    this.rows.set(reference.key, {
      ...existing,
      ...defined,
      installedAt: existing?.installedAt ?? reference.installedAt,
    } as StoredReference);
    return Promise.resolve(existing === undefined);
  }
  remove(key: string): Promise<void> {
    this.rows.delete(key);
    return Promise.resolve();
  }
  get(key: string): Promise<StoredReference | undefined> {
    return Promise.resolve(this.rows.get(key));
  }
}
