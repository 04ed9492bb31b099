/**
 * The HR import and the history load given the files a real HR system and a hurried administrator
 * produce — a BOM and CRLF, quoted commas and line breaks, formula-like names, bad dates, repeated
 * ids, a reporting loop, a manager HR did not send, a 70 KB cell, an id no table key can hold, an
 * unterminated quote, a byte that is not UTF-8, a cancelled and a held row for one meeting, people
 * not in the directory — against Azurite: each bad row reported at its true line, every good row
 * stored with its correct status, nothing half-written, and the Chief Executive in no list.
 */
import { strict as assert } from 'node:assert';
import { fixedClock } from '../bot/clock';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort } from '../bot/dev/ports';
import { configureLogging, createLogger } from '../bot/log';
import { historyFromCsv, importHistory, importHr } from '../bot/records/imports';
import { Records } from '../bot/records/records';
import { openTables, type Tables } from '../bot/storage/tables';
import { summarise } from '../bot/storage/team-table';
import { evaluateEmployee } from '../core/compliance/evaluate';
import { decodeCsv, parseConversationsCsv } from '../core/import/hr-csv';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';

const TODAY = '2026-11-23';
const policy = PROFESSIONAL_CONVERSATION;

const HEADER = 'employee_id,name,email,manager_id,start_date,staff_group,department,out_of_scope';
/** The hostile file, line by line (line 1 is the header); `\r\n` ends each line. */
const LINES: string[] = [
  HEADER,
  'CEO,Chief Executive,ceo@council.example,,2015-04-01,Officer,Chief Executive’s Office,', // 2
  'M1,"Manager, One",m1@council.example,CEO,2018-01-01,Officer,Adult Services,', // 3
  'A1,"=HYPERLINK(""http://evil.example"")",a1@council.example,M1,2020-01-01,Officer,Adult Services,', // 4
  'A2,"Line one\r\nline two",a2@council.example,M1,2020-01-01,Officer,Adult Services,', // 5–6
  'BAD1,Bad Date,bad1@council.example,M1,2026-02-30,Officer,Adult Services,', // 7
  'A1,Repeated Id,rep@council.example,M1,2020-01-01,Officer,Adult Services,', // 8
  'C1,Loop One,c1@council.example,C2,2020-01-01,Officer,Adult Services,', // 9
  'C2,Loop Two,c2@council.example,C1,2020-01-01,Officer,Adult Services,', // 10
  'U1,Unknown Manager,u1@council.example,NOBODY,2020-01-01,Officer,Adult Services,', // 11
  `BIG,${'x'.repeat(70_000)},big@council.example,M1,2020-01-01,Officer,Adult Services,`, // 12
  'S/1,Slash In Id,s1@council.example,M1,2020-01-01,Officer,Adult Services,', // 13
  'Q1,"Unterminated,q1@council.example,M1,2020-01-01,Officer,Adult Services,', // 14
  'A3,After The Quote,a3@council.example,M1,2020-01-01,Officer,Adult Services,', // 15
  'A4,Caf\u0000 Byte,a4@council.example,M1,2020-01-01,Officer,Adult Services,', // 16: \u0000 → 0xE9 below
  'A5,Marked Out Of Scope,a5@council.example,M1,2020-01-01,Officer,Adult Services,yes', // 17
  'A6,Last Good,a6@council.example,M1,2020-01-01,Officer,Adult Services,', // 18
];

/** The file's bytes: a UTF-8 BOM, CRLF line ends, and one lone Windows-1252 byte (é) on line 16. */
function hostileBytes(): Uint8Array {
  const text = LINES.join('\r\n') + '\r\n';
  const [before, after] = text.split('\u0000') as [string, string];
  return Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(before, 'utf8'),
    Buffer.from([0xe9]),
    Buffer.from(after, 'utf8'),
  ]);
}

describe('HR import and history load: hostile files (Azurite)', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let tables: Tables;
  let records: Records;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: { table: await freePort() } });
    tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    records = new Records(tables, policy, fixedClock(TODAY), createLogger('test.hostile'));
  });
  after(async () => {
    await azurite?.stop();
  });

  it('reports each bad row at its true line, imports every good row with its status, writes nothing half-way', async () => {
    const summary = await importHr(records, tables, decodeCsv(hostileBytes()));
    const byLine = new Map(summary.rejected.map((r) => [r.line, r.message]));
    assert.deepEqual(
      [...byLine.keys()],
      [7, 8, 9, 10, 12, 13, 14, 16],
      summary.rejected.map((r) => `${r.line}: ${r.message}`).join('\n'),
    );
    assert.match(byLine.get(7)!, /start_date "2026-02-30" is not a date/);
    assert.match(byLine.get(8)!, /employee_id "A1" repeats line 4/);
    assert.match(byLine.get(9)!, /reporting loop \(C1 → C2 → C1\)/);
    assert.match(byLine.get(10)!, /reporting loop \(C2 → C1 → C2\)/);
    assert.match(byLine.get(12)!, /^name is 70,000 characters; at most 1,024 can be stored$/);
    assert.match(byLine.get(13)!, /employee_id "S\/1" contains "\/"/);
    assert.match(byLine.get(14)!, /quote/i);
    assert.match(byLine.get(16)!, /0xE9.*windows-1252/i);
    assert.equal(summary.added, 8, 'CEO, M1, A1, A2, U1, A3, A5 and A6');

    const good = ['CEO', 'M1', 'A1', 'A2', 'U1', 'A3', 'A5', 'A6'];
    for (const id of good) {
      const person = await records.directory.getEmployee(id);
      assert.ok(person, `${id} is in the employees table`);
      const row = await records.team.get(person.managerId, id);
      assert.ok(row, `${id} is in the team table under their manager`);
      assert.deepEqual(
        row.evaluation,
        summarise(evaluateEmployee(policy, person, [], TODAY)),
        `${id} has the status the engine gives`,
      );
    }
    const stored: string[] = [];
    for await (const e of records.directory.listAll()) stored.push(e.id);
    assert.deepEqual(stored.sort(), [...good].sort(), 'no rejected row was written');
    for await (const row of records.team.all()) {
      assert.ok(good.includes(row.employee.id), `no status row for ${row.employee.id}`);
    }
    const a1 = await records.directory.getEmployee('A1');
    assert.equal(
      a1?.name,
      '=HYPERLINK("http://evil.example")',
      'a formula-like name is data, kept as written',
    );
    assert.equal((await records.directory.getEmployee('M1'))?.name, 'Manager, One');

    // Out of scope: the Chief Executive by the policy's default, A5 because HR says so.
    const ceo = await records.team.get(undefined, 'CEO');
    assert.equal(ceo?.employee.outOfScope, true);
    assert.equal(ceo?.evaluation?.status, 'excluded');
    assert.equal((await records.team.get('M1', 'A5'))?.evaluation?.status, 'excluded');
    const listed: string[] = [];
    for await (const e of tables.exceptions.listEntities()) listed.push(e.rowKey ?? '');
    assert.ok(listed.includes('U1'), 'someone overdue is listed');
    assert.ok(!listed.includes('CEO') && !listed.includes('A5'), 'out-of-scope people are in no list');

    const again = await importHr(records, tables, decodeCsv(hostileBytes()));
    assert.deepEqual([again.added, again.updated, again.unchanged, again.repaired], [0, 0, 8, 0]);
  });

  it('loads history: a cancelled and a held row for one meeting are one conversation, unknown ids are reported', async () => {
    const csv = [
      'employee_id,type,date,status',
      'A1,professional-conversation,2026-10-01,cancelled', // 2
      'A1,professional-conversation,2026-10-01,completed', // 3: kept
      'A2,professional-conversation,2026-09-01,completed', // 4
      'A2,professional-conversation,2026-09-01,completed', // 5: a repeat
      'GHOST,professional-conversation,2026-09-01,completed', // 6: not in the directory
    ].join('\n');
    const parsed = parseConversationsCsv(csv, { typeIds: ['professional-conversation'] });
    const known = new Set<string>();
    for await (const e of records.directory.listAll()) known.add(e.id);
    const { history, rejected } = historyFromCsv(parsed, known, `${TODAY}T09:00:00.000Z`);
    assert.deepEqual(
      rejected.map((r) => [r.line, r.message]),
      [
        [2, 'the same person, date and type as line 3: one conversation, so line 3 (completed) is kept'],
        [5, 'the same person, date and type as line 4: one conversation, so line 4 (completed) is kept'],
        [6, 'employee_id "GHOST" is not in the directory: import the HR file with them first'],
      ],
    );
    const first = await importHistory(records, tables, history);
    assert.deepEqual([first.records, first.people, first.resumed], [2, 2, false]);
    const a1 = await records.team.get('M1', 'A1');
    assert.equal(a1?.evaluation?.lastHeld, '2026-10-01', 'the held one counts');
    assert.equal((await records.conversations.listForEmployee('GHOST')).length, 0);

    // Stopped after its records: the same load again resumes at the statuses.
    await tables.jobs.upsertEntity(
      {
        partitionKey: 'import-history',
        rowKey: 'state',
        state: JSON.stringify({ file: await checkpointFile(tables), phase: 'statuses' }),
      },
      'Replace',
    );
    const resumed = await importHistory(records, tables, history);
    assert.equal(resumed.resumed, true);
    assert.equal((await records.team.get('M1', 'A2'))?.evaluation?.lastHeld, '2026-09-01');
  });
});

async function checkpointFile(tables: Tables): Promise<string> {
  const e = await tables.jobs.getEntity<{ state: string }>('import-history', 'state');
  return (JSON.parse(e.state) as { file: string }).file;
}
