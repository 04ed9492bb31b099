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
