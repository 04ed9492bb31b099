/**
 * The local Graph stand-in over real HTTP: users across several `@odata.nextLink` pages, a
 * user's manager and direct reports in Graph's shapes, and tokens it did not issue refused.
 * (The Graph SDK attaches tokens only to HTTPS hosts; driving it against the stand-in comes with
 * TLS in the Graph issue.)
 */
import { strict as assert } from 'node:assert';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { type GraphUser, startGraphStandin } from '../bot/dev/graph-standin';

const CLIENT = { clientId: 'test-client', clientSecret: 'test-secret' };

interface Page<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
}

describe('Graph stand-in', () => {
  const org = generateDemoOrg({ asOf: '2026-11-23' });
  let standin: Awaited<ReturnType<typeof startGraphStandin>>;
  let token: string;

  const get = async <T>(url: string, expectStatus = 200): Promise<T> => {
    const response = await fetch(url.startsWith('http') ? url : `${standin.url}/v1.0${url}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, expectStatus, `GET ${url}`);
    return (await response.json()) as T;
  };

  before(async () => {
    standin = await startGraphStandin({ employees: org.employees, ...CLIENT, pageSize: 50 });
    const response = await fetch(`${standin.url}/tenant/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      }),
    });
    token = ((await response.json()) as { access_token: string }).access_token;
  });
  after(() => standin.close());

  it('pages through every user with @odata.nextLink', async () => {
    const seen: GraphUser[] = [];
    let pages = 0;
    let next: string | undefined = '/users?$top=120';
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
    assert.deepEqual(
      {
        mail: user.mail,
        displayName: user.displayName,
        department: user.department,
        accountEnabled: user.accountEnabled,
      },
      {
        mail: person.email,
        displayName: person.name,
        department: person.department,
        accountEnabled: person.leaveDate === undefined,
      },
    );
    const defaultPage = await get<Page<GraphUser>>('/users');
    assert.equal(defaultPage.value.length, 50, 'the default page size applies without $top');
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

  it('refuses requests without a token it issued, and wrong client secrets', async () => {
    const anonymous = await fetch(`${standin.url}/v1.0/users`);
    assert.equal(anonymous.status, 401);
    assert.equal(
      ((await anonymous.json()) as { error: { code: string } }).error.code,
      'InvalidAuthenticationToken',
    );
    const forged = await fetch(`${standin.url}/v1.0/users`, { headers: { authorization: 'Bearer made-up' } });
    assert.equal(forged.status, 401);
    const badSecret = await fetch(`${standin.url}/tenant/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT.clientId,
        client_secret: 'wrong',
      }),
    });
    assert.equal(badSecret.status, 401);
  });

  it('rejects an out-of-range $top like Graph', async () => {
    const error = await get<{ error: { code: string } }>('/users?$top=5000', 400);
    assert.equal(error.error.code, 'Request_BadRequest');
  });
});
