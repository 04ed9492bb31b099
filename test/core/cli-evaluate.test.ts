/**
 * The `evaluate` command end to end: the real CLI in a child process on small fixture CSVs, with
 * stdout, stderr and the exit code compared byte for byte with the expected files (issue 3).
 * The expected outputs were checked by hand against DESIGN.md §3.1 (see test/core/evaluate.test.ts
 * for the same rules case by case).
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
