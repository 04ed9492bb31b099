/**
 * Several roots in the organisation (people whose manager is unknown), made the way a real tenant
 * makes them: the demo organisation imported from HR into Azure Tables (Azurite), then the
 * directory sync through the real Graph client against the stand-in adds a new head of service
 * whose manager Entra does not have yet, their two reports and a contractor with no manager, and
 * leaves out the rooms and service accounts. The organisation view must still open on the Chief
 * Executive with their subtree's figures, count everyone in the organisation's own figures, and
 * show the other root's subtree when asked for it (DESIGN.md §4 Tab, §6).
 */
import { strict as assert } from 'node:assert';
import { organisationTop, resolveNode } from '../../bot/api/org-access';
import { orgView } from '../../bot/api/org-view';
import { type Caller } from '../../bot/api/caller';
import { fixedClock } from '../../bot/clock';
import { type RunningAzurite, startAzurite } from '../../bot/dev/azurite';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { NON_PERSON_ACCOUNTS } from '../../bot/dev/graph-standin';
import { freePort } from '../../bot/dev/ports';
import { seedDemoOrg } from '../../bot/dev/seed';
import { syncDirectory } from '../../bot/graph/directory-sync';
import { createLogger } from '../../bot/log';
import { Records } from '../../bot/records/records';
import { runRefresh } from '../../bot/records/refresh';
import { ROOT_PARTITION } from '../../bot/storage/keys';
import { openTables } from '../../bot/storage/tables';
import { rollupQuarters } from '../../core/compliance/status-facts';
import { type Employee } from '../../core/model';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { type GraphFixture, quietLogs, startGraphFixture } from './fixture';

const TODAY = '2026-11-23';

describe('organisation view with several roots (Azurite, Graph stand-in)', function () {
  this.timeout(60_000);
  const org = generateDemoOrg({ asOf: TODAY, people: 60 });
  const template = org.employees.find((e) => e.leaveDate === undefined && e.managerId !== undefined)!;
  const person = (n: number, name: string, managerId: string | undefined): Employee => ({
    ...template,
    id: `3c9d1e2f-4a5b-4c6d-8e7f-${String(n).padStart(12, '0')}`,
    name,
    email: `${name.toLowerCase().replace(/ /g, '.')}@council.example`,
    positionNumber: String(900_000 + n),
    managerId,
    startDate: '2026-09-01',
  });
  const newHead = person(1, 'Noor Newhead', undefined);
  const reports = [person(2, 'Ari Report', newHead.id), person(3, 'Bo Report', newHead.id)];
  const loner = person(4, 'Cal Contractor', undefined);
  let azurite: RunningAzurite;
  let graph: GraphFixture;
  let records: Records;

  before(async () => {
    quietLogs();
    azurite = await startAzurite({ ports: { table: await freePort() } });
    graph = await startGraphFixture({
      employees: [...org.employees, newHead, ...reports, loner],
      accounts: NON_PERSON_ACCOUNTS,
    });
    const tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    records = new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock(TODAY), createLogger('t'));
    await seedDemoOrg(records, tables, org);
    const result = await syncDirectory({
      client: graph.connection.client,
      store: records.directory,
      today: TODAY,
      log: createLogger('t'),
    });
    assert.equal(result.added, 4, 'the new head, their reports and the contractor');
    await runRefresh(records, tables.jobs, { resume: false });
  });
  after(async () => {
    await graph?.close();
    await azurite?.stop();
  });

  const od = (): Caller => {
    const employee = org.employees.find((e) => e.id === org.odTeamIds[0])!;
    return { id: employee.id, employee, roles: { manager: false, headOfService: false, od: true } };
  };

  it('keeps rooms and service accounts out, and marks everyone Graph reported in the directory', async () => {
    for (const a of NON_PERSON_ACCOUNTS) assert.equal(await records.directory.getEmployee(a.id), undefined);
    const stored = await records.directory.getEmployee(org.chiefExecutiveId);
    assert.equal(stored?.inDirectory, true, 'persisted by the Table store');
    assert.equal((await records.directory.getEmployee(reports[0]!.id))?.managerSource, 'directory');
  });

  it('opens on the Chief Executive with their subtree, and counts everyone in the whole', async () => {
    assert.equal(await organisationTop(records), org.chiefExecutiveId);
    const access = await resolveNode(records, od(), undefined);
    assert.equal(access.kind, 'allowed');
    if (access.kind !== 'allowed') return;
    const quarter = rollupQuarters(TODAY).at(-1)!;
    const view = await orgView(records, access.node, quarter);
    assert.ok(view);
    const inPost = org.employees.filter((e) => e.leaveDate === undefined).length;
    assert.equal(view.node.id, org.chiefExecutiveId);
    assert.equal(view.node.headcount, inPost, "the Chief Executive's subtree: the demo organisation");
    assert.ok(
      !view.children.some((c) => c.id === newHead.id),
      'another root is not under the Chief Executive',
    );

    const [whole] = (await records.rollups.node(ROOT_PARTITION, quarter, quarter)).filter(
      (r) => r.subjectId === ROOT_PARTITION,
    );
    assert.equal(
      whole!.figures.headcount - whole!.figures.left,
      inPost + 4,
      'the organisation counts every root',
    );
  });

  it("shows another root's subtree when asked for it, and says a lone root manages nobody", async () => {
    const quarter = rollupQuarters(TODAY).at(-1)!;
    const access = await resolveNode(records, od(), newHead.id);
    assert.equal(access.kind, 'allowed');
    if (access.kind !== 'allowed') return;
    assert.deepEqual([access.node.path, access.node.crumbs], [[], [newHead.id]]);
    const view = await orgView(records, access.node, quarter);
    assert.equal(view?.node.headcount, 3);
    assert.equal(view?.node.name, 'Noor Newhead');

    const lone = await resolveNode(records, od(), loner.id);
    assert.equal(lone.kind, 'allowed');
    if (lone.kind !== 'allowed') return;
    assert.equal(await orgView(records, lone.node, quarter), undefined, 'manages nobody: nothing below');
  });
});
