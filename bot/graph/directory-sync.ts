/**
 * Directory sync (issue 5): users and their managers from Microsoft Graph's `/users/delta` (every
 * page), merged into the directory store with the HR import's facts. A first round (no delta link)
 * reads everyone; later rounds read only what changed since the last one. Rules, in README terms:
 * - HR fields win where both exist: name, e-mail and department come from Graph only when the
 *   store has none; position number, staff group, start and pay-step dates, HR flags and leave date
 *   are the HR import's (Graph only fills them for someone HR has not sent yet).
 * - The reporting line is the directory's: a manager in Graph replaces the stored manager, which
 *   moves the person between managers' partitions in the store.
 * - A disabled or deleted user becomes a leaver with leave date = the sync date, unless HR already
 *   gave one. In a full round, people with an Entra id (a GUID) that Graph no longer returns are
 *   deleted users too. New users who are guests or already disabled are not added.
 */
import { type Client } from '@microsoft/microsoft-graph-client';
import { type Employee, type EmployeeId, type IsoDate } from '../../core/model';
import { type DirectoryStore, type DirectoryWriteSummary } from '../../core/ports';
import { utcToWallTime } from '../../core/dates/london-time';
import { type Logger } from '../log';
import { statusOfGraphError, toGraphFailure } from './errors';

/** User properties the sync reads (Graph returns only what is selected, plus `manager@delta`). */
export const USER_SELECT = [
  'id',
  'displayName',
  'mail',
  'userPrincipalName',
  'department',
  'employeeId',
  'accountEnabled',
  'userType',
  'employeeHireDate',
  'createdDateTime',
] as const;

/** A user as a delta page carries it: in later rounds only the changed properties are present. */
interface DeltaUser {
  readonly id: string;
  readonly displayName?: string | null;
  readonly mail?: string | null;
  readonly userPrincipalName?: string | null;
  readonly department?: string | null;
  readonly employeeId?: string | null;
  readonly accountEnabled?: boolean | null;
  readonly userType?: string | null;
  readonly employeeHireDate?: string | null;
  readonly createdDateTime?: string | null;
  readonly 'manager@delta'?: readonly { readonly id: string; readonly '@removed'?: unknown }[];
  readonly '@removed'?: { readonly reason?: string };
}

interface DeltaPage {
  readonly value?: readonly DeltaUser[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

/** What to sync. */
export interface DirectorySyncOptions {
  readonly client: Client;
  readonly store: DirectoryStore;
  /** The sync date (Europe/London): the leave date of people found disabled or deleted. */
  readonly today: IsoDate;
  /** The delta link of the last round; omitted for a full round. */
  readonly deltaLink?: string | undefined;
  /** Users per delta page asked for (`Prefer: odata.maxpagesize`); Graph's default when omitted. */
  readonly pageSize?: number;
  readonly log: Logger;
  /** Reading progress: pages and users read so far. */
  readonly onPage?: (pages: number, users: number) => void;
  /** Writing progress, from the store. */
  readonly onWrite?: (done: number, total: number) => void;
}

/** What a sync did. */
export interface DirectorySyncResult extends DirectoryWriteSummary {
  /** Keep it for the next round (it reads only changes since this one). */
  readonly deltaLink: string;
  readonly full: boolean;
  readonly pages: number;
  /** Users (or removals) Graph reported. */
  readonly reported: number;
  /** Reported users not taken in (guests, disabled accounts never seen before, removals of unknown people). */
  readonly skipped: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Europe/London date of a Graph timestamp, or undefined. */
function londonDate(timestamp: string | null | undefined): IsoDate | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : utcToWallTime(ms).date;
}

const text = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value.trim() === '' ? undefined : value.trim();

/** Folds a later report of a user into an earlier one from the same round (pages may repeat people). */
function fold(earlier: DeltaUser | undefined, later: DeltaUser): DeltaUser {
  if (earlier === undefined || later['@removed'] !== undefined || earlier['@removed'] !== undefined)
    return later;
  return { ...earlier, ...later };
}

/** The manager Graph reports: an id, `null` when removed, undefined when not reported. */
function managerOf(user: DeltaUser): EmployeeId | null | undefined {
  const list = user['manager@delta'];
  if (list === undefined) return undefined;
  const current = list.find((m) => m['@removed'] === undefined);
  return current?.id ?? null;
}

/**
 * The person after this round: `existing` (from the store, HR facts included) updated from what
 * Graph reported; undefined when the report does not make or change a person here.
 */
export function mergeUser(
  existing: Employee | undefined,
  user: DeltaUser,
  today: IsoDate,
): Employee | undefined {
  if (user['@removed'] !== undefined) {
    return existing && existing.leaveDate === undefined ? { ...existing, leaveDate: today } : existing;
  }
  const disabled = user.accountEnabled === false;
  const manager = managerOf(user);
  if (existing === undefined) {
    if (disabled || (user.userType ?? 'Member') === 'Guest') return undefined;
    return {
      id: user.id,
      name: text(user.displayName) ?? text(user.mail) ?? user.id,
      email: text(user.mail) ?? text(user.userPrincipalName) ?? '',
      positionNumber: text(user.employeeId) ?? '',
      managerId: manager ?? undefined,
      department: text(user.department) ?? '',
      staffGroup: '',
      startDate: londonDate(user.employeeHireDate) ?? londonDate(user.createdDateTime) ?? today,
    };
  }
  const keep = (hr: string, graph: string | null | undefined) =>
    hr.trim() !== '' ? hr : (text(graph) ?? hr);
  return {
    ...existing,
    name: keep(existing.name, user.displayName),
    email: keep(existing.email, user.mail ?? user.userPrincipalName),
    department: keep(existing.department, user.department),
    positionNumber: keep(existing.positionNumber, user.employeeId),
    managerId: typeof manager === 'string' && manager !== existing.id ? manager : existing.managerId,
    leaveDate: existing.leaveDate ?? (disabled ? today : undefined),
  };
}

/** Reads one delta round: every page until the delta link. */
async function readRound(
  options: DirectorySyncOptions,
  start: string,
): Promise<{ users: Map<string, DeltaUser>; deltaLink: string; pages: number; reported: number }> {
  const users = new Map<string, DeltaUser>();
  let next: string | undefined = start;
  let pages = 0;
  let reported = 0;
  for (;;) {
    let request = options.client.api(next);
    if (options.pageSize !== undefined)
      request = request.header('Prefer', `odata.maxpagesize=${options.pageSize}`);
    const page = (await request.get()) as DeltaPage;
    pages += 1;
    for (const user of page.value ?? []) {
      reported += 1;
      users.set(user.id, fold(users.get(user.id), user));
    }
    options.onPage?.(pages, reported);
    if (page['@odata.nextLink'] !== undefined) {
      next = page['@odata.nextLink'];
      continue;
    }
    const deltaLink = page['@odata.deltaLink'];
    if (deltaLink === undefined) throw new Error('Graph ended a delta round without a deltaLink');
    return { users, deltaLink, pages, reported };
  }
}

/** Runs one sync round and writes the result to the store. */
export async function syncDirectory(options: DirectorySyncOptions): Promise<DirectorySyncResult> {
  const fullStart = `/users/delta?$select=${[...USER_SELECT, 'manager'].join(',')}`;
  let full = options.deltaLink === undefined;
  let round;
  try {
    round = await readRound(options, options.deltaLink ?? fullStart);
  } catch (error) {
    // An expired delta link (410 Gone): start again with a full round, as Graph asks.
    if (!full && statusOfGraphError(error) === 410) {
      options.log.warn('delta link expired; reading the whole directory again');
      full = true;
      round = await readRound(options, fullStart).catch((e: unknown) => {
        throw toGraphFailure(e, 'read users');
      });
    } else {
      throw Object.assign(toGraphFailure(error, 'read users'), { cause: error });
    }
  }

  const existing = new Map<EmployeeId, Employee>();
  for await (const e of options.store.listAll()) existing.set(e.id, e);

  const write: Employee[] = [];
  let skipped = 0;
  for (const user of round.users.values()) {
    const merged = mergeUser(existing.get(user.id), user, options.today);
    if (merged === undefined) skipped += 1;
    else write.push(merged);
  }
  if (full) {
    // Deleted users are absent from a full round: Entra people not seen have left.
    for (const person of existing.values()) {
      if (!round.users.has(person.id) && GUID.test(person.id) && person.leaveDate === undefined) {
        write.push({ ...person, leaveDate: options.today });
      }
    }
  }
  const summary = await options.store.upsertMany(write, options.onWrite);
  options.log.info('directory synced', {
    full,
    pages: round.pages,
    reported: round.reported,
    skipped,
    added: summary.added,
    updated: summary.updated,
    unchanged: summary.unchanged,
    left: summary.left,
  });
  return {
    ...summary,
    deltaLink: round.deltaLink,
    full,
    pages: round.pages,
    reported: round.reported,
    skipped,
  };
}
