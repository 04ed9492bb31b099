/**
 * The organisation view's exception lists (DESIGN.md §4 Tab, PC §4.2 "OD follows up on people with
 * no conversation"): who is overdue, and who has had none in 12 months, below a node — read from
 * the exceptions index, never by scanning the organisation (DESIGN.md §5): one partition for a node
 * inside a service, one per service below a directorate or the top. Names, dates and counts only (§6).
 */
import { type EmployeeId } from '../../core/model';
import { type OrgListKind, type OrgListRow } from '../../core/tab-api';
import { forEachLimit } from '../concurrency';
import { type Records } from '../records/records';
import { type ExceptionRow, serviceOf } from '../storage/exception-table';
import { ROOT_PARTITION } from '../storage/keys';
import { type AllowedNode } from './org-access';

/** Partition reads in flight at once for one list. */
const READS = 4;

/** A list below a node, every row (sorted: most overdue first, then by name). */
export async function orgList(
  records: Records,
  node: AllowedNode,
  kind: OrgListKind,
  department: string | undefined,
): Promise<OrgListRow[]> {
  const rows: ExceptionRow[] = [];
  await forEachLimit(await servicesUnder(records, node), READS, async (service) => {
    rows.push(...(await records.exceptions.list(kind, service)));
  });
  const needle = department?.trim().toLocaleLowerCase('en-GB') ?? '';
  return rows
    .filter((r) => r.employeeId === node.id || r.path.includes(node.id))
    .filter((r) => needle === '' || r.department.toLocaleLowerCase('en-GB').includes(needle))
    .sort(
      (a, b) =>
        b.daysOverdue - a.daysOverdue ||
        a.name.localeCompare(b.name, 'en-GB') ||
        (a.employeeId < b.employeeId ? -1 : 1),
    )
    .map((r) => ({
      employeeId: r.employeeId,
      name: r.name,
      department: r.department,
      managerName: r.managerName,
      status: r.status,
      daysOverdue: r.daysOverdue,
      lastHeld: r.lastHeld ?? null,
    }));
}

/**
 * The service buckets a node's subtree lies in (`serviceOf`): a node at depth 2 or below is in one;
 * a directorate (depth 1) is its own bucket and each direct report's (one team partition read); the
 * top is `~root` and each directorate's buckets.
 */
async function servicesUnder(records: Records, node: AllowedNode): Promise<string[]> {
  if (node.path.length >= 2) return [serviceOf(node.path, node.id)];
  const reportsOf = async (id: EmployeeId) => (await records.team.team(id)).map((r) => r.employee.id);
  if (node.path.length === 1) return [node.id, ...(await reportsOf(node.id))];
  const directorates = await reportsOf(node.id);
  const below = await Promise.all(directorates.map(async (d) => [d, ...(await reportsOf(d))]));
  return [ROOT_PARTITION, ...below.flat()];
}
