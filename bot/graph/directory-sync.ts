/**
 * Directory sync: users and their managers from Microsoft Graph's `/users/delta` (every page),
 * merged into the directory store with the HR import's facts. A first round (no delta link) reads
 * everyone; later rounds read only what changed since the last one. Rules (README "Microsoft
 * Graph"):
 * - Graph owns the name (displayName) and e-mail (mail, else userPrincipalName): they follow
 *   Graph whenever it reports them. The manager follows Graph unless HR set it
 *   (`managerSource: 'hr'`); a manager removed in Entra leaves the last known one. Everyone Graph
 *   reports is marked `inDirectory`.
 * - HR owns position number (once given), department (once given), staff group, start, leave and
 *   pay-step dates, HR flags and out-of-scope; Graph only fills them for someone HR has not sent.
 * - People are added only as `GRAPH_PEOPLE` allows (by default an enabled Member with an
 *   employeeId or a manager), so rooms, shared mailboxes and service accounts stay out.
 * - A disabled account, a user `@removed`, or (in a full round) an Entra id Graph no longer has
 *   becomes a leaver dated the sync day, `leaveDateSource: 'directory'`. Re-enabling the account
 *   or restoring the user (a soft delete, kept 30 days) clears that leave date; a leave date from
 *   HR is never cleared here.
 * - An expired delta link (410, or any 4xx with code `syncStateNotFound` or `resyncRequired`,
 *   DESIGN.md §5 "Known facts") starts a full round in the same run.
 */
import { type Client } from '@microsoft/microsoft-graph-client';
import { type Employee, type EmployeeId, type IsoDate } from '../../core/model';
import { type DirectoryStore, type DirectoryWriteSummary } from '../../core/ports';
import { utcToWallTime } from '../../core/dates/london-time';
import { type GraphPeopleRule } from '../config';
import { type Logger } from '../log';
import { runBatch } from './batch';
import { isTransportError, statusOfGraphError, toGraphFailure } from './errors';

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
  /** `changed`: soft-deleted (Entra can restore it for 30 days); `deleted`: gone for good. */
  readonly '@removed'?: { readonly reason?: string };
}

/** A user as `/users/{id}?$expand=manager` returns it. */
type FetchedUser = Omit<DeltaUser, 'manager@delta' | '@removed'> & {
  readonly manager?: { readonly id: string } | null;
};

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
  /** Which accounts may be added as people (`GRAPH_PEOPLE`); default `members-with-employee-id-or-manager`. */
  readonly people?: GraphPeopleRule;
  readonly log: Logger;
  /** Reading progress: pages and users read so far. */
  readonly onPage?: (pages: number, users: number) => void;
  /** Writing progress, from the store. */
  readonly onWrite?: (done: number, total: number) => void;
  /**
   * Give up on one page request (the client's 429/503/504 retries included) after this long, then
   * read the page again (a GET is safe to repeat), at most {@link PAGE_ATTEMPTS} times. Default 30 s.
   */
  readonly timeoutMs?: number;
}

/** Attempts of one delta page whose answer never came (timed out or the connection dropped). */
const PAGE_ATTEMPTS = 3;

/** What a sync did. */
export interface DirectorySyncResult extends DirectoryWriteSummary {
  /** Keep it for the next round (it reads only changes since this one). */
  readonly deltaLink: string;
  readonly full: boolean;
  readonly pages: number;
  /** Users (or removals) Graph reported. */
  readonly reported: number;
  /**
   * Reported users not taken in: accounts `GRAPH_PEOPLE` does not add (rooms, service accounts,
   * guests, disabled accounts never seen before) and removals of unknown people.
   */
  readonly skipped: number;
}

/** Graph error codes of a delta link it no longer has state for (with a 4xx status). */
const EXPIRED_DELTA_CODES: ReadonlySet<string> = new Set(['syncstatenotfound', 'resyncrequired']);

/**
 * True when Graph refused a delta link because it expired (DESIGN.md §5 "Known facts"): 410, or
 * any 4xx whose error code is `syncStateNotFound` or `resyncRequired`, in any case.
 */
export function isExpiredDeltaLink(error: unknown): boolean {
  const status = statusOfGraphError(error);
  if (status === 410) return true;
  if (status < 400 || status >= 500) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && EXPIRED_DELTA_CODES.has(code.toLowerCase());
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
 * True when an account Graph reports for the first time may become a person here (README
 * "Microsoft Graph", `GRAPH_PEOPLE`): never a disabled account or a guest; under
 * `members-with-employee-id-or-manager` an account with an employeeId or a manager, which rooms,
 * shared mailboxes and service accounts do not have.
 */
export function admitsNewUser(user: DeltaUser, rule: GraphPeopleRule): boolean {
  if (rule === 'hr-known') return false;
  if (user.accountEnabled === false || (user.userType ?? 'Member') !== 'Member') return false;
  return text(user.employeeId) !== undefined || typeof managerOf(user) === 'string';
}

/**
 * The e-mail Graph reports — `mail`, else (no mailbox) `userPrincipalName` — or undefined when this
 * report does not say: a report with only one of the two is completed first ({@link needsWholeUser}).
 */
function reportedEmail(user: DeltaUser): string | undefined {
  if (user.mail === undefined) return undefined;
  return text(user.mail) ?? text(user.userPrincipalName);
}

/**
 * The person after this round: `existing` (from the store, HR facts included) updated from what
 * Graph reported; undefined when the report does not make or change a person here.
 */
export function mergeUser(
  existing: Employee | undefined,
  user: DeltaUser,
  today: IsoDate,
  rule: GraphPeopleRule = 'members-with-employee-id-or-manager',
): Employee | undefined {
  if (user['@removed'] !== undefined) {
    // Soft or hard delete alike make a leaver; only a soft-deleted user can come back (restored).
    if (existing === undefined || existing.leaveDate !== undefined) return existing;
    return { ...existing, leaveDate: today, leaveDateSource: 'directory' };
  }
  const manager = managerOf(user);
  if (existing === undefined) {
    if (!admitsNewUser(user, rule)) return undefined;
    return {
      id: user.id,
      name: text(user.displayName) ?? text(user.mail) ?? user.id,
      email: reportedEmail(user) ?? text(user.userPrincipalName) ?? '',
      positionNumber: text(user.employeeId) ?? '',
      managerId: manager ?? undefined,
      ...(typeof manager === 'string' ? { managerSource: 'directory' as const } : {}),
      department: text(user.department) ?? '',
      staffGroup: '',
      startDate: londonDate(user.employeeHireDate) ?? londonDate(user.createdDateTime) ?? today,
      inDirectory: true,
    };
  }
  const fill = (hr: string, graph: string | null | undefined) =>
    hr.trim() !== '' ? hr : (text(graph) ?? hr);
  let { leaveDate, leaveDateSource, managerId, managerSource } = existing;
  if (user.accountEnabled === false && leaveDate === undefined) {
    leaveDate = today;
    leaveDateSource = 'directory';
  } else if (user.accountEnabled === true && leaveDate !== undefined && leaveDateSource === 'directory') {
    // Re-enabled (back from suspension or long leave) or restored after a soft delete. A leave
    // date from HR, or from before sources were kept, stays.
    leaveDate = undefined;
    leaveDateSource = undefined;
  }
  if (typeof manager === 'string' && manager !== existing.id && managerSource !== 'hr') {
    managerId = manager;
    managerSource = 'directory';
  }
  return {
    ...existing,
    name: text(user.displayName) ?? existing.name,
    email: reportedEmail(user) ?? existing.email,
    department: fill(existing.department, user.department),
    positionNumber: fill(existing.positionNumber, user.employeeId),
    managerId,
    managerSource,
    leaveDate,
    leaveDateSource,
    inDirectory: true,
  };
}

/**
 * True when a delta round reported too little of a user to merge them: an account seen for the
 * first time with only some properties that the rule might add (e.g. a manager given to an account
 * skipped when created), or a person whose `mail` or `userPrincipalName` changed without the other
 * (the e-mail depends on both).
 */
function needsWholeUser(user: DeltaUser, existing: Employee | undefined, rule: GraphPeopleRule): boolean {
  if (user['@removed'] !== undefined) return false;
  if (existing === undefined) {
    return (
      rule !== 'hr-known' &&
      user.displayName === undefined &&
      user.accountEnabled !== false &&
      user.userType !== 'Guest'
    );
  }
  const upn = user.userPrincipalName !== undefined;
  return user.mail === undefined ? upn : text(user.mail) === undefined && !upn;
}

/**
 * Reads whole users that a delta round reported only in part ({@link needsWholeUser}), in `$batch`
 * steps of 20, and puts them in the round instead. A user gone meanwhile (404) keeps its report.
 */
async function completeUsers(
  options: DirectorySyncOptions,
  users: Map<string, DeltaUser>,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const select = USER_SELECT.join(',');
  const answers = await runBatch(
    options.client,
    ids.map((id, i) => ({
      id: String(i),
      method: 'GET' as const,
      url: `/users/${encodeURIComponent(id)}?$select=${select}&$expand=manager($select=id)`,
    })),
  );
  ids.forEach((id, i) => {
    const answer = answers.get(String(i));
    if (answer === undefined || answer.status === 404) return;
    if (answer.status >= 400) {
      const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code ?? 'unknown';
      throw toGraphFailure(Object.assign(new Error(code), { statusCode: answer.status }), 'read users');
    }
    const { manager, ...whole } = answer.body as FetchedUser;
    users.set(id, {
      ...whole,
      id,
      'manager@delta': manager ? [{ id: manager.id }] : [],
    });
  });
}

/**
 * Reads one page, each attempt under a deadline: without one a Graph that accepts the request and
 * never answers holds the daily sync (and its job lease) for ever. A page whose answer never came
 * is read again; an HTTP error is the caller's to map.
 */
async function readPage(options: DirectorySyncOptions, url: string): Promise<DeltaPage> {
  for (let attempt = 1; ; attempt++) {
    let request = options.client.api(url).option('signal', AbortSignal.timeout(options.timeoutMs ?? 30_000));
    if (options.pageSize !== undefined)
      request = request.header('Prefer', `odata.maxpagesize=${options.pageSize}`);
    try {
      return (await request.get()) as DeltaPage;
    } catch (error) {
      if (!isTransportError(error) || attempt >= PAGE_ATTEMPTS) throw error;
      options.log.warn('graph delta page not answered; reading it again', { attempt });
    }
  }
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
    const page = await readPage(options, next);
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
  const rule = options.people ?? 'members-with-employee-id-or-manager';
  let full = options.deltaLink === undefined;
  let round;
  try {
    round = await readRound(options, options.deltaLink ?? fullStart);
  } catch (error) {
    if (full || !isExpiredDeltaLink(error)) {
      throw Object.assign(toGraphFailure(error, 'read users'), { cause: error });
    }
    // Graph no longer has the link's state: read everyone again, as Graph asks.
    const failure = toGraphFailure(error, 'read users');
    options.log.warn('delta link expired; reading the whole directory again', {
      status: failure.status,
      code: failure.code,
    });
    full = true;
    try {
      round = await readRound(options, fullStart);
    } catch (again) {
      throw Object.assign(toGraphFailure(again, 'read users'), { cause: again });
    }
  }

  const existing = new Map<EmployeeId, Employee>();
  for await (const e of options.store.listAll()) existing.set(e.id, e);

  const partial = [...round.users.values()]
    .filter((u) => needsWholeUser(u, existing.get(u.id), rule))
    .map((u) => u.id);
  try {
    await completeUsers(options, round.users, partial);
  } catch (error) {
    throw Object.assign(toGraphFailure(error, 'read users'), { cause: error });
  }

  const write: Employee[] = [];
  let skipped = 0;
  for (const user of round.users.values()) {
    const merged = mergeUser(existing.get(user.id), user, options.today, rule);
    if (merged === undefined) skipped += 1;
    else write.push(merged);
  }
  if (full) {
    // Deleted users are absent from a full round: Entra people not seen have left.
    for (const person of existing.values()) {
      if (!round.users.has(person.id) && GUID.test(person.id) && person.leaveDate === undefined) {
        write.push({ ...person, leaveDate: options.today, leaveDateSource: 'directory' });
      }
    }
  }
  const summary = await options.store.upsertMany(write, options.onWrite, existing);
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
