/**
 * The directory sync against a real tenant's habits, through the real Graph client and the
 * stand-in over TLS (README "Microsoft Graph"): an expired delta link (400 `syncStateNotFound`,
 * 410 `resyncRequired`) starts a full round in the same run; rooms, shared mailboxes and service
 * accounts are not added (`GRAPH_PEOPLE`); disabled accounts and deleted users come back when
 * re-enabled or restored, while HR's leave dates stay; renames and e-mail changes reach the store.
 */
import { strict as assert } from 'node:assert';
import { MemoryDirectoryStore } from '../support/memory-directory-store';
import { type Employee } from '../../core/model';
import { type GraphPeopleRule } from '../../bot/config';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { NON_PERSON_ACCOUNTS } from '../../bot/dev/graph-standin';
import { GraphPermissionError } from '../../bot/graph/errors';
import { type DirectorySyncResult, syncDirectory } from '../../bot/graph/directory-sync';
import { configureLogging, createLogger } from '../../bot/log';
import { type GraphFixture, quietLogs, startGraphFixture } from './fixture';

const TODAY = '2026-03-27';
const TOMORROW = '2026-03-28';
const log = createLogger('test.sync');

const org = generateDemoOrg({ asOf: TODAY, people: 60 });
const active = org.employees.filter((e) => e.leaveDate === undefined && e.managerId !== undefined);
const activeCount = org.employees.filter((e) => e.leaveDate === undefined).length;

/** One sync against the fixture; a delta round when given the last link. */
function sync(
  fixture: GraphFixture,
  store: MemoryDirectoryStore,
  options: { deltaLink?: string; today?: string; people?: GraphPeopleRule } = {},
): Promise<DirectorySyncResult> {
  return syncDirectory({
    client: fixture.connection.client,
    store,
    today: options.today ?? TODAY,
    deltaLink: options.deltaLink,
    ...(options.people === undefined ? {} : { people: options.people }),
    pageSize: 25,
    log,
  });
}

describe('Graph directory sync: an expired delta link', () => {
  let fixture: GraphFixture;
  beforeEach(async () => {
    quietLogs();
    fixture = await startGraphFixture({ employees: org.employees, accounts: NON_PERSON_ACCOUNTS });
  });
  afterEach(() => fixture.close());

  it('answered 400 syncStateNotFound: reads everyone again in the same run, and everyone is right', async () => {
    const store = new MemoryDirectoryStore(org.employees);
    const first = await sync(fixture, store);
    const disabled = active[5]!;
    const renamed = active[6]!;
    fixture.standin.directory.update(disabled.id, { accountEnabled: false });
    fixture.standin.directory.update(renamed.id, { displayName: 'Renamed While Expired' });
    fixture.standin.expireDeltaLinks();
    const lines: string[] = [];
    configureLogging('warn', (line) => lines.push(line));
    const before = fixture.standin.requests.length;
    let result: DirectorySyncResult;
    try {
      result = await sync(fixture, store, { deltaLink: first.deltaLink });
    } finally {
      quietLogs();
    }

    const delta = fixture.standin.requests.slice(before).filter((r) => r.path === '/users/delta');
    assert.equal(delta[0]?.status, 400, 'the old link was refused');
    assert.equal(delta.length, 1 + result.pages, 'then every page of a full round');
    assert.equal(result.full, true);
    assert.equal(result.reported, org.employees.length + NON_PERSON_ACCOUNTS.length);
    assert.deepEqual([result.updated, result.left, result.added], [2, 1, 0]);
    assert.equal(store.people.get(disabled.id)!.leaveDate, TODAY);
    assert.equal(store.people.get(renamed.id)!.name, 'Renamed While Expired');
    const inPost = [...store.people.values()].filter((p) => p.leaveDate === undefined);
    assert.equal(inPost.length, activeCount - 1, 'nobody else left or came back');
    for (const e of org.employees.filter((x) => x.id !== renamed.id))
      assert.equal(store.people.get(e.id)!.name, e.name);

    const warning = lines.find((l) => /delta link expired/.test(l));
    assert.ok(warning, lines.join('\n'));
    assert.match(warning, /syncStateNotFound/);
    assert.doesNotMatch(warning, /sync state of this delta link/i, 'no Graph text in the log, only its code');

    const quiet = await sync(fixture, store, { deltaLink: result.deltaLink });
    assert.deepEqual([quiet.full, quiet.reported], [false, 0], 'the new link reads changes again');
  });

  it('answered 410 resyncRequired: a full round too', async () => {
    const store = new MemoryDirectoryStore(org.employees);
    const first = await sync(fixture, store);
    fixture.standin.expireDeltaLinks({ status: 410, code: 'resyncRequired' });
    const result = await sync(fixture, store, { deltaLink: first.deltaLink });
    assert.equal(result.full, true);
    assert.equal(result.reported, org.employees.length + NON_PERSON_ACCOUNTS.length);
  });

  it('answered 403: the permission error, not a full round', async () => {
    const store = new MemoryDirectoryStore(org.employees);
    const first = await sync(fixture, store);
    fixture.standin.fault({ method: 'GET', path: /\/users\/delta$/, kind: 'forbidden' });
    const before = fixture.standin.requests.length;
    const error = await sync(fixture, store, { deltaLink: first.deltaLink }).then(
      () => assert.fail('expected a permission error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GraphPermissionError, String(error));
    assert.equal(fixture.standin.requests.length - before, 1, 'no second round');
  });
});

describe('Graph directory sync: accounts that are not people', () => {
  const starter: Employee = {
    ...active[10]!,
    id: '5e1f0a2b-3c4d-4e5f-8a6b-00000000aa01',
    name: 'Sam Starter',
    email: 'sam.starter@council.example',
    startDate: '2026-03-23',
  };
  // An account whose owner is recorded as its manager: a real tenant's grey area.
  const ownedService = {
    id: '7a0c0f4e-0a1b-4c2d-8e3f-000000000b01',
    displayName: 'svc-rota-sync',
    userPrincipalName: 'svc-rota-sync@council.example',
    managerId: org.teamManagerIds[0]!,
  };
  // A person whose manager Entra does not have yet (no employeeId either).
  const contractor = {
    id: '7a0c0f4e-0a1b-4c2d-8e3f-000000000b02',
    displayName: 'Casey Contractor',
    userPrincipalName: 'casey.contractor@council.example',
    mail: 'casey.contractor@council.example',
  };
  const notPeople = NON_PERSON_ACCOUNTS.map((a) => a.id);
  let fixture: GraphFixture;
  beforeEach(async () => {
    quietLogs();
    fixture = await startGraphFixture({
      employees: [...org.employees, starter],
      accounts: [...NON_PERSON_ACCOUNTS, ownedService, contractor],
    });
  });
  afterEach(() => fixture.close());

  it('by default adds an enabled member with an employeeId or a manager, not a room or a service account', async () => {
    const store = new MemoryDirectoryStore(org.employees);
    const result = await sync(fixture, store);
    for (const id of notPeople) assert.equal(store.people.get(id), undefined, `${id} was added`);
    assert.equal(store.people.get(contractor.id), undefined, 'no employeeId, no manager: not added yet');
    assert.equal(store.people.get(starter.id)?.name, 'Sam Starter', 'a new starter is added');
    // The rule's limit: an account with a manager is taken for a person.
    assert.equal(store.people.get(ownedService.id)?.managerId, ownedService.managerId);
    assert.deepEqual([result.added, result.skipped], [2, NON_PERSON_ACCOUNTS.length + 1]);
    const roots = [...store.people.values()].filter((p) => p.managerId === undefined && !p.leaveDate);
    assert.deepEqual(
      roots.map((p) => p.id),
      [org.chiefExecutiveId],
      'the Chief Executive is the only root',
    );

    // The contractor gets a manager in Entra: the delta round reports only that, so the sync
    // reads the whole user and adds them with their name and address.
    fixture.standin.directory.update(contractor.id, { managerId: org.teamManagerIds[1]! });
    const next = await sync(fixture, store, { deltaLink: result.deltaLink });
    assert.equal(next.added, 1);
    const added = store.people.get(contractor.id);
    assert.deepEqual(
      [added?.name, added?.email, added?.managerId, added?.inDirectory],
      ['Casey Contractor', 'casey.contractor@council.example', org.teamManagerIds[1], true],
    );
  });

  it('with GRAPH_PEOPLE=hr-known adds nobody, and still updates the people HR sent', async () => {
    const hr = org.employees.map((e) => (e.id === active[3]!.id ? { ...e, name: 'Old HR Name' } : e));
    const store = new MemoryDirectoryStore(hr);
    const result = await sync(fixture, store, { people: 'hr-known' });
    assert.equal(result.added, 0);
    assert.equal(store.people.size, org.employees.length);
    for (const id of [...notPeople, starter.id, ownedService.id, contractor.id])
      assert.equal(store.people.get(id), undefined, `${id} was added`);
    assert.equal(store.people.get(active[3]!.id)!.name, active[3]!.name, 'Graph still owns the name');
    assert.equal(result.skipped, NON_PERSON_ACCOUNTS.length + 3);
  });
});

describe('Graph directory sync: leavers who come back', () => {
  let fixture: GraphFixture;
  let store: MemoryDirectoryStore;
  let link: string;
  const [suspended, hrLeaver, legacyLeaver, softDeleted, hardDeleted] = [
    active[20]!,
    active[21]!,
    active[22]!,
    active[23]!,
    active[24]!,
  ];
  /** Runs a delta round from the last link and keeps the next. */
  const round = async (today = TODAY) => {
    const result = await sync(fixture, store, { deltaLink: link, today });
    link = result.deltaLink;
    return result;
  };

  before(async () => {
    quietLogs();
    fixture = await startGraphFixture({ employees: org.employees });
    store = new MemoryDirectoryStore(
      org.employees.map((e) => {
        // HR says this one leaves at the end of April (account still enabled).
        if (e.id === hrLeaver.id) return { ...e, leaveDate: '2026-04-30', leaveDateSource: 'hr' as const };
        // A leave date written before sources were kept: HR's too.
        if (e.id === legacyLeaver.id) return { ...e, leaveDate: '2026-03-20' };
        return e;
      }),
    );
    link = (await sync(fixture, store)).deltaLink;
  });
  after(() => fixture.close());

  it('a disabled account is a leaver; re-enabled, they are back in post', async () => {
    fixture.standin.directory.update(suspended.id, { accountEnabled: false });
    await round();
    assert.equal(store.people.get(suspended.id)!.leaveDate, TODAY);
    assert.equal(store.people.get(suspended.id)!.leaveDateSource, 'directory');

    fixture.standin.directory.update(suspended.id, { accountEnabled: true });
    const back = await round(TOMORROW);
    assert.equal(back.updated, 1);
    assert.equal(store.people.get(suspended.id)!.leaveDate, undefined);
    assert.equal(store.people.get(suspended.id)!.leaveDateSource, undefined);
    assert.equal(store.people.get(suspended.id)!.staffGroup, suspended.staffGroup);
  });

  it('a leave date from HR survives the account being disabled and re-enabled', async () => {
    for (const p of [hrLeaver, legacyLeaver])
      fixture.standin.directory.update(p.id, { accountEnabled: false });
    await round();
    for (const p of [hrLeaver, legacyLeaver])
      fixture.standin.directory.update(p.id, { accountEnabled: true });
    await round(TOMORROW);
    assert.equal(store.people.get(hrLeaver.id)!.leaveDate, '2026-04-30');
    assert.equal(store.people.get(hrLeaver.id)!.leaveDateSource, 'hr');
    assert.equal(store.people.get(legacyLeaver.id)!.leaveDate, '2026-03-20');
    // The demo organisation's leavers (disabled in Entra, dated by HR) are re-enabled too: still left.
    const demoLeaver = org.employees.find((e) => e.leaveDate !== undefined)!;
    fixture.standin.directory.update(demoLeaver.id, { accountEnabled: true });
    await round(TOMORROW);
    assert.equal(store.people.get(demoLeaver.id)!.leaveDate, demoLeaver.leaveDate);
  });

  it('a soft-deleted user is a leaver until restored; a hard-deleted one stays a leaver', async () => {
    fixture.standin.directory.remove(softDeleted.id);
    fixture.standin.directory.remove(hardDeleted.id, { hard: true });
    const removed = await round();
    assert.equal(removed.left, 2);
    for (const p of [softDeleted, hardDeleted]) {
      assert.equal(store.people.get(p.id)!.leaveDate, TODAY);
      assert.equal(store.people.get(p.id)!.leaveDateSource, 'directory');
    }

    fixture.standin.directory.restore(softDeleted.id);
    const restored = await round(TOMORROW);
    assert.equal(restored.reported, 1);
    assert.equal(store.people.get(softDeleted.id)!.leaveDate, undefined, 'restored: back in post');
    assert.equal(store.people.get(softDeleted.id)!.managerId, softDeleted.managerId);

    // A full round later (the link expired): the hard-deleted user is absent and stays a leaver.
    fixture.standin.expireDeltaLinks();
    const full = await round(TOMORROW);
    assert.equal(full.full, true);
    assert.equal(store.people.get(hardDeleted.id)!.leaveDate, TODAY);
    assert.equal(store.people.get(softDeleted.id)!.leaveDate, undefined);
    assert.equal(store.people.get(suspended.id)!.leaveDate, undefined);
  });
});

describe('Graph directory sync: renames and e-mail changes', () => {
  let fixture: GraphFixture;
  before(async () => {
    quietLogs();
    fixture = await startGraphFixture({ employees: org.employees });
  });
  after(() => fixture.close());

  it('take name and e-mail from Graph, and leave HR its manager and position number', async () => {
    const [renamed, newAddress, noMailbox, newUpn, hrManaged] = [
      active[30]!,
      active[31]!,
      active[32]!,
      active[33]!,
      active[34]!,
    ];
    const hrManager = org.teamManagerIds.find((id) => id !== hrManaged.managerId)!;
    const store = new MemoryDirectoryStore(
      org.employees.map((e) =>
        e.id === hrManaged.id ? { ...e, managerId: hrManager, managerSource: 'hr' as const } : e,
      ),
    );
    const first = await sync(fixture, store);
    assert.equal(store.people.get(hrManaged.id)!.managerId, hrManager, "HR's manager kept");

    fixture.standin.directory.update(renamed.id, { displayName: 'Robin Newname', surname: 'Newname' });
    fixture.standin.directory.update(newAddress.id, {
      mail: 'robin.newaddress@council.example',
      employeeId: '999999',
    });
    // The mailbox is removed: only `mail` changes, so the address becomes the sign-in name.
    fixture.standin.directory.update(noMailbox.id, { mail: null });
    // Only the sign-in name changes: the mailbox's address stays the e-mail.
    fixture.standin.directory.update(newUpn.id, { userPrincipalName: 'new.upn@council.example' });
    const otherManager = org.teamManagerIds.find((id) => id !== hrManager && id !== hrManaged.managerId)!;
    fixture.standin.directory.update(hrManaged.id, { managerId: otherManager });
    const result = await sync(fixture, store, { deltaLink: first.deltaLink });

    assert.equal(result.reported, 5);
    assert.equal(store.people.get(renamed.id)!.name, 'Robin Newname');
    assert.equal(store.people.get(newAddress.id)!.email, 'robin.newaddress@council.example');
    assert.equal(store.people.get(newAddress.id)!.positionNumber, newAddress.positionNumber, "HR's number");
    assert.equal(store.people.get(noMailbox.id)!.email, noMailbox.email, 'the UPN, unchanged');
    assert.equal(store.people.get(newUpn.id)!.email, newUpn.email, 'the mailbox address, unchanged');
    assert.equal(store.people.get(hrManaged.id)!.managerId, hrManager, 'a manager HR set stays');

    fixture.standin.directory.update(noMailbox.id, { userPrincipalName: 'no.mailbox@council.example' });
    await sync(fixture, store, { deltaLink: result.deltaLink });
    assert.equal(store.people.get(noMailbox.id)!.email, 'no.mailbox@council.example', 'no mailbox: the UPN');
  });
});
