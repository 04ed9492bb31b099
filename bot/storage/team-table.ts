/**
 * The team table: the reports-to index and the status index in one (DESIGN.md §5 "a status index
 * partitioned by manager for my team"). PK = manager id (or `~root`); the partition holds the
 * manager's direct reports packed into one entity (RK `~p0000`), or a few for a very large team,
 * each report with their directory fields, the facts their status is computed from (no text),
 * their path up the management chain and their evaluation. "My team" is one point read of the
 * first page (which says whether more follow), and a bulk import writes one entity per team
 * instead of one per person.
 *
 * Why packed: on Azurite, where the speed targets are measured, each entity costs about 100 µs
 * of CPU in the SDK and as much again in Azurite, written or read; one entity per person made the
 * team rows half of an HR import's cost (README "Storage" and "Benchmarks").
 *
 * Each report keeps a version of their own, so a write conditioned on the version a report was
 * read at is refused with {@link ConflictError} exactly as a per-row ETag would be, while writes
 * to other reports of the same manager only retry. A page is written with its ETag, so two
 * writers never lose each other's change.
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { type TableEntityResult, odata } from '@azure/data-tables';
import { LRUCache } from 'lru-cache';
import { type EmployeeEvaluation } from '../../core/compliance/types';
import { type HeldEntry } from '../../core/compliance/status-facts';
import { type Employee, type EmployeeId } from '../../core/model';
import {
  ConflictError,
  type StatusIndex,
  type StatusSummary,
  TooLargeError,
  type TeamRow,
} from '../../core/ports';
import { forEachLimit } from '../concurrency';
import { statusOf, withoutUndefined } from './entities';
import { teamPartition } from './keys';
import { type PersonColumns, personColumns, personFromColumns } from './person-entity';
import { type TableStore } from './sharded-table';

/** Keeps only the summary fields of an evaluation. */
export function summarise(e: EmployeeEvaluation): StatusSummary {
  return withoutUndefined({
    status: e.status,
    held12m: e.held12m,
    expected12m: e.expected12m,
    compliant: e.compliant,
    lastHeld: e.lastHeld,
    nextDue: e.nextDue,
    daysOverdue: e.daysOverdue,
    openActions: e.openActions,
    overdueActions: e.overdueActions,
  });
}

/** One report as stored inside a page. */
export interface StoredRow {
  readonly id: EmployeeId;
  readonly person: PersonColumns;
  readonly path: readonly EmployeeId[];
  readonly held: readonly HeldEntry[];
  readonly evaluation?: StatusSummary;
  readonly evaluatedAt?: string;
  readonly dirty: boolean;
  /** Changes whenever the report is written: the row's ETag as callers see it. */
  readonly version: string;
}

/** Bytes per binary property: the most an Edm.Binary property holds (64 KiB). */
export const CHUNK_BYTES = 65_536;
/** Binary properties per page: 15 × 64 KiB is 960 KiB, under the 1 MiB an entity holds. */
const CHUNKS_PER_PAGE = 15;
/**
 * The most JSON a page holds, in UTF-16 units. A unit is at most 3 bytes of UTF-8 and deflate
 * adds a few bytes per 16 KiB at worst, so even text that does not compress fits the 15 chunks.
 */
export const PAGE_UNITS = 320_000;
/** Teams written at once by the bulk writers. */
const WRITERS = 8;
/** Attempts at a read-modify-write before a busy team is reported as a conflict. */
const ATTEMPTS = 20;

/**
 * A page entity: its rows' JSON, deflated and split over the binary properties `z0` … `z14`
 * (pages written before compression hold the JSON itself in string properties `c0` … `c14`, which
 * are still read); the first page says whether there are more.
 */
type PageEntity = { partitionKey: string; rowKey: string; rows: number; more?: boolean } & Record<
  string,
  Uint8Array | string | number | boolean | undefined
>;

/** A page as read: its key, ETag and rows. */
interface Page {
  readonly rowKey: string;
  readonly etag: string | undefined;
  readonly rows: StoredRow[];
  /** On the first page: the team continues on later pages. */
  readonly more: boolean;
}

/** The first page's key: every team that has anyone has it, so a team is one point read. */
const FIRST = '~p0000';

/** A page's row key: `~p0000`, `~p0001`, … (sorted in page order). */
function pageKey(n: number): string {
  return `~p${String(n).padStart(4, '0')}`;
}

/**
 * The entity of a page whose rows' JSON (an array of `rows` rows) is `json`. Deflated, a team's
 * JSON is about an eighth of its size: on Azurite a read of it costs about what a read of an almost
 * empty entity does, where the JSON in a string costs a third more on each side.
 */
export function pageEntity(
  partitionKey: string,
  rowKey: string,
  json: string,
  rows: number,
  more = false,
): PageEntity {
  const entity: PageEntity = { partitionKey, rowKey, rows, ...(rowKey === FIRST ? { more } : {}) };
  const packed = deflateRawSync(json);
  if (packed.length > CHUNK_BYTES * CHUNKS_PER_PAGE) {
    throw new TooLargeError('(record)', `The team page ${partitionKey} ${rowKey} is too large to store.`);
  }
  for (let k = 0; k * CHUNK_BYTES < packed.length; k++) {
    entity[`z${k}`] = packed.subarray(k * CHUNK_BYTES, (k + 1) * CHUNK_BYTES);
  }
  return entity;
}

/** The rows' JSON a page entity holds (empty for an empty page). */
export function pageJson(entity: Readonly<Record<string, unknown>>): string {
  if (entity.z0 instanceof Uint8Array) {
    const chunks: Uint8Array[] = [];
    for (let k = 0; entity[`z${k}`] instanceof Uint8Array; k++) chunks.push(entity[`z${k}`] as Uint8Array);
    return inflateRawSync(Buffer.concat(chunks)).toString('utf8');
  }
  let json = '';
  for (let k = 0; typeof entity[`c${k}`] === 'string'; k++) json += entity[`c${k}`] as string;
  return json;
}

function newVersion(): string {
  return randomBytes(6).toString('base64url');
}

/** A report as a page stores it, at `version`. */
export function stored(row: TeamRow, version: string): StoredRow {
  return withoutUndefined({
    id: row.employee.id,
    person: personColumns(row.employee),
    path: row.path,
    held: row.facts.held,
    evaluation: row.evaluation,
    evaluatedAt: row.evaluatedAt,
    dirty: row.dirty,
    version,
  });
}

/** Each stored row as callers see it, made once: rows are never changed in place. */
const asTeamRow = new WeakMap<StoredRow, TeamRow>();

function teamRow(partition: string, row: StoredRow): TeamRow {
  const made = asTeamRow.get(row);
  if (made?.partition === partition) return made;
  const fresh: TeamRow = {
    employee: personFromColumns(row.id, row.person),
    path: row.path,
    facts: { held: row.held },
    evaluation: row.evaluation,
    evaluatedAt: row.evaluatedAt,
    dirty: row.dirty,
    etag: row.version,
    partition,
  };
  asTeamRow.set(row, fresh);
  return fresh;
}

/** A change to a team: edits the rows (by id) in place; returns false when there is nothing to write. */
type Change = (rows: Map<EmployeeId, StoredRow>) => boolean;

/** A page changed, appeared or went since the team was read: read it again and retry. */
class StalePage extends Error {}

/** Reads and writes the team table. */
export class TeamTable implements StatusIndex {
  private readonly decoded: DecodedPages;
  /** The pages each row returned by {@link get} was read from (see {@link put}'s `readWith`). */
  private readonly readFrom = new WeakMap<TeamRow, { partition: string; pages: readonly Page[] }>();

  /** `decodedUnits`: how much decoded JSON to keep, in UTF-16 units (about 5,000 teams of 15 by default). */
  constructor(
    private readonly table: TableStore,
    decodedUnits = DECODED_UNITS,
  ) {
    this.decoded = new DecodedPages(decodedUnits);
  }

  /** A manager's direct reports with their status, in id order: one partition read. */
  async team(managerId: EmployeeId | undefined): Promise<TeamRow[]> {
    const partition = teamPartition(managerId);
    return [...(await this.rowsIn(partition)).values()].map((r) => teamRow(partition, r));
  }

  /**
   * One person's row under the manager it is filed under. The pages it was read from are kept
   * with the row, so a {@link put} given it as `readWith` writes over them without reading them
   * again (their ETags still guard the write: a page changed since is read again).
   */
  async get(managerId: EmployeeId | undefined, employeeId: EmployeeId): Promise<TeamRow | undefined> {
    const partition = teamPartition(managerId);
    const pages = await this.pages(partition);
    const row = sortedRows(pages).get(employeeId);
    if (row === undefined) return undefined;
    const found = teamRow(partition, row);
    this.readFrom.set(found, { partition, pages });
    return found;
  }

  /** Every row in partition order, optionally after a partition (for background jobs; never on a request path). */
  async *all(afterPartition?: string): AsyncIterable<TeamRow> {
    const queryOptions = afterPartition ? { filter: odata`PartitionKey gt ${afterPartition}` } : {};
    let partition: string | undefined;
    let pages: Page[] = [];
    const flush = function* (this: void): Iterable<TeamRow> {
      if (partition === undefined) return;
      for (const row of sortedRows(pages).values()) yield teamRow(partition, row);
    };
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions })) {
      if (e.partitionKey !== partition) {
        yield* flush();
        partition = e.partitionKey;
        pages = [];
      }
      pages.push(pageOf(e));
    }
    yield* flush();
  }

  /** How many rows there are (after a partition): page counts only, for progress bars. */
  async count(afterPartition?: string): Promise<number> {
    const filter = afterPartition ? odata`PartitionKey gt ${afterPartition}` : undefined;
    let n = 0;
    for await (const e of this.table.listEntities<{ rows?: number }>({
      queryOptions: { select: ['rows'], ...(filter ? { filter } : {}) },
    }))
      n += e.rows ?? 0;
    return n;
  }

  /**
   * True when the table holds rows of the layout before pages (one entity per report, keyed by
   * their id), which this code does not read: a local data folder from an earlier version.
   */
  async hasOlderLayout(): Promise<boolean> {
    const first = await this.table
      .listEntities({ queryOptions: { filter: odata`RowKey lt ${'~'}`, select: ['PartitionKey'] } })
      .byPage({ maxPageSize: 1 })
      .next();
    return first.done !== true && first.value.length > 0;
  }

  /** Deletes the exact row read (from the partition it was read from). */
  async removeRow(row: TeamRow): Promise<void> {
    await this.removeFrom(row.partition ?? teamPartition(row.employee.managerId), row.employee.id);
  }

  /** Deletes a person's row from one partition (a copy left under a former manager, say). */
  async removeFrom(partition: string, employeeId: EmployeeId): Promise<void> {
    await this.change(partition, (rows) => rows.delete(employeeId));
  }

  /** Writes a row: unconditionally, or only if it is still at `etag` (else {@link ConflictError}). */
  async put(row: TeamRow, etag?: string, readWith?: TeamRow): Promise<string> {
    const version = newVersion();
    const partition = teamPartition(row.employee.managerId);
    const basis = readWith && this.readFrom.get(readWith);
    const known = basis?.partition === partition ? basis.pages : undefined;
    await this.change(
      partition,
      (rows) => {
        const current = rows.get(row.employee.id)?.version;
        if (current === version) return false; // written by an earlier attempt of this call
        if (etag !== undefined && current !== etag) {
          throw new ConflictError(`The status of ${row.employee.id}`);
        }
        rows.set(row.employee.id, stored(row, version));
        return true;
      },
      false,
      known,
    );
    return version;
  }

  /**
   * Writes re-evaluated rows of one partition, each only if still at the version it was read
   * with: a row changed since (a conversation write got there first and evaluated it at today's
   * date already) is skipped. Resolves to how many were written.
   */
  async putChanged(teamRows: readonly TeamRow[]): Promise<number> {
    if (teamRows.length === 0) return 0;
    const version = newVersion();
    let written = 0;
    await this.change(teamPartition(teamRows[0]!.employee.managerId), (rows) => {
      written = 0;
      for (const row of teamRows) {
        const current = rows.get(row.employee.id)?.version;
        if (current === version || current === row.etag) {
          rows.set(row.employee.id, stored(row, version));
          written++;
        }
      }
      return written > 0;
    });
    return written;
  }

  /** Flags a row for the refresh job before a conversation write, so a crash cannot lose the change. */
  async markDirty(managerId: EmployeeId | undefined, employeeId: EmployeeId): Promise<void> {
    await this.change(teamPartition(managerId), (rows) => {
      const row = rows.get(employeeId);
      if (row?.dirty) return false;
      // A person with no row yet gets a bare one, which the refresh job repairs or removes.
      rows.set(
        employeeId,
        row
          ? { ...row, dirty: true, version: newVersion() }
          : stored(
              {
                employee: personFromColumns(employeeId, {}),
                path: [],
                facts: { held: [] },
                dirty: true,
              },
              newVersion(),
            ),
      );
      return true;
    });
  }

  async remove(managerId: EmployeeId | undefined, employeeId: EmployeeId): Promise<void> {
    await this.change(teamPartition(managerId), (rows) => rows.delete(employeeId));
  }

  /** Writes many rows whole (status and facts included), a few teams at a time. */
  async putMany(teamRows: readonly TeamRow[], onBatch?: (written: number) => void): Promise<void> {
    await forEachLimit([...byPartition(teamRows)], WRITERS, async ([partition, group]) => {
      const version = newVersion();
      await this.change(partition, (rows) => {
        for (const row of group) rows.set(row.employee.id, stored(row, version));
        return true;
      });
      onBatch?.(group.length);
    });
  }

  /**
   * Sets only the directory columns and path of many rows (status and facts kept; a person new to
   * the team starts with none), a few teams at a time.
   */
  async mergeDirectory(
    directoryRows: readonly { employee: Employee; path: readonly EmployeeId[] }[],
    onBatch?: (written: number) => void,
    options: {
      /** Teams believed not to exist yet (a first import): written without reading them first. */
      readonly isNewTeam?: (partition: string) => boolean;
    } = {},
  ): Promise<void> {
    const grouped = byPartition(directoryRows);
    await forEachLimit([...grouped], WRITERS, async ([partition, group]) => {
      const assumeEmpty = options.isNewTeam?.(partition) ?? false;
      const merge: Change = (rows) => {
        for (const { employee, path } of group) {
          const old = rows.get(employee.id);
          rows.set(employee.id, {
            ...(old ?? { held: [], dirty: false }),
            id: employee.id,
            person: personColumns(employee),
            path,
            version: newVersion(),
          });
        }
        return true;
      };
      await this.change(partition, merge, assumeEmpty);
      onBatch?.(group.length);
    });
  }

  /** A partition's rows by id, in id order. */
  private async rowsIn(partition: string): Promise<Map<EmployeeId, StoredRow>> {
    return sortedRows(await this.pages(partition));
  }

  /**
   * A team's pages: a point read of the first (no first page, no team), and only if it says there
   * are more, a read of the partition — on Azurite a point read costs about half a query.
   */
  private async pages(partition: string, whole = false): Promise<Page[]> {
    if (whole) return this.partitionPages(partition);
    let first: Page;
    try {
      first = this.decoded.of(await this.table.getEntity<Record<string, unknown>>(partition, FIRST));
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw error;
    }
    return first.more ? this.partitionPages(partition) : [first];
  }

  private async partitionPages(partition: string): Promise<Page[]> {
    const pages: Page[] = [];
    for await (const e of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${partition}` },
    }))
      pages.push(this.decoded.of(e));
    return pages;
  }

  /**
   * Reads a team, applies `apply` to its rows and writes the pages that changed, each conditioned
   * on its ETag (a new page: on not existing); when another writer got to a page first, reads
   * again and re-applies. `apply` must be safe to run again on the fresher rows.
   */
  private async change(
    partition: string,
    apply: Change,
    assumeEmpty = false,
    known?: readonly Page[],
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      // A team assumed new is created without a read; if it exists after all, creating its first
      // page is refused and the next attempt reads it. Pages the caller just read (`known`) are
      // used as read. A retry reads every page of the partition, whatever the first says, so a
      // page left by a crash is found.
      const pages =
        attempt === 1 && known !== undefined
          ? known
          : assumeEmpty && attempt === 1
            ? []
            : await this.pages(partition, attempt > 1);
      const rows = sortedRows(pages);
      if (!apply(rows)) return;
      try {
        await this.writePages(partition, pages, rows);
        return;
      } catch (error) {
        if (!(error instanceof StalePage)) throw error;
        if (attempt >= ATTEMPTS) throw new ConflictError(`The team of ${partition}`);
      }
    }
  }

  /**
   * Writes `rows` over `pages`: each row stays on the page it was read from while that page has
   * room, new rows fill the last page, and a new page opens when one is full. A row moved to a new
   * page is written there before it leaves the old one, so a crash in between leaves a duplicate
   * (dropped on the next read and write), never a loss.
   */
  private async writePages(
    partition: string,
    pages: readonly Page[],
    rows: ReadonlyMap<EmployeeId, StoredRow>,
  ): Promise<void> {
    if (pages.length <= 1 && (pages[0] === undefined || pages[0].rowKey === FIRST)) {
      // The usual case, a team on one page that still fits: one serialisation, no planning.
      const json = JSON.stringify([...rows.values()]);
      if (json.length <= PAGE_UNITS) {
        const page = pages[0];
        if (rows.size > 0 || page !== undefined)
          await this.writePage(partition, FIRST, json, rows.size > 0 ? rows.size : -1, false, page?.etag);
        return;
      }
    }
    const home = homes(pages);
    const placed = new Set<EmployeeId>();
    const plan: { page: Page | undefined; rowKey: string; rows: StoredRow[]; units: number }[] = [];
    for (const page of pages) {
      const kept: StoredRow[] = [];
      for (const old of page.rows) {
        const row = rows.get(old.id);
        if (row === undefined || home.get(old.id) !== page.rowKey || placed.has(old.id)) continue;
        kept.push(row);
        placed.add(old.id);
      }
      plan.push({ page, rowKey: page.rowKey, rows: kept, units: pageUnits(kept) });
    }
    const fresh = [...rows.values()].filter((r) => !placed.has(r.id));
    // Fill pages in order: overflow from a page and the new rows go to the last page with room.
    const overflow: StoredRow[] = [];
    for (const p of plan) {
      while (p.rows.length > 0 && p.units > PAGE_UNITS) {
        const moved = p.rows.pop()!;
        overflow.push(moved);
        p.units -= unitsOf(moved) + (p.rows.length > 0 ? 1 : 0);
      }
    }
    let next = pages.reduce((n, p) => Math.max(n, Number(p.rowKey.slice(2)) + 1), 0);
    let last = plan.at(-1);
    for (const row of [...overflow, ...fresh]) {
      const units = unitsOf(row);
      if (units + 2 > PAGE_UNITS) {
        throw new TooLargeError('(record)', `The status row of ${row.id} is too large to store.`);
      }
      if (last === undefined || last.units + units + 1 > PAGE_UNITS) {
        last = { page: undefined, rowKey: pageKey(next++), rows: [], units: 2 };
        plan.push(last);
      }
      last.units += units + (last.rows.length > 0 ? 1 : 0);
      last.rows.push(row);
    }
    // The first page stays while any page has rows (readers start there) and says if more follow.
    const anyone = plan.some((p) => p.rows.length > 0);
    if (anyone && !plan.some((p) => p.rowKey === FIRST)) {
      plan.unshift({ page: undefined, rowKey: FIRST, rows: [], units: 2 });
    }
    const more = plan.some((p) => p.rowKey !== FIRST && p.rows.length > 0);
    const kept = (p: (typeof plan)[number]) => p.rows.length > 0 || (p.rowKey === FIRST && anyone);
    // Before any later page is written, the first says there are more (with its rows as they were,
    // if it exists), so no crash can leave a page that readers starting at the first do not see.
    const head = plan.find((p) => p.rowKey === FIRST)!;
    if (more && head.page?.more !== true) {
      const before = head.page?.rows ?? head.rows;
      const json = JSON.stringify(before);
      const etag = await this.writePage(partition, FIRST, json, before.length, true, head.page?.etag);
      head.page = { rowKey: FIRST, etag, rows: before, more: true };
    }
    // New pages first, then changed ones, then the first page, then emptied ones: a crash leaves
    // duplicates, not losses.
    const rest = plan.filter((p) => p.rowKey !== FIRST);
    const order = [
      ...rest.filter((p) => p.page === undefined),
      ...rest.filter((p) => p.page !== undefined && kept(p)),
      ...plan.filter((p) => p.rowKey === FIRST),
      ...rest.filter((p) => p.page !== undefined && !kept(p)),
    ];
    for (const p of order) {
      const first = p.rowKey === FIRST;
      if (
        p.page !== undefined &&
        kept(p) &&
        sameRows(p.page.rows, p.rows) &&
        (!first || p.page.more === more)
      )
        continue;
      const json = JSON.stringify(p.rows);
      await this.writePage(
        partition,
        p.rowKey,
        kept(p) ? json : '',
        kept(p) ? p.rows.length : -1,
        first && more,
        p.page?.etag,
      );
    }
  }

  /** Writes one page (`json` holds its `rows` rows; -1 rows deletes it); resolves to its new ETag. */
  private async writePage(
    partition: string,
    rowKey: string,
    json: string,
    rows: number,
    more: boolean,
    etag: string | undefined,
  ): Promise<string | undefined> {
    try {
      if (rows < 0) {
        if (etag !== undefined) await this.table.deleteEntity(partition, rowKey, { etag });
        return undefined;
      }
      const entity = pageEntity(partition, rowKey, json, rows, more);
      const written =
        etag === undefined
          ? await this.table.createEntity(entity)
          : await this.table.updateEntity(entity, 'Replace', { etag });
      return written.etag;
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409 || status === 404) throw new StalePage();
      throw error;
    }
  }
}

function pageOf(e: TableEntityResult<Record<string, unknown>>, json = pageJson(e)): Page {
  return {
    rowKey: e.rowKey ?? '',
    etag: e.etag,
    rows: json === '' ? [] : (JSON.parse(json) as StoredRow[]),
    more: e.more === true,
  };
}

/** Decoded JSON kept by default, in UTF-16 units: about 5,000 teams of 15. */
const DECODED_UNITS = 8_000_000;

/**
 * Pages already decoded, by partition and row key, with the ETag they were decoded at: a page is
 * still read on every request, but when its ETag is the one kept (it has not been written since)
 * the rows are not inflated and parsed again. The pages least recently read go first past
 * `maxUnits` characters of JSON.
 */
class DecodedPages {
  private readonly kept: LRUCache<string, Page>;

  constructor(maxUnits: number) {
    this.kept = new LRUCache({ maxSize: maxUnits });
  }

  of(e: TableEntityResult<Record<string, unknown>>): Page {
    const key = `${e.partitionKey}\n${e.rowKey}`;
    const known = this.kept.get(key);
    if (known !== undefined && e.etag !== undefined && known.etag === e.etag) return known;
    const json = pageJson(e);
    const page = pageOf(e, json);
    // A page larger than the whole allowance is not kept (the cache refuses it).
    if (e.etag !== undefined) this.kept.set(key, page, { size: Math.max(1, json.length) });
    return page;
  }
}

/**
 * The rows of a partition's pages by id, in id order. A row is only ever moved to a page after
 * the ones it was on, so of a duplicate left by a crash the later page's copy is the newer.
 */
function sortedRows(pages: readonly Page[]): Map<EmployeeId, StoredRow> {
  const latest = new Map<EmployeeId, StoredRow>();
  for (const page of pages) for (const row of page.rows) latest.set(row.id, row);
  return new Map([...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The page each row was read from (the later one for a duplicate). */
function homes(pages: readonly Page[]): Map<EmployeeId, string> {
  const home = new Map<EmployeeId, string>();
  for (const page of pages) for (const row of page.rows) home.set(row.id, page.rowKey);
  return home;
}

/** Each row's JSON length, worked out once. */
const rowUnits = new WeakMap<StoredRow, number>();

function unitsOf(row: StoredRow): number {
  let units = rowUnits.get(row);
  if (units === undefined) rowUnits.set(row, (units = JSON.stringify(row).length));
  return units;
}

/** The JSON length of a page of rows: brackets, rows and the commas between them. */
function pageUnits(rows: readonly StoredRow[]): number {
  return rows.reduce((sum, row, i) => sum + unitsOf(row) + (i > 0 ? 1 : 0), 2);
}

function sameRows(a: readonly StoredRow[], b: readonly StoredRow[]): boolean {
  return a.length === b.length && a.every((row, i) => row === b[i]);
}

function byPartition<T extends { employee: Employee }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const partition = teamPartition(row.employee.managerId);
    const group = groups.get(partition);
    if (group) group.push(row);
    else groups.set(partition, [row]);
  }
  return groups;
}

export type { StatusSummary, TeamRow } from '../../core/ports';
