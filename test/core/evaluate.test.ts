/**
 * Per-employee evaluation, worked by hand from DESIGN.md §3.1 and the Professional Conversation
 * procedure (PC), and from §3.2 and the Career Conversations policy (CC) for the NHS preset.
 */
import assert from 'node:assert/strict';
import {
  appealDeadlines,
  CAREER_CONVERSATIONS,
  evaluateEmployee,
  evaluateOrganisation,
  nextAnniversary,
  openActions,
  parseIsoDate,
  formatIsoDate,
  PROFESSIONAL_CONVERSATION,
  type ConversationFacts,
  type ConversationStatus,
  type Employee,
  type EmployeeEvaluation,
} from '../../core/index';

const PC = PROFESSIONAL_CONVERSATION;
let seq = 0;

function employee(overrides: Partial<Employee> = {}): Employee {
  return {
    id: 'E1',
    name: 'Test Person',
    email: 'test@example.gov.uk',
    positionNumber: '100001',
    managerId: 'M1',
    department: 'Adult Services',
    staffGroup: 'Officer',
    startDate: '2015-04-01',
    ...overrides,
  };
}

function conv(
  date: string,
  status: ConversationStatus = 'completed',
  extra: Partial<ConversationFacts> = {},
): ConversationFacts {
  seq += 1;
  return {
    id: `C${seq}`,
    employeeId: 'E1',
    type: 'professional-conversation',
    date,
    managerId: 'M1',
    status,
    ...extra,
  };
}

interface Case {
  readonly name: string;
  readonly rule: string;
  readonly at: string;
  readonly employee?: Partial<Employee>;
  readonly conversations?: readonly ConversationFacts[];
  readonly expect: Partial<EmployeeEvaluation>;
}

/** Every case is worked out by hand from the rule it cites. */
const cases: Case[] = [
  {
    name: 'induction: the day before eligibleFrom (31 Jan + 3 months clamps to 30 Apr)',
    rule: 'DESIGN.md §3.1 eligibleFrom = startDate + 3 calendar months; PC §2.2',
    at: '2026-04-29',
    employee: { startDate: '2026-01-31' },
    expect: {
      status: 'induction',
      eligibleFrom: '2026-04-30',
      expected12m: 0,
      compliant: true,
      nextDue: '2026-07-23',
    },
  },
  {
    name: 'induction boundary: on eligibleFrom itself the employee counts',
    rule: 'DESIGN.md §3.1 induction only while D < eligibleFrom; E = 1 day so expected 0',
    at: '2026-04-30',
    employee: { startDate: '2026-01-31' },
    expect: {
      status: 'on-track',
      held12m: 0,
      expected12m: 0,
      compliant: true,
      nextDue: '2026-07-23',
      daysOverdue: 0,
    },
  },
  {
    name: 'exactly 84 eligible days: one conversation expected',
    rule: 'DESIGN.md §3.1 expected12m = min(4, floor(E / 84)); 1 Apr–23 Jun = 30 + 31 + 23 = 84 days',
    at: '2026-06-23',
    employee: { startDate: '2026-01-01' },
    expect: { expected12m: 1, compliant: false, nextDue: '2026-06-24', status: 'due-soon' },
  },
  {
    name: '83 eligible days: none expected yet',
    rule: 'DESIGN.md §3.1 expected12m, floor(83 / 84) = 0',
    at: '2026-06-22',
    employee: { startDate: '2026-01-01' },
    expect: { expected12m: 0, compliant: true, status: 'due-soon' },
  },
  {
    name: 'on the due date itself: due-soon, not overdue',
    rule: 'DESIGN.md §3.1 overdue only when D > nextDue; nextDue = 1 Apr + 84 days = 24 Jun',
    at: '2026-06-24',
    employee: { startDate: '2026-01-01' },
    expect: { status: 'due-soon', daysOverdue: 0 },
  },
  {
    name: 'the day after the due date: overdue by 1',
    rule: 'DESIGN.md §3.1 daysOverdue = max(0, D − nextDue)',
    at: '2026-06-25',
    employee: { startDate: '2026-01-01' },
    expect: { status: 'overdue', daysOverdue: 1 },
  },
  {
    name: 'due-soon boundary: 14 days to go is due-soon, 15 is on-track',
    rule: 'DESIGN.md §3.1 due-soon when nextDue − D ≤ 14',
    at: '2026-06-10',
    employee: { startDate: '2026-01-01' },
    expect: { status: 'due-soon', nextDue: '2026-06-24' },
  },
  {
    name: '15 days before the due date is on-track',
    rule: 'DESIGN.md §3.1 due-soon when nextDue − D ≤ 14',
    at: '2026-06-09',
    employee: { startDate: '2026-01-01' },
    expect: { status: 'on-track' },
  },
  {
    name: "a conversation on the window's first day counts; the day before does not",
    rule: 'DESIGN.md §3.1 window = (D − 12 months, D]: (14 Aug 2025, 14 Aug 2026]',
    at: '2026-08-14',
    conversations: [conv('2025-08-14'), conv('2025-08-15')],
    expect: {
      held12m: 1,
      lastHeld: '2025-08-15',
      nextDue: '2025-11-07',
      status: 'overdue',
      daysOverdue: 280,
    },
  },
  {
    name: "a conversation on D (the window's last day) counts and resets the cadence",
    rule: 'DESIGN.md §3.1 held = completed and dated on or before D; nextDue = lastHeld + 84',
    at: '2026-08-14',
    conversations: [conv('2026-08-14')],
    expect: { held12m: 1, lastHeld: '2026-08-14', nextDue: '2026-11-06', status: 'on-track' },
  },
  {
    name: 'leap year: D = 29 Feb 2028, the window starts 1 Mar 2027',
    rule: 'DESIGN.md §3.1 window with calendar months clamped (29 Feb 2028 − 12 months = 28 Feb 2027)',
    at: '2028-02-29',
    conversations: [
      conv('2027-02-28'),
      conv('2027-03-01'),
      conv('2027-06-01'),
      conv('2027-09-01'),
      conv('2027-12-01'),
    ],
    expect: {
      held12m: 4,
      expected12m: 4,
      compliant: true,
      lastHeld: '2027-12-01',
      nextDue: '2028-02-23',
      status: 'overdue',
    },
  },
  {
    name: 'a leap day is inside the window a year later (D = 28 Feb 2029)',
    rule: 'DESIGN.md §3.1 window (28 Feb 2028, 28 Feb 2029] includes 29 Feb 2028',
    at: '2029-02-28',
    conversations: [conv('2028-02-28'), conv('2028-02-29')],
    expect: { held12m: 1, lastHeld: '2028-02-29' },
  },
  {
    name: 'month-end start: 30 Nov + 3 months = 28 Feb; induction until then',
    rule: 'DESIGN.md §3.1 eligibleFrom with month-end clamping',
    at: '2026-02-27',
    employee: { startDate: '2025-11-30' },
    expect: { status: 'induction', eligibleFrom: '2026-02-28' },
  },
  {
    name: 'an excluded staff group, matched ignoring case and spaces',
    rule: 'DESIGN.md §3.1 excluded; PC §2.1 NJC employees',
    at: '2026-08-14',
    employee: { staffGroup: ' Njc ' },
    expect: { status: 'excluded', inPopulation: false },
  },
  {
    name: 'teachers employed by governing bodies are excluded',
    rule: 'PC §2.1; preset value governing-body-teacher',
    at: '2026-08-14',
    employee: { staffGroup: 'GOVERNING-BODY-TEACHER' },
    expect: { status: 'excluded' },
  },
  {
    name: 'a leaver (leave date before D) is left, even in an excluded group',
    rule: 'DESIGN.md §3.1 status order: left first',
    at: '2026-08-14',
    employee: { leaveDate: '2026-08-13', staffGroup: 'NJC' },
    expect: { status: 'left', inPopulation: false },
  },
  {
    name: 'leaving on D: still in post',
    rule: 'DESIGN.md §3.1 left only when the leave date is before D',
    at: '2026-08-14',
    employee: { leaveDate: '2026-08-14' },
    conversations: [conv('2026-07-01')],
    expect: { status: 'on-track', inPopulation: true },
  },
  {
    name: 'a manager change: conversations held by the previous manager still count',
    rule: 'DESIGN.md §3.1 held12m counts the employee’s conversations whoever held them',
    at: '2026-08-14',
    employee: { managerId: 'M2' },
    conversations: [
      conv('2025-10-06', 'completed', { managerId: 'M1' }),
      conv('2026-01-05', 'completed', { managerId: 'M1' }),
      conv('2026-04-07', 'completed', { managerId: 'M2' }),
      conv('2026-07-06', 'completed', { managerId: 'M2' }),
    ],
    expect: { held12m: 4, expected12m: 4, compliant: true, status: 'on-track', nextDue: '2026-09-28' },
  },
  {
    name: 'scheduled and cancelled conversations do not count',
    rule: 'DESIGN.md §3.1 only completed conversations are held',
    at: '2026-08-14',
    conversations: [conv('2026-07-01', 'scheduled'), conv('2026-07-15', 'cancelled')],
    expect: { held12m: 0, lastHeld: undefined, status: 'overdue' },
  },
  {
    name: 'a future-dated completed conversation does not count and is not lastHeld',
    rule: 'DESIGN.md §3.1 held = dated on or before D',
    at: '2026-08-14',
    conversations: [conv('2026-06-01'), conv('2026-08-15')],
    expect: { held12m: 1, lastHeld: '2026-06-01', nextDue: '2026-08-24', status: 'due-soon' },
  },
  {
    name: 'a conversation in induction: nextDue runs from eligibleFrom, not from it',
    rule: 'DESIGN.md §3.1 nextDue = max(lastHeld, eligibleFrom) + 84',
    at: '2026-06-01',
    employee: { startDate: '2026-03-01' },
    conversations: [conv('2026-04-15')],
    expect: {
      status: 'on-track',
      eligibleFrom: '2026-06-01',
      nextDue: '2026-08-24',
      held12m: 1,
      expected12m: 0,
    },
  },
  {
    name: 'lastHeld may be older than the window',
    rule: 'DESIGN.md §3.1 lastHeld = latest held conversation, any date on or before D',
    at: '2026-08-14',
    conversations: [conv('2024-01-10')],
    expect: { held12m: 0, lastHeld: '2024-01-10', nextDue: '2024-04-03', compliant: false },
  },
  {
    name: 'expected12m is capped at the required four (E = 365)',
    rule: 'DESIGN.md §3.1 expected12m = min(4, floor(365 / 84) = 4)',
    at: '2026-08-14',
    conversations: [
      conv('2025-09-01'),
      conv('2025-12-01'),
      conv('2026-03-01'),
      conv('2026-06-01'),
      conv('2026-07-01'),
    ],
    expect: { held12m: 5, expected12m: 4, compliant: true },
  },
];

describe('evaluation: Professional Conversation preset, hand-worked cases (DESIGN.md §3.1)', () => {
  for (const c of cases) {
    it(`${c.name} [${c.rule}]`, () => {
      const ev = evaluateEmployee(PC, employee(c.employee), c.conversations ?? [], c.at);
      for (const [key, value] of Object.entries(c.expect)) {
        assert.deepEqual(ev[key as keyof EmployeeEvaluation], value, key);
      }
    });
  }

  it('ignores conversations of other employees passed alongside', () => {
    const other = { ...conv('2026-08-01'), employeeId: 'E2' };
    const ev = evaluateEmployee(PC, employee(), [other], '2026-08-14');
    assert.equal(ev.held12m, 0);
  });

  it('reads every number from the policy: a custom cadence and count change the results', () => {
    const custom = {
      ...PC,
      compliance: { ...PC.compliance, required: 6, cadence: { value: 56, unit: 'days' as const } },
    };
    const ev = evaluateEmployee(custom, employee(), [conv('2026-08-01')], '2026-08-14');
    assert.equal(ev.expected12m, 6); // floor(365 / 56) = 6
    assert.equal(ev.nextDue, '2026-09-26'); // 1 Aug + 56 days
  });

  it('counts open actions from the latest held record, which carries them forward (DESIGN.md §3.1)', () => {
    const a1 = { id: 'A1', text: 'Book training', owner: 'employee', dueDate: '2026-03-01', done: false };
    const a2 = { id: 'A2', text: 'Review caseload', owner: 'manager', dueDate: '2026-09-30', done: false };
    const a3 = {
      id: 'A3',
      text: 'Shadow a colleague',
      owner: 'employee',
      dueDate: '2026-07-01',
      done: false,
    };
    const conversations = [
      conv('2026-02-01', 'completed', { actions: [a1, a2] }),
      // Reviewed at the next conversation: A1 closed, A2 carried forward, A3 agreed.
      conv('2026-05-01', 'completed', { actions: [{ ...a1, done: true }, a2, a3] }),
      conv('2026-06-01', 'completed'), // a record listing no actions (e.g. imported) does not override
      conv('2026-08-20', 'scheduled', { actions: [{ ...a3, done: true }] }), // not held: ignored
    ];
    const ev = evaluateEmployee(PC, employee(), conversations, '2026-08-14');
    assert.equal(ev.openActions, 2);
    assert.equal(ev.overdueActions, 1); // A3 was due 1 Jul
    const list = openActions(conversations, '2026-08-14');
    assert.deepEqual(
      list.map((a) => [a.id, a.overdue, a.conversationId]),
      [
        ['A3', true, conversations[1]!.id],
        ['A2', false, conversations[1]!.id],
      ],
    );
  });

  it('closes an action the next record does not carry forward, and an empty list closes them all', () => {
    const a1 = { id: 'A1', text: 'Book training', owner: 'employee', dueDate: '2026-03-01', done: false };
    const dropped = [
      conv('2026-02-01', 'completed', { actions: [a1] }),
      conv('2026-05-01', 'completed', { actions: [] }),
    ];
    assert.equal(evaluateEmployee(PC, employee(), dropped, '2026-08-14').openActions, 0);
    assert.deepEqual(openActions(dropped, '2026-08-14'), []);
    assert.equal(evaluateEmployee(PC, employee(), dropped.slice(0, 1), '2026-08-14').openActions, 1);
  });

  it('rejects a conversation with an impossible date, naming it', () => {
    assert.throws(
      () => evaluateEmployee(PC, employee(), [conv('2026-02-30')], '2026-08-14'),
      /is not a calendar date/,
    );
  });
});

describe('evaluation: Career Conversations preset (DESIGN.md §3.2)', () => {
  const NHS = CAREER_CONVERSATIONS;
  const career = (date: string, objectivesMet?: boolean): ConversationFacts =>
    conv(date, 'completed', { type: 'career-conversation', objectivesMet });

  it('staff in post under 12 months are outside the compliance population', () => {
    const ev = evaluateEmployee(NHS, employee({ startDate: '2025-09-01' }), [], '2026-08-14');
    assert.equal(ev.status, 'induction');
    assert.equal(ev.eligibleFrom, '2026-09-01');
    assert.equal(ev.inPopulation, false);
  });

  it('in post 12 months or more: compliant only with a career conversation in the last 12 months', () => {
    const without = evaluateEmployee(NHS, employee({ startDate: '2020-01-06' }), [], '2026-08-14');
    assert.deepEqual([without.expected12m, without.compliant, without.status], [1, false, 'overdue']);
    const withOne = evaluateEmployee(
      NHS,
      employee({ startDate: '2020-01-06' }),
      [career('2025-09-01')],
      '2026-08-14',
    );
    // Due on the start date's anniversaries (no pay-step date): 6 Jan. 1 Sep 2025 is nearer
    // 6 Jan 2026 (127 days) than 6 Jan 2025 (238), so it counts for 2026; next due 6 Jan 2027.
    assert.deepEqual(
      [withOne.held12m, withOne.compliant, withOne.nextDue, withOne.status],
      [1, true, '2027-01-06', 'on-track'],
    );
    // Supervisions do not count towards career-conversation compliance (CC §2.5).
    const sup = conv('2026-08-01', 'completed', { type: 'supervision' });
    assert.equal(
      evaluateEmployee(NHS, employee({ startDate: '2020-01-06' }), [sup], '2026-08-14').held12m,
      0,
    );
  });

  it('the first career conversation is due at the 12-month point (CC §5.8)', () => {
    const ev = evaluateEmployee(NHS, employee({ startDate: '2025-08-14' }), [], '2026-08-14');
    assert.deepEqual([ev.nextDue, ev.status, ev.expected12m], ['2026-08-14', 'due-soon', 1]);
  });

  it('medical and dental staff are excluded (CC §2.3)', () => {
    assert.equal(
      evaluateEmployee(NHS, employee({ staffGroup: 'Medical' }), [], '2026-08-14').status,
      'excluded',
    );
    assert.equal(
      evaluateEmployee(NHS, employee({ staffGroup: 'DENTAL' }), [], '2026-08-14').status,
      'excluded',
    );
  });

  it('next supervision is due at the agreed frequency from the last one (CC §3.2)', () => {
    const sup = conv('2026-07-01', 'completed', { type: 'supervision' });
    const ev = evaluateEmployee(NHS, employee({ supervisionFrequencyWeeks: 4 }), [sup], '2026-08-14');
    assert.deepEqual(ev.supervision, {
      frequencyWeeks: 4,
      lastHeld: '2026-07-01',
      nextDue: '2026-07-29',
      daysOverdue: 16,
    });
    const none = evaluateEmployee(NHS, employee(), [sup], '2026-08-14');
    assert.equal(none.supervision?.nextDue, undefined, 'no agreed frequency, nothing due');
  });

  it('the induction meeting is due within 14 days of the start (CC §5.1)', () => {
    const late = evaluateEmployee(NHS, employee({ startDate: '2026-07-01' }), [], '2026-07-20');
    assert.deepEqual(late.inductionMeeting, {
      dueDate: '2026-07-15',
      held: undefined,
      overdue: true,
      late: false,
      daysLate: 0,
    });
    const held = conv('2026-07-10', 'completed', { type: 'induction' });
    const ok = evaluateEmployee(NHS, employee({ startDate: '2026-07-01' }), [held], '2026-07-20');
    assert.deepEqual(ok.inductionMeeting, {
      dueDate: '2026-07-15',
      held: '2026-07-10',
      overdue: false,
      late: false,
      daysLate: 0,
    });
  });

  it('pay-step readiness: each check I–V with its outcome, reason and source (CC §5.8)', () => {
    const e = employee({
      startDate: '2018-04-01',
      payStepDate: '2019-09-01',
      capabilityProcess: false,
      disciplinaryLive: true,
      mandatoryTrainingComplete: undefined,
    });
    const ev = evaluateEmployee(NHS, e, [career('2025-09-10', true)], '2026-08-14', {
      reports: { total: 0, required: 0, compliant: 0 },
    });
    const p = ev.payStep;
    assert.ok(p);
    assert.equal(p.date, '2026-09-01');
    assert.equal(p.dateSource, 'pay-step-date');
    assert.deepEqual(
      p.checks.map((c) => [c.id, c.outcome, c.reason, c.source]),
      [
        [
          'I',
          'met',
          'career conversation on 2025-09-10: objectives and values met',
          'Career Conversations policy §5.8 (I)',
        ],
        ['II', 'met', 'no formal capability process', 'Career Conversations policy §5.8 (II), §5.7'],
        ['III', 'not-met', 'a disciplinary sanction is live', 'Career Conversations policy §5.8 (III)'],
        ['IV', 'unknown', 'not recorded in the HR import', 'Career Conversations policy §5.8 (IV)'],
        ['V', 'not-applicable', 'not a line manager', 'Career Conversations policy §5.8 (V)'],
      ],
    );
    assert.equal(p.readiness, 'not-ready');
    assert.deepEqual(p.deferral, { supportPlanRequired: true, backdated: false });
  });

  it('pay-step check I fails without a career conversation in the 12 months before the pay-step date', () => {
    const e = employee({
      payStepDate: '2020-09-01',
      capabilityProcess: false,
      disciplinaryLive: false,
      mandatoryTrainingComplete: true,
    });
    const ev = evaluateEmployee(NHS, e, [career('2025-08-31', true)], '2026-08-14', {
      reports: { total: 0, required: 0, compliant: 0 },
    });
    assert.equal(ev.payStep?.checks[0]?.outcome, 'not-met');
    assert.equal(ev.payStep?.checks[0]?.reason, 'no career conversation held since 2025-09-02');
    const ok = evaluateEmployee(NHS, e, [career('2025-09-02', true)], '2026-08-14', {
      reports: { total: 0, required: 0, compliant: 0 },
    });
    assert.equal(ok.payStep?.readiness, 'ready');
    assert.equal(ok.payStep?.deferral, undefined);
  });

  it('falls back to the start-date anniversary when no pay-step date is recorded', () => {
    const ev = evaluateEmployee(NHS, employee({ startDate: '2019-10-07' }), [], '2026-08-14');
    assert.equal(ev.payStep?.date, '2026-10-07');
    assert.equal(ev.payStep?.dateSource, 'start-date');
  });

  it('check V: a line manager is not ready while a report lacks a career conversation', () => {
    const people: Employee[] = [
      employee({
        id: 'M',
        managerId: undefined,
        payStepDate: '2020-09-01',
        capabilityProcess: false,
        disciplinaryLive: false,
        mandatoryTrainingComplete: true,
      }),
      employee({ id: 'R1', managerId: 'M' }),
      employee({ id: 'R2', managerId: 'M' }),
      employee({ id: 'R3', managerId: 'M', startDate: '2026-06-01' }), // not yet required
    ];
    const conversations = [
      { ...career('2026-01-10', true), employeeId: 'M' },
      { ...career('2026-02-01', true), employeeId: 'R1' },
    ];
    const org = evaluateOrganisation(NHS, people, conversations, '2026-08-14');
    const v = org.evaluations[0]?.payStep?.checks.find((c) => c.id === 'V');
    assert.deepEqual(
      [v?.outcome, v?.reason],
      ['not-met', '1 of 2 reports without a career conversation in the last 12 months'],
    );
    assert.equal(org.evaluations[0]?.payStep?.readiness, 'not-ready');
    assert.equal(org.evaluations[1]?.payStep?.checks.find((c) => c.id === 'V')?.outcome, 'not-applicable');
  });

  it('appeal: in writing within 14 calendar days, acknowledged within 7 (CC §5.10)', () => {
    assert.deepEqual(appealDeadlines(NHS, '2026-06-01'), { appealBy: '2026-06-15' });
    assert.deepEqual(appealDeadlines(NHS, '2026-06-01', '2026-06-15'), {
      appealBy: '2026-06-15',
      received: { on: '2026-06-15', inTime: true, acknowledgeBy: '2026-06-22' },
    });
    assert.equal(appealDeadlines(NHS, '2026-06-01', '2026-06-16').received?.inTime, false);
    const ev = evaluateEmployee(NHS, employee(), [career('2026-08-01', true)], '2026-08-14');
    assert.deepEqual(ev.appeal, { conversationDate: '2026-08-01', appealBy: '2026-08-15', open: true });
    assert.throws(() => appealDeadlines(PC, '2026-06-01'), /no appeal section/);
  });

  it('pay-step anniversaries clamp 29 February', () => {
    const d = parseIsoDate;
    assert.equal(formatIsoDate(nextAnniversary(d('2024-02-29'), d('2025-03-01'))), '2026-02-28');
    assert.equal(formatIsoDate(nextAnniversary(d('2024-02-29'), d('2027-03-01'))), '2028-02-29');
    assert.equal(formatIsoDate(nextAnniversary(d('2024-02-29'), d('2024-02-29'))), '2024-02-29');
  });
});
