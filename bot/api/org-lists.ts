/**
 * The organisation view's exception lists (DESIGN.md §4 Tab, PC §4.2 "OD follows up on people with
 * no conversation"): who is overdue, and who has had none in 12 months, below a node — read from
 * the exceptions index, never by scanning the organisation (DESIGN.md §5): one partition for a node
 * inside a service, one per service below a directorate or the top. Names, dates and counts only (§6).
 */
import { type EmployeeId } from '../../core/model';
import { type OrgListKind, type OrgListRow } from '../../core/tab-api';
import { COMPLIANCE_STATUSES, type ComplianceStatus } from '../../core/policy/schema';
import { forEachLimit } from '../concurrency';
import { policyWords } from '../i18n/policy-words';
import { type Records } from '../records/records';
import { type ExceptionRow, serviceOf } from '../storage/exception-table';
import { ROOT_PARTITION } from '../storage/keys';
import { type AllowedNode } from './org-access';

/** Partition reads in flight at once for one list. */
const READS = 4;

/** Most overdue first, then by name, then by id: the order every list is shown and exported in. */
function byUrgency(a: ExceptionRow, b: ExceptionRow): number {
  return (
    b.daysOverdue - a.daysOverdue ||
    a.name.localeCompare(b.name, 'en-GB') ||
    (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0)
  );
}

/**
 * A list below a node, sorted (most overdue first, then by name): every row, or with `limit` only
 * the first `limit` and the count of all. With a limit the rows are kept as the partitions are read
 * and cut back to the limit whenever twice as many are held, so the top node's list of 500 holds
 * about 1,000 rows, not every overdue person in the organisation.
 */
export async function orgList(
  records: Records,
  node: AllowedNode,
  kind: OrgListKind,
  department: string | undefined,
  limit = Infinity,
): Promise<{ rows: OrgListRow[]; total: number }> {
  const needle = department?.trim().toLocaleLowerCase('en-GB') ?? '';
  const wanted = (r: ExceptionRow) =>
    (r.employeeId === node.id || r.path.includes(node.id)) &&
    (needle === '' || r.department.toLocaleLowerCase('en-GB').includes(needle));
  let kept: ExceptionRow[] = [];
  let total = 0;
  await forEachLimit(await servicesUnder(records, node), READS, async (service) => {
    for (const row of await records.exceptions.list(kind, service)) {
      if (!wanted(row)) continue;
      total++;
      kept.push(row);
    }
    if (kept.length > 2 * limit) kept = kept.sort(byUrgency).slice(0, limit);
  });
  const words = policyWords(records.policy);
  const rows = kept
    .sort(byUrgency)
    .slice(0, limit)
    .map((r) => ({
      employeeId: r.employeeId,
      name: r.name,
      department: r.department,
      managerName: r.managerName,
      status: r.status,
      statusLabel: words.status(isStatus(r.status) ? r.status : 'unknown'),
      daysOverdue: r.daysOverdue,
      lastHeld: r.lastHeld ?? null,
    }));
  return { rows, total };
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

function isStatus(value: string): value is ComplianceStatus {
  return (COMPLIANCE_STATUSES as readonly string[]).includes(value);
}
