/**
 * The in-memory directory store for the sync's tests, comparing people as the Table store does
 * (`samePerson` of bot/storage/person-entity.ts: every column, the sources and `inDirectory`
 * included), so a write that only marks someone `inDirectory` or changes a source is stored and
 * counted as an update, as it is in production.
 */
import { type Employee } from '../../core/model';
import { type DirectoryWriteSummary } from '../../core/ports';
import { samePerson } from '../../bot/storage/person-entity';
import { MemoryDirectoryStore } from '../support/memory-directory-store';

/** {@link MemoryDirectoryStore} with the Table store's notion of "unchanged". */
export class SyncTestStore extends MemoryDirectoryStore {
  override upsertMany(
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
      const same = old !== undefined && samePerson(old, e);
      if (old === undefined) added++;
      else if (same) unchanged++;
      else updated++;
      if (!same) {
        if (e.leaveDate !== undefined && old?.leaveDate === undefined) left++;
        this.people.set(e.id, { ...e });
        this.writes.push(e);
      }
      onProgress?.(++done, latest.size);
    }
    return Promise.resolve({ added, updated, unchanged, left });
  }
}
