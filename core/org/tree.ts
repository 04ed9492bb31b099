/**
 * The management tree built from each employee's manager id: direct reports, subtrees cascading
 * from the root (the Chief Executive, procedure §2.3), depth, and walking up the chain for
 * escalation (procedure §4.2) and appeals (Career Conversations policy §5.10).
 */
import type { Employee, EmployeeId } from '../model';

/** The management tree over an employee list; indices refer to that list. */
export interface OrgTree {
  readonly ids: readonly EmployeeId[];
  readonly indexOf: ReadonlyMap<EmployeeId, number>;
  /** Index of each person's manager, −1 at a root (no manager, a manager not in the list, or a cycle break). */
  readonly managerIndex: Int32Array;
  /** Direct reports of each person, in list order. */
  readonly children: readonly (readonly number[])[];
  /** Distance from the root of the person's tree: 0 for the root (the Chief Executive). */
  readonly depth: Int32Array;
  readonly roots: readonly number[];
}

const NO_CHILDREN: readonly number[] = Object.freeze([]);

/**
 * Builds the tree. Throws on a duplicate employee id. A manager id that is not in the list makes
 * the person a root; a cycle in the manager chain is broken at the first person of the list found
 * in it, who becomes a root.
 */
export function buildOrgTree(employees: readonly Employee[]): OrgTree {
  const n = employees.length;
  const indexOf = new Map<EmployeeId, number>();
  const ids: EmployeeId[] = new Array<EmployeeId>(n);
  for (let i = 0; i < n; i += 1) {
    const id = (employees[i] as Employee).id;
    if (indexOf.has(id)) throw new RangeError(`duplicate employee id "${id}"`);
    indexOf.set(id, i);
    ids[i] = id;
  }
  const managerIndex = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i += 1) {
    const m = (employees[i] as Employee).managerId;
    if (m === undefined || m === '') continue;
    const j = indexOf.get(m);
    if (j !== undefined && j !== i) managerIndex[i] = j;
  }
  // Depths, breaking cycles: 0 = unvisited, 1 = on the current path, 2 = done.
  const depth = new Int32Array(n);
  const state = new Uint8Array(n);
  const path: number[] = [];
  for (let i = 0; i < n; i += 1) {
    if (state[i] === 2) continue;
    let k = i;
    while (k !== -1 && state[k] === 0) {
      state[k] = 1;
      path.push(k);
      k = managerIndex[k] ?? -1;
    }
    if (k !== -1 && state[k] === 1) {
      // A cycle: cut it at its first member in list order.
      const cycleStart = path.indexOf(k);
      const members = path.slice(cycleStart);
      const cut = Math.min(...members);
      managerIndex[cut] = -1;
      // Re-walk this path from scratch with the cut in place.
      for (const p of path) state[p] = 0;
      path.length = 0;
      i -= 1;
      continue;
    }
    let d = k === -1 ? -1 : (depth[k] ?? 0);
    for (let p = path.length - 1; p >= 0; p -= 1) {
      const node = path[p] as number;
      d += 1;
      depth[node] = d;
      state[node] = 2;
    }
    path.length = 0;
  }
  // Leaves share one empty array: most people manage nobody.
  const children = new Array<readonly number[]>(n).fill(NO_CHILDREN);
  const roots: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const m = managerIndex[i] ?? -1;
    if (m === -1) {
      roots.push(i);
      continue;
    }
    const list = children[m];
    if (list === NO_CHILDREN) children[m] = [i];
    else (list as number[]).push(i);
  }
  return { ids, indexOf, managerIndex, children, depth, roots };
}

/** Indices of everyone below a person (not the person), breadth first. */
export function descendantsOf(tree: OrgTree, index: number): number[] {
  const out: number[] = [];
  const queue = [...(tree.children[index] ?? [])];
  for (let q = 0; q < queue.length; q += 1) {
    const i = queue[q] as number;
    out.push(i);
    for (const c of tree.children[i] ?? []) queue.push(c);
  }
  return out;
}

/** The chain of managers above a person, nearest first. */
export function managerChain(tree: OrgTree, index: number): number[] {
  const out: number[] = [];
  let k = tree.managerIndex[index] ?? -1;
  while (k !== -1) {
    out.push(k);
    k = tree.managerIndex[k] ?? -1;
  }
  return out;
}

/**
 * The person's ancestor at a given depth (0 = root) if that ancestor is above their manager;
 * otherwise their manager's manager; undefined at the top. Used to find the Head of Service or
 * Director for an escalation (procedure §4.2).
 */
export function escalationTargetAtLevel(tree: OrgTree, index: number, level: number): number | undefined {
  const chain = managerChain(tree, index);
  const manager = chain[0];
  if (manager === undefined) return undefined;
  const managerDepth = tree.depth[manager] ?? 0;
  if (level < managerDepth) return chain.find((a) => tree.depth[a] === level);
  return chain[1];
}

/** The person `levels` above the employee's manager (1 = the manager's manager), if any. */
export function managerAbove(tree: OrgTree, index: number, levels: number): number | undefined {
  return managerChain(tree, index)[levels];
}

/**
 * The manager who hears an appeal: the next in line above the manager who held the conversation
 * (Career Conversations policy §5.10).
 */
export function appealManagerFor(tree: OrgTree, conversationManagerId: EmployeeId): EmployeeId | undefined {
  const i = tree.indexOf.get(conversationManagerId);
  if (i === undefined) return undefined;
  const m = tree.managerIndex[i] ?? -1;
  return m === -1 ? undefined : tree.ids[m];
}

/**
 * The people whose chain of managers comes back to themselves (A reports to B, B to A), each with
 * the cycle as ids in reporting order starting from them. A management tree cascades down from
 * the top (PC §2.3): a cycle has no top, so its people would be in no one's subtree.
 */
export function reportingCycles(people: ReadonlyMap<EmployeeId, Employee>): Map<EmployeeId, EmployeeId[]> {
  const cycles = new Map<EmployeeId, EmployeeId[]>();
  const settled = new Set<EmployeeId>();
  for (const start of people.keys()) {
    const walk: EmployeeId[] = [];
    const onWalk = new Map<EmployeeId, number>();
    let id: EmployeeId | undefined = start;
    while (id !== undefined && people.has(id) && !settled.has(id) && !onWalk.has(id)) {
      onWalk.set(id, walk.length);
      walk.push(id);
      id = people.get(id)?.managerId;
    }
    if (id !== undefined && onWalk.has(id)) {
      const loop = walk.slice(onWalk.get(id));
      loop.forEach((member, k) => cycles.set(member, [...loop.slice(k), ...loop.slice(0, k), member]));
    }
    for (const member of walk) settled.add(member);
  }
  return cycles;
}
