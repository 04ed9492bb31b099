/**
 * The local Graph stand-in over real HTTPS with raw requests: its certificate is the only one
 * trusted; tokens it did not issue are refused; users page with @odata.nextLink and return Graph's
 * default properties unless `$select`ed; delta rounds report changes only and deletions as
 * `@removed`; getSchedule answers in Graph's shape; a create repeated with the same transactionId
 * returns the first event; `$batch` is limited to 20 steps.
 */
import { strict as assert } from 'node:assert';
import { Agent } from 'undici';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { type GraphStandin, type GraphUser, startGraphStandin } from '../bot/dev/graph-standin';
import { createDevCertificate } from '../bot/dev/tls-cert';

const CLIENT = { clientId: 'test-client', clientSecret: 'test-secret' };

interface Page<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

describe('Graph stand-in', () => {
  const org = generateDemoOrg({ asOf: '2026-11-23' });
  const tls = createDevCertificate();
  const dispatcher = new Agent({ connect: { ca: tls.cert } });
  let standin: GraphStandin;
  let token: string;

  const request = async (url: string, init: RequestInit = {}) =>
    fetch(url.startsWith('http') ? url : `${standin.url}/v1.0${url}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      dispatcher,
    } as RequestInit);
  const get = async <T>(
    url: string,
    expectStatus = 200,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const response = await request(url, { headers });
    assert.equal(response.status, expectStatus, `GET ${url}`);
    return (await response.json()) as T;
  };
  const post = async <T>(url: string, body: unknown, expectStatus: number): Promise<T> => {
    const response = await request(url, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(response.status, expectStatus, `POST ${url}`);
    return (await response.json()) as T;
  };

  before(async () => {
    standin = await startGraphStandin({
      employees: org.employees,
      ...CLIENT,
      pageSize: 50,
      tls,
      busySeed: 11,
    });
    const response = await fetch(`${standin.url}/tenant/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      }),
      dispatcher,
    } as RequestInit);
    token = ((await response.json()) as { access_token: string }).access_token;
  });
  after(async () => {
    await standin.close();
    await dispatcher.close();
  });

  it('serves HTTPS with a certificate nobody trusts by default', async () => {
    assert.match(standin.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    await assert.rejects(fetch(`${standin.url}/v1.0/users`), /fetch failed/);
  });

  it('pages through every user with @odata.nextLink, with $select for non-default properties', async () => {
    const seen: GraphUser[] = [];
    let pages = 0;
    let next: string | undefined = '/users?$top=120&$select=id,displayName,mail,department,accountEnabled';
    while (next !== undefined) {
      const page: Page<GraphUser> = await get<Page<GraphUser>>(next);
      seen.push(...page.value);
      next = page['@odata.nextLink'];
      pages++;
    }
    assert.equal(pages, Math.ceil(org.employees.length / 120));
    assert.equal(new Set(seen.map((u) => u.id)).size, org.employees.length);
    const person = org.employees[10]!;
    const user = seen.find((u) => u.id === person.id)!;
    assert.deepEqual(user, {
      id: person.id,
      displayName: person.name,
      mail: person.email,
      department: person.department,
      accountEnabled: person.leaveDate === undefined,
    });
    const defaultPage = await get<Page<Record<string, unknown>>>('/users');
    assert.equal(defaultPage.value.length, 50, 'the default page size applies without $top');
    assert.equal(defaultPage.value[0]!.department, undefined, 'department is not a default property');
    const expanded = await get<{ manager?: { id: string } }>(`/users/${person.id}?$expand=manager`);
    assert.equal(expanded.manager?.id, person.managerId);
  });

  it('answers manager and directReports in Graph shapes, and 404 for the root manager', async () => {
    const managerId = org.teamManagerIds[0]!;
    const report = org.employees.find((e) => e.managerId === managerId)!;
    const manager = await get<GraphUser & { '@odata.type': string }>(`/users/${report.id}/manager`);
    assert.equal(manager.id, managerId);
    assert.equal(manager['@odata.type'], '#microsoft.graph.user');
    const reports = await get<Page<GraphUser>>(`/users/${managerId}/directReports?$top=999`);
    const expected = org.employees.filter((e) => e.managerId === managerId).map((e) => e.id);
    assert.deepEqual(reports.value.map((u) => u.id).sort(), expected.sort());
    const missing = await get<{ error: { code: string } }>(`/users/${org.chiefExecutiveId}/manager`, 404);
    assert.equal(missing.error.code, 'Request_ResourceNotFound');
  });

  it('runs delta rounds: everyone, then only what changed, deletions as @removed', async () => {
    type DeltaUser = {
      id: string;
      displayName?: string;
      'manager@delta'?: { id: string }[];
      '@removed'?: unknown;
    };
    let link: string | undefined = '/users/delta?$select=displayName,manager';
    let full: DeltaUser[] = [];
    let deltaLink: string | undefined;
    while (link !== undefined) {
      const page: Page<DeltaUser> = await get<Page<DeltaUser>>(link, 200, {
        prefer: 'odata.maxpagesize=150',
      });
      full = full.concat(page.value);
      link = page['@odata.nextLink'];
      deltaLink = page['@odata.deltaLink'];
    }
    assert.equal(full.length, org.employees.length);
    const someone = org.employees.find((e) => e.managerId !== undefined)!;
    assert.deepEqual(full.find((u) => u.id === someone.id)!['manager@delta'], [
      { '@odata.type': '#microsoft.graph.user', id: someone.managerId },
    ]);

    const renamed = org.employees[20]!;
    const deleted = org.employees[21]!;
    standin.directory.update(renamed.id, { displayName: 'Renamed Person', department: 'Elsewhere' });
    standin.directory.remove(deleted.id);
    const changes = await get<Page<DeltaUser>>(deltaLink!);
    assert.deepEqual(
      changes.value.sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: renamed.id, displayName: 'Renamed Person' }, // department changed too, but was not selected
        { '@odata.type': '#microsoft.graph.user', id: deleted.id, '@removed': { reason: 'changed' } },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const none = await get<Page<DeltaUser>>(changes['@odata.deltaLink']!);
    assert.deepEqual(none.value, []);
  });

  it('restores soft-deleted users whole, reports hard deletes as deleted, and expires delta links', async () => {
    type DeltaUser = { id: string; displayName?: string; mail?: string | null; '@removed'?: unknown };
    const round = async (start: string) => {
      let link: string | undefined = start;
      let users: DeltaUser[] = [];
      let deltaLink = '';
      while (link !== undefined) {
        const page: Page<DeltaUser> = await get<Page<DeltaUser>>(link);
        users = users.concat(page.value);
        link = page['@odata.nextLink'];
        deltaLink = page['@odata.deltaLink'] ?? deltaLink;
      }
      return { users, deltaLink };
    };
    const first = await round('/users/delta?$select=displayName,mail');
    const [restored, purged] = [org.employees[30]!, org.employees[31]!];
    standin.directory.remove(restored.id);
    standin.directory.remove(purged.id, { hard: true });
    const removed = await round(first.deltaLink);
    assert.deepEqual(Object.fromEntries(removed.users.map((u) => [u.id, u['@removed']])), {
      [restored.id]: { reason: 'changed' },
      [purged.id]: { reason: 'deleted' },
    });
    assert.throws(() => standin.directory.restore(purged.id), /no soft-deleted user/);
    standin.directory.restore(restored.id);
    standin.directory.addAccount({
      id: '7a0c0f4e-0a1b-4c2d-8e3f-00000000c001',
      displayName: 'Room 2.14',
      userPrincipalName: 'room.214@council.example',
    });
    const back = await round(removed.deltaLink);
    assert.deepEqual(
      back.users.sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: '7a0c0f4e-0a1b-4c2d-8e3f-00000000c001', displayName: 'Room 2.14', mail: null },
        { id: restored.id, displayName: restored.name, mail: restored.email },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );

    standin.expireDeltaLinks();
    const expired = await request(back.deltaLink);
    assert.equal(expired.status, 400);
    const body = (await expired.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'syncStateNotFound');
    assert.equal(typeof body.error.message, 'string');
    const again = await round('/users/delta?$select=displayName,mail');
    assert.equal(
      again.users.length,
      org.employees.length - 2 + 1,
      'a new round works: everyone but the two still deleted, plus the room',
    );
    assert.equal((await request(again.deltaLink)).status, 200, 'links from later rounds work');
  });

  it('answers getSchedule in Graph’s shape with seeded busy time', async () => {
    const person = org.employees.find((e) => e.leaveDate === undefined && e.managerId !== undefined)!;
    const body = {
      schedules: [person.email, 'nobody@council.example'],
      startTime: { dateTime: '2026-11-24T09:00:00', timeZone: 'GMT Standard Time' },
      endTime: { dateTime: '2026-11-24T17:00:00', timeZone: 'GMT Standard Time' },
      availabilityViewInterval: 60,
    };
    type Info = {
      scheduleId: string;
      availabilityView?: string;
      scheduleItems?: { status: string; start: { dateTime: string; timeZone: string } }[];
      error?: { responseCode: string };
    };
    const answer = await post<{ value: Info[] }>(`/users/${person.id}/calendar/getSchedule`, body, 200);
    const [found, missing] = answer.value;
    assert.equal(found!.scheduleId, person.email);
    assert.match(found!.availabilityView!, /^[0-4]{8}$/);
    assert.ok(found!.scheduleItems!.length > 0);
    assert.equal(found!.scheduleItems![0]!.start.timeZone, 'UTC');
    assert.match(found!.scheduleItems![0]!.start.dateTime, /^2026-11-24T\d{2}:\d{2}:00\.0000000$/);
    assert.equal(missing!.error!.responseCode, 'ErrorMailboxNotFound');
    const tooLong = await post<{ error: { code: string } }>(
      `/users/${person.id}/calendar/getSchedule`,
      { ...body, endTime: { dateTime: '2027-02-24T17:00:00', timeZone: 'UTC' } },
      400,
    );
    assert.equal(tooLong.error.code, 'ErrorInvalidParameter');
  });

  it('de-duplicates a create by transactionId and limits $batch to 20 steps', async () => {
    const organizer = org.employees[5]!;
    const event = {
      subject: 'Professional Conversation',
      start: { dateTime: '2026-11-25T10:00:00', timeZone: 'Europe/London' },
      end: { dateTime: '2026-11-25T10:30:00', timeZone: 'Europe/London' },
      attendees: [{ emailAddress: { address: org.employees[6]!.email } }],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      transactionId: 'same-key',
    };
    const first = await post<{ id: string; start: { dateTime: string } }>(
      `/users/${organizer.id}/events`,
      event,
      201,
    );
    const second = await post<{ id: string }>(`/users/${organizer.id}/events`, event, 200);
    assert.equal(second.id, first.id);
    assert.equal(first.start.dateTime, '2026-11-25T10:00:00.0000000', 'UTC in November');
    assert.equal(standin.calendars.eventsOf(organizer.id).length, 1);

    const steps = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: String(i),
        method: 'GET',
        url: `/users/${org.employees[i]!.id}`,
      }));
    const ok = await post<{ responses: { id: string; status: number }[] }>(
      '/$batch',
      { requests: steps(20) },
      200,
    );
    assert.equal(ok.responses.filter((r) => r.status === 200).length, 20);
    const tooMany = await post<{ error: { code: string } }>('/$batch', { requests: steps(21) }, 400);
    assert.equal(tooMany.error.code, 'BadRequest');
  });

  it('refuses requests without a token it issued, wrong client secrets, and missing permissions', async () => {
    const anonymous = await fetch(`${standin.url}/v1.0/users`, { dispatcher } as RequestInit);
    assert.equal(anonymous.status, 401);
    assert.equal(
      ((await anonymous.json()) as { error: { code: string } }).error.code,
      'InvalidAuthenticationToken',
    );
    const forged = await fetch(`${standin.url}/v1.0/users`, {
      headers: { authorization: 'Bearer made-up' },
      dispatcher,
    } as RequestInit);
    assert.equal(forged.status, 401);
    const badSecret = await fetch(`${standin.url}/tenant/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT.clientId,
        client_secret: 'wrong',
      }),
      dispatcher,
    } as RequestInit);
    assert.equal(badSecret.status, 401);
    standin.grant(['Calendars.ReadWrite']);
    try {
      const denied = await get<{ error: { code: string } }>('/users', 403);
      assert.equal(denied.error.code, 'Authorization_RequestDenied');
    } finally {
      standin.grant(['User.Read.All', 'Calendars.ReadWrite']);
    }
  });

  it('rejects an out-of-range $top like Graph', async () => {
    const error = await get<{ error: { code: string } }>('/users?$top=5000', 400);
    assert.equal(error.error.code, 'Request_BadRequest');
  });
});
