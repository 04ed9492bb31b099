/** Nudge and escalation planning (DESIGN.md §4 "Nudge"; PC §4.2) and evaluation monotonicity. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CAREER_CONVERSATIONS,
  evaluateEmployee,
  evaluateOrganisation,
  formatIsoDate,
  isDigestDay,
  managerDigest,
  nudgeKey,
  parseIsoDate,
  planNudges,
  PROFESSIONAL_CONVERSATION,
  type ComplianceStatus,
  type ConversationFacts,
  type Employee,
  type PlannedNudge,
} from '../../core/index';

const PC = PROFESSIONAL_CONVERSATION;
const person = (id: string, managerId: string | undefined, extra: Partial<Employee> = {}): Employee => ({
  id,
  name: id,
  email: `${id}@example.gov.uk`,
  positionNumber: id,
  managerId,
  department: 'Adult Services',
  staffGroup: 'Officer',
  startDate: '2020-01-06',
  ...extra,
});
const held = (employeeId: string, date: string): ConversationFacts => ({
  id: `${employeeId}-${date}`,
  employeeId,
  type: 'professional-conversation',
  date,
  managerId: 'T1',
  status: 'completed',
});

// CEO (0) → D1 (1) → H1 (2) → T1 (3) → S1 (4). S1 last held 2026-03-02: next due 2026-05-25 (a Monday).
const people = [
  person('CEO', undefined),
  person('D1', 'CEO'),
  person('H1', 'D1'),
  person('T1', 'H1'),
  person('S1', 'T1'),
];
const recent = ['CEO', 'D1', 'H1', 'T1'].map((id) => held(id, '2026-05-01'));
const conversations = [...recent, held('S1', '2026-03-02')];
const planFor = (at: string, sent: ReadonlySet<string> = new Set()): PlannedNudge[] =>
  planNudges(evaluateOrganisation(PC, people, conversations, at), sent).filter((n) => n.employeeId === 'S1');

describe('nudges: the ladder (DESIGN.md §4; PC §3.2 joint responsibility, §4.2 escalation)', () => {
  it('14 days before the due date: a due-soon reminder to the manager and the employee', () => {
    const [n, ...rest] = planFor('2026-05-11');
    assert.equal(rest.length, 0);
    assert.deepEqual(n, {
      key: 'S1|2026-05-25|due-soon',
      employeeId: 'S1',
      item: 'conversation',
      dueDate: '2026-05-25',
      stage: 'due-soon',
      kind: 'reminder',
      daysFromDue: -14,
      recipients: [
        { kind: 'person', id: 'T1', as: 'manager' },
        { kind: 'person', id: 'S1', as: 'employee' },
      ],
    });
    assert.deepEqual(planFor('2026-05-08'), [], '17 days before: nothing yet');
  });

  it('never plans a key already in the ledger', () => {
    assert.deepEqual(planFor('2026-05-12', new Set([nudgeKey('S1', '2026-05-25', 'due-soon')])), []);
  });

  it('only the highest stage reached is planned: OD follow-up at +28, head of service at +56, director at +84', () => {
    assert.deepEqual(
      planFor('2026-06-22').map((n) => [n.stage, n.recipients]),
      [['od-follow-up', [{ kind: 'od' }, { kind: 'person', id: 'T1', as: 'manager' }]]],
    );
    assert.deepEqual(
      planFor('2026-07-20').map((n) => [n.stage, n.recipients]),
      [['head-of-service', [{ kind: 'person', id: 'H1', as: 'escalation' }, { kind: 'od' }]]],
    );
    assert.deepEqual(
      planFor('2026-08-17').map((n) => [n.stage, n.recipients[0]]),
      [['director', { kind: 'person', id: 'D1', as: 'escalation' }]],
    );
  });

  it('plans nothing on a weekend or bank holiday when the policy says working days only', () => {
    assert.deepEqual(planFor('2026-05-23'), []); // Saturday
    assert.deepEqual(planFor('2026-05-25'), []); // spring bank holiday
    assert.equal(planFor('2026-05-26')[0]?.stage, 'due');
  });

  it('daily sweeps with a ledger send each (due date, stage) at most once, moving up the ladder', () => {
    const sent = new Set<string>();
    const stages: string[] = [];
    for (let day = parseIsoDate('2026-04-01'); day <= parseIsoDate('2026-10-01'); day += 1) {
      for (const n of planFor(formatIsoDate(day), sent)) {
        assert.ok(!sent.has(n.key));
        sent.add(n.key);
        stages.push(n.stage);
      }
    }
    assert.deepEqual(stages, ['due-soon', 'due', 'overdue', 'od-follow-up', 'head-of-service', 'director']);
  });

  it('nobody outside the population is nudged about the conversation (left, excluded, induction)', () => {
    const others = [
      person('L', 'T1', { leaveDate: '2026-01-01' }),
      person('X', 'T1', { staffGroup: 'NJC' }),
      person('N', 'T1', { startDate: '2026-05-01' }),
    ];
    const org = evaluateOrganisation(PC, [...people, ...others], conversations, '2026-06-22');
    assert.deepEqual(
      planNudges(org, new Set()).filter((n) => ['L', 'X', 'N'].includes(n.employeeId)),
      [],
    );
  });

  it('NHS: supervision and induction-meeting items have their own ladders', () => {
    const nhs = [
      person('M', undefined),
      person('A', 'M', { startDate: '2026-06-01', supervisionFrequencyWeeks: 2 }),
    ];
    const org = evaluateOrganisation(CAREER_CONVERSATIONS, nhs, [], '2026-06-15');
    assert.deepEqual(
      planNudges(org, new Set())
        .filter((n) => n.employeeId === 'A')
        .map((n) => [n.key, n.recipients.length]),
      [
        ['A|2026-06-15|supervision/due', 2],
        ['A|2026-06-15|induction-meeting/due', 2],
      ],
    );
  });

  it("a manager's weekly digest lists due-soon and overdue reports on the policy's digest day", () => {
    const org = evaluateOrganisation(PC, people, conversations, '2026-06-22'); // a Monday
    assert.equal(isDigestDay(org), true);
    assert.deepEqual(
      managerDigest(org, 'T1').map((e) => [e.employeeId, e.daysOverdue]),
      [['S1', 28]],
    );
    assert.equal(isDigestDay(evaluateOrganisation(PC, people, conversations, '2026-06-23')), false);
  });
});

const RANK: Record<ComplianceStatus, number> = {
  overdue: 0,
  'due-soon': 1,
  'on-track': 2,
  induction: 3,
  excluded: 4,
  left: 5,
};

describe('evaluation: adding a completed conversation never makes an evaluation worse (property)', () => {
  const day = (n: number): string => formatIsoDate(parseIsoDate('2026-01-01') + n);
  it('held12m, compliance, next due date, days overdue and status never get worse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2000, max: 400 }),
        fc.array(
          fc.record({
            at: fc.integer({ min: -900, max: 400 }),
            status: fc.constantFrom('completed', 'scheduled', 'cancelled'),
          }),
          { maxLength: 10 },
        ),
        fc.integer({ min: -900, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(PROFESSIONAL_CONVERSATION, CAREER_CONVERSATIONS),
        (start, convs, extra, at, policy) => {
          const type = policy.compliance.countedTypes[0] ?? '';
          const e = person('E', 'M', { startDate: day(start) });
          const list = convs.map((c, i) => ({
            ...held('E', day(c.at)),
            id: `c${i}`,
            status: c.status,
            type,
          }));
          const before = evaluateEmployee(policy, e, list, day(at));
          const after = evaluateEmployee(
            policy,
            e,
            [...list, { ...held('E', day(extra)), id: 'extra', type }],
            day(at),
          );
          assert.ok(after.held12m >= before.held12m);
          assert.equal(after.expected12m, before.expected12m);
          assert.ok(after.compliant || !before.compliant);
          assert.ok(after.nextDue >= before.nextDue);
          assert.ok(after.daysOverdue <= before.daysOverdue);
          assert.ok(RANK[after.status] >= RANK[before.status], `${before.status} → ${after.status}`);
        },
      ),
      { numRuns: 500 },
    );
  });
});
