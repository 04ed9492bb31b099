/** The employees and conversations CSV formats (issue 3; DESIGN.md §8 "malformed HR rows are reported by line"). */
import assert from 'node:assert/strict';
import { parseBooleanCell, parseConversationsCsv, parseEmployeesCsv } from '../../core/index';

const HEADER =
  'employee_id,name,email,position_number,manager_id,department,staff_group,start_date,leave_date,pay_step_date,capability_process,disciplinary_live,mandatory_training_complete,supervision_frequency_weeks';

describe('hr-csv: employees', () => {
  it('parses every column, with empty cells as "not recorded" and extra columns ignored', () => {
    const text = `\uFEFF${HEADER},extra\nE1,"Smith, Jo",jo@example.org,P1,M1,Adult Services,Officer,2020-01-06,,2020-09-01,No,Y,1,4,ignored\n`;
    const { rows, errors } = parseEmployeesCsv(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(rows, [
      {
        line: 2,
        value: {
          id: 'E1',
          name: 'Smith, Jo',
          email: 'jo@example.org',
          positionNumber: 'P1',
          managerId: 'M1',
          department: 'Adult Services',
          staffGroup: 'Officer',
          startDate: '2020-01-06',
          leaveDate: undefined,
          payStepDate: '2020-09-01',
          capabilityProcess: false,
          disciplinaryLive: true,
          mandatoryTrainingComplete: true,
          supervisionFrequencyWeeks: 4,
        },
      },
    ]);
  });

  it('reports each bad row by its line (a quoted multi-line cell counts from its first line) and keeps the rest', () => {
    const text = [
      HEADER,
      'E1,One,,,,,,2020-01-06,,,,,,',
      'E2,"Two',
      'lines",,,,,,2026-02-30,,,,,,',
      '',
      'E1,Dup,,,,,,2020-01-06,,,,,,',
      'E3,Three,not-an-email,,E3,,,2020-01-06,2019-01-01,,maybe,,,0',
      'E4,Four,,,,,,2020-01-06',
      'E5,Five,,,,,,2021-03-01,,,,,,',
    ].join('\n');
    const { rows, errors } = parseEmployeesCsv(text);
    assert.deepEqual(
      rows.map((r) => [r.line, r.value.id]),
      [
        [2, 'E1'],
        [9, 'E5'],
      ],
    );
    assert.deepEqual(errors, [
      { line: 3, message: 'start_date "2026-02-30" is not a date (YYYY-MM-DD)' },
      { line: 6, message: 'employee_id "E1" repeats line 2' },
      {
        line: 7,
        message:
          'email "not-an-email" is not an email address; manager_id is the employee themself; leave_date 2019-01-01 is before start_date 2020-01-06; capability_process "maybe" is not a boolean (true/false, yes/no, y/n, 1/0); supervision_frequency_weeks "0" is not a whole number of weeks (1 or more)',
      },
      { line: 8, message: 'has 8 field(s) but the header has 14' },
    ]);
  });

  it('refuses a file without the required columns as a whole (line 1)', () => {
    const { rows, errors } = parseEmployeesCsv('employee_id,name\nE1,One\n');
    assert.equal(rows.length, 0);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /^missing column\(s\): email, position_number, manager_id/);
  });

  it('reads booleans in the documented spellings', () => {
    assert.deepEqual(['TRUE', 'yes', 'Y', '1', 'false', 'No', 'n', '0', ' '].map(parseBooleanCell), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      undefined,
    ]);
    assert.ok(parseBooleanCell('maybe') instanceof Error);
  });
});

describe('hr-csv: conversations', () => {
  it('parses rows, lower-cases the status and checks the type against the policy', () => {
    const text = [
      'employee_id,type,date,manager_id,status',
      'E1,professional-conversation,2026-01-10,M1,Completed',
      'E1,appraisal,2026-01-10,M1,completed',
      ',professional-conversation,2026-13-01,,done',
      'E2,professional-conversation,2026-02-01,,scheduled',
    ].join('\r\n');
    const { rows, errors } = parseConversationsCsv(text, { typeIds: ['professional-conversation'] });
    assert.deepEqual(rows, [
      {
        line: 2,
        value: {
          id: 'line-2',
          employeeId: 'E1',
          type: 'professional-conversation',
          date: '2026-01-10',
          managerId: 'M1',
          status: 'completed',
        },
      },
      {
        line: 5,
        value: {
          id: 'line-5',
          employeeId: 'E2',
          type: 'professional-conversation',
          date: '2026-02-01',
          managerId: '',
          status: 'scheduled',
        },
      },
    ]);
    assert.deepEqual(errors, [
      { line: 3, message: 'type "appraisal" is not one of: professional-conversation' },
      {
        line: 4,
        message:
          'employee_id is required; date "2026-13-01" is not a date (YYYY-MM-DD); status "done" is not completed, scheduled or cancelled',
      },
    ]);
  });

  it('reports unreadable CSV (a stray quote) by line without losing later rows', () => {
    const text =
      'employee_id,type,date,manager_id,status\nE1,"x"y,2026-01-10,M1,completed\nE2,t,2026-01-11,M1,completed\n';
    const { rows, errors } = parseConversationsCsv(text, { typeIds: ['t'] });
    assert.deepEqual(
      rows.map((r) => r.value.employeeId),
      ['E2'],
    );
    assert.equal(errors[0]?.line, 2);
    assert.match(errors[0]?.message ?? '', /^unreadable CSV: /);
  });
});
