/**
 * The Career Conversations policy's own steps through botbuilder's TestAdapter on Azurite (issue
 * 17): the induction meeting's agreed supervision frequency stored on the employee and driving
 * their supervision due date; pay-step readiness at the incremental date with check IV failing on
 * training; progression refused, a deferral with a support plan, the plan completed and the
 * increase effective from that day; and only the line manager may see or decide.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { type Activity } from 'botbuilder';
import { evaluateEmployee } from '../core/compliance/evaluate';
import { type Employee } from '../core/model';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging } from '../bot/log';
import { Records } from '../bot/records/records';
import { openTables } from '../bot/storage/tables';
import { createLogger } from '../bot/log';
import { type BotHarness, botHarness } from './support/bot-harness';
import { cardAction, message } from './support/activities';
import { buttonData, cardOf, cardProblems, cardText } from './support/cards';
import { createTeamCard } from '../bot/cards/team-card';
import { teamCardRow } from '../bot/teams/handlers/team';
import { policyWords } from '../bot/i18n/policy-words';
import { nhsPerson } from './support/nhs-people';

const TODAY = '2026-12-03';
const HEAD = 'c1000000-0000-4000-8000-000000000001';
const MANAGER = 'c1000000-0000-4000-8000-000000000002';
const STARTER = 'c1000000-0000-4000-8000-000000000003';
const NURSE = 'c1000000-0000-4000-8000-000000000004';
const OTHER = 'c1000000-0000-4000-8000-000000000005';
const PEOPLE_SERVICES = 'c1000000-0000-4000-8000-000000000006';
const MOVER = 'c1000000-0000-4000-8000-000000000007';

const person = nhsPerson;

const people: Employee[] = [
  person(HEAD, 'Hema Head', undefined),
  person(MANAGER, 'Mina Manager', HEAD),
  person(OTHER, 'Otto Other', HEAD),
  person(PEOPLE_SERVICES, 'Pia People', HEAD),
  // A new starter: induction meeting due within 14 days (CC §5.1).
  person(STARTER, 'Sam Starter', MANAGER, { startDate: '2026-11-23' }),
  // Incremental date 10 December; statutory and mandatory training outstanding (check IV).
  person(NURSE, 'Nia Nurse', MANAGER, { payStepDate: '2021-12-10', mandatoryTrainingComplete: false }),
  // Moved from Mina's team to Otto's: objectives agreed with Mina, career conversation with Otto.
  person(MOVER, 'Max Mover', OTHER, { payStepDate: '2020-03-01' }),
];

/** Notes under every key area of a conversation type (each must say something). */
const areaNotes = (typeId: string): Record<string, string> =>
  Object.fromEntries(
    CAREER_CONVERSATIONS.conversationTypes
      .find((t) => t.id === typeId)!
      .areas.map((a) => [`area.${a.id}.notes`, `Talked about ${a.title}.`]),
  );

const as = (aadObjectId: string) => ({ aadObjectId, name: people.find((p) => p.id === aadObjectId)?.name });

/** The card an invoke was answered with. */
function invokeCard(replies: Partial<Activity>[]): Record<string, unknown> {
  const response = replies.find((r) => r.type === 'invokeResponse');
  const value = response?.value as { status: number; body: { value: Record<string, unknown> } };
  assert.equal(value?.status, 200, `invoke answered ${JSON.stringify(replies).slice(0, 300)}`);
  return value.body.value;
}

/** Every Action.Execute's data on a card, wherever it sits (show-cards included). */
function allButtons(card: unknown, verb: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && n.verb === verb) found.push(n.data as Record<string, unknown>);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

/** The admin CLI as a child process on the deployment's tables, under this policy. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli.ts', ...args], {
      env: {
        ...process.env,
        STORAGE_CONNECTION_STRING: connectionString,
        POLICY: 'career-conversations',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Azurite's connection string, once it is running. */
let connectionString = '';

describe('Career Conversations: induction, pay-step readiness, deferral (TestAdapter, Azurite)', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let h: BotHarness;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    connectionString = azurite.connectionString;
    h = await botHarness({
      azurite,
      people,
      today: TODAY,
      policy: CAREER_CONVERSATIONS,
      odMembers: [PEOPLE_SERVICES],
    });
  });
  after(async () => {
    await azurite?.stop();
  });

  const invoke = async (verb: string, data: Record<string, unknown>, from: string) => {
    const card = await h.turn(cardAction({ verb, data: { ...data, verb } }, as(from))).then(invokeCard);
    assert.deepEqual(cardProblems(card), [], 'the card parses');
    return card;
  };
  const stored = async (id: string) => (await h.records.directory.getEmployee(id))!;

  it('stores the supervision frequency agreed at the induction meeting, which then drives supervision due dates', async () => {
    const form = await invoke('log', { employeeId: STARTER, typeId: 'induction' }, MANAGER);
    assert.match(cardText(form), /Agreed supervision frequency/);
    const save = buttonData(form, 'log.save');
    const savedInduction = await invoke(
      'log.save',
      {
        ...save,
        date: '2026-12-01',
        minutes: '60',
        positionNumber: 'P0003',
        ...areaNotes('induction'),
        'field.supervisionFrequencyWeeks': '4',
      },
      MANAGER,
    );
    assert.match(cardText(savedInduction), /Saved\. You and the employee/, cardText(savedInduction));
    const starter = await stored(STARTER);
    assert.equal(starter.supervisionFrequencyWeeks, 4);
    assert.equal(starter.supervisionFrequencySource, 'record');
    const records = (await h.records.conversations.listForEmployee(STARTER)).map((r) => r.value);
    assert.equal(records.length, 1);
    const evaluation = evaluateEmployee(CAREER_CONVERSATIONS, starter, records, TODAY);
    assert.equal(evaluation.supervision?.frequencyWeeks, 4);
    // Four weeks from the induction meeting (no supervision held yet): 1 Dec + 28 days.
    assert.equal(evaluation.supervision?.nextDue, '2026-12-29');
    assert.equal(evaluation.inductionMeeting?.held, '2026-12-01');
  });

  it('shows the pay-step checks I–V with their results and sources; training outstanding means not ready', async () => {
    // The career conversation at the incremental date: objectives and values met.
    const form = await invoke('log', { employeeId: NURSE, typeId: 'career-conversation' }, MANAGER);
    const saved = await invoke(
      'log.save',
      {
        ...buttonData(form, 'log.save'),
        date: '2026-12-02',
        minutes: '90',
        positionNumber: 'P0004',
        ...areaNotes('career-conversation'),
        'field.overallRating': 'Meets objectives and values',
        'field.objectivesMet': 'true',
      },
      MANAGER,
    );
    assert.match(cardText(saved), /Saved\. You and the employee/, cardText(saved));
    // The SMART helper's advice, not a refusal: the objective says nothing about by when.
    assert.match(
      cardText(saved),
      /SMART check of “SMART objectives for the next 12 months”: objective 1 has no date \(by when\?\)\. Saved as written/,
    );
    const nurseRecords = (await h.records.conversations.listForEmployee(NURSE)).map((r) => r.value);
    assert.deepEqual(
      nurseRecords.map((r) => [r.type, r.date, r.status, r.objectivesMet]),
      [['career-conversation', '2026-12-02', 'completed', true]],
    );
    const card = await invoke('paystep', { employeeId: NURSE }, MANAGER);
    const text = cardText(card);
    assert.match(text, /Pay step: Nia Nurse/);
    assert.match(text, /Pay-step date 10 Dec 2026 \(the incremental date in the HR record\)/);
    assert.match(text, /A check is not met/);
    assert.match(text, /I\. Career conversation[^\n]*: Met/);
    assert.match(text, /career conversation on 2026-12-02: objectives and values met/);
    assert.match(text, /From: the career conversation record/);
    assert.match(text, /IV\. Statutory and mandatory training completed: Not met/);
    assert.match(text, /statutory or mandatory training outstanding/);
    assert.match(
      text,
      /From: the HR import \(Career Conversations policy §5\.8 \(IV\)\)|From: the HR import/,
    );
    assert.match(text, /V\. Line managers[^\n]*: Not applicable/);
    const decisions = allButtons(card, 'paystep.decide').map((d) => d.decision);
    assert.deepEqual(decisions, ['deferred'], 'no Progress button while a check is not met');
  });

  it('lets the colleague ask their manager for a supervision, once a day, with the state and Schedule and Log', async () => {
    const mine = await h.turn(message('my conversations', as(STARTER))).then((r) => cardOf(r[0]!));
    const ask = buttonData(mine, 'supervision.ask');
    const before = h.notifier.sent.length;
    const asked = await invoke('supervision.ask', ask, STARTER);
    assert.match(cardText(asked), /I have asked Mina Manager to hold a supervision/);
    const toManager = h.notifier.sent.slice(before).filter((s) => s.userId === MANAGER);
    assert.equal(toManager.length, 1);
    const card = toManager[0]!.card;
    assert.match(
      cardText(card),
      /Sam Starter asks for a Supervision \/ 1:1\. The last one was on 1 Dec 2026\. Agreed every 4 weeks\./,
    );
    assert.equal(buttonData(card, 'log').typeId, 'supervision');
    assert.equal(buttonData(card, 'schedule').employeeId, STARTER);
    const again = await invoke('supervision.ask', ask, STARTER);
    assert.match(cardText(again), /already asked Mina Manager today/);
    assert.equal(
      h.notifier.sent.slice(before).filter((s) => s.userId === MANAGER).length,
      1,
      'not sent twice',
    );
  });

  it("carries the objectives in force onto the next form to review, and a career conversation opens with the colleague's own preparation", async () => {
    // Sam's induction meeting (the first test) agreed the objectives; the supervision form shows them.
    const supervision = cardText(
      await invoke('log', { employeeId: STARTER, typeId: 'supervision' }, MANAGER),
    );
    assert.match(supervision, /Objectives agreed at the induction meeting on 1 Dec 2026, to review/);
    assert.match(supervision, /- Talked about SMART objectives\./);
    assert.doesNotMatch(supervision, /leads this conversation/, 'a supervision is not led by the colleague');
    // An unbooked career conversation: the form says the colleague leads it and shared nothing.
    const unbooked = cardText(
      await invoke('log', { employeeId: STARTER, typeId: 'career-conversation' }, MANAGER),
    );
    assert.match(unbooked, /Sam Starter leads this conversation and has not shared any preparation for it/);

    // Max agreed his objectives with Mina, then moved to Otto, who holds the career conversation he
    // booked and prepared for. Two objectives, bullets removed.
    const induction = {
      id: 'mover-induction',
      employeeId: MOVER,
      type: 'induction',
      date: '2026-06-01',
      managerId: MANAGER,
      status: 'completed',
      positionNumber: 'P0007',
      areas: {
        'smart-objectives': {
          notes: '- Complete the ward competencies by March 2027\n- Lead two team huddles a month',
          outcomes: '',
        },
      },
      createdBy: MANAGER,
      createdAt: '2026-06-01T10:00:00.000Z',
      updatedAt: '2026-06-01T10:00:00.000Z',
    } as const;
    await h.records.saveConversation(induction, { actorId: MANAGER });
    await h.records.saveConversation(
      {
        id: 'mover-career',
        employeeId: MOVER,
        type: 'career-conversation',
        date: '2027-03-01',
        managerId: OTHER,
        status: 'scheduled',
        positionNumber: 'P0007',
        areas: {},
        prep: {
          shared: true,
          areas: { 'potential-readiness': 'I would like to train as a practice educator.' },
          updatedAt: '2026-12-03T09:00:00.000Z',
        },
        createdBy: OTHER,
        createdAt: '2026-12-03T09:00:00.000Z',
        updatedAt: '2026-12-03T09:00:00.000Z',
      },
      { actorId: OTHER },
    );
    const reads = async () =>
      (await h.records.audit.forSubject(MOVER)).filter(
        (e) => e.action === 'notes.read' && e.actorId === OTHER,
      );
    assert.equal((await reads()).length, 0);
    const form = cardText(
      await invoke(
        'log',
        { employeeId: MOVER, typeId: 'career-conversation', conversationId: 'mover-career' },
        OTHER,
      ),
    );
    const led = form.indexOf('Max Mover leads this conversation. What they prepared:');
    assert.ok(led >= 0, form);
    assert.ok(
      led < form.indexOf('\nHeld by\n'),
      'the preparation comes first on the form, before who held it',
    );
    assert.match(form, /Potential and readiness\*\*: I would like to train as a practice educator\./);
    assert.match(form, /Objectives agreed at the induction meeting on 1 Jun 2026, to review/);
    assert.match(form, /- Complete the ward competencies by March 2027[^]*- Lead two team huddles a month/);
    // Max's own prep card says he leads it and lists the objectives he agreed, to review.
    const prep = cardText(await invoke('prep', { conversationId: 'mover-career' }, MOVER));
    assert.match(prep, /You lead this conversation/);
    assert.match(
      prep,
      /Objectives agreed at the induction meeting on 1 Jun 2026, to review\n- Complete the ward/,
    );
    // The objectives are Mina's record's notes: Otto's reading is audited, as opening it would be.
    assert.deepEqual(
      (await reads()).map((e) => [e.recordId, e.reason]),
      [['mover-induction', 'line manager']],
    );
  });

  it("offers Pay step on each row of the team card under this policy, and not under the council's", async () => {
    const team = await h.turn(message('my team', as(MANAGER))).then((r) => cardOf(r[0]!));
    const rows = allButtons(team, 'paystep').map((d) => d.employeeId);
    assert.deepEqual(rows.sort(), [STARTER, NURSE].sort());
    const council = createTeamCard({ title: 't', summary: 's', rows: [], page: 1, pages: 1 });
    const councilRow = createTeamCard({
      title: 't',
      summary: 's',
      rows: [
        teamCardRow(
          { employee: people[4]!, path: [], facts: { held: [] }, dirty: false },
          policyWords(PROFESSIONAL_CONVERSATION),
        ),
      ],
      page: 1,
      pages: 1,
    });
    assert.equal(allButtons(council, 'paystep').length + allButtons(councilRow, 'paystep').length, 0);
  });

  it('refuses another manager, and a forged progression while not ready, changing nothing', async () => {
    const other = await invoke('paystep', { employeeId: NURSE }, OTHER);
    assert.match(cardText(other), /Only the employee's line manager can do this/);
    const forged = await invoke(
      'paystep.decide',
      { employeeId: NURSE, forDate: '2026-12-10', decision: 'progressed' },
      MANAGER,
    );
    assert.match(cardText(forged), /cannot progress at this pay step/);
    const byOther = await invoke(
      'paystep.decide',
      {
        employeeId: NURSE,
        forDate: '2026-12-10',
        decision: 'deferred',
        plan1Text: 'x',
        plan1By: '2027-01-31',
      },
      OTHER,
    );
    assert.match(cardText(byOther), /Only the employee's line manager/);
    assert.equal((await stored(NURSE)).payStepDecisions, undefined, 'nothing recorded');
  });

  it('records a deferral only with a support plan, then its completion, effective from that day and not backdated', async () => {
    const card = await invoke('paystep', { employeeId: NURSE }, MANAGER);
    const defer = allButtons(card, 'paystep.decide').find((d) => d.decision === 'deferred')!;
    const empty = await invoke('paystep.decide', defer, MANAGER);
    assert.match(cardText(empty), /Give at least one action/);
    const pastDate = await invoke(
      'paystep.decide',
      { ...defer, plan1Text: 'Complete the manual handling module', plan1By: '2026-11-01' },
      MANAGER,
    );
    assert.match(JSON.stringify(pastDate), /not in the past/);
    assert.equal((await stored(NURSE)).payStepDecisions, undefined);

    const deferred = await invoke(
      'paystep.decide',
      { ...defer, plan1Text: 'Complete the manual handling module', plan1By: '2027-01-15' },
      MANAGER,
    );
    assert.match(cardText(deferred), /deferred/);
    const [decision] = (await stored(NURSE)).payStepDecisions ?? [];
    assert.equal(decision?.decision, 'deferred');
    assert.equal(decision?.forDate, '2026-12-10');
    assert.equal(decision?.decidedOn, TODAY);
    assert.equal(decision?.effectiveFrom, undefined, 'no increase while the plan is open');
    assert.deepEqual(
      decision?.supportPlan?.map((a) => [a.text, a.dueDate]),
      [['Complete the manual handling module', '2027-01-15']],
    );
    // Pressing the button again records nothing more.
    await invoke('paystep.decide', { ...defer, plan1Text: 'Again', plan1By: '2027-01-15' }, MANAGER);
    assert.equal((await stored(NURSE)).payStepDecisions?.length, 1);

    // Weeks later the plan is done: the increase applies from that day.
    h.clock.set('2027-01-20T10:00:00Z');
    const open = await invoke('paystep', { employeeId: NURSE }, MANAGER);
    assert.match(cardText(open), /the support plan is open/);
    assert.match(cardText(open), /Complete the manual handling module \(15 Jan 2027\)/);
    const done = await invoke('paystep.complete', buttonData(open, 'paystep.complete'), MANAGER);
    assert.match(cardText(done), /increase applies from 20 Jan 2027 \(not backdated\)/);
    const [completed] = (await stored(NURSE)).payStepDecisions ?? [];
    assert.equal(completed?.effectiveFrom, '2027-01-20');
    assert.ok(completed?.supportPlan?.every((a) => a.done));
    const audit = await h.records.audit.forSubject(NURSE);
    assert.equal(audit.filter((e) => e.action === 'paystep.decided').length, 2);
    assert.ok(
      audit.every((e) => !/manual handling/i.test(e.reason ?? '')),
      'no plan text in the audit log',
    );
  });

  it('exports the decisions for payroll with the date the increase applies, and counts deferrals per quarter', async () => {
    // The CLI reads the deployment's tables (no test prefix): put the people there.
    const tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    const records = new Records(tables, CAREER_CONVERSATIONS, h.clock, createLogger('test'));
    await records.directory.upsertMany([await stored(HEAD), await stored(MANAGER), await stored(NURSE)]);
    const run = (args: string[]) => cli(['export-pay-steps', ...args]);
    const all = await run([]);
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    assert.deepEqual(lines, [
      'employee_id,position_number,name,pay_step_date,decision,decided_on,effective_from',
      `${NURSE},P0004,Nia Nurse,2026-12-10,deferred,2026-12-03,2027-01-20`,
    ]);
    assert.match(all.stderr, /1 decisions; deferrals by quarter of the pay-step date: 2026\/27 Q3 1/);
    const later = await run(['--from', '2027-02-01']);
    assert.equal(
      later.stdout
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/).length,
      1,
      'header only',
    );
    const bad = await run(['--from', '2027-02-30']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from must be a date/);
  });

  it('imports history with objectives met and the overall rating, so pay-step check I passes from imported records', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/history-`);
    const file = `${dir}/conversations.csv`;
    await writeFile(
      file,
      [
        'employee_id,type,date,status,manager_id,objectives_met,overall_rating',
        `${NURSE},career-conversation,2025-12-08,completed,${MANAGER},yes,Meets objectives and values`,
        `${NURSE},career-conversation,2024-12-09,completed,${MANAGER},no,Excellent`,
      ].join('\n'),
    );
    const { code, stdout, stderr } = await cli(['import-history', file]);
    const output = stdout + stderr;
    await rm(dir, { recursive: true, force: true });
    assert.equal(code, 1, `one row rejected, the rest loaded:\n${output}`);
    assert.match(output, /Excellent/, 'the bad rating is named');
    assert.match(output, /Meets objectives and values/, 'with the allowed values');
    const tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    const records = new Records(tables, CAREER_CONVERSATIONS, h.clock, createLogger('test'));
    const imported = (await records.conversations.listForEmployee(NURSE)).map((r) => r.value);
    assert.deepEqual(
      imported.map((r) => [r.date, r.objectivesMet, r.fields?.overallRating]),
      [['2025-12-08', true, 'Meets objectives and values']],
    );
  });

  describe('appeal against the career conversation (CC §5.10)', () => {
    const careerRecord = async () =>
      (await h.records.conversations.listForEmployee(NURSE)).find(
        (r) => r.value.type === 'career-conversation',
      )!;

    it("offers Appeal on the colleague's copy inside the window, sends it to the next manager up, who acknowledges and records the outcome; a second appeal is refused", async () => {
      h.clock.set('2026-12-10T10:00:00Z');
      const record = await careerRecord();
      const ids = { employeeId: NURSE, conversationId: record.value.id };
      const copy = await invoke('record', ids, NURSE);
      assert.deepEqual(buttonData(copy, 'appeal'), { ...ids, verb: 'appeal' });
      // The manager's own copy has no Appeal button; nor can the manager appeal.
      assert.equal(allButtons(await invoke('record', ids, MANAGER), 'appeal').length, 0);
      assert.match(cardText(await invoke('appeal', ids, MANAGER)), /Only the employee can do this/);

      const form = await invoke('appeal', ids, NURSE);
      assert.match(cardText(form), /goes in writing to Hema Head/);
      assert.match(cardText(form), /Appeal by 16 Dec 2026 \(14 calendar days\)/);
      const empty = await invoke('appeal.submit', ids, NURSE);
      assert.match(cardText(empty), /State the grounds of the appeal/);
      assert.equal((await careerRecord()).value.appeal, undefined);

      const sent = await invoke(
        'appeal.submit',
        { ...ids, grounds: 'The rating ignores my objectives.' },
        NURSE,
      );
      assert.match(cardText(sent), /sent to Hema Head, who should acknowledge it by 17 Dec 2026/);
      const stored = (await careerRecord()).value.appeal;
      assert.equal(stored?.appealManagerId, HEAD);
      assert.equal(stored?.receivedOn, '2026-12-10');
      // The sweep's index of appeals waiting for acknowledgement holds it (ids and dates only).
      const open = async () =>
        (await h.records.exceptions.openAppeals()).map((r) => [r.employeeId, r.appealManagerId]);
      assert.deepEqual(await open(), [[NURSE, HEAD]]);
      await h.outbox.drain();
      const toHead = h.notifier.sent.filter((s) => s.userId === HEAD).map((s) => cardText(s.card));
      assert.ok(
        toHead.some((t) =>
          /Nia Nurse appeals against the career conversation Mina Manager held on 2 Dec 2026/.test(t),
        ),
      );
      assert.ok(
        toHead.some((t) => /The rating ignores my objectives/.test(t)),
        'the appeal manager reads the grounds',
      );

      // One appeal only.
      const again = await invoke('appeal.submit', { ...ids, grounds: 'Again' }, NURSE);
      assert.match(cardText(again), /already appealed/);
      assert.equal((await careerRecord()).value.appeal?.grounds, 'The rating ignores my objectives.');

      // Only the appeal manager acknowledges and decides.
      assert.match(
        cardText(await invoke('appeal.ack', ids, MANAGER)),
        /Only the manager the appeal was sent to/,
      );
      const acked = await invoke('appeal.ack', ids, HEAD);
      assert.match(cardText(acked), /Acknowledged on 10 Dec 2026/);
      assert.equal((await careerRecord()).value.appeal?.acknowledgedOn, '2026-12-10');
      assert.deepEqual(await open(), [], 'acknowledged: no longer waiting');

      const involved = await invoke(
        'appeal.outcome',
        {
          ...ids,
          hearingOn: '2026-12-10',
          peopleServices: 'Mina Manager',
          result: 'upheld',
          action: 'Re-rate.',
        },
        HEAD,
      );
      assert.match(JSON.stringify(involved), /must not have been involved before/);
      const decided = await invoke(
        'appeal.outcome',
        {
          ...ids,
          hearingOn: '2026-12-10',
          peopleServices: 'Pat People',
          result: 'upheld',
          action: 'Re-rate against the objectives.',
        },
        HEAD,
      );
      assert.match(cardText(decided), /The colleague has the outcome in writing/);
      const final = (await careerRecord()).value.appeal;
      assert.deepEqual(final?.hearing, { on: '2026-12-10', peopleServices: 'Pat People' });
      assert.equal(final?.outcome?.result, 'upheld');
      await h.outbox.drain();
      const toNurse = h.notifier.sent.filter((s) => s.userId === NURSE).map((s) => cardText(s.card));
      assert.ok(
        toNurse.some((t) =>
          /The outcome of your appeal \(10 Dec 2026\): upheld\. Action to be taken: Re-rate against the objectives\. This decision is final/.test(
            t,
          ),
        ),
      );
      const audit = (await h.records.audit.forSubject(NURSE)).map((e) => e.action);
      for (const action of ['appeal.received', 'appeal.acknowledged', 'appeal.decided'])
        assert.ok(audit.includes(action as never), action);
      assert.ok(
        (await h.records.audit.forSubject(NURSE)).every((e) => !/objectives/i.test(e.reason ?? '')),
        'no appeal text in the audit log',
      );
    });

    it('says the window has closed after 14 calendar days and sends nothing', async () => {
      // A career conversation for the colleague with no appeal, held 15 days before "today".
      h.clock.set('2026-12-18T10:00:00Z');
      const form = await invoke('log', { employeeId: STARTER, typeId: 'career-conversation' }, MANAGER);
      await invoke(
        'log.save',
        {
          ...buttonData(form, 'log.save'),
          date: '2026-12-03',
          minutes: '60',
          positionNumber: 'P0003',
          ...areaNotes('career-conversation'),
          'field.overallRating': 'Partially meets',
          'field.objectivesMet': 'false',
        },
        MANAGER,
      );
      const record = (await h.records.conversations.listForEmployee(STARTER)).find(
        (r) => r.value.type === 'career-conversation',
      )!;
      const ids = { employeeId: STARTER, conversationId: record.value.id };
      const copy = await invoke('record', ids, STARTER);
      assert.match(cardText(copy), /The window to appeal closed on 17 Dec 2026 \(14 calendar days/);
      assert.equal(allButtons(copy, 'appeal').length, 0);
      const late = await invoke('appeal.submit', { ...ids, grounds: 'Too late?' }, STARTER);
      assert.match(cardText(late), /closed on 17 Dec 2026/);
      assert.equal(
        (await h.records.conversations.get(STARTER, record.value.id))?.value.appeal,
        undefined,
        'nothing stored',
      );
    });
  });

  it('People Services reads notes only with a reason from the list; the reading is audited and shown to the colleague', async () => {
    h.clock.set('2026-12-20T10:00:00Z');
    const record = (await h.records.conversations.listForEmployee(NURSE)).find(
      (r) => r.value.type === 'career-conversation',
    )!;
    const ids = { employeeId: NURSE, conversationId: record.value.id };
    const note = Object.values(record.value.areas)[0]!.notes;
    const reads = async () =>
      (await h.records.audit.forSubject(NURSE)).filter((e) => e.action === 'notes.read').length;
    const before = await reads();
    // Someone who is not People Services: refused, nothing shown.
    const other = await invoke('record.exceptional', { ...ids, reason: 'audit' }, OTHER);
    assert.match(cardText(other), /Only People Services/);
    assert.ok(!JSON.stringify(other).includes(note));
    // No reason, or one not on the list: the reason card, no note text, nothing audited.
    for (const reason of [undefined, 'curiosity']) {
      const card = await invoke(
        'record.exceptional',
        { ...ids, ...(reason ? { reason } : {}) },
        PEOPLE_SERVICES,
      );
      assert.match(cardText(card), /Exceptional access to conversation notes/);
      assert.ok(!JSON.stringify(card).includes(note), 'no note text without a reason');
    }
    assert.equal(await reads(), before);
    const shown = await invoke('record.exceptional', { ...ids, reason: 'serious-incident' }, PEOPLE_SERVICES);
    assert.ok(JSON.stringify(shown).includes(note), 'the notes, with a reason');
    const audit = (await h.records.audit.forSubject(NURSE)).filter((e) => e.action === 'notes.read');
    assert.equal(audit.length, before + 1);
    assert.equal(audit[0]?.actorId, PEOPLE_SERVICES);
    assert.equal(audit[0]?.reason, 'exceptional:serious-incident');
    const copy = await invoke('record', ids, NURSE);
    assert.match(cardText(copy), /Read by People Services on 20 Dec 2026: Review of a serious incident\./);
  });
});
