/**
 * Who is calling the tab API and what they may see (DESIGN.md §6), from the directory and the
 * status index, never from the token's claims beyond its `oid`: three bounded reads — the person
 * (a point read), their team partition, and for managers one quarter of their roll-up partition —
 * of which only the team is read on every request (the other two are kept for a minute).
 */
import type express from 'express';
import { LRUCache } from 'lru-cache';
import { rollupQuarters } from '../../core/compliance/status-facts';
import { type Employee, type EmployeeId } from '../../core/model';
import { type TeamRow } from '../../core/ports';
import { type CallerRoles, type MeResponse } from '../../core/tab-api';
import { type ApiDeps } from './deps';

/** The signed-in person, resolved once per request and kept in `res.locals.caller`. */
export interface Caller {
  readonly id: EmployeeId;
  readonly employee: Employee;
  readonly roles: CallerRoles;
}

/** A caller and the rows of their current direct reports (read to decide the roles anyway). */
export interface ResolvedCaller {
  readonly caller: Caller;
  /** Current direct reports (not left), in partition order. */
  readonly reports: readonly TeamRow[];
}

/** True while a person is in post at `today` (a leave date today still counts, as on the team card). */
export function inPost(employee: Employee, today: string): boolean {
  return employee.leaveDate === undefined || employee.leaveDate >= today;
}

/** How long a caller's directory row and head-of-service role are kept: both change only with an HR import. */
export const CALLER_TTL_MS = 60_000;
/** The most callers kept (an entry is about half a kilobyte). */
const CALLER_CAPACITY = 10_000;

/** What is kept about a caller. */
interface KnownCaller {
  readonly employee: Employee;
  /** Worked out the first time they call as a manager. */
  headOfService?: boolean;
}

/**
 * Who recent callers are, for {@link CALLER_TTL_MS}: their directory row and, once worked out,
 * whether they are a head of service. Both change only when an HR import runs, so a caller who
 * comes back within the minute costs one read (their team, which holds everything the tab shows
 * them and is never kept) instead of three. A leaver loses access at most a minute after the
 * import that marks them left (a leave date reached loses it at once: it is checked on every
 * request); someone not in the directory is not remembered, so a new starter can sign in as soon
 * as they are imported.
 */
export class CallerCache {
  private readonly known: LRUCache<EmployeeId, KnownCaller>;

  constructor(ttlMs = CALLER_TTL_MS, now: () => number = Date.now) {
    // The cache keeps an entry while its age is at most `ttl`; a caller is forgotten once `ttlMs` is reached.
    this.known = new LRUCache({ max: CALLER_CAPACITY, ttl: ttlMs - 1, ttlResolution: 0, perf: { now } });
  }

  /** The caller as kept, or undefined when not kept or kept too long. */
  get(id: EmployeeId): KnownCaller | undefined {
    return this.known.get(id);
  }

  /** Keeps a caller's directory row (dropping the least recently used when full). */
  remember(employee: Employee): KnownCaller {
    const known: KnownCaller = { employee };
    this.known.set(employee.id, known);
    return known;
  }
}

/**
 * The caller's roles and direct reports; undefined when they are not (or no longer) in the directory.
 * Their directory row comes from {@link CallerCache} when kept; their team is read every time.
 * - manager: at least one current direct report (their team partition);
 * - headOfService: one of those reports manages people themselves. The roll-up partition of a node
 *   has child rows only for child managers' subtrees (`rollupTargets` in bot/records/records.ts),
 *   so one quarter of it answers with one range read instead of a read per report;
 * - od: listed in `OD_MEMBERS`.
 */
export async function resolveCaller(
  deps: Pick<ApiDeps, 'records' | 'clock' | 'odMembers' | 'callers'>,
  id: EmployeeId,
): Promise<ResolvedCaller | undefined> {
  const today = deps.clock.today();
  const lookUp = async () => {
    const employee = await deps.records.directory.getEmployee(id);
    return employee && deps.callers.remember(employee);
  };
  const [known, team] = await Promise.all([deps.callers.get(id) ?? lookUp(), deps.records.team.team(id)]);
  if (known === undefined || !inPost(known.employee, today)) return undefined;
  const reports = team.filter((r) => inPost(r.employee, today));
  const manager = reports.length > 0;
  const headOfService = manager && (known.headOfService ??= await headsAService(deps, id, today));
  return {
    caller: { id, employee: known.employee, roles: { manager, headOfService, od: deps.odMembers.has(id) } },
    reports,
  };
}

/** True when one of a manager's reports manages people in post: one quarter of their roll-up partition. */
async function headsAService(
  deps: Pick<ApiDeps, 'records'>,
  id: EmployeeId,
  today: string,
): Promise<boolean> {
  const current = rollupQuarters(today).at(-1)!;
  const rows = await deps.records.rollups.node(id, current, current);
  return rows.some((r) => r.subjectId !== id && r.figures.headcount - r.figures.left > 0);
}

/** The tab to open first: organisation for OD and heads, team for managers, else conversations. */
export function homeOf(roles: CallerRoles): MeResponse['home'] {
  if (roles.od || roles.headOfService) return 'organisation';
  return roles.manager ? 'team' : 'conversations';
}

/** The caller the auth middleware resolved (routes behind it only). */
export function callerOf(res: express.Response): Caller {
  const caller = (res.locals as { caller?: Caller }).caller;
  if (caller === undefined) throw new Error('callerOf used on a route outside the auth middleware');
  return caller;
}

/** The caller's current direct reports, as the auth middleware read them. */
export function reportsOf(res: express.Response): readonly TeamRow[] {
  return (res.locals as { reports?: readonly TeamRow[] }).reports ?? [];
}
