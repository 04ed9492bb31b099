/**
 * The `evaluate` command end to end (README "`npm run cli -- evaluate`"): the real CLI in a child
 * process on small fixture CSVs, with stdout, stderr and the exit code compared byte for byte with
 * the expected files, and in process for the exit codes. The expected outputs were checked by
 * hand against DESIGN.md §3.1 (see test/core/evaluate.test.ts for the same rules case by case).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli, usage } from '../../bot/cli';
import { captureIo } from '../support/capture-io';

const root = fileURLToPath(new URL('../../', import.meta.url));
const F = 'test/fixtures/evaluate';
const expected = (name: string): string => readFileSync(`${root}${F}/${name}`, 'utf8');

function cli(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bot/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const inputs = ['--employees', `${F}/employees.csv`, '--conversations', `${F}/conversations.csv`];

describe('cli: evaluate on the fixture (byte for byte)', function () {
  this.timeout(30_000);

  it('prints JSON by default, reports bad rows by line on stderr and exits 1', () => {
    const r = cli('evaluate', '--at', '2026-08-14', ...inputs);
    assert.equal(r.stdout, expected('expected-json.txt'));
    assert.equal(r.stderr, expected('expected-stderr.txt'));
    assert.equal(r.status, 1);
  });

  it('prints CSV with a custom policy file that extends the preset', () => {
    const r = cli(
      'evaluate',
      '--policy',
      `${F}/custom-policy.json`,
      '--format',
      'csv',
      '--at',
      '2026-08-14',
      ...inputs,
    );
    assert.equal(r.stdout, expected('expected-custom.csv'));
    assert.equal(r.stderr, expected('expected-stderr.txt'));
    assert.equal(r.status, 1);
  });

  it('rejects an invalid policy file with the path of each bad field and exits 2', () => {
    const r = cli('evaluate', '--policy', `${F}/bad-policy.json`, '--at', '2026-08-14', ...inputs);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, expected('expected-bad-policy-stderr.txt'));
    assert.equal(r.status, 2);
  });
});

describe('cli: dispatcher and argument errors (in process)', () => {
  it('prints usage for an unknown command and exits 2', async () => {
    const io = captureIo();
    assert.equal(await runCli(['frobnicate'], io), 2);
    assert.equal(io.err.join(''), `unknown command "frobnicate"\n\n${usage()}`);
    assert.match(usage(), /^ {2}evaluate {3}/m);
  });

  it('prints usage with no command (exit 2) and for help (exit 0)', async () => {
    const none = captureIo();
    assert.equal(await runCli([], none), 2);
    assert.equal(none.err.join(''), usage());
    const help = captureIo();
    assert.equal(await runCli(['help'], help), 0);
    assert.equal(help.out.join(''), usage());
  });

  it('names missing and malformed options', async () => {
    const io = captureIo();
    assert.equal(await runCli(['evaluate', '--at', '2026-02-30'], io), 2);
    assert.match(io.err.join(''), /^evaluate: missing --employees, --conversations\n/);
    const bad = captureIo();
    assert.equal(
      await runCli(['evaluate', '--at', '2026-02-30', '--employees', 'a', '--conversations', 'b'], bad),
      2,
    );
    assert.match(bad.err.join(''), /^evaluate: --at "2026-02-30" is not a date YYYY-MM-DD/);
    const fmt = captureIo();
    assert.equal(
      await runCli(
        ['evaluate', '--at', '2026-02-01', '--employees', 'a', '--conversations', 'b', '--format', 'xml'],
        fmt,
      ),
      2,
    );
    assert.match(fmt.err.join(''), /--format must be json or csv, not "xml"/);
    const unknown = captureIo();
    assert.equal(await runCli(['evaluate', '--bogus'], unknown), 2);
    assert.match(unknown.err.join(''), /Unknown option '--bogus'/);
  });

  it('reports an unreadable input file and exits 2', async () => {
    const io = captureIo();
    assert.equal(
      await runCli(['evaluate', '--at', '2026-02-01', '--employees', 'nope.csv', '--conversations', 'b'], io),
      2,
    );
    assert.match(io.err.join(''), /^evaluate: cannot read employees file nope\.csv \(ENOENT\)/);
  });
});

describe('cli: evaluate on files an HR administrator really has', function () {
  this.timeout(30_000);
  const W = [
    '--employees',
    `${F}/employees-windows-1252.csv`,
    '--conversations',
    `${F}/conversations-windows-1252.csv`,
  ];

  it('reports rows with bytes that are not UTF-8, suggesting --encoding, and reads them with it (exit 1, then 0)', () => {
    const utf8 = cli('evaluate', '--format', 'csv', '--at', '2026-08-14', ...W);
    assert.equal(utf8.status, 1);
    assert.equal(
      utf8.stderr,
      [
        `${F}/employees-windows-1252.csv:2: bytes 0xE9, 0x92, 0x93, … are not UTF-8 (in Windows-1252: "é", "’", "“"); if the file was saved as Windows-1252 ("ANSI"), use --encoding windows-1252`,
        `${F}/employees-windows-1252.csv:3: bytes 0xEB, 0x96, 0x80 are not UTF-8 (in Windows-1252: "ë", "–", "€"); if the file was saved as Windows-1252 ("ANSI"), use --encoding windows-1252`,
        `${F}/conversations-windows-1252.csv:2: employee_id "W2" is not in ${F}/employees-windows-1252.csv`,
        `3 row(s) rejected: 2 in ${F}/employees-windows-1252.csv, 1 in ${F}/conversations-windows-1252.csv`,
        '',
      ].join('\n'),
    );
    assert.match(utf8.stdout, /^employee_id,status,.*\nW3,on-track,/);
    const cp1252 = cli(
      'evaluate',
      '--format',
      'csv',
      '--encoding',
      'windows-1252',
      '--at',
      '2026-08-14',
      ...W,
    );
    assert.equal(cp1252.stderr, '');
    assert.equal(cp1252.status, 0);
    assert.deepEqual(
      cp1252.stdout
        .split('\n')
        .slice(1, 4)
        .map((l) => l.split(',')[0]),
      ['W1', 'W2', 'W3'],
    );
  });
});

describe('cli: evaluate refuses a file as a whole with exit 2, and rejected rows with exit 1 (in process)', () => {
  const files =
    (contents: Record<string, string | Uint8Array>) =>
    (path: string): Promise<Uint8Array> => {
      const c = contents[path];
      if (c === undefined)
        return Promise.reject(Object.assign(new Error('no such file'), { code: 'ENOENT' }));
      return Promise.resolve(typeof c === 'string' ? new TextEncoder().encode(c) : c);
    };
  const run = async (contents: Record<string, string | Uint8Array>, ...extra: string[]) => {
    const io = captureIo(undefined, files(contents));
    const code = await runCli(
      [
        'evaluate',
        '--at',
        '2026-08-14',
        '--format',
        'csv',
        '--employees',
        'e.csv',
        '--conversations',
        'c.csv',
        ...extra,
      ],
      io,
    );
    return { code, out: io.out.join(''), err: io.err.join('') };
  };
  const CONV = 'employee_id,type,date,status\nE1,professional-conversation,2026-06-10,completed\n';

  it('evaluates a file with only the required columns (exit 0)', async () => {
    const r = await run({ 'e.csv': 'employee_id,start_date\r\nE1,2020-01-06\r\n', 'c.csv': CONV });
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    assert.match(r.out, /\nE1,on-track,1,4,false,2026-06-10,/);
  });

  it('refuses a file with a missing column, naming the file, the header line and the column (exit 2)', async () => {
    const r = await run({
      'e.csv': 'employee_id,name\nE1,One\n',
      'c.csv': `${CONV}E1,professional-conversation,bad,completed\n`,
    });
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(
      r.err,
      'e.csv:1: missing column(s): start_date\nc.csv:3: date "bad" is not a date (YYYY-MM-DD)\nevaluate: nothing evaluated: e.csv refused\n',
    );
  });

  it('refuses a UTF-16 file as a whole (exit 2)', async () => {
    const utf16 = Uint8Array.from([
      0xff,
      0xfe,
      ...new Uint8Array(new Uint16Array([...'employee_id'].map((c) => c.charCodeAt(0))).buffer),
    ]);
    const r = await run({ 'e.csv': 'employee_id,start_date\nE1,2020-01-06\n', 'c.csv': utf16 });
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      'c.csv: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as "CSV UTF-8" and import it again\nevaluate: nothing evaluated: c.csv refused\n',
    );
  });

  it('reports stray and unclosed quotes at their lines and evaluates every other row (exit 1)', async () => {
    const r = await run({
      'e.csv': [
        'employee_id,name,start_date',
        'E1,"Smith, Jo,2020-01-06',
        'E2,"Two',
        'lines",2020-01-06',
        'E3,Three,2020-01-06',
        'E4,"Never closed,2020-01-06',
        'E5,Five,2020-01-06',
        '',
      ].join('\r\n'),
      'c.csv': 'employee_id,type,date,status\n',
    });
    assert.equal(
      r.err,
      [
        'e.csv:2: a quoted cell has text after its closing quote; write a quote inside a quoted cell as ""',
        'e.csv:6: a quoted cell is never closed',
        '2 row(s) rejected: 2 in e.csv, 0 in c.csv',
        '',
      ].join('\n'),
    );
    assert.equal(r.code, 1);
    assert.deepEqual(
      r.out
        .split('\n')
        .slice(1, 4)
        .map((l) => l.split(',')[0]),
      ['E2', 'E3', 'E5'],
    );
  });

  it('names a bad --encoding (exit 2)', async () => {
    const r = await run({}, '--encoding', 'latin9');
    assert.equal(r.code, 2);
    assert.match(r.err, /^evaluate: --encoding must be utf-8 or windows-1252, not "latin9"\n/);
  });
});

describe('cli: evaluate with the career-conversations policy (in process, CSV files)', () => {
  const files =
    (contents: Record<string, string>) =>
    (path: string): Promise<Uint8Array> => {
      const c = contents[path];
      if (c === undefined)
        return Promise.reject(Object.assign(new Error('no such file'), { code: 'ENOENT' }));
      return Promise.resolve(new TextEncoder().encode(c));
    };
  const EMPLOYEES = [
    'employee_id,name,staff_group,start_date,pay_step_date,capability_process,disciplinary_live,mandatory_training_complete,supervision_frequency_weeks',
    'N1,Nurse,Nursing and Midwifery Registered,2018-01-08,2019-09-01,no,no,yes,4',
    'N2,Starter,Additional Clinical Services,2026-08-01,,,,,',
    'N3,Doctor,  MEDICAL   and dental ,2019-01-07,,,,,',
    'N4,Therapist,Allied Health Professionals,2021-06-15,,,,,',
    '',
  ].join('\n');
  const CONVERSATIONS = [
    'employee_id,type,date,status,objectives_met,overall_rating',
    'N1,career-conversation,2026-08-20,completed,yes,Meets objectives and values',
    'N1,supervision,2026-08-01,completed,,',
    'N2,induction,2026-08-20,completed,,',
    'N4,career-conversation,2025-05-01,completed,no,Partially meets',
    '',
  ].join('\n');
  const run = async (conversations: string, format: 'csv' | 'json') => {
    const io = captureIo(undefined, files({ 'e.csv': EMPLOYEES, 'c.csv': conversations }));
    const code = await runCli(
      [
        'evaluate',
        '--policy',
        'career-conversations',
        '--at',
        '2026-09-02',
        '--format',
        format,
        '--employees',
        'e.csv',
        '--conversations',
        'c.csv',
      ],
      io,
    );
    return { code, out: io.out.join(''), err: io.err.join('') };
  };
  /** The employee rows of the CSV output, by column name. */
  const table = (out: string): Map<string, Record<string, string>> => {
    const [header, ...lines] = out.split('\n\n')[0]!.split('\n');
    const names = header!.split(',');
    return new Map(
      lines.map((line) => {
        // The reasons hold no commas or quotes, so a plain split reads the fixture's rows.
        const cells = line.split(',');
        const row = Object.fromEntries(names.map((n, k) => [n, cells[k] ?? '']));
        return [row.employee_id!, row];
      }),
    );
  };

  it('prints supervision, the induction meeting, the pay-step date with checks I–V and the decision awaited', async () => {
    const r = await run(CONVERSATIONS, 'csv');
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    const rows = table(r.out);
    const n1 = rows.get('N1')!;
    // Incremental date 1 Sep; the 20 Aug 2026 career conversation counts for 1 Sep 2026.
    assert.deepEqual(
      [n1.status, n1.compliant, n1.next_due, n1.days_overdue],
      ['on-track', 'true', '2027-09-01', '0'],
    );
    // Supervision every 4 weeks from 1 Aug: due 29 Aug, 4 days overdue on 2 Sep.
    assert.deepEqual(
      [
        n1.supervision_frequency_weeks,
        n1.supervision_last,
        n1.supervision_next_due,
        n1.supervision_days_overdue,
      ],
      ['4', '2026-08-01', '2026-08-29', '4'],
    );
    // The pay-step date was yesterday and no decision is recorded: it is still the one considered.
    assert.deepEqual(
      [n1.pay_step_date, n1.pay_step_source, n1.pay_step_days_to_date, n1.awaiting_decision, n1.decision],
      ['2026-09-01', 'pay-step-date', '-1', 'true', ''],
    );
    assert.deepEqual(
      ['I', 'II', 'III', 'IV', 'V'].map((id) => n1[`check_${id}`]),
      ['met', 'met', 'met', 'met', 'not-applicable'],
    );
    assert.equal(n1.check_I_reason, 'career conversation on 2026-08-20: objectives and values met');
    assert.equal(n1.pay_step_readiness, 'ready');
    // Started 1 Aug: induction meeting due 15 Aug, held 20 Aug, 5 days late.
    const n2 = rows.get('N2')!;
    assert.deepEqual(
      [n2.induction_due, n2.induction_held, n2.induction_state, n2.induction_days_late],
      ['2026-08-15', '2026-08-20', 'late', '5'],
    );
    // "  MEDICAL   and dental " is ESR's "Medical and Dental": excluded.
    assert.equal(rows.get('N3')!.status, 'excluded');
    // No pay-step date: the start date's anniversaries (15 Jun). 1 May 2025 counted for 15 Jun 2025,
    // so due 15 Jun 2026: 79 days overdue (15 + 31 + 31 + 2). Pay step 15 Jun 2026 still undecided,
    // and the conversation was more than 12 months before it.
    const n4 = rows.get('N4')!;
    assert.deepEqual(
      [
        n4.status,
        n4.next_due,
        n4.days_overdue,
        n4.pay_step_date,
        n4.pay_step_source,
        n4.pay_step_days_to_date,
      ],
      ['overdue', '2026-06-15', '79', '2026-06-15', 'start-date', '-79'],
    );
    assert.deepEqual(
      [n4.check_I, n4.check_I_reason, n4.check_II, n4.pay_step_readiness],
      ['not-met', 'no career conversation held since 2025-06-16', 'unknown', 'not-ready'],
    );
    // % compliance at D (Q2 in progress): N1 and N4 in post ≥ 12 months, N1 compliant.
    assert.match(r.out, /\nquarterly_compliance,2026\/27 Q2,2,1,50\.0\n/);
  });

  it('names the quarterly figure in JSON and rejects a rating the policy does not offer (exit 1)', async () => {
    const r = await run(
      `${CONVERSATIONS}N4,career-conversation,2024-05-01,completed,yes,Outstanding\n`,
      'json',
    );
    assert.equal(r.code, 1);
    assert.equal(
      r.err,
      'c.csv:6: overall_rating "Outstanding" is not one of: "Meets objectives and values", "Partially meets", "Does not meet"\n' +
        '1 row(s) rejected: 0 in e.csv, 1 in c.csv\n',
    );
    const json = JSON.parse(r.out) as {
      completion: { quarterly: { figure: string; eligible: number; completed: number } };
      employees: { employee_id: string; induction_state: string }[];
    };
    assert.deepEqual(json.completion.quarterly, {
      ...json.completion.quarterly,
      figure: 'compliant-at-quarter-end',
      eligible: 2,
      completed: 1,
    });
    assert.equal(json.employees.find((e) => e.employee_id === 'N2')?.induction_state, 'late');
  });
});
