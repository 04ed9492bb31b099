/**
 * The admin commands as an operator runs them: `npm run cli -- import-hr` and `refresh` as child
 * processes against Azurite, configured through the environment like the service.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { freePort } from '../bot/dev/ports';
import { employeesCsv } from '../bot/records/imports';
import { TableDirectory } from '../bot/storage/employee-table';
import { openTables } from '../bot/storage/tables';

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('admin CLI: import-hr and refresh (Azurite)', function () {
  this.timeout(90_000);
  let azurite: RunningAzurite;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    azurite = await startAzurite({ ports: { table: await freePort() } });
    dir = await mkdtemp(join(tmpdir(), 'pc-cli-'));
    env = { STORAGE_CONNECTION_STRING: azurite.connectionString, LOG_LEVEL: 'error' };
  });
  after(async () => {
    await azurite?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports, reports a malformed row by line with exit code 1, then changes nothing on a re-run', async () => {
    const org = generateDemoOrg({ asOf: '2026-11-23', people: 80 });
    const lines = employeesCsv(org.employees).trimEnd().split('\n');
    lines.splice(3, 0, 'x1,Broken Row,not-an-email,1,,Dept,LGS,yesterday,,,,,,,');
    const file = join(dir, 'hr.csv');
    await writeFile(file, lines.join('\n') + '\n');

    const first = await cli(['import-hr', file], env);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stdout, /^added 80, updated 0, left \d+, unchanged 0, repaired 0, rejected 1$/m);
    assert.match(first.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: `));

    const again = await cli(['import-hr', file], env);
    assert.match(again.stdout, /^added 0, updated 0, left 0, unchanged 80, repaired 0, rejected 1$/m);

    const refresh = await cli(['refresh'], env);
    assert.equal(refresh.code, 0, refresh.stderr);
    assert.match(refresh.stdout, /^rows 80, repaired 0, changed 0, roll-up rows \d+$/m);
    const status = await cli(['refresh', '--status'], env);
    assert.match(status.stdout, /: done /);
  });

  it('names a missing storage setting and a missing file', async () => {
    const noStorage = await cli(['import-hr', 'hr.csv'], { STORAGE_CONNECTION_STRING: '' });
    assert.equal(noStorage.code, 2);
    assert.match(noStorage.stderr, /cannot read hr\.csv: ENOENT/);
    const file = join(dir, 'empty.csv');
    await writeFile(file, 'employee_id\n');
    const noConfig = await cli(['import-hr', file], { STORAGE_CONNECTION_STRING: '' });
    assert.equal(noConfig.code, 2);
    assert.match(noConfig.stderr, /STORAGE_CONNECTION_STRING: is required/);
  });

  it('refuses a file without a required column with exit 2, and reads Windows-1252 when told', async () => {
    const noStart = join(dir, 'no-start.csv');
    await writeFile(noStart, 'employee_id,name\nw1,Someone\n');
    const refused = await cli(['import-hr', noStart], env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /no-start\.csv: .*start_date/);
    assert.match(refused.stdout, /^$/, 'nothing imported');

    // Only the required columns, in a Windows-1252 file: "Café" is 0x43 0x61 0x66 0xE9.
    const ansi = join(dir, 'ansi.csv');
    await writeFile(
      ansi,
      Buffer.from('employee_id,name,start_date\r\nw1,Caf\xe9 Owner,2020-01-01\r\n', 'latin1'),
    );
    const asUtf8 = await cli(['import-hr', ansi], env);
    assert.equal(asUtf8.code, 1, 'the row is rejected, not stored with a replacement character');
    assert.match(asUtf8.stderr, /ansi\.csv:2: .*0xE9.*--encoding windows-1252/);
    const declared = await cli(['import-hr', ansi, '--encoding', 'windows-1252'], env);
    assert.equal(declared.code, 0, declared.stderr);
    assert.match(declared.stdout, /^added 1,/m);
    const tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    const stored = await new TableDirectory(tables).getEmployee('w1');
    assert.equal(stored?.name, 'Café Owner');
  });
});
