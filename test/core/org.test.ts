/** Organisation figures (DESIGN.md §3.1 "Quarterly completion", "Rolling completion"; PC §2.3, §4.2). */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  appealManagerFor,
  buildOrgTree,
  descendantsOf,
  escalationTargetAtLevel,
  evaluateOrganisation,
  figuresBy,
  groupFigures,
  noConversationIn12Months,
  PROFESSIONAL_CONVERSATION,
  quarterlyCompletion,
  rollingCompletion,
  rollUp,
  statusCounts,
  type ConversationFacts,
  type Employee,
  type GroupFigures,
  type RollUpNode,
} from '../../core/index';

const PC = PROFESSIONAL_CONVERSATION;

function person(id: string, managerId: string | undefined, extra: Partial<Employee> = {}): Employee {
  return {
    id,
    name: `Person ${id}`,
    email: `${id.toLowerCase()}@example.gov.uk`,
    positionNumber: id,
    managerId,
    department: 'Adult Services',
    staffGroup: 'Officer',
    startDate: '2020-01-06',
    ...extra,
  };
}

let seq = 0;
function held(
  employeeId: string,
  date: string,
  status: ConversationFacts['status'] = 'completed',
): ConversationFacts {
  seq += 1;
  return { id: `C${seq}`, employeeId, type: 'professional-conversation', date, managerId: 'X', status };
}

/**
 * CEO → D1 (director) → H1 (head of service) → T1 (team manager) → S1…S4; D1 → S5 (Resources).
 * At D = 14 Aug 2026, quarter 2026/27 Q2 (1 Jul – 30 Sep) is in progress.
 */
const people: Employee[] = [
  person('CEO', undefined),
  person('D1', 'CEO'),
  person('H1', 'D1'),
  person('T1', 'H1'),
  person('S1', 'T1'),
  person('S2', 'T1', { startDate: '2026-04-15' }), // eligibleFrom 15 Jul: a new starter inside the quarter
  person('S3', 'T1', { leaveDate: '2026-08-01' }), // left before D
  person('S4', 'T1', { staffGroup: 'NJC' }), // excluded
  person('S5', 'D1', { department: 'Resources' }),
];
const conversations: ConversationFacts[] = [
  held('S1', '2026-07-01'), // first day of Q2
  held('S2', '2026-07-20'),
  held('S3', '2026-07-10'),
  held('S4', '2026-07-10'),
  held('S5', '2026-06-30'), // last day of Q1: not in Q2
  held('T1', '2026-08-20', 'scheduled'),
  held('H1', '2025-09-01'),
  held('H1', '2025-12-01'),
  held('H1', '2026-03-01'),
  held('H1', '2026-06-01'),
];
const org = evaluateOrganisation(PC, people, conversations, '2026-08-14');

describe('org: quarterly completion (DESIGN.md §3.1)', () => {
  it('counts eligible-on-first-day, in-post-at-end, not-excluded people; the in-progress quarter ends at D', () => {
    const q = quarterlyCompletion(org);
    // Population: CEO, D1, H1, T1, S1, S5 (S2 eligible 15 Jul, S3 left 1 Aug, S4 excluded).
    // Completed in Q2 up to D: S1 (1 Jul).
    assert.deepEqual(q, {
      figure: 'held-in-quarter',
      quarter: '2026/27 Q2',
      firstDay: '2026-07-01',
      lastDay: '2026-09-30',
      asOf: '2026-08-14',
      inProgress: true,
      eligible: 6,
      completed: 1,
      rate: 1 / 6,
    });
  });

  it('quarter edges: 30 June counts in Q1, not Q2; a past quarter tests "in post" at its end', () => {
    const q1 = quarterlyCompletion(org, '2026/27 Q1');
    // Q1 (1 Apr – 30 Jun): eligible on 1 Apr: everyone but S2 (eligible 15 Jul) and S4 (excluded);
    // S3 was still in post on 30 Jun. Held in Q1: S5 (30 Jun), H1 (1 Jun).
    assert.deepEqual([q1.eligible, q1.completed, q1.inProgress, q1.asOf], [7, 2, false, '2026-06-30']);
  });

  it('a quarter that starts after D is refused', () => {
    assert.throws(() => quarterlyCompletion(org, '2026/27 Q3'), /starts after the evaluation date/);
  });
});

describe('org: rolling completion, counts and lists by scope', () => {
  it('rolling completion = compliant ÷ (not left, not excluded, not induction) (DESIGN.md §3.1)', () => {
    // Population: CEO, D1, H1, T1, S1, S2, S5 (S2 became eligible 15 Jul). Compliant: H1 (4 held),
    // S2 (E = 31 days → expected 0).
    assert.deepEqual(rollingCompletion(org), { at: '2026-08-14', eligible: 7, completed: 2, rate: 2 / 7 });
  });

  it("a manager's direct reports versus the whole subtree", () => {
    assert.deepEqual(statusCounts(org, { kind: 'direct-reports', managerId: 'T1' }), {
      left: 1,
      excluded: 1,
      induction: 0,
      overdue: 0,
      'due-soon': 0,
      'on-track': 2,
    });
    const team = groupFigures(org, { kind: 'direct-reports', managerId: 'T1' });
    assert.deepEqual([team.quarterly.eligible, team.quarterly.completed, team.headcount], [1, 1, 4]);
    const subtree = groupFigures(org, { kind: 'subtree', rootId: 'D1' });
    assert.deepEqual([subtree.headcount, subtree.rolling.eligible, subtree.rolling.completed], [7, 5, 2]);
    const withRoot = groupFigures(org, { kind: 'subtree', rootId: 'D1', includeRoot: true });
    assert.equal(withRoot.headcount, 8);
  });

  it('by department and by staff group', () => {
    const byDept = figuresBy(org, 'department');
    assert.deepEqual(
      byDept.map((g) => [g.key, g.figures.headcount, g.figures.quarterly.eligible]),
      [
        ['Adult Services', 8, 5],
        ['Resources', 1, 1],
      ],
    );
    const byGroup = figuresBy(org, 'staff-group');
    assert.deepEqual(
      byGroup.map((g) => [g.key, g.figures.headcount, g.figures.counts.excluded]),
      [
        ['NJC', 1, 1],
        ['Officer', 8, 0],
      ],
    );
    // Directorates: people at depth 1 and everyone below them.
    assert.deepEqual(
      figuresBy(org, { orgLevel: 1 }).map((g) => [g.key, g.figures.headcount]),
      [['D1', 8]],
    );
  });

  it('lists people with no conversation in 12 months, longest overdue first (PC §4.2)', () => {
    const rows = noConversationIn12Months(org);
    assert.deepEqual(
      rows.map((r) => r.employeeId),
      ['CEO', 'D1', 'T1'],
    );
    assert.ok(rows.every((r) => r.lastHeld === undefined && r.status === 'overdue'));
  });

  it('rejects an unknown id in a scope', () => {
    assert.throws(
      () => statusCounts(org, { kind: 'direct-reports', managerId: 'NOPE' }),
      /unknown employee id "NOPE"/,
    );
  });
});

describe('org: the management tree (PC §2.3 cascade, §4.2 escalation; CC §5.10 appeals)', () => {
  const tree = org.tree;
  it('knows depths, descendants and the escalation targets up the chain', () => {
    const i = (id: string): number => tree.indexOf.get(id) ?? -1;
    assert.deepEqual(
      ['CEO', 'D1', 'H1', 'T1', 'S1'].map((id) => tree.depth[i(id)]),
      [0, 1, 2, 3, 4],
    );
    assert.equal(descendantsOf(tree, i('H1')).length, 5);
    // S1's manager T1 is at depth 3: head of service (level 2) is H1, director (level 1) is D1.
    assert.equal(tree.ids[escalationTargetAtLevel(tree, i('S1'), 2) ?? -1], 'H1');
    assert.equal(tree.ids[escalationTargetAtLevel(tree, i('S1'), 1) ?? -1], 'D1');
    // S5's manager is the director (depth 1): "head of service" escalates to the director's manager.
    assert.equal(tree.ids[escalationTargetAtLevel(tree, i('S5'), 2) ?? -1], 'CEO');
    assert.equal(appealManagerFor(tree, 'T1'), 'H1');
    assert.equal(appealManagerFor(tree, 'CEO'), undefined);
  });

  it('breaks manager cycles and treats unknown managers as roots', () => {
    const t = buildOrgTree([person('A', 'B'), person('B', 'C'), person('C', 'A'), person('Z', 'GONE')]);
    assert.deepEqual(
      t.roots.map((r) => t.ids[r]),
      ['A', 'Z'],
    );
    assert.deepEqual(Array.from(t.depth), [0, 2, 1, 0]);
    assert.throws(
      () => buildOrgTree([person('A', undefined), person('A', undefined)]),
      /duplicate employee id "A"/,
    );
  });
});

function sum(figs: readonly GroupFigures[]): number[] {
  const total = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const f of figs) {
    const v = [
      f.quarterly.eligible,
      f.quarterly.completed,
      f.rolling.eligible,
      f.rolling.completed,
      f.headcount,
      ...Object.values(f.counts),
    ];
    v.forEach((x, k) => (total[k] = (total[k] ?? 0) + x));
  }
  return total;
}

describe('org: roll-ups add up (property)', () => {
  const arbOrg = fc
    .array(
      fc.record({
        parent: fc.nat(),
        startOffset: fc.integer({ min: 0, max: 3000 }),
        leaves: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
        excluded: fc.boolean(),
        held: fc.array(
          fc.record({
            daysAgo: fc.integer({ min: -30, max: 500 }),
            status: fc.constantFrom('completed', 'scheduled', 'cancelled'),
          }),
          { maxLength: 8 },
        ),
      }),
      { minLength: 1, maxLength: 40 },
    )
    .map((rows) => {
      const at = 20_600; // 2026-05-25
      const iso = (n: number): string => new Date(n * 86_400_000).toISOString().slice(0, 10);
      const employees: Employee[] = rows.map((r, i) =>
        person(`P${i}`, i === 0 ? undefined : `P${r.parent % i}`, {
          startDate: iso(at - r.startOffset),
          leaveDate: r.leaves === undefined ? undefined : iso(at - r.leaves + 200),
          staffGroup: r.excluded ? 'njc' : 'Officer',
        }),
      );
      const convs = rows.flatMap((r, i) => r.held.map((h) => held(`P${i}`, iso(at - h.daysAgo), h.status)));
      return evaluateOrganisation(PC, employees, convs, iso(at));
    });

  it('a subtree equals its root plus the sum of its children’s subtrees', () => {
    fc.assert(
      fc.property(arbOrg, (o) => {
        for (const id of o.tree.ids) {
          const whole = groupFigures(o, { kind: 'subtree', rootId: id, includeRoot: true });
          const self = groupFigures(o, { kind: 'employees', ids: [id] });
          const index = o.tree.indexOf.get(id) ?? -1;
          const parts = (o.tree.children[index] ?? []).map((c) =>
            groupFigures(o, { kind: 'subtree', rootId: o.tree.ids[c] ?? '', includeRoot: true }),
          );
          assert.deepEqual(sum([whole]), sum([self, ...parts]));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the roll-up tree agrees with scope figures at every node, and the roots sum to everyone', () => {
    fc.assert(
      fc.property(arbOrg, (o) => {
        const visit = (node: RollUpNode): void => {
          assert.deepEqual(
            node.figures,
            groupFigures(o, { kind: 'subtree', rootId: node.employeeId, includeRoot: true }),
          );
          node.children.forEach(visit);
        };
        const roots = rollUp(o);
        roots.forEach(visit);
        assert.deepEqual(sum(roots.map((r) => r.figures)), sum([groupFigures(o)]));
      }),
      { numRuns: 60 },
    );
  });
});
