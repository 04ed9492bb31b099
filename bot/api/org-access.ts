/**
 * Who may see which node of the organisation view (DESIGN.md §6): the OD team any node (by default
 * the organisation's top, the Chief Executive); a head of service their own node and the nodes
 * below them (by default their own); anyone else nothing. A node's place comes from its team row's
 * path (ancestors, the top first), so the check is two point reads, never a walk of the tree.
 */
import { rollupQuarters } from '../../core/compliance/status-facts';
import { type EmployeeId } from '../../core/model';
import { type Records } from '../records/records';
import { ROOT_PARTITION } from '../storage/keys';
import { type Caller } from './caller';
import { PERSON_ID } from './team-actions';

/** A node the caller may see, with where it sits. */
export interface AllowedNode {
  readonly id: EmployeeId;
  readonly name: string;
  readonly department: string;
  /** The node's ancestors, the organisation's top first (not including the node). */
  readonly path: readonly EmployeeId[];
  /**
   * The breadcrumb: from the caller's top (the organisation's top for OD, themselves for a head of
   * service) down to the node.
   */
  readonly crumbs: readonly EmployeeId[];
}

/** The outcome of asking for a node. */
export type NodeAccess =
  | { readonly kind: 'allowed'; readonly node: AllowedNode }
  | { readonly kind: 'forbidden' }
  | { readonly kind: 'not-found' };

/**
 * Resolves the node a caller asked for (or their default) and checks they may see it. A head of
 * service asking for someone outside their subtree, or for an unknown id, is refused without
 * saying which (no probing the directory).
 */
export async function resolveNode(
  records: Records,
  caller: Caller,
  requested: EmployeeId | undefined,
): Promise<NodeAccess> {
  const od = caller.roles.od;
  if (!od && !caller.roles.headOfService) return { kind: 'forbidden' };
  const id = requested ?? (od ? await organisationTop(records) : caller.id);
  if (id === undefined) return { kind: 'not-found' };
  const denied: NodeAccess = od || id === caller.id ? { kind: 'not-found' } : { kind: 'forbidden' };
  // A node that is no id the directory writes (a `/`, `#`, control characters) is nobody, not a storage error.
  if (!PERSON_ID.test(id)) return denied;
  const employee = await records.directory.getEmployee(id);
  if (employee === undefined) return denied;
  const row = await records.team.get(employee.managerId, id);
  if (row === undefined) return denied;
  const path = row.path;
  if (!od && id !== caller.id && !path.includes(caller.id)) return { kind: 'forbidden' };
  const from = od ? 0 : path.indexOf(caller.id);
  const crumbs = [...(from < 0 ? [] : path.slice(from)), id];
  return {
    kind: 'allowed',
    node: { id, name: employee.name, department: employee.department, path, crumbs },
  };
}

/**
 * The organisation's top: the person without a manager whose subtree is largest (the Chief
 * Executive), read from the organisation roll-up partition (`~root`), current quarter only.
 */
export async function organisationTop(records: Records): Promise<EmployeeId | undefined> {
  const current = rollupQuarters(records.clock.today()).at(-1);
  const rows = await records.rollups.node(ROOT_PARTITION, current, current);
  let top: { id: EmployeeId; headcount: number } | undefined;
  for (const r of rows) {
    if (r.subjectId === ROOT_PARTITION) continue;
    const better =
      top === undefined ||
      r.figures.headcount > top.headcount ||
      (r.figures.headcount === top.headcount && r.subjectId < top.id);
    if (better) top = { id: r.subjectId, headcount: r.figures.headcount };
  }
  return top?.id;
}
