/**
 * Who is calling the tab API (bot/api/caller.ts): their directory row and head-of-service role are
 * kept for a minute, their team never; a leaver loses access once that minute is up, and someone
 * not yet in the directory is not remembered. A team's figures are kept until a row of the team
 * changes. Against Azurite in memory, data written by the HR import.
 */
import { strict as assert } from 'node:assert';
import { CALLER_TTL_MS, CallerCache, resolveCaller } from '../bot/api/caller';
import { TeamFigures } from '../bot/api/team';
import { fixedClock } from '../bot/clock';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { freePort } from '../bot/dev/ports';
import { seedDemoOrg } from '../bot/dev/seed';
import { configureLogging, createLogger } from '../bot/log';
import { employeesCsv, importHr } from '../bot/records/imports';
import { Records } from '../bot/records/records';
import { type Tables, openTables } from '../bot/storage/tables';
import { groupContributions, rollupQuarters } from '../core/compliance/status-facts';
import { type Employee } from '../core/model';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';

const TODAY = '2026-11-23';
const org = generateDemoOrg({ asOf: TODAY, people: 80 });
const inPost = (e: Employee) => e.leaveDate === undefined || e.leaveDate >= TODAY;
const reportsOf = (id: string) => org.employees.filter((e) => e.managerId === id && inPost(e));
const manager = org.employees.find(
  (e) => inPost(e) && reportsOf(e.id).length > 0 && !reportsOf(e.id).some((r) => reportsOf(r.id).length > 0),
)!;
const head = org.employees.find((e) => inPost(e) && reportsOf(e.id).some((r) => reportsOf(r.id).length > 0))!;

describe('the tab API: who calls, and their team figures', () => {
  let azurite: RunningAzurite;
  let tables: Tables;
  let records: Records;
  let now: number;
  let callers: CallerCache;
  const deps = () => ({ records, clock: fixedClock(TODAY), odMembers: new Set<string>(), callers });

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: { table: await freePort() } });
    tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    records = new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock(TODAY), createLogger('test.caller'));
    await seedDemoOrg(records, tables, org);
  });
  after(async () => {
    await azurite?.stop();
  });
  beforeEach(() => {
    now = 1_000_000;
    callers = new CallerCache(CALLER_TTL_MS, () => now);
  });

  async function importWith(change: (e: Employee) => Employee | undefined): Promise<void> {
    const employees = org.employees.map((e) => change(e) ?? e);
    const result = await importHr(records, tables, employeesCsv(employees));
    assert.equal(result.rejected.length, 0);
  }

  it('resolves roles from the directory, the team and the roll-ups', async () => {
    const m = await resolveCaller(deps(), manager.id);
    assert.deepEqual(m?.caller.roles, { manager: true, headOfService: false, od: false });
    assert.deepEqual(
      m?.reports.map((r) => r.employee.id).sort(),
      reportsOf(manager.id)
        .map((e) => e.id)
        .sort(),
    );
    const h = await resolveCaller(deps(), head.id);
    assert.deepEqual(h?.caller.roles, { manager: true, headOfService: true, od: false });
  });

  it('keeps a leaver for at most a minute after the import that marks them, and reads the team every time', async () => {
    const first = await resolveCaller(deps(), manager.id);
    assert.equal(first?.caller.employee.name, manager.name);
    const report = first.reports[0]!.employee;
    try {
      await importWith((e) =>
        e.id === manager.id
          ? { ...e, leaveDate: '2026-11-01' }
          : e.id === report.id
            ? { ...e, name: `${e.name} Renamed` }
            : undefined,
      );
      now += CALLER_TTL_MS - 1;
      const kept = await resolveCaller(deps(), manager.id);
      assert.equal(kept?.caller.id, manager.id, 'kept within the minute');
      assert.equal(
        kept?.reports.find((r) => r.employee.id === report.id)?.employee.name,
        `${report.name} Renamed`,
        'the team is read fresh',
      );
      now += 1;
      assert.equal(await resolveCaller(deps(), manager.id), undefined, 'gone after the minute');
    } finally {
      await importWith(() => undefined);
    }
  });

  it('does not remember someone who is not in the directory yet', async () => {
    const starter: Employee = { ...manager, id: 'new-starter', name: 'New Starter', managerId: manager.id };
    assert.equal(await resolveCaller(deps(), starter.id), undefined);
    try {
      const result = await importHr(records, tables, employeesCsv([...org.employees, starter]));
      assert.equal(result.added, 1);
      assert.equal((await resolveCaller(deps(), starter.id))?.caller.employee.name, 'New Starter');
    } finally {
      await importWith(() => undefined);
    }
  });

  it('keeps team figures until a row of the team changes', async () => {
    const memo = new TeamFigures(PROFESSIONAL_CONVERSATION);
    const quarters = rollupQuarters(TODAY);
    const read = async () => (await records.team.team(manager.id)).filter((r) => inPost(r.employee));
    const rows = await read();
    const first = memo.of(rows, quarters, TODAY);
    assert.deepEqual(first, groupContributions(PROFESSIONAL_CONVERSATION, rows, quarters, TODAY));
    assert.equal(memo.of(await read(), quarters, TODAY), first, 'kept');

    // Someone overdue or due soon: a conversation held today changes their status, so the figures.
    const report = rows.find(
      (r) => r.evaluation?.status === 'overdue' || r.evaluation?.status === 'due-soon',
    );
    assert.ok(report, 'the demo team has someone due');
    await records.saveConversation(
      {
        id: 'figures-kept-c1',
        employeeId: report.employee.id,
        type: 'professional-conversation',
        date: '2026-11-20',
        managerId: manager.id,
        status: 'completed',
        positionNumber: report.employee.positionNumber,
        durationMinutes: 30,
        areas: {},
        actions: [],
        createdBy: manager.id,
        createdAt: '2026-11-20T10:00:00.000Z',
        updatedAt: '2026-11-20T10:00:00.000Z',
      },
      { actorId: manager.id },
    );
    const after = await read();
    const figures = memo.of(after, quarters, TODAY);
    assert.deepEqual(figures, groupContributions(PROFESSIONAL_CONVERSATION, after, quarters, TODAY));
    assert.notDeepEqual(figures, first);
  });
});
