/** Payroll's export counts deferrals per quarter as the Organisation view does (CC §8). */
import { strict as assert } from 'node:assert';
import { type PayStepRow, deferralsByQuarter } from '../bot/records/pay-steps';

const row = (employee: string, date: string, decision: string, decidedOn: string): PayStepRow => ({
  employee_id: employee,
  name: employee,
  position_number: 'P1',
  pay_step_date: date,
  decision,
  decided_on: decidedOn,
  effective_from: '',
});

describe('deferrals per quarter in the payroll export', () => {
  it("count by the pay-step date's quarter, the last decision for each person and date", () => {
    assert.deepEqual(
      deferralsByQuarter([
        // Decided in Q2 for a date in Q3: a Q3 deferral, as the roll-ups count it.
        row('a', '2026-12-10', 'deferred', '2026-09-30'),
        // Deferred, then progressed for the same date: not a deferral any more.
        row('b', '2026-11-02', 'deferred', '2026-10-20'),
        row('b', '2026-11-02', 'progressed', '2026-11-01'),
        row('c', '2027-01-05', 'deferred', '2027-01-05'),
        row('d', '2026-05-01', 'progressed', '2026-05-01'),
      ]),
      [
        ['2026/27 Q3', 1],
        ['2026/27 Q4', 1],
      ],
    );
    assert.deepEqual(deferralsByQuarter([]), []);
  });
});
