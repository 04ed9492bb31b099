/**
 * The service's daily maintenance against Azurite and the TLS Graph stand-in: the directory sync
 * fills and then updates the directory, remembering its delta link in the jobs table across a
 * restart, and the status refresh that follows leaves every person evaluated.
 */
import { strict as assert } from 'node:assert';
import { fixedClock } from '../bot/clock';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { freePort } from '../bot/dev/ports';
import { createLogger } from '../bot/log';
import { startDailyMaintenance } from '../bot/records/maintenance';
import { Records } from '../bot/records/records';
import { openTables } from '../bot/storage/tables';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type GraphFixture, quietLogs, startGraphFixture } from './graph/fixture';

describe('daily maintenance: directory sync then refresh (Azurite, Graph stand-in)', function () {
  this.timeout(60_000);
  const org = generateDemoOrg({ asOf: '2026-11-23', people: 90 });
  let azurite: RunningAzurite;
  let graph: GraphFixture;

  before(async () => {
    quietLogs();
    azurite = await startAzurite({ ports: { table: await freePort() } });
    graph = await startGraphFixture({ employees: org.employees, pageSize: 25 });
  });
  after(async () => {
    await graph?.close();
    await azurite?.stop();
  });

  it('syncs everyone, evaluates them, and after a restart reads only what changed', async () => {
    const tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    const records = new Records(
      tables,
      PROFESSIONAL_CONVERSATION,
      fixedClock('2026-11-23'),
      createLogger('t'),
    );
    const start = () =>
      startDailyMaintenance({
        records,
        jobs: tables.jobs,
        graph: graph.config.graph,
        time: '02:00',
        log: createLogger('t'),
      });

    const first = start();
    await first.runNow();
    await first.stop();
    const manager = org.teamManagerIds[0]!;
    const team = await records.team.team(manager);
    // A disabled account the directory never knew is not added; everyone active is.
    assert.equal(team.length, org.employees.filter((e) => e.managerId === manager && !e.leaveDate).length);
    assert.ok(
      team.every((row) => row.evaluation !== undefined),
      'everyone was evaluated by the refresh',
    );
    const link = await tables.jobs.getEntity<{ deltaLink: string }>('directory-sync', 'state');
    assert.match(link.deltaLink, /delta/);

    const leaver = team[0]!.employee;
    graph.standin.directory.update(leaver.id, { accountEnabled: false });
    const requestsBefore = graph.standin.requests.length;
    const second = start(); // a restarted service: the delta link comes from the jobs table
    await second.runNow();
    await second.stop();
    const deltaRequests = graph.standin.requests
      .slice(requestsBefore)
      .filter((r) => r.path.includes('/users/delta'));
    // A full round of 90 users at 25 a page takes 4 pages; the stored link's round, one change, takes 1.
    assert.equal(deltaRequests.length, 1, 'read from the stored delta link, not a full round');
    const row = await records.team.get(manager, leaver.id);
    assert.equal(
      row?.employee.leaveDate,
      '2026-11-23',
      'a disabled account becomes a leaver on the sync day',
    );
  });
});
