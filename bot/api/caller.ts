/**
 * Who is calling the tab API and what they may see (DESIGN.md §6), from the directory and the
 * status index, never from the token's claims beyond its `oid`: three bounded reads — the person
 * (a point read), their team partition, and for managers one quarter of their roll-up partition.
 */
import type express from 'express';
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

/**
 * The caller's roles and direct reports; undefined when they are not (or no longer) in the directory.
 * - manager: at least one current direct report (their team partition);
 * - headOfService: one of those reports manages people themselves. The roll-up partition of a node
 *   has child rows only for child managers' subtrees (`rollupTargets` in bot/records/records.ts),
 *   so one quarter of it answers with one range read instead of a read per report;
 * - od: listed in `OD_MEMBERS`.
 */
export async function resolveCaller(
  deps: Pick<ApiDeps, 'records' | 'clock' | 'odMembers'>,
  id: EmployeeId,
): Promise<ResolvedCaller | undefined> {
  const today = deps.clock.today();
  const employee = await deps.records.directory.getEmployee(id);
  if (employee === undefined || !inPost(employee, today)) return undefined;
  const reports = (await deps.records.team.team(id)).filter((r) => inPost(r.employee, today));
  const manager = reports.length > 0;
  let headOfService = false;
  if (manager) {
    const current = rollupQuarters(today).at(-1)!;
    const rows = await deps.records.rollups.node(id, current, current);
    headOfService = rows.some((r) => r.subjectId !== id && r.figures.headcount - r.figures.left > 0);
  }
  return {
    caller: { id, employee, roles: { manager, headOfService, od: deps.odMembers.has(id) } },
    reports,
  };
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
