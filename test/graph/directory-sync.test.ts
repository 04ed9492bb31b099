/**
 * Directory sync through the real Graph client against the stand-in over TLS: a full round across
 * several delta pages merged with HR data, then a delta round with a manager change, a disabled
 * user, a deleted user, a rename (Graph owns the name) and a new starter; a throttled page; a
 * missing permission. Expired links, accounts that are not people, leavers coming back and
 * e-mail changes are in directory-lifecycle.test.ts.
 */
import { strict as assert } from 'node:assert';
import { type Employee } from '../../core/model';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { GraphPermissionError } from '../../bot/graph/errors';
import { syncDirectory } from '../../bot/graph/directory-sync';
import { createLogger } from '../../bot/log';
import { MemoryDirectoryStore } from '../support/memory-directory-store';
import { type GraphFixture, quietLogs, startGraphFixture } from './fixture';

const TODAY = '2026-03-27';
const log = createLogger('test.sync');

describe('Graph directory sync', () => {
  const org = generateDemoOrg({ asOf: TODAY });
  const active = org.employees.filter((e) => e.leaveDate === undefined && e.managerId !== undefined);
  // People the scenario changes, picked from the middle of the organisation.
  const newStarter = active[40]!;
  const noDepartment = active[41]!;
  const hrRenamed = active[42]!;
  const staleManager = active[43]!;
  const mover = active[50]!;
  const disabled = active[51]!;
  const deleted = active[52]!;
  const renamed = active[53]!;
  const deletedBefore: Employee = {
    ...active[60]!,
    id: '0b0e7e6a-1111-4222-8333-444455556666',
    name: 'Gone Earlier',
  };
  const hrOnly: Employee = { ...active[61]!, id: 'HR-000123', name: 'Agency Worker' };

  let fixture: GraphFixture;
  let store: MemoryDirectoryStore;
  let deltaLink: string;

  before(async () => {
    quietLogs();
    fixture = await startGraphFixture({ employees: org.employees, pageSize: 60 });
    const hr = org.employees
      .filter((e) => e.id !== newStarter.id)
      .map((e) => {
        if (e.id === noDepartment.id) return { ...e, department: '' };
        if (e.id === hrRenamed.id) return { ...e, name: `${e.name} (HR)` };
        if (e.id === staleManager.id) return { ...e, managerId: org.chiefExecutiveId };
        return e;
      });
    store = new MemoryDirectoryStore([...hr, deletedBefore, hrOnly]);
  });
  after(() => fixture.close());

  it('reads every page of a full round and merges it with the HR data', async () => {
    const pagesSeen: number[] = [];
    const result = await syncDirectory({
      client: fixture.connection.client,
      store,
      today: TODAY,
      log,
      onPage: (pages) => pagesSeen.push(pages),
    });
    deltaLink = result.deltaLink;
    assert.equal(result.full, true);
    assert.equal(result.pages, Math.ceil(org.employees.length / 60));
    assert.deepEqual(
      pagesSeen,
      Array.from({ length: result.pages }, (_, i) => i + 1),
    );
    assert.equal(result.reported, org.employees.length);
    const deltaRequests = fixture.standin.requests.filter((r) => r.path === '/users/delta');
    assert.equal(deltaRequests.length, result.pages);
    assert.deepEqual(
      { added: result.added, updated: result.updated, left: result.left, skipped: result.skipped },
      // updated: everyone HR sent is now marked as in the directory, and the earlier-deleted
      // person is a leaver.
      { added: 1, updated: org.employees.length - 1 + 1, left: 1, skipped: 0 },
    );
    assert.equal(result.unchanged, 0);
    assert.ok(
      [...store.people.values()].every(
        (p) => (p.inDirectory === true) === (p.id !== hrOnly.id && p.id !== deletedBefore.id),
      ),
      'everyone Graph reported is marked inDirectory, nobody else',
    );
    assert.ok(deltaLink.includes('$deltatoken='), deltaLink);

    const added = store.people.get(newStarter.id)!;
    assert.deepEqual(
      {
        name: added.name,
        email: added.email,
        managerId: added.managerId,
        startDate: added.startDate,
        staffGroup: added.staffGroup,
      },
      {
        name: newStarter.name,
        email: newStarter.email,
        managerId: newStarter.managerId,
        startDate: newStarter.startDate,
        staffGroup: '',
      },
    );
    assert.equal(
      store.people.get(noDepartment.id)!.department,
      noDepartment.department,
      'Graph fills what HR lacks',
    );
    assert.equal(store.people.get(hrRenamed.id)!.name, hrRenamed.name, 'Graph owns the name');
    assert.equal(store.people.get(hrRenamed.id)!.payStepDate, hrRenamed.payStepDate);
    assert.equal(
      store.people.get(staleManager.id)!.managerId,
      staleManager.managerId,
      'the manager comes from Graph',
    );
    assert.equal(store.people.get(staleManager.id)!.managerSource, 'directory');
    assert.equal(
      store.people.get(deletedBefore.id)!.leaveDate,
      TODAY,
      'an Entra id Graph no longer has has left',
    );
    assert.equal(store.people.get(deletedBefore.id)!.leaveDateSource, 'directory');
    assert.equal(store.people.get(hrOnly.id)!.leaveDate, undefined, 'an HR-only person is not touched');
    const leavers = org.employees.filter((e) => e.leaveDate !== undefined);
    for (const l of leavers) {
      assert.equal(store.people.get(l.id)!.leaveDate, l.leaveDate, 'HR leave dates kept');
      assert.equal(store.people.get(l.id)!.leaveDateSource, undefined, 'and not claimed by the directory');
    }
  });

  it('reads only the changes in the next delta round: manager change, leavers, rename, new starter', async () => {
    const newManager = org.teamManagerIds.find((id) => id !== mover.managerId)!;
    const oldManager = mover.managerId!;
    fixture.standin.directory.update(mover.id, { managerId: newManager });
    fixture.standin.directory.update(disabled.id, { accountEnabled: false });
    fixture.standin.directory.remove(deleted.id);
    fixture.standin.directory.update(renamed.id, { displayName: 'Someone Else' });
    const joiner: Employee = {
      ...active[70]!,
      id: '5e1f0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b',
      name: 'Nova Joiner',
      email: 'nova.joiner@council.example',
      startDate: '2026-03-23',
    };
    fixture.standin.directory.add(joiner);
    const before = fixture.standin.requests.length;

    const result = await syncDirectory({
      client: fixture.connection.client,
      store,
      today: TODAY,
      deltaLink,
      log,
    });
    assert.equal(result.full, false);
    assert.equal(result.reported, 5);
    assert.equal(fixture.standin.requests.length - before, 1, 'one page of changes');
    assert.deepEqual(
      { added: result.added, updated: result.updated, unchanged: result.unchanged, left: result.left },
      { added: 1, updated: 4, unchanged: 0, left: 2 },
    );
    assert.equal(store.people.get(mover.id)!.managerId, newManager);
    assert.ok((await store.listDirectReports(newManager)).some((e) => e.id === mover.id));
    assert.ok(!(await store.listDirectReports(oldManager)).some((e) => e.id === mover.id));
    assert.equal(store.people.get(mover.id)!.staffGroup, mover.staffGroup, 'HR facts kept on a move');
    assert.equal(store.people.get(disabled.id)!.leaveDate, TODAY);
    assert.equal(store.people.get(deleted.id)!.leaveDate, TODAY);
    assert.equal(store.people.get(renamed.id)!.name, 'Someone Else', 'a rename in Entra reaches the store');
    assert.equal(store.people.get(renamed.id)!.staffGroup, renamed.staffGroup, 'HR facts kept on a rename');
    assert.equal(store.people.get(joiner.id)!.startDate, '2026-03-23');
    assert.notEqual(result.deltaLink, deltaLink);
    deltaLink = result.deltaLink;

    const quiet = await syncDirectory({
      client: fixture.connection.client,
      store,
      today: TODAY,
      deltaLink,
      log,
    });
    assert.deepEqual([quiet.reported, quiet.added, quiet.updated, quiet.left], [0, 0, 0, 0]);
  });

  it('waits out a throttled page (429 Retry-After) and finishes the round', async () => {
    fixture.standin.fault({ method: 'GET', path: /\/users\/delta/, kind: 'throttle', retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await syncDirectory({
      client: fixture.connection.client,
      store: new MemoryDirectoryStore(),
      today: TODAY,
      log,
    });
    assert.ok(Date.now() - started >= 1000);
    const throttled = fixture.standin.requests.filter((r) => r.fault === 'throttle');
    assert.equal(throttled.length, 1);
    // Everyone enabled: the demo organisation's active people, less the disabled and the deleted, plus the joiner.
    assert.equal(result.added, org.employees.filter((e) => e.leaveDate === undefined).length - 2 + 1);
  });
});

describe('Graph directory sync without User.Read.All', () => {
  let fixture: GraphFixture;
  before(async () => {
    quietLogs();
    fixture = await startGraphFixture({
      employees: generateDemoOrg({ asOf: TODAY, people: 30 }).employees,
      permissions: ['Calendars.ReadWrite'],
    });
  });
  after(() => fixture.close());

  it('fails with a message naming the permission, and writes nothing', async () => {
    const store = new MemoryDirectoryStore();
    const error = await syncDirectory({ client: fixture.connection.client, store, today: TODAY, log }).then(
      () => assert.fail('expected a permission error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GraphPermissionError, String(error));
    assert.equal(error.permission, 'User.Read.All');
    assert.match(error.userMessage, /needs the Microsoft Graph application permission User\.Read\.All/);
    assert.match(error.userMessage, /administrator/);
    assert.equal(store.people.size, 0);
  });
});
