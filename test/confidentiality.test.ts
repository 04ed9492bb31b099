/**
 * Note text never leaves the record (DESIGN.md §6; CC §6.1; issue 19 "no note text in any log
 * line, telemetry item, OD answer, export or error"), over the NHS policy's whole cycle through
 * botbuilder's TestAdapter on Azurite: a career conversation with a marker in every key area's
 * notes and outcomes and an action, the colleague's comments, an appeal's grounds and the
 * hearing's action, a pay-step deferral's support plan — then the nudge sweep and digest, the
 * payroll export and People Services' exceptional reading. The marker must be in none of the log
 * lines, audit entries, index and ledger tables, cards sent to the monitoring team, or the export;
 * and it must really have reached the record (the test would pass vacuously otherwise).
 */
import { strict as assert } from 'node:assert';
import { type Activity } from 'botbuilder';
import { type Employee } from '../core/model';
import { CAREER_CONVERSATIONS } from '../core/policy/presets';
import { wallTimeToUtc } from '../core/dates/london-time';
import { spreadsheetCsv } from '../bot/api/csv';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging, createLogger } from '../bot/log';
import { PAY_STEP_COLUMNS, payStepRows } from '../bot/records/pay-steps';
import { type SweepDeps, runDigest, runSweep } from '../bot/reminders/sweep';
import { type TableStore } from '../bot/storage/sharded-table';
import { Snoozes } from '../bot/storage/snoozes';
import { type BotHarness, botHarness } from './support/bot-harness';
import { cardAction } from './support/activities';
import { buttonData, cardText } from './support/cards';
import { nhsPerson } from './support/nhs-people';

/** In conversation notes, outcomes, actions, comments, appeal grounds and the hearing's action. */
const NOTE = 'QUOKKANOTE';
/** In the pay-step deferral's support plan. */
const PLAN = 'QUOKKAPLAN';

const HEAD = 'c7000000-0000-4000-8000-000000000001';
const MANAGER = 'c7000000-0000-4000-8000-000000000002';
const NURSE = 'c7000000-0000-4000-8000-000000000003';
const PEOPLE_SERVICES = 'c7000000-0000-4000-8000-000000000004';
const LATE = 'c7000000-0000-4000-8000-000000000005';

const person = nhsPerson;

const people: Employee[] = [
  person(HEAD, 'Hema Head', undefined),
  person(MANAGER, 'Mina Manager', HEAD),
  person(PEOPLE_SERVICES, 'Pia People', HEAD),
  // Incremental date 10 December; training outstanding, so not ready: a deferral.
  person(NURSE, 'Nia Nurse', MANAGER, { payStepDate: '2021-12-10', mandatoryTrainingComplete: false }),
  // Overdue for their career conversation: the sweep escalates to People Services.
  person(LATE, 'Lee Late', MANAGER, { payStepDate: '2021-09-01' }),
];

const as = (aadObjectId: string) => ({ aadObjectId, name: people.find((p) => p.id === aadObjectId)?.name });

/** Every Input.Text id on a card. */
function textInputs(card: unknown): string[] {
  const ids: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'Input.Text' && typeof n.id === 'string') ids.push(n.id);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return ids;
}

async function everyRow(table: TableStore): Promise<string> {
  const rows: string[] = [];
  for await (const e of table.listEntities<Record<string, unknown>>()) rows.push(JSON.stringify(e));
  return rows.join('\n');
}

describe('note text stays in the record (NHS cycle, TestAdapter, Azurite)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let h: BotHarness;
  const logs: string[] = [];

  before(async () => {
    configureLogging('debug', (line) => logs.push(line));
    azurite = await startAzurite({ ports: await storagePorts() });
    h = await botHarness({
      azurite,
      people,
      today: '2026-12-03',
      policy: CAREER_CONVERSATIONS,
      odMembers: [PEOPLE_SERVICES],
    });
  });
  after(async () => {
    configureLogging('error');
    await azurite?.stop();
  });

  const invoke = async (verb: string, data: Record<string, unknown>, from: string) => {
    const replies: Partial<Activity>[] = await h.turn(
      cardAction({ verb, data: { ...data, verb } }, as(from)),
    );
    const response = replies.find((r) => r.type === 'invokeResponse');
    const value = response?.value as { status: number; body: { value: Record<string, unknown> } };
    assert.equal(value?.status, 200);
    return value.body.value;
  };

  it('never puts the notes, grounds or plan in a log line, audit entry, index, ledger, monitoring-team card or export', async () => {
    // The career conversation, every free-text input holding the marker.
    const form = await invoke('log', { employeeId: NURSE, typeId: 'career-conversation' }, MANAGER);
    const typed = Object.fromEntries(
      textInputs(form)
        .filter((id) => id.startsWith('area.') || id === 'action.0.text')
        .map((id) => [id, `${NOTE} private words in ${id}. Complete 2 modules by March 2027`]),
    );
    assert.ok(Object.keys(typed).length >= 11, 'five areas, notes and outcomes, and an action');
    const saved = await invoke(
      'log.save',
      {
        ...buttonData(form, 'log.save'),
        ...typed,
        date: '2026-12-02',
        minutes: '90',
        positionNumber: 'P0003',
        'action.0.owner': 'employee',
        'action.0.due': '2027-02-01',
        'field.overallRating': 'Meets objectives and values',
        'field.objectivesMet': 'true',
      },
      MANAGER,
    );
    assert.match(cardText(saved), /Saved/);
    const record = (await h.records.conversations.listForEmployee(NURSE)).find(
      (r) => r.value.type === 'career-conversation',
    )!;
    const ids = { employeeId: NURSE, conversationId: record.value.id };
    await invoke('record.ack', { ...ids, etag: record.etag, comments: `${NOTE} in my comments` }, NURSE);

    // The pay-step deferral with its support plan.
    const payStep = await invoke('paystep', { employeeId: NURSE }, MANAGER);
    const deferButton = JSON.stringify(payStep).includes('"decision":"deferred"');
    assert.ok(deferButton, 'a Defer button while not ready');
    await invoke(
      'paystep.decide',
      {
        employeeId: NURSE,
        forDate: '2026-12-10',
        decision: 'deferred',
        plan1Text: `${PLAN} finish the training`,
        plan1By: '2027-01-15',
      },
      MANAGER,
    );

    // The appeal, its acknowledgement and outcome.
    await invoke('appeal.submit', { ...ids, grounds: `${NOTE} my grounds` }, NURSE);
    await invoke('appeal.ack', ids, HEAD);
    await invoke(
      'appeal.outcome',
      {
        ...ids,
        hearingOn: '2026-12-03',
        peopleServices: 'Pia People',
        result: 'upheld',
        action: `${NOTE} the hearing's action`,
      },
      HEAD,
    );

    // People Services reads the notes, with a reason: the reading is audited by reason only.
    const read = await invoke('record.exceptional', { ...ids, reason: 'audit' }, PEOPLE_SERVICES);
    assert.ok(JSON.stringify(read).includes(NOTE), 'the reading shows the notes');

    // The sweep and the digest over the next days: reminders, escalations, the digest.
    const sweepDeps: SweepDeps = {
      records: h.records,
      policy: CAREER_CONVERSATIONS,
      ledger: h.tables.nudgeLedger,
      snoozes: new Snoozes(h.tables.nudgeLedger),
      outbox: h.outbox.outbox,
      references: h.notifier.references(),
      odMembers: [PEOPLE_SERVICES],
      jobs: h.tables.jobs,
      audit: h.records.audit,
      log: createLogger('test.sweep'),
    };
    for (const day of ['2026-12-07', '2026-12-14', '2026-12-21']) {
      h.clock.set(`${day}T12:00:00Z`);
      const at = new Date(wallTimeToUtc(day, 9 * 60 + 30));
      await runSweep(sweepDeps, at);
      await runDigest(sweepDeps, at);
    }
    await h.outbox.drain();
    const toMonitoringTeam = h.notifier.sent.filter((s) => s.userId === PEOPLE_SERVICES);
    assert.ok(toMonitoringTeam.length > 0, 'People Services were told something (an escalation or digest)');

    // Payroll's export.
    const everyone = await Promise.all(people.map((p) => h.records.directory.getEmployee(p.id)));
    const payroll = spreadsheetCsv(
      payStepRows(everyone.filter((e): e is Employee => e !== undefined)).map((r) =>
        PAY_STEP_COLUMNS.map((c) => r[c]),
      ),
      PAY_STEP_COLUMNS,
    );
    assert.match(payroll, /2026-12-10,deferred/);

    // The markers really reached the record and the person.
    const stored = JSON.stringify((await h.records.conversations.get(NURSE, record.value.id))?.value);
    assert.ok(stored.split(NOTE).length - 1 >= 14, 'areas, action, comments, grounds and the action hold it');
    assert.ok(JSON.stringify(await h.records.directory.getEmployee(NURSE)).includes(PLAN));

    const places: [string, string][] = [
      ['log lines', logs.join('\n')],
      ['audit entries', await everyRow(h.tables.audit)],
      ['roll-ups', await everyRow(h.tables.rollups)],
      ['exceptions and the open-appeals index', await everyRow(h.tables.exceptions)],
      ['nudge ledger', await everyRow(h.tables.nudgeLedger)],
      ['outbox rows', await everyRow(h.tables.outbox)],
      ['jobs', await everyRow(h.tables.jobs)],
      ['cards to the monitoring team', toMonitoringTeam.map((s) => JSON.stringify(s.card)).join('\n')],
      ['the payroll export', payroll],
    ];
    for (const [where, content] of places) {
      assert.ok(content.length > 0 || where === 'exceptions and the open-appeals index', `${where} read`);
      assert.ok(!content.includes(NOTE), `no note text in ${where}`);
      assert.ok(!content.includes(PLAN), `no support-plan text in ${where}`);
    }
    // The status index and the directory hold the person's pay-step decisions (with the plan the
    // manager wrote, kept on the person: DESIGN.md interpretation in the README), never note text.
    for (const [where, table] of [
      ['status index', h.tables.team],
      ['directory', h.tables.employees],
    ] as const) {
      assert.ok(!(await everyRow(table)).includes(NOTE), `no note text in the ${where}`);
    }
  });
});
