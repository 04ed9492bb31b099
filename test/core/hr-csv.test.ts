/**
 * The employees and conversations CSV formats (README "CSV formats"; DESIGN.md §8 "malformed HR
 * rows are reported by line and the rest imported"), on the files an HR administrator really has.
 */
import assert from 'node:assert/strict';
import {
  decodeCsv,
  EMPLOYEE_COLUMNS,
  parseBooleanCell,
  parseConversationsCsv,
  parseEmployeesCsv,
} from '../../core/index';

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
          outOfScope: undefined,
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

  it('refuses a file without a required column as a whole, in fileError and not among the rows', () => {
    assert.deepEqual(parseEmployeesCsv('employee_id,name\nE1,One\n'), {
      rows: [],
      errors: [],
      fileError: { line: 1, message: 'missing column(s): start_date' },
    });
    assert.deepEqual(parseEmployeesCsv('\n\nName,Start_Date\nOne,2020-01-06\n').fileError, {
      line: 3,
      message: 'missing column(s): employee_id',
    });
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

  it('reports text after a closing quote by line without losing later rows', () => {
    const text =
      'employee_id,type,date,manager_id,status\nE1,"x"y,2026-01-10,M1,completed\nE2,t,2026-01-11,M1,completed\n';
    const { rows, errors } = parseConversationsCsv(text, { typeIds: ['t'] });
    assert.deepEqual(
      rows.map((r) => r.value.employeeId),
      ['E2'],
    );
    assert.deepEqual(errors, [
      {
        line: 2,
        message: 'a quoted cell has text after its closing quote; write a quote inside a quoted cell as ""',
      },
    ]);
  });

  it('needs employee_id, type, date and status; manager_id may be left out', () => {
    const ok = parseConversationsCsv('Status,Date,Type,Employee_ID\ncompleted,2026-01-10,t,E1\n', {
      typeIds: ['t'],
    });
    assert.equal(ok.fileError, undefined);
    assert.deepEqual(ok.rows, [
      {
        line: 2,
        value: {
          id: 'line-2',
          employeeId: 'E1',
          type: 't',
          date: '2026-01-10',
          managerId: '',
          status: 'completed',
        },
      },
    ]);
    const missing = parseConversationsCsv('employee_id,manager_id\nE1,M1\n', { typeIds: ['t'] });
    assert.deepEqual(missing, {
      rows: [],
      errors: [],
      fileError: { line: 1, message: 'missing column(s): type, date, status' },
    });
  });
});

/** A minimal employees row for the columns `employee_id,name,start_date`. */
const MINI = 'employee_id,name,start_date';

const lineAndId = (r: { line: number; value: { id: string } }): [number, string] => [r.line, r.value.id];

describe('hr-csv: line numbers are where each record starts', () => {
  for (const [label, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    it(`after a quoted cell with line breaks, in a ${label} file`, () => {
      const text = [
        MINI,
        `E1,"two${eol}lines",2020-01-06`,
        `E2,"three${eol}${eol}lines",2026-02-30`,
        'E3,Three,2020-01-06',
        `E4,"cr\ronly",2020-01-06`,
        'E5,Five,bad',
      ].join(eol);
      const { rows, errors } = parseEmployeesCsv(text);
      assert.deepEqual(rows.map(lineAndId), [
        [2, 'E1'],
        [7, 'E3'],
        [8, 'E4'],
      ]);
      assert.equal(rows[0]?.value.name, `two${eol}lines`);
      assert.deepEqual(
        errors.map((e) => e.line),
        [4, 10],
      );
    });
  }

  it('in a file mixing LF, CRLF and lone CR line ends, with blank and all-empty lines skipped', () => {
    const text = `${MINI}\r\nE1,"a\r\nb",2020-01-06\n\r\n   \n,,\rE2,Two,2020-01-06\rE3,"x\ny",bad\r\nE4,Four,2020-01-06`;
    const { rows, errors } = parseEmployeesCsv(text);
    assert.deepEqual(rows.map(lineAndId), [
      [2, 'E1'],
      [7, 'E2'],
      [10, 'E4'],
    ]);
    assert.deepEqual(errors, [{ line: 8, message: 'start_date "bad" is not a date (YYYY-MM-DD)' }]);
  });
});

describe('hr-csv: broken quoting loses no rows', () => {
  it('reports a quote that is never closed at its line and reads every row after it', () => {
    const text = [
      MINI,
      'E1,One,2020-01-06',
      'E2,"Smith, Jo,2020-01-06',
      'E3,Three,2020-01-06',
      'E4,Four,2026-02-30',
      'E5,Five,2020-01-06',
    ].join('\r\n');
    const { rows, errors } = parseEmployeesCsv(text);
    assert.deepEqual(rows.map(lineAndId), [
      [2, 'E1'],
      [4, 'E3'],
      [6, 'E5'],
    ]);
    assert.deepEqual(errors, [
      { line: 3, message: 'a quoted cell is never closed' },
      { line: 5, message: 'start_date "2026-02-30" is not a date (YYYY-MM-DD)' },
    ]);
  });

  it('names the line of the open quote when the record starts earlier, and resumes after it', () => {
    const text = [MINI, 'E1,"two', 'lines",2020-01-06,"open', 'E2,Two,2020-01-06'].join('\n');
    const { rows, errors } = parseEmployeesCsv(text);
    assert.deepEqual(rows.map(lineAndId), [[4, 'E2']]);
    assert.deepEqual(errors, [{ line: 2, message: 'a quoted cell is never closed (the quote on line 3)' }]);
  });

  it('does not let a stray quote pair with a later quoted cell and swallow the rows between', () => {
    const text = [
      MINI,
      'E1,"Smith, Jo,2020-01-06',
      'E2,Two,2020-01-06',
      'E3,"Planner, Senior",2020-01-06',
      'E4,Four,2020-01-06',
    ].join('\n');
    const { rows, errors } = parseEmployeesCsv(text);
    assert.deepEqual(rows.map(lineAndId), [
      [3, 'E2'],
      [4, 'E3'],
      [5, 'E4'],
    ]);
    assert.equal(rows[1]?.value.name, 'Planner, Senior');
    assert.deepEqual(
      errors.map((e) => e.line),
      [2],
    );
    assert.match(errors[0]?.message ?? '', /^a quoted cell has text after its closing quote/);
  });

  it('keeps a quote inside an unquoted cell as written, and spaces around a quoted cell are trimmed', () => {
    const { rows, errors } = parseEmployeesCsv(
      `${MINI}\nE1,Jo "JJ" Smith,2020-01-06\nE2 ,  "Two, Jr"  ,2020-01-06\n`,
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rows.map((r) => [r.value.id, r.value.name]),
      [
        ['E1', 'Jo "JJ" Smith'],
        ['E2', 'Two, Jr'],
      ],
    );
  });

  it('refuses a header it cannot read, and an empty file, as a whole', () => {
    assert.deepEqual(parseEmployeesCsv('employee_id,"start_date\nE1,2020-01-06\n').fileError, {
      line: 1,
      message: 'header row: a quoted cell is never closed',
    });
    assert.deepEqual(parseEmployeesCsv('\r\n  \r\n'), {
      rows: [],
      errors: [],
      fileError: { line: 0, message: 'the file is empty: no header row' },
    });
    assert.deepEqual(parseEmployeesCsv('employee_id,start_date,Start_Date\n').fileError, {
      line: 1,
      message: 'column start_date appears more than once in the header',
    });
  });
});

describe('hr-csv: columns', () => {
  it('needs only employee_id and start_date; the columns left out read as not recorded', () => {
    const { rows, errors, fileError } = parseEmployeesCsv('start_date,employee_id\n2020-01-06,E1\n');
    assert.equal(fileError, undefined);
    assert.deepEqual(errors, []);
    assert.deepEqual(rows, [
      {
        line: 2,
        value: {
          id: 'E1',
          name: '',
          email: '',
          positionNumber: '',
          managerId: undefined,
          department: '',
          staffGroup: '',
          startDate: '2020-01-06',
          leaveDate: undefined,
          payStepDate: undefined,
          capabilityProcess: undefined,
          disciplinaryLive: undefined,
          mandatoryTrainingComplete: undefined,
          supervisionFrequencyWeeks: undefined,
          outOfScope: undefined,
        },
      },
    ]);
  });

  it('reads out_of_scope as a boolean like the others (empty: not recorded), the last documented column', () => {
    assert.equal(EMPLOYEE_COLUMNS.at(-1), 'out_of_scope');
    const text = `${MINI},Out_Of_Scope\nE1,Chief,2015-04-01,yes\nE2,Two,2020-01-06,0\nE3,Three,2020-01-06,\nE4,Four,2020-01-06,perhaps\n`;
    const { rows, errors } = parseEmployeesCsv(text);
    assert.deepEqual(
      rows.map((r) => [r.value.id, r.value.outOfScope]),
      [
        ['E1', true],
        ['E2', false],
        ['E3', undefined],
      ],
    );
    assert.deepEqual(errors, [
      { line: 5, message: 'out_of_scope "perhaps" is not a boolean (true/false, yes/no, y/n, 1/0)' },
    ]);
  });

  it('keeps formula-like cells as data, verbatim (export escaping is the writer’s job)', () => {
    const cells = ["=cmd|' /C calc'!A0", '+SUM(A1:A9)', '-2+3', '@SUM(1)', '=HYPERLINK("http://x","y")'];
    const text = [
      'employee_id,name,department,position_number,staff_group,start_date',
      `E1,${cells[0]},${cells[1]},${cells[2]},${cells[3]},2020-01-06`,
      `E2,"${(cells[4] ?? '').replace(/"/g, '""')}",,,,2020-01-06`,
    ].join('\n');
    const { rows, errors } = parseEmployeesCsv(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rows.map((r) => [r.value.name, r.value.department, r.value.positionNumber, r.value.staffGroup]),
      [
        [cells[0], cells[1], cells[2], cells[3]],
        [cells[4], '', '', ''],
      ],
    );
  });
});

describe('hr-csv: decoded files', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

  it('rejects each record that spans a line with bytes that are not UTF-8, by its first line, and keeps the rest', () => {
    const file = bytes(
      `${MINI}\r\nE1,Ren`,
      [0xe9],
      `,2020-01-06\r\nE2,"two\r\nlin`,
      [0xe9],
      `s",2020-01-06\r\nE3,Zoë,2020-01-06\r\n`,
    );
    const { rows, errors, fileError } = parseEmployeesCsv(decodeCsv(file));
    assert.equal(fileError, undefined);
    assert.deepEqual(rows.map(lineAndId), [[5, 'E3']]);
    assert.equal(rows[0]?.value.name, 'Zoë');
    assert.deepEqual(
      errors.map((e) => e.line),
      [2, 3],
    );
    assert.match(
      errors[0]?.message ?? '',
      /^byte 0xE9 is not UTF-8 \(in Windows-1252: "é"\).*--encoding windows-1252/,
    );
    assert.match(errors[1]?.message ?? '', /^line 4: byte 0xE9 is not UTF-8/);
  });

  it('reads the same file as Windows-1252 when asked, and refuses a UTF-16 file as a whole', () => {
    const file = bytes(`${MINI}\nE1,Ren`, [0xe9, 0x20, 0x93, 0x80, 0x94], `,2020-01-06\n`);
    const { rows, errors } = parseEmployeesCsv(decodeCsv(file, 'windows-1252'));
    assert.deepEqual(errors, []);
    assert.equal(rows[0]?.value.name, 'René “€”');
    const utf16 = parseConversationsCsv(decodeCsv(bytes([0xff, 0xfe], 'e\0')), { typeIds: [] });
    assert.deepEqual(utf16.rows, []);
    assert.deepEqual(utf16.errors, []);
    assert.match(utf16.fileError?.message ?? '', /UTF-16/);
  });

  it('refuses a file whose header has bytes that are not UTF-8', () => {
    const { fileError } = parseEmployeesCsv(
      decodeCsv(bytes('employee_id,start_date,r', [0xf4], 'le\nE1,2020-01-06\n')),
    );
    assert.equal(fileError?.line, 1);
    assert.match(fileError?.message ?? '', /^header row: byte 0xF4 is not UTF-8/);
  });
});
