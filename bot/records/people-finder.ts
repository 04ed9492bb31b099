/**
 * Finding a colleague by name or e-mail, for the monitoring team's exceptional access to notes
 * (CC §6.1, DESIGN.md §6), which must reach people no longer in any team (leavers' archived
 * records). The directory has no name index, so this keeps one in memory: id, name, e-mail,
 * department and leave date of everyone (about 200 bytes a person, 20 MB at 100,000), read with
 * one directory scan and kept for `ttlMs`. Once stale it is still answered from while a fresh one
 * is read in the background, so only the first search after start waits for the scan.
 */
import { type Employee, type EmployeeId, type IsoDate } from '../../core/model';
import { type DirectoryStore } from '../../core/ports';

/** A person as a search answers them: enough to tell two namesakes apart, no more. */
export interface PersonMatch {
  readonly id: EmployeeId;
  readonly name: string;
  readonly email: string;
  readonly department: string;
  readonly leaveDate?: IsoDate | undefined;
}

interface Indexed extends PersonMatch {
  /** The name's words, folded (lower case, no accents). */
  readonly words: readonly string[];
  readonly folded: string;
}

/** How long an index is answered from before it is read again: people join and leave daily. */
export const PEOPLE_INDEX_TTL_MS = 10 * 60_000;

/** Lower case, accents removed, runs of spaces as one. */
function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const wordsOf = (folded: string) => folded.split(/[\s\-'’.]+/).filter(Boolean);

/** Name or e-mail search over the whole directory. */
export class PeopleFinder {
  private index: readonly Indexed[] | undefined;
  private builtAt = 0;
  private building: Promise<readonly Indexed[]> | undefined;

  constructor(
    private readonly directory: Pick<DirectoryStore, 'listAll'>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = PEOPLE_INDEX_TTL_MS,
  ) {}

  /**
   * People whose e-mail is the query (when it has an `@`), or every one of whose name's words
   * starts with one of the query's words (`ann smi` finds Ann Smith and Anna Smithers); exact
   * names first, then by name. At most `limit`, with the count of all.
   */
  async find(query: string, limit = 8): Promise<{ readonly people: PersonMatch[]; readonly total: number }> {
    const q = fold(query);
    if (q === '') return { people: [], total: 0 };
    const index = await this.current();
    let found: Indexed[];
    if (q.includes('@')) {
      found = index.filter((p) => p.email === q);
    } else {
      const asked = wordsOf(q);
      found = index.filter((p) => asked.every((a) => p.words.some((w) => w.startsWith(a))));
    }
    found.sort(
      (a, b) =>
        Number(b.folded === q) - Number(a.folded === q) ||
        a.name.localeCompare(b.name, 'en-GB') ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return {
      people: found.slice(0, limit).map(({ id, name, email, department, leaveDate }) => ({
        id,
        name,
        email,
        department,
        ...(leaveDate === undefined ? {} : { leaveDate }),
      })),
      total: found.length,
    };
  }

  /** Forgets the index (after an HR import in the same process). */
  invalidate(): void {
    this.builtAt = 0;
  }

  private async current(): Promise<readonly Indexed[]> {
    const stale = this.now() - this.builtAt >= this.ttlMs;
    if (this.index !== undefined && !stale) return this.index;
    this.building ??= this.build().finally(() => (this.building = undefined));
    if (this.index !== undefined) {
      // Answer from the stale index; a failed refresh is retried by the next search.
      this.building.catch(() => undefined);
      return this.index;
    }
    return this.building;
  }

  private async build(): Promise<readonly Indexed[]> {
    const started = this.now();
    const people: Indexed[] = [];
    for await (const e of this.directory.listAll()) people.push(indexed(e));
    this.index = people;
    this.builtAt = started;
    return people;
  }
}

function indexed(e: Employee): Indexed {
  const folded = fold(e.name);
  return {
    id: e.id,
    name: e.name,
    email: fold(e.email ?? ''),
    department: e.department ?? '',
    leaveDate: e.leaveDate,
    words: wordsOf(folded),
    folded,
  };
}
