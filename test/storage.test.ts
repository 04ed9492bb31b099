/**
 * Records on Azure Tables, against Azurite in memory on a free port: every repository round trip,
 * concurrency and idempotency, limits, the HR import, and figures that always equal a fresh
 * evaluation by the policy engine — after writes, after a refresh, and after a crash.
 */
import { strict as assert } from 'node:assert';
import { TableServiceClient } from '@azure/data-tables';
import { type TableStore } from '../bot/storage/sharded-table';
import { fixedClock } from '../bot/clock';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { type DemoOrg, generateDemoOrg } from '../bot/dev/demo-org';
import { freePort } from '../bot/dev/ports';
import { demoRecords, seedDemoOrg } from '../bot/dev/seed';
import { configureLogging, createLogger } from '../bot/log';
import { employeesCsv, importHr } from '../bot/records/imports';
import { Records } from '../bot/records/records';
import { rebuildRollups, runRefresh } from '../bot/records/refresh';
import { AuditTable } from '../bot/storage/audit-table';
import { RollupTable } from '../bot/storage/rollup-table';
import { ROOT_PARTITION, SELF, employeeBucket, quarterKey } from '../bot/storage/keys';
import { personColumns } from '../bot/storage/person-entity';
import { LedgerTable } from '../bot/storage/ledger-table';
import { TableReferenceStore, type StoredReference } from '../bot/storage/reference-store';
import { StorageLayoutError, TABLE_NAMES, type Tables, openTables } from '../bot/storage/tables';
import { summarise } from '../bot/storage/team-table';
import { evaluateEmployee } from '../core/compliance/evaluate';
import { evaluateOrganisation } from '../core/compliance/organisation';
import { emptyFigures, quarterAsOf, rollupQuarters, toRollupFigures } from '../core/compliance/status-facts';
import { type Employee } from '../core/model';
import { groupFigures, rollUp, type RollUpNode } from '../core/org/rollup';
import { ConflictError, TooLargeError } from '../core/ports';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type ConversationRecord } from '../core/records';

const TODAY = '2026-11-23';
const clock = fixedClock(TODAY);
const policy = PROFESSIONAL_CONVERSATION;

async function freshStore(
  azurite: RunningAzurite,
  prefix: string,
): Promise<{ tables: Tables; records: Records }> {
  // Each test gets its own tables: the same Azurite, table names made unique by a prefix.
  const tables = await openTables(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    prefix,
  );
  return { tables, records: new Records(tables, policy, clock, createLogger('test.records')) };
}

function record(
  employee: Employee,
  id: string,
  date: string,
  fields: Partial<ConversationRecord> = {},
): ConversationRecord {
  return {
    id,
    employeeId: employee.id,
    type: 'professional-conversation',
    date,
    managerId: employee.managerId ?? '',
    status: 'completed',
    positionNumber: employee.positionNumber,
    durationMinutes: 30,
    areas: { wellbeing: { notes: 'Feeling settled in the new team.', outcomes: 'Keep Friday check-ins.' } },
    actions: [
      {
        id: `${id}-a1`,
        text: 'Book the EDI refresher',
        owner: 'employee',
        dueDate: '2026-12-31',
        done: false,
      },
    ],
    createdBy: employee.managerId ?? employee.id,
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
    ...fields,
  };
}

/** Asserts every status row and roll-up equals what the policy engine computes from the stored records. */
async function assertFiguresMatchFreshEvaluation(records: Records, tables: Tables): Promise<void> {
  const people: Employee[] = [];
  for await (const e of records.directory.listAll()) people.push(e);
  const all = (await Promise.all(people.map((p) => records.conversations.listForEmployee(p.id))))
    .flat()
    .map((v) => v.value);
  for (const person of people) {
    const row = await records.team.get(person.managerId, person.id);
    const fresh = summarise(evaluateEmployee(policy, person, all, TODAY));
    assert.deepEqual(row?.evaluation, fresh, `status of ${person.name}`);
    assert.equal(row?.dirty, false, `row of ${person.name} is not dirty`);
  }
  for (const q of rollupQuarters(TODAY)) {
    const org = evaluateOrganisation(policy, people, all, quarterAsOf(q, TODAY), { actions: false });
    const stored = new Map<string, unknown>();
    for await (const e of tables.rollups.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `RowKey ge '${quarterKey(q)}|' and RowKey lt '${quarterKey(q)}|~~'` },
    })) {
      const { partitionKey, rowKey } = e as { partitionKey: string; rowKey: string };
      stored.set(`${partitionKey}/${rowKey.split('|')[1]}`, pickFigures(e));
    }
    assert.deepEqual(
      stored.get(`${ROOT_PARTITION}/${SELF}`),
      toRollupFigures(groupFigures(org, undefined, q)),
      `whole org ${q.label}`,
    );
    const visit = (node: RollUpNode) => {
      if (node.children.length === 0) return;
      assert.deepEqual(
        stored.get(`${node.employeeId}/${SELF}`),
        toRollupFigures(node.figures),
        `${node.employeeId} ${q.label}`,
      );
      node.children.forEach(visit);
    };
    rollUp(org, { quarter: q }).forEach(visit);
  }
}

function pickFigures(e: Record<string, unknown>) {
  const f = toRollupFigures(groupFigures(evaluateOrganisation(policy, [], [], TODAY), undefined));
  for (const k of Object.keys(f) as (keyof typeof f)[]) f[k] = Number(e[k] ?? 0);
  return f;
}

describe('records on Azure Tables (Azurite in memory)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let org: DemoOrg;
  let n = 0;
  const store = () => freshStore(azurite, `t${++n}`);

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: { table: await freePort() } });
    org = generateDemoOrg({ asOf: TODAY, people: 120 });
  });
  after(() => azurite?.stop());

  it('imports HR people, reads them back by id and by manager, and changes nothing on a second import', async () => {
    const { tables, records } = await store();
    const csv = employeesCsv(org.employees);
    const first = await importHr(records, tables, csv);
    assert.deepEqual(
      {
        added: first.added,
        updated: first.updated,
        unchanged: first.unchanged,
        rejected: first.rejected.length,
      },
      { added: 120, updated: 0, unchanged: 0, rejected: 0 },
    );
    assert.equal(first.left, org.employees.filter((e) => e.leaveDate).length);
    const sample = org.employees[42]!;
    assert.deepEqual(
      await records.directory.getEmployee(sample.id),
      { ...sample, managerSource: 'hr', ...(sample.leaveDate ? { leaveDateSource: 'hr' } : {}) },
      'stored as HR sent them, with HR recorded as the source of the manager and leave date',
    );
    const manager = org.teamManagerIds[1]!;
    assert.deepEqual(
      (await records.directory.listDirectReports(manager)).map((e) => e.id).sort(),
      org.employees
        .filter((e) => e.managerId === manager)
        .map((e) => e.id)
        .sort(),
    );
    const again = await importHr(records, tables, csv);
    assert.deepEqual([again.added, again.updated, again.left, again.unchanged], [0, 0, 0, 120]);
    assert.equal(again.refresh, undefined, 'nothing changed, so nothing was refreshed');
  });

  it('reads a person stored one column per field, as rows were before the columns were packed', async () => {
    const { tables, records } = await store();
    const sample = org.employees.find((e) => e.leaveDate && e.managerId)!;
    await tables.employees.createEntity({
      partitionKey: employeeBucket(sample.id),
      rowKey: sample.id,
      ...personColumns(sample),
    });
    assert.deepEqual(await records.directory.getEmployee(sample.id), sample);
    const listed: Employee[] = [];
    for await (const e of records.directory.listAll()) listed.push(e);
    assert.deepEqual(listed, [sample]);
    // An import of the same person changes only the sources it records (HR set the manager and
    // the leave date), and gives them the status row the old layout never had.
    const again = await importHr(records, tables, employeesCsv([sample]));
    assert.deepEqual([again.added, again.updated, again.unchanged], [0, 1, 0]);
    assert.equal((await records.team.get(sample.managerId, sample.id))?.employee.managerSource, 'hr');
  });

  it('reports malformed rows by line, imports the rest, marks leavers and moves a changed manager', async () => {
    const { tables, records } = await store();
    await importHr(records, tables, employeesCsv(org.employees));
    const mover = org.employees.find((e) => e.managerId === org.teamManagerIds[0])!;
    const leaver = org.employees.find((e) => e.managerId === org.teamManagerIds[1] && !e.leaveDate)!;
    const newManager = org.teamManagerIds[2]!;
    await records.saveConversation(record(mover, 'c-mover', '2026-10-01'), { actorId: mover.managerId! });
    const changed = org.employees.map((e) =>
      e.id === mover.id
        ? { ...e, managerId: newManager }
        : e.id === leaver.id
          ? { ...e, leaveDate: '2026-11-20' }
          : e,
    );
    const lines = employeesCsv(changed).trimEnd().split('\n');
    lines.splice(5, 0, 'bad-row,Someone,,1,,Dept,LGS,2026-02-30,,,,,,,');
    const summary = await importHr(records, tables, lines.join('\n') + '\n');
    assert.deepEqual(
      summary.rejected.map((r) => [r.line, /start_date/.test(r.message)]),
      [[6, true]],
    );
    assert.deepEqual([summary.updated, summary.left, summary.added], [2, 1, 0]);
    assert.equal(
      await records.team.get(org.teamManagerIds[0], mover.id),
      undefined,
      'gone from the old team',
    );
    const moved = await records.team.get(newManager, mover.id);
    assert.equal(moved?.facts.held.length, 1, 'the move kept the facts');
    assert.equal((await records.team.get(leaver.managerId, leaver.id))?.evaluation?.status, 'left');
    assert.equal((await records.directory.getEmployee(leaver.id))?.leaveDate, '2026-11-20');
    await assertFiguresMatchFreshEvaluation(records, tables);
  });

  it('stores a conversation once however often it is created, refuses a stale update, and rejects an over-long field', async () => {
    const { tables, records } = await store();
    await importHr(records, tables, employeesCsv(org.employees));
    const person = org.employees.find((e) => e.managerId === org.teamManagerIds[3])!;
    const c = record(person, 'c-1', '2026-11-02');
    const first = await records.saveConversation(c, { actorId: person.managerId! });
    const retry = await records.saveConversation(c, { actorId: person.managerId! });
    assert.equal(first.created, true);
    assert.equal(retry.created, false);
    const stored = await records.conversations.listForEmployee(person.id);
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0]!.value, c, 'a full round trip, note text and actions included');

    const edited = {
      ...c,
      areas: { wellbeing: { notes: 'Edited', outcomes: '' } },
      updatedAt: '2026-11-03T09:00:00.000Z',
    };
    const saved = await records.saveConversation(edited, {
      actorId: person.managerId!,
      etag: first.record.etag,
    });
    await assert.rejects(
      records.saveConversation(
        { ...c, durationMinutes: 45 },
        { actorId: person.managerId!, etag: first.record.etag },
      ),
      ConflictError,
    );
    assert.equal(
      (await records.conversations.get(person.id, 'c-1'))?.etag,
      saved.record.etag,
      'the stale write changed nothing',
    );

    const huge = { ...c, id: 'c-huge', areas: { wellbeing: { notes: 'x'.repeat(40_000), outcomes: '' } } };
    await assert.rejects(records.saveConversation(huge, { actorId: person.managerId! }), (error: unknown) => {
      assert.ok(error instanceof TooLargeError);
      assert.equal(error.field, 'areas');
      assert.match(error.message, /"areas" is 40,\d{3} characters; the most that can be stored is 32,768/);
      return true;
    });
    const audit = await new AuditTable(tables.audit).forSubject(person.id);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['conversation.updated', 'conversation.created'],
      'newest first, once each',
    );
    assert.ok(
      audit.every((a) => !JSON.stringify(a).includes('Feeling settled')),
      'no note text in the audit log',
    );
  });

  it('keeps status rows and roll-ups equal to a fresh evaluation after a sequence of writes, before and after a refresh', async () => {
    const { tables, records } = await store();
    await seedDemoOrg(records, tables, org);
    await assertFiguresMatchFreshEvaluation(records, tables);
    const people = org.employees.filter((e) => e.managerId !== undefined && !e.leaveDate).slice(10, 16);
    await records.saveConversation(record(people[0]!, 'w-1', '2026-11-20'), { actorId: 'm' });
    await records.saveConversation(record(people[1]!, 'w-2', '2026-05-14'), { actorId: 'm' }); // a past quarter
    await records.saveConversation(record(people[2]!, 'w-3', '2026-12-01', { status: 'scheduled' }), {
      actorId: 'm',
    });
    const cancelled = await records.saveConversation(record(people[3]!, 'w-4', '2026-11-10'), {
      actorId: 'm',
    });
    await records.saveConversation(
      { ...cancelled.record.value, status: 'cancelled' },
      { actorId: 'm', etag: cancelled.record.etag },
    );
    await Promise.all(
      people
        .slice(4)
        .map((p, i) => records.saveConversation(record(p, `w-c${i}`, '2026-11-21'), { actorId: 'm' })),
    );
    await assertFiguresMatchFreshEvaluation(records, tables);
    const summary = await runRefresh(records, tables.jobs, { resume: false });
    assert.equal(summary.repaired, 0);
    await assertFiguresMatchFreshEvaluation(records, tables);
  });

  it('keeps note text only in conversation rows: status, roll-up, ledger and audit rows never hold it', async () => {
    const { tables, records } = await store();
    await seedDemoOrg(records, tables, org);
    const person = org.employees.find((e) => e.managerId === org.teamManagerIds[6] && !e.leaveDate)!;
    const secret = 'Confidential: discussed a health condition in confidence';
    await records.saveConversation(
      record(person, 'notes-1', '2026-11-22', {
        areas: { wellbeing: { notes: secret, outcomes: `${secret} (outcome)` } },
        employeeComments: `${secret} (comment)`,
        actions: [
          { id: 'n-a1', text: `${secret} (action)`, owner: 'manager', dueDate: '2026-12-10', done: false },
        ],
      }),
      { actorId: person.managerId! },
    );
    await new LedgerTable(tables.nudgeLedger).claim({
      employeeId: person.id,
      item: 'conversation',
      dueDate: '2027-02-14',
      stage: 'due-soon',
    });
    const leaks: string[] = [];
    for (const [name, table] of Object.entries(tables) as [keyof Tables, TableStore][]) {
      if (name === 'conversations') continue;
      for await (const row of table.listEntities()) {
        if (JSON.stringify(row).includes('Confidential'))
          leaks.push(`${name}/${String(row.partitionKey)}/${String(row.rowKey)}`);
      }
    }
    assert.deepEqual(leaks, []);
    const stored = await records.conversations.get(person.id, 'notes-1');
    assert.equal(stored?.value.areas.wellbeing?.notes, secret, 'while the record itself keeps it');
  });

  it('repairs a crash between two writes: the record is kept and the refresh brings the figures back', async () => {
    const { tables, records } = await store();
    await seedDemoOrg(records, tables, org);
    const person = org.employees.find((e) => e.managerId === org.teamManagerIds[4] && !e.leaveDate)!;
    // Simulate the process dying after the record is written: the team's first write (marking
    // the row for repair) goes through, its second (the new status) fails.
    const failing = failOnce(tables.team, 'updateEntity', 1);
    const crashing = new Records({ ...tables, team: failing }, policy, clock, createLogger('test'));
    await assert.rejects(
      crashing.saveConversation(record(person, 'crash-1', '2026-11-22'), { actorId: 'm' }),
      /simulated crash/,
    );
    assert.equal(
      (await records.conversations.get(person.id, 'crash-1'))?.value.id,
      'crash-1',
      'the record is stored',
    );
    assert.equal(
      (await records.team.get(person.managerId, person.id))?.dirty,
      true,
      'the row is marked for repair',
    );
    const summary = await runRefresh(records, tables.jobs, { resume: false });
    assert.equal(summary.repaired, 1);
    await assertFiguresMatchFreshEvaluation(records, tables);
    const audit = await new AuditTable(tables.audit).forSubject(person.id);
    assert.ok(audit.some((a) => a.action === 'status.repaired' && a.actorId === 'system:refresh'));
  });

  it('rebuilds roll-ups when a delta was lost, and resumes an interrupted refresh from its checkpoint', async () => {
    const { tables, records } = await store();
    await seedDemoOrg(records, tables, org);
    // Someone overdue (with a manager: the Chief Executive is out of scope), so a new conversation
    // changes the figures above them.
    const person = org.employees.find(
      (e) =>
        e.managerId !== undefined &&
        summarise(evaluateEmployee(policy, e, org.conversations, TODAY)).status === 'overdue',
    )!;
    const crashing = new Records(
      { ...tables, rollups: failOnce(tables.rollups, 'submitTransaction') },
      policy,
      clock,
      createLogger('t'),
    );
    await assert.rejects(
      crashing.saveConversation(record(person, 'lost-delta', '2026-11-22'), { actorId: 'm' }),
    );
    await assert.rejects(
      assertFiguresMatchFreshEvaluation(records, tables),
      'the roll-ups missed the change',
    );
    let seen = 0;
    await assert.rejects(
      runRefresh(records, tables.jobs, {
        resume: false,
        checkpointEvery: 5,
        onProgress: (phase) => {
          if (phase === 'statuses' && ++seen === 90) throw new Error('interrupted');
        },
      }),
      /interrupted/,
    );
    const resumed = await runRefresh(records, tables.jobs);
    assert.ok(resumed.resumedAfter, 'the second run resumed from the checkpoint');
    await assertFiguresMatchFreshEvaluation(records, tables);
  });

  it('stops a refresh at its next checkpoint when the service stops, and the next run resumes there', async () => {
    const { tables, records } = await store();
    await seedDemoOrg(records, tables, org);
    const stopping = new AbortController();
    let seen = 0;
    await assert.rejects(
      runRefresh(records, tables.jobs, {
        resume: false,
        checkpointEvery: 5,
        signal: stopping.signal,
        onProgress: (phase) => {
          if (phase === 'statuses' && ++seen === 40) stopping.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.ok(seen < org.employees.length, `stopped after ${seen} rows, not at the end`);
    const resumed = await runRefresh(records, tables.jobs);
    assert.ok(resumed.resumedAfter, 'the next run resumed from the checkpoint');
    await assertFiguresMatchFreshEvaluation(records, tables);
  });

  it('pages through more than 1,000 rows of one partition', async () => {
    const { records } = await store();
    const boss: Employee = {
      id: 'boss',
      name: 'Big Boss',
      email: 'b@x.example',
      positionNumber: '1',
      department: 'D',
      staffGroup: 'LGS',
      startDate: '2020-01-01',
    };
    const staff: Employee[] = Array.from({ length: 1_250 }, (_, i) => ({
      ...boss,
      id: `s${i}`,
      name: `Staff ${i}`,
      managerId: 'boss',
    }));
    await records.directory.upsertMany([boss, ...staff]);
    const team = await records.team.team('boss');
    assert.equal(team.length, 1_250);
    assert.equal(new Set(team.map((r) => r.employee.id)).size, 1_250);
    await rebuildRollups(records);
    const rows = await records.rollups.node(ROOT_PARTITION);
    assert.equal(
      rows.find((r) => r.subjectId === ROOT_PARTITION && r.quarter === '2026/27 Q3')?.figures.headcount,
      1_251,
    );
  });

  it('adds concurrent roll-up deltas without losing one: group-committed in one process, ETag-retried across two', async () => {
    const { tables } = await store();
    let transactions = 0;
    const counted = new Proxy(tables.rollups, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'submitTransaction') transactions += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const here = new RollupTable(counted);
    const otherProcess = new RollupTable(tables.rollups);
    const [quarter] = rollupQuarters(TODAY).slice(-1);
    const delta = (n: number, subjectId: string) => ({
      nodeId: ROOT_PARTITION,
      subjectId,
      quarter: quarter!,
      delta: { ...emptyFigures(), headcount: n, eligible: n },
    });
    // Twenty saves at once in this process and ten from another, on the same partition's rows.
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => here.apply([delta(1, ROOT_PARTITION), delta(2, `d${i % 3}`)])),
      ...Array.from({ length: 10 }, () => otherProcess.apply([delta(1, ROOT_PARTITION)])),
    ]);
    const rows = await here.node(ROOT_PARTITION);
    const figure = (subjectId: string) =>
      rows.find((r) => r.subjectId === subjectId && r.quarter === quarter!.label)?.figures.headcount;
    assert.equal(figure(ROOT_PARTITION), 30);
    assert.deepEqual([figure('d0'), figure('d1'), figure('d2')], [14, 14, 12]);
    assert.ok(transactions < 20, `this process's twenty applies went in ${transactions} transactions`);
  });

  it('claims each nudge once, keeps references, and appends audit entries newest first', async () => {
    const { tables } = await store();
    const ledger = new LedgerTable(tables.nudgeLedger);
    const key = { employeeId: 'e1', item: 'conversation', dueDate: '2026-12-01', stage: 'due-soon' };
    assert.equal(await ledger.claim(key), true);
    assert.equal(await ledger.claim(key), false, 'a second claim (another instance, a restart) is refused');
    await ledger.markSent(key);
    assert.deepEqual(await ledger.keysFor('e1'), ['e1|conversation|2026-12-01|due-soon']);

    const references = new TableReferenceStore(tables.conversationRefs);
    const reference: StoredReference = {
      key: 'u1',
      scope: 'personal',
      conversationId: 'a:1',
      serviceUrl: 'https://smba.example/',
      channelId: 'msteams',
      botId: '28:b',
      installedAt: '2026-11-01T09:00:00.000Z',
    };
    assert.equal(await references.saveOnInstall(reference), true);
    assert.equal(
      await references.saveOnInstall({ ...reference, serviceUrl: 'https://smba.example/emea/' }),
      false,
    );
    assert.equal((await references.get('u1'))?.serviceUrl, 'https://smba.example/emea/');

    const audit = new AuditTable(tables.audit);
    await audit.append(
      { subjectId: 'e1', actorId: 'ps-1', action: 'notes.read', reason: 'investigation' },
      new Date('2026-11-20T10:00:00Z'),
    );
    await audit.append(
      { subjectId: 'e1', actorId: 'm1', action: 'conversation.created', recordId: 'c1' },
      new Date('2026-11-21T10:00:00Z'),
    );
    assert.deepEqual(
      (await audit.forSubject('e1')).map((a) => [a.action, a.reason]),
      [
        ['conversation.created', undefined],
        ['notes.read', 'investigation'],
      ],
    );
  });

  it('seeds the demo organisation through the import path', async () => {
    const { tables, records } = await store();
    await seedDemoOrg(records, tables, org);
    const stored = (await records.conversations.listForEmployee(org.conversations[0]!.employeeId)).map(
      (r) => r.value,
    );
    const expected = demoRecords(org).filter((r) => r.employeeId === org.conversations[0]!.employeeId);
    assert.deepEqual(stored.map((r) => r.id).sort(), expected.map((r) => r.id).sort());
  });
});

describe('the table layout (TABLE_SHARDS)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: { table: await freePort() } });
  });
  after(() => azurite?.stop());

  const names = async (prefix: string) => {
    const service = TableServiceClient.fromConnectionString(azurite.connectionString, {
      allowInsecureConnection: true,
    });
    const out: string[] = [];
    for await (const t of service.listTables())
      if (t.name?.startsWith(prefix)) out.push(t.name.slice(prefix.length));
    return out.sort();
  };

  it('keeps one table per kind by default, named as an administrator would look for it', async () => {
    await openTables({ kind: 'connectionString', connectionString: azurite.connectionString }, 'plain');
    assert.deepEqual(await names('plain'), Object.values(TABLE_NAMES).sort());
  });

  it('spreads the large tables over N on request and answers the same figures as one table', async () => {
    const org = generateDemoOrg({ asOf: TODAY, people: 60 });
    const figures = async (prefix: string, tableShards: number) => {
      const tables = await openTables(
        { kind: 'connectionString', connectionString: azurite.connectionString, tableShards },
        prefix,
      );
      const records = new Records(tables, policy, clock, createLogger('test.records'));
      await seedDemoOrg(records, tables, org);
      const teams = await Promise.all(
        org.teamManagerIds.map(async (id) =>
          (await records.directory.listDirectReports(id)).map((e) => e.id).sort(),
        ),
      );
      return {
        teams,
        history: await records.conversations.listForEmployee(org.conversations[0]!.employeeId),
      };
    };
    const one = await figures('one', 1);
    const four = await figures('four', 4);
    assert.deepEqual(four.teams, one.teams, 'every team reads the same from four tables as from one');
    assert.deepEqual(four.history.map((r) => r.value.id).sort(), one.history.map((r) => r.value.id).sort());
    const shardNames = await names('four');
    assert.ok(shardNames.includes('employees00') && shardNames.includes('employees03'), shardNames.join());
    assert.ok(!shardNames.includes('employees04') && shardNames.includes('jobs'), 'small tables stay whole');
  });

  it('refuses to open storage created with another shard count, naming the setting to use', async () => {
    const storage = { kind: 'connectionString', connectionString: azurite.connectionString } as const;
    await openTables({ ...storage, tableShards: 4 }, 'moved');
    await assert.rejects(openTables({ ...storage, tableShards: 1 }, 'moved'), (error: unknown) => {
      assert.ok(error instanceof StorageLayoutError);
      assert.match(
        error.message,
        /TABLE_SHARDS is 1 but this storage was created with TABLE_SHARDS=4: set TABLE_SHARDS=4/,
      );
      return true;
    });
    await openTables({ ...storage, tableShards: 4 }, 'moved');
  });
});

/** The table with one call of `method` failing: the first, or the one after `skip` others. */
function failOnce(table: TableStore, method: 'updateEntity' | 'submitTransaction', skip = 0): TableStore {
  let failed = false;
  let calls = 0;
  return new Proxy(table, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== method || typeof value !== 'function') {
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return (...args: unknown[]) => {
        if (!failed && calls++ >= skip) {
          failed = true;
          return Promise.reject(new Error('simulated crash'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
