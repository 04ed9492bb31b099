/**
 * The Career Conversations preset (NHS) worked by hand from the policy text
 * (shared/policies/career-conversations-policy.txt §2.3, §2.5, §5.1, §5.8, §8; DESIGN.md §3.2):
 * due dates on the incremental date's anniversaries, the pay-step date considered around its day,
 * the quarterly "% compliance", late induction meetings, staff groups as HR exports them, and the
 * conversations CSV's outcome columns.
 */
import assert from 'node:assert/strict';
import { historyFromCsv } from '../../bot/records/imports';
import {
  CAREER_CONVERSATIONS,
  conversationsCsvOptions,
  evaluateEmployee,
  evaluateOrganisation,
  groupFigures,
  normaliseStaffGroup,
  parseConversationsCsv,
  quarterlyCompletion,
  rollUp,
  type ConversationFacts,
  type Employee,
  type EmployeeEvaluation,
  type PayStepDecision,
} from '../../core/index';

const NHS = CAREER_CONVERSATIONS;

function person(overrides: Partial<Employee> = {}): Employee {
  return {
    id: 'E1',
    name: 'Test Person',
    email: 'test@example.nhs.uk',
    positionNumber: '200001',
    managerId: 'M1',
    department: 'Community Nursing',
    staffGroup: 'Nursing and Midwifery Registered',
    startDate: '2018-01-08',
    ...overrides,
  };
}

let seq = 0;
function held(date: string, type = 'career-conversation', extra: Partial<ConversationFacts> = {}) {
  seq += 1;
  const c: ConversationFacts = {
    id: `C${seq}`,
    employeeId: 'E1',
    type,
    date,
    managerId: 'M1',
    status: 'completed',
    ...extra,
  };
  return c;
}

const at = (e: Employee, conversations: readonly ConversationFacts[], date: string): EmployeeEvaluation =>
  evaluateEmployee(NHS, e, conversations, date, { reports: { total: 0, required: 0, compliant: 0 } });

describe('Career Conversations: due on the incremental date’s anniversaries (CC §2.5, §5.8)', () => {
  // Incremental date 1 April (HR pay_step_date 2019-04-01); in post since January 2018.
  const e = person({ payStepDate: '2019-04-01' });

  it('held early counts for that year: the next is due at the following anniversary', () => {
    // 15 Feb 2026 is 45 days before 1 Apr 2026 and 320 after 1 Apr 2025: it counts for 2026.
    const ev = at(e, [held('2026-02-15')], '2026-05-01');
    assert.deepEqual(
      [ev.nextDue, ev.status, ev.compliant, ev.daysOverdue],
      ['2027-04-01', 'on-track', true, 0],
    );
  });

  it('held late counts for that year too, and the cycle does not drift to the late date', () => {
    // 20 Jun 2026 is 80 days after 1 Apr 2026 and 285 before 1 Apr 2027: it counts for 2026.
    const ev = at(e, [held('2026-06-20')], '2026-08-14');
    assert.equal(ev.nextDue, '2027-04-01');
    // Early one year, late the next: still 1 April each year.
    const two = at(e, [held('2025-02-15'), held('2026-06-20')], '2026-08-14');
    assert.equal(two.nextDue, '2027-04-01');
  });

  it('held exactly on the anniversary: due a year later', () => {
    assert.equal(at(e, [held('2026-04-01')], '2026-04-01').nextDue, '2027-04-01');
  });

  it('an exact tie half-way between two anniversaries goes to the earlier one', () => {
    // 1 Apr 2023 → 1 Apr 2024 is 366 days (29 Feb 2024 between): half-way is 183 days on,
    // 1 Oct 2023 (Apr 29 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 = 182 to 30 Sep, then 1 Oct).
    assert.equal(at(e, [held('2023-10-01')], '2023-10-15').nextDue, '2024-04-01');
    assert.equal(at(e, [held('2023-10-02')], '2023-10-15').nextDue, '2025-04-01');
  });

  it('missed: overdue from the anniversary, and not compliant once 12 months have passed', () => {
    const ev = at(e, [held('2025-04-01')], '2026-04-20');
    assert.deepEqual(
      [ev.nextDue, ev.daysOverdue, ev.status, ev.held12m, ev.compliant],
      ['2026-04-01', 19, 'overdue', 0, false],
    );
  });

  it('a 29 February incremental date falls on 28 February in common years and 29 February in leap years', () => {
    const leap = person({ payStepDate: '2024-02-29', startDate: '2023-01-09' });
    assert.equal(at(leap, [held('2024-02-29')], '2024-03-01').nextDue, '2025-02-28');
    assert.equal(at(leap, [held('2025-02-28')], '2025-03-01').nextDue, '2026-02-28');
    assert.equal(at(leap, [held('2027-02-28')], '2027-03-01').nextDue, '2028-02-29');
    // Started on 29 Feb 2024, no pay-step date: first due at the 12-month point, 28 Feb 2025.
    const started = person({ startDate: '2024-02-29' });
    assert.equal(at(started, [], '2025-01-10').nextDue, '2025-02-28');
    assert.equal(at(started, [held('2027-02-26')], '2027-03-01').nextDue, '2028-02-29');
  });

  it('no pay-step date: the start date’s anniversaries, for due dates and the pay step', () => {
    const noDate = person({ startDate: '2021-06-15' });
    // 1 May 2026 is 45 days before 15 Jun 2026: it counts for 2026.
    const ev = at(noDate, [held('2026-05-01')], '2026-05-10');
    assert.equal(ev.nextDue, '2027-06-15');
    assert.deepEqual([ev.payStep?.date, ev.payStep?.dateSource], ['2026-06-15', 'start-date']);
  });

  it('the first due date is the first anniversary on or after 12 months in post', () => {
    // Started 1 Mar 2025 with incremental date 1 Oct: in post 12 months on 1 Mar 2026, first due 1 Oct 2026.
    const ev = at(person({ startDate: '2025-03-01', payStepDate: '2025-10-01' }), [], '2026-03-15');
    assert.deepEqual([ev.nextDue, ev.status, ev.compliant], ['2026-10-01', 'on-track', false]);
    // One held in the first year (Sep 2025, nearest 1 Oct 2025) does not bring that forward.
    const early = at(
      person({ startDate: '2025-03-01', payStepDate: '2025-10-01' }),
      [held('2025-09-20')],
      '2026-03-15',
    );
    assert.equal(early.nextDue, '2026-10-01');
  });
});

describe('Career Conversations: the pay-step date considered, and the decision awaited (CC §5.8)', () => {
  const ready = {
    payStepDate: '2019-09-01',
    capabilityProcess: false,
    disciplinaryLive: false,
    mandatoryTrainingComplete: true,
  } as const;
  const career = held('2026-08-20', 'career-conversation', { objectivesMet: true });
  const decision = (forDate: string, extra: Partial<PayStepDecision> = {}): PayStepDecision => ({
    forDate,
    decision: 'progressed',
    decidedOn: forDate,
    decidedBy: 'M1',
    effectiveFrom: forDate,
    ...extra,
  });
  const payStep = (date: string, decisions?: PayStepDecision[], conversations = [career]) =>
    at(person({ ...ready, payStepDecisions: decisions }), conversations, date).payStep!;

  it('on the day: that date, awaiting a decision; once decided, that decision is shown', () => {
    const today = payStep('2026-09-01');
    assert.deepEqual(
      [today.date, today.daysToDate, today.awaitingDecision, today.decision, today.readiness],
      ['2026-09-01', 0, true, undefined, 'ready'],
    );
    const decided = payStep('2026-09-01', [decision('2026-09-01')]);
    assert.deepEqual([decided.date, decided.awaitingDecision], ['2026-09-01', false]);
    assert.equal(decided.decision?.decision, 'progressed');
  });

  it('the day after: still that date until a decision is recorded, then the next year’s', () => {
    const yesterday = payStep('2026-09-02');
    assert.deepEqual(
      [yesterday.date, yesterday.daysToDate, yesterday.awaitingDecision],
      ['2026-09-01', -1, true],
    );
    const decided = payStep('2026-09-02', [decision('2026-09-01')]);
    assert.deepEqual(
      [decided.date, decided.daysToDate, decided.awaitingDecision, decided.decision],
      ['2027-09-01', 364, false, undefined],
    );
  });

  it('the day before: the coming date, awaiting; a decision recorded ahead of it is shown', () => {
    const tomorrow = payStep('2026-08-31');
    assert.deepEqual(
      [tomorrow.date, tomorrow.daysToDate, tomorrow.awaitingDecision],
      ['2026-09-01', 1, true],
    );
    const early = payStep('2026-08-31', [decision('2026-09-01', { decidedOn: '2026-08-28' })]);
    assert.deepEqual([early.date, early.awaitingDecision], ['2026-09-01', false]);
    assert.equal(early.decision?.decidedOn, '2026-08-28');
  });

  it('readiness is shown from 56 days ahead; before that an undecided past date stays considered', () => {
    // 7 Jul 2026 is 56 days before 1 Sep 2026.
    const window = payStep('2026-07-07');
    assert.deepEqual([window.date, window.daysToDate, window.awaitingDecision], ['2026-09-01', 56, true]);
    const before = payStep('2026-07-06');
    assert.deepEqual([before.date, before.awaitingDecision], ['2025-09-01', true]);
    const decidedPast = payStep('2026-07-06', [decision('2025-09-01')]);
    assert.deepEqual(
      [decidedPast.date, decidedPast.daysToDate, decidedPast.awaitingDecision],
      ['2026-09-01', 57, false],
    );
  });

  it('check I reads the 12 months before the date considered: one held after a passed date does not count', () => {
    const late = held('2026-09-05', 'career-conversation', { objectivesMet: true });
    const p = payStep('2026-09-10', undefined, [late]);
    assert.equal(p.date, '2026-09-01');
    assert.deepEqual(
      [p.checks[0]?.outcome, p.checks[0]?.reason, p.readiness],
      ['not-met', 'no career conversation held since 2025-09-02', 'not-ready'],
    );
    assert.deepEqual(p.deferral, { supportPlanRequired: true, backdated: false });
  });

  it('a deferral whose support plan is open is shown until the increase applies (not backdated)', () => {
    const deferred = decision('2025-09-01', {
      decision: 'deferred',
      effectiveFrom: undefined,
      decidedOn: '2025-09-03',
    });
    const open = payStep('2026-02-01', [deferred]);
    assert.equal(open.date, '2026-09-01');
    assert.deepEqual(open.deferral, { supportPlanRequired: true, backdated: false, open: deferred });
    const completed = payStep('2026-02-01', [{ ...deferred, effectiveFrom: '2026-01-15' }]);
    // Plan completed: no open deferral (still not ready for 2026: no career conversation yet).
    assert.deepEqual(completed.deferral, { supportPlanRequired: true, backdated: false });
  });
});

describe('Career Conversations: quarterly % compliance (CC §8; DESIGN.md §3.2)', () => {
  const flat = (id: string, overrides: Partial<Employee> = {}): Employee =>
    person({ id, managerId: undefined, startDate: '2015-01-05', ...overrides });
  const of = (employeeId: string, date: string, type = 'career-conversation'): ConversationFacts => ({
    ...held(date, type),
    employeeId,
  });
  // Nobody reports to anyone, so nobody is the top of a tree (all in scope unless marked).
  const people = [
    flat('A'),
    flat('B', { startDate: '2025-06-01' }), // in post 12 months on 1 Jun 2026
    flat('C', { startDate: '2025-07-15' }), // in post 12 months on 15 Jul 2026
    flat('D', { leaveDate: '2026-06-29' }),
    flat('E', { staffGroup: 'Medical and Dental' }),
    flat('F', { outOfScope: true }),
    flat('G'),
    flat('H'),
  ];
  const conversations = [
    of('A', '2025-07-10'),
    of('C', '2026-07-20'),
    of('D', '2026-06-01'),
    of('E', '2026-06-01'),
    of('F', '2026-06-01'),
    of('G', '2026-06-30'),
    of('H', '2026-05-01', 'supervision'), // a supervision is not a career conversation
  ];
  const org = evaluateOrganisation(NHS, people, conversations, '2026-08-14');

  it('a past quarter: compliant on its last day ÷ in post ≥ 12 months then', () => {
    // 2026/27 Q1, as of 30 Jun 2026; window (30 Jun 2025, 30 Jun 2026].
    // Eligible: A, B (12 months on 1 Jun), G, H = 4. Not: C (15 Jul), D (left 29 Jun), E (medical
    // and dental), F (out of scope). Compliant: A (10 Jul 2025), G (30 Jun 2026) = 2. The council's
    // figure would have left B out (not eligible on 1 Apr) and counted only G (held in the quarter).
    const q = quarterlyCompletion(org, '2026/27 Q1');
    assert.deepEqual(
      [q.figure, q.asOf, q.inProgress, q.eligible, q.completed, q.rate],
      ['compliant-at-quarter-end', '2026-06-30', false, 4, 2, 0.5],
    );
  });

  it('the quarter in progress is measured at D', () => {
    // 2026/27 Q2, as of D = 14 Aug 2026; window (14 Aug 2025, 14 Aug 2026].
    // Eligible: A, B, C (15 Jul ≤ 14 Aug), G, H = 5. Compliant: C (20 Jul 2026), G = 2; A's
    // (10 Jul 2025) is now more than 12 months old.
    const q = quarterlyCompletion(org);
    assert.deepEqual(
      [q.figure, q.quarter, q.asOf, q.inProgress, q.eligible, q.completed],
      ['compliant-at-quarter-end', '2026/27 Q2', '2026-08-14', true, 5, 2],
    );
    // Every view gives the same numbers, and names the same figure.
    assert.deepEqual(groupFigures(org).quarterly, q);
    const roots = rollUp(org);
    const sum = roots.reduce((n, r) => n + r.figures.quarterly.completed, 0);
    assert.equal(sum, 2);
    assert.ok(roots.every((r) => r.figures.quarterly.figure === 'compliant-at-quarter-end'));
  });
});

describe('Career Conversations: a late induction meeting is late (CC §5.1)', () => {
  const starter = person({ startDate: '2026-07-01' });

  it('held after the due date: late by the days between', () => {
    const ev = at(starter, [held('2026-07-20', 'induction')], '2026-07-25');
    assert.deepEqual(ev.inductionMeeting, {
      dueDate: '2026-07-15',
      held: '2026-07-20',
      overdue: false,
      late: true,
      daysLate: 5,
    });
  });

  it('held on the due date is on time; not held and past due is overdue, not late', () => {
    const onTime = at(starter, [held('2026-07-15', 'induction')], '2026-07-25').inductionMeeting;
    assert.deepEqual([onTime?.late, onTime?.daysLate, onTime?.overdue], [false, 0, false]);
    const missing = at(starter, [], '2026-07-16').inductionMeeting;
    assert.deepEqual([missing?.late, missing?.daysLate, missing?.overdue], [false, 0, true]);
  });
});

describe('Career Conversations: medical and dental staff excluded as HR exports the group (CC §2.3)', () => {
  it('matches ignoring case, surrounding spaces and runs of spaces inside', () => {
    assert.equal(normaliseStaffGroup('  MEDICAL   and\tdental '), 'medical and dental');
    for (const group of ['Medical and Dental', '  MEDICAL   and dental ', 'Dental', 'medical']) {
      assert.equal(at(person({ staffGroup: group }), [], '2026-08-14').status, 'excluded', group);
    }
  });

  it('does not exclude groups that merely contain the words', () => {
    for (const group of ['Medical Secretaries', 'Nursing and Midwifery Registered', 'Dental Nurses']) {
      assert.notEqual(at(person({ staffGroup: group }), [], '2026-08-14').status, 'excluded', group);
    }
  });
});

describe('Career Conversations: the conversations CSV carries the outcome (CC §5.8 (I))', () => {
  const options = conversationsCsvOptions(NHS);
  const csv = [
    'employee_id,type,date,status,objectives_met,overall_rating',
    'E1,career-conversation,2026-05-01,completed,yes,Meets objectives and values',
    'E1,career-conversation,2025-05-01,completed,0,  partially MEETS ',
    'E1,supervision,2026-06-01,completed,,',
    'E1,career-conversation,2024-05-01,completed,perhaps,Excellent',
    'E1,supervision,2026-07-01,completed,,Meets objectives and values',
  ].join('\n');

  it('reads objectives_met and overall_rating, and names the allowed ratings in a row error', () => {
    const { rows, errors } = parseConversationsCsv(csv, options);
    assert.deepEqual(
      rows.map((r) => [r.line, r.value.objectivesMet, r.value.overallRating]),
      [
        [2, true, 'Meets objectives and values'],
        [3, false, 'Partially meets'],
        [4, undefined, undefined],
      ],
    );
    assert.deepEqual(errors, [
      {
        line: 5,
        message:
          'objectives_met "perhaps" is not a boolean (true/false, yes/no, y/n, 1/0); overall_rating "Excellent" is not one of: "Meets objectives and values", "Partially meets", "Does not meet"',
      },
      {
        line: 6,
        message: 'overall_rating "Meets objectives and values": type "supervision" records no overall rating',
      },
    ]);
  });

  it('an imported career conversation passes check I, and its rating is stored as the record field', () => {
    const parsed = parseConversationsCsv(csv, options);
    const { history } = historyFromCsv(parsed, new Set(['E1']), '2026-08-01T00:00:00Z');
    assert.deepEqual(history[0]?.fields, { overallRating: 'Meets objectives and values' });
    assert.equal(history[0]?.objectivesMet, true);
    assert.equal('overallRating' in (history[0] ?? {}), false);
    const e = person({
      payStepDate: '2019-06-01',
      capabilityProcess: false,
      disciplinaryLive: false,
      mandatoryTrainingComplete: true,
    });
    const p = at(e, history, '2026-05-10').payStep;
    assert.deepEqual([p?.date, p?.checks[0]?.outcome, p?.readiness], ['2026-06-01', 'met', 'ready']);
  });
});
