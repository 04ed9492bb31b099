/**
 * The tab's REST API over real HTTP (issue 7): the whole app on free ports with Azurite in memory
 * and the demo organisation seeded through the import path. A production app checks Entra-style
 * tokens signed by a test key whose JWKS a local server publishes (TAB_JWKS_URL), so the real
 * jose path runs; a development app has the dev sign-in. Every route is tried by every role, team
 * figures are checked against the policy engine's own evaluation of the stored records, and
 * Schedule/Log from the tab must reach the manager's chat at a local Bot Connector.
 */
import { strict as assert } from 'node:assert';
import { parse } from 'csv-parse/sync';
import express from 'express';
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { type RunningApp, startApp } from '../bot/app';
import { fixedClock } from '../bot/clock';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { freePort, storagePorts } from '../bot/dev/ports';
import { seedDemoOrg } from '../bot/dev/seed';
import { type Listening, listen } from '../bot/listen';
import { configureLogging, createLogger } from '../bot/log';
import { Records } from '../bot/records/records';
import { TableReferenceStore } from '../bot/storage/reference-store';
import { type Tables, openTables } from '../bot/storage/tables';
import { type Caller } from '../bot/api/caller';
import { TEAM_CSV_COLUMNS, TeamFigures, teamResponse } from '../bot/api/team';
import { ACTIONS_PER_WINDOW, ActionLimiter } from '../bot/api/team-actions';
import { evaluateOrganisation } from '../core/compliance/organisation';
import { quarterAsOf, rollupQuarters } from '../core/compliance/status-facts';
import { parseIsoDate } from '../core/dates/day';
import { type Employee, type EmployeeId } from '../core/model';
import { groupFigures } from '../core/org/rollup';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type ComplianceStatus, policySchema } from '../core/policy/schema';
import {
  type ApiError,
  type CallerRoles,
  type DevTokenResponse,
  type DevUser,
  type MeResponse,
  type MyConversationsResponse,
  type OrgListResponse,
  type OrgResponse,
  type TeamActionResponse,
  type TeamResponse,
} from '../core/tab-api';
import { buttonData, cardOf, cardProblems, cardText } from './support/cards';
import { startConnectorCapture } from './support/connector-capture';

const TODAY = '2026-11-23';
const policy = PROFESSIONAL_CONVERSATION;
const BOT_APP_ID = '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const TENANT = '11111111-2222-4333-8444-555555555555';
const OTHER_TENANT = '99999999-2222-4333-8444-555555555555';
const TAB_CLIENT_ID = '7a7a7a7a-1111-4222-8333-444455556666';
const AUDIENCE = `api://tab.council.example/${TAB_CLIENT_ID}`;
const ENTRA_KID = 'entra-test-key';
const UNKNOWN = '0badc0de-0000-4000-8000-000000000000';

const org = generateDemoOrg({ asOf: TODAY, people: 200 });

/** The statuses as the council's tab and bot cards name them. */
const STATUS_LABELS: Readonly<Record<ComplianceStatus, string>> = {
  left: 'Left',
  excluded: 'Not in scope',
  induction: 'Induction',
  overdue: 'Overdue',
  'due-soon': 'Due soon',
  'on-track': 'On track',
};
/** The NHS preset calls induction "In first 12 months" (CC §8). */
const NHS_STATUS_LABELS: Readonly<Record<ComplianceStatus, string>> = {
  ...STATUS_LABELS,
  induction: 'In first 12 months',
};
const current = (e: Employee) => e.leaveDate === undefined || e.leaveDate >= TODAY;
const byId = new Map(org.employees.map((e) => [e.id, e]));
const reportsOf = (id: EmployeeId) => org.employees.filter((e) => e.managerId === id && current(e));
const isManager = (id: EmployeeId) => reportsOf(id).length > 0;
const od = new Set(org.odTeamIds);
const completedOf = (id: EmployeeId) =>
  org.conversations.filter((c) => c.employeeId === id && c.status === 'completed');

/** Team managers of front-line staff only (no managers below them), outside OD. */
const plainManagers = org.teamManagerIds.filter(
  (id) => isManager(id) && !reportsOf(id).some((r) => isManager(r.id)) && !od.has(id),
);
const manager = byId.get(plainManagers[0]!)!;
const otherManager = byId.get(plainManagers[1]!)!;
const head = org.employees.find(
  (e) =>
    current(e) &&
    !od.has(e.id) &&
    e.id !== org.chiefExecutiveId &&
    reportsOf(e.id).some((r) => isManager(r.id)),
)!;
const odMember = byId.get(org.odTeamIds.find((id) => !isManager(id) && current(byId.get(id)!))!)!;
const employee = reportsOf(manager.id).find(
  (r) => !isManager(r.id) && !od.has(r.id) && completedOf(r.id).length > 0,
)!;

type Role = 'employee' | 'manager' | 'head' | 'od' | 'unknown';
const PEOPLE: Record<Role, { id: EmployeeId; roles?: CallerRoles; home?: MeResponse['home'] }> = {
  employee: {
    id: employee.id,
    roles: { manager: false, headOfService: false, od: false },
    home: 'conversations',
  },
  manager: { id: manager.id, roles: { manager: true, headOfService: false, od: false }, home: 'team' },
  head: { id: head.id, roles: { manager: true, headOfService: true, od: false }, home: 'organisation' },
  od: { id: odMember.id, roles: { manager: false, headOfService: false, od: true }, home: 'organisation' },
  unknown: { id: UNKNOWN },
};
const ROLES = Object.keys(PEOPLE) as Role[];

/** A token shaped like Entra ID's access token for the tab; every part can be spoiled. */
interface TokenOptions {
  readonly aud?: string;
  readonly tid?: string;
  readonly iss?: string;
  readonly key?: CryptoKey;
  readonly kid?: string;
  /** Seconds from now. */
  readonly expiresIn?: number;
  /** Further claims, or undefined to drop one (e.g. `scp`). */
  readonly claims?: Record<string, unknown>;
}

describe('tab API over HTTP (Entra tokens, dev sign-in, roles, My team, My conversations)', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let tables: Tables;
  let records: Records;
  let prod: RunningApp | undefined;
  let dev: RunningApp | undefined;
  let jwks: Listening | undefined;
  let capture: Awaited<ReturnType<typeof startConnectorCapture>> | undefined;
  let entraKey: CryptoKey;
  let forgedKey: CryptoKey;

  const sign = async (oid: string, o: TokenOptions = {}): Promise<string> => {
    const tid = o.tid ?? TENANT;
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = o.expiresIn ?? 3600;
    const claims = {
      oid,
      tid,
      name: byId.get(oid)?.name ?? 'Nobody',
      scp: 'access_as_user',
      ver: '2.0',
      ...o.claims,
    };
    return new SignJWT(Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)))
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: o.kid ?? ENTRA_KID })
      .setIssuer(o.iss ?? `https://login.microsoftonline.com/${tid}/v2.0`)
      .setAudience(o.aud ?? AUDIENCE)
      .setIssuedAt(now + expiresIn - 3600)
      .setExpirationTime(now + expiresIn)
      .sign(o.key ?? entraKey);
  };

  const call = (base: string, path: string, token?: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });

  const json = async <T>(response: Response, status: number, what: string): Promise<T> => {
    const text = await response.text();
    assert.equal(response.status, status, `${what}: ${text.slice(0, 300)}`);
    assert.equal(response.headers.get('cache-control'), 'no-store', `${what} is not cached`);
    return JSON.parse(text) as T;
  };

  const asRole = async (role: Role, path: string, init: RequestInit = {}) =>
    call(prod!.service.url, path, await sign(PEOPLE[role].id), init);

  before(async () => {
    for (const [what, found] of Object.entries({ manager, otherManager, head, odMember, employee }))
      assert.ok(found, `the demo organisation has a ${what}`);
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    const storage = { STORAGE_CONNECTION_STRING: azurite.connectionString };
    tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    const clock = fixedClock(TODAY);
    records = new Records(tables, policy, clock, createLogger('test.seed'));
    await seedDemoOrg(records, tables, org);

    // The "tenant's" signing keys, published like Entra's discovery/v2.0/keys.
    const pair = await generateKeyPair('RS256');
    entraKey = pair.privateKey;
    forgedKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: ENTRA_KID, alg: 'RS256', use: 'sig' };
    const keys = express();
    keys.get('/keys', (_req, res) => {
      res.json({ keys: [publicJwk] });
    });
    jwks = await listen(keys, 0, '127.0.0.1');

    const tab = {
      TAB_API_AUDIENCE: `${AUDIENCE},${TAB_CLIENT_ID}`,
      TAB_JWKS_URL: `http://127.0.0.1:${jwks.port}/keys`,
      OD_MEMBERS: org.odTeamIds.join(','),
    };
    // Two differently configured services over one set of tables: each has its own outbox queue,
    // or the production one (whose bot identity cannot get a token offline) would take the
    // development one's messages.
    const start = async (env: Record<string, string>) =>
      startApp({
        config: readConfig({ HOST: '127.0.0.1', PORT: String(await freePort()), ...storage, ...tab, ...env }),
        tables,
        policy,
        clock,
        tabDir: '/nonexistent',
        storagePrefix: env.APP_ENV === 'development' ? 'dev' : 'prod',
      });
    prod = await start({
      MICROSOFT_APP_ID: BOT_APP_ID,
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      MICROSOFT_APP_TENANT_ID: TENANT,
    });
    // Development: the same audience and tenant, so a dev token differs from an Entra one only by its key.
    dev = await start({ APP_ENV: 'development', TAB_TENANT_ID: TENANT });
    capture = await startConnectorCapture();
  });

  after(async () => {
    await Promise.all([prod?.stop(), dev?.stop(), jwks?.close(), capture?.close()]);
    await azurite?.stop();
  });

  describe('tokens', () => {
    it('accepts a valid token: v2 and v1 issuers, the Application ID URI or the client id as audience', async () => {
      for (const o of [
        {},
        { iss: `https://sts.windows.net/${TENANT}/` },
        { aud: TAB_CLIENT_ID },
      ] satisfies TokenOptions[]) {
        const me = await json<MeResponse>(
          await call(prod!.service.url, '/api/me', await sign(manager.id, o)),
          200,
          JSON.stringify(o),
        );
        assert.equal(me.id, manager.id);
      }
    });

    it('refuses missing, malformed, expired, wrong-audience, wrong-tenant, forged, scopeless and app-only tokens with 401', async () => {
      const tokens: Record<string, string | undefined> = {
        missing: undefined,
        malformed: 'not-a-token',
        unsigned: 'eyJhbGciOiJub25lIn0.eyJvaWQiOiJ4In0.',
        expired: await sign(manager.id, { expiresIn: -600 }),
        'wrong audience': await sign(manager.id, { aud: 'api://someone-else.example/app' }),
        'wrong tenant': await sign(manager.id, { tid: OTHER_TENANT }),
        'wrong tid, right issuer': await sign(manager.id, {
          tid: OTHER_TENANT,
          iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        }),
        'wrong issuer': await sign(manager.id, { iss: 'https://login.example.com/v2.0' }),
        'forged, same key id': await sign(manager.id, { key: forgedKey }),
        'forged, unknown key id': await sign(manager.id, { key: forgedKey, kid: 'attacker' }),
        'no scope': await sign(manager.id, { claims: { scp: undefined } }),
        'another scope': await sign(manager.id, { claims: { scp: 'User.Read Files.Read' } }),
        'app-only': await sign(manager.id, {
          claims: { scp: undefined, idtyp: 'app', roles: ['Tab.Read'] },
        }),
        'app-only with a scope': await sign(manager.id, { claims: { idtyp: 'app' } }),
      };
      for (const [what, token] of Object.entries(tokens)) {
        for (const path of ['/api/me', '/api/team', '/api/conversations', '/api/org']) {
          const response = await call(prod!.service.url, path, token);
          const body = await json<ApiError>(response, 401, `${what} ${path}`);
          assert.equal(body.error, 'unauthorized');
          assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
        }
      }
    });

    it('mounts the organisation routes behind the same authentication', async () => {
      for (const path of ['/api/org', '/api/org/list?kind=overdue', '/api/org.csv']) {
        await json<ApiError>(await call(prod!.service.url, path), 401, path);
      }
    });
  });

  describe('roles', () => {
    it('resolves each role from the directory, the status index and OD_MEMBERS (/api/me)', async () => {
      for (const role of ROLES) {
        const response = await asRole(role, '/api/me');
        if (role === 'unknown') {
          const body = await json<ApiError>(response, 403, role);
          assert.equal(body.error, 'forbidden');
          assert.match(body.message, /not in the organisation directory/);
          continue;
        }
        const me = await json<MeResponse>(response, 200, role);
        const person = byId.get(PEOPLE[role].id)!;
        assert.deepEqual(me, {
          id: person.id,
          name: person.name,
          roles: PEOPLE[role].roles,
          home: PEOPLE[role].home,
          policyName: policy.name,
        });
      }
    });

    it('allows each route only to the roles DESIGN.md §6 gives it', async () => {
      const allowed: Record<string, readonly Role[]> = {
        'GET /api/me': ['employee', 'manager', 'head', 'od'],
        'GET /api/team': ['manager', 'head'],
        'GET /api/team.csv': ['manager', 'head'],
        'GET /api/conversations': ['employee', 'manager', 'head', 'od'],
      };
      for (const [route, roles] of Object.entries(allowed)) {
        const path = route.split(' ')[1]!;
        for (const role of ROLES) {
          const response = await asRole(role, path);
          if (roles.includes(role)) {
            assert.equal(response.status, 200, `${role} ${route}`);
            await response.arrayBuffer();
          } else {
            assert.equal((await json<ApiError>(response, 403, `${role} ${route}`)).error, 'forbidden');
          }
        }
      }
    });

    it('lets only the line manager ask for Schedule or Log; the deep link opens the bot chat', async () => {
      const reportOfHead = reportsOf(head.id)[0]!;
      const cases: [Role, EmployeeId, number][] = [
        ['manager', employee.id, 200],
        ['head', reportOfHead.id, 200],
        ['manager', reportsOf(otherManager.id)[0]!.id, 403],
        ['manager', manager.id, 403],
        ['manager', UNKNOWN, 403],
        ['manager', 'bad/id', 404],
        ['head', employee.id, 403],
        ['employee', employee.id, 403],
        ['od', employee.id, 403],
        ['unknown', employee.id, 403],
      ];
      for (const [role, target, status] of cases) {
        for (const action of ['schedule', 'log']) {
          const what = `${role} ${action} for ${target}`;
          const response = await asRole(role, `/api/team/${target}/${action}`, {
            method: 'POST',
            body: '{}',
          });
          if (status !== 200) {
            assert.equal(response.status, status, what);
            await response.arrayBuffer();
            continue;
          }
          const answer = await json<TeamActionResponse>(response, 200, what);
          // Nobody here has installed the bot, so nothing is sent; the link still opens the chat.
          assert.deepEqual(answer, {
            sent: false,
            chatUrl: `https://teams.microsoft.com/l/chat/0/0?users=28:${BOT_APP_ID}`,
          });
        }
      }
    });

    it('answers 404 JSON for an unknown API path, after authentication', async () => {
      const body = await json<ApiError>(
        await asRole('manager', '/api/nothing-here'),
        404,
        '/api/nothing-here',
      );
      assert.equal(body.error, 'not_found');
    });
  });

  describe('My team', () => {
    /** The team's figures per quarter as the policy engine computes them from the stored records. */
    const engineTrend = async (managerId: EmployeeId) => {
      const members = reportsOf(managerId).map((e) => ({ ...e, managerId: undefined }));
      const conversations = (
        await Promise.all(members.map((m) => records.conversations.listForEmployee(m.id)))
      )
        .flat()
        .map((r) => r.value);
      // The organisation's first quarter with a conversation held anywhere: earlier ones are no data.
      const everyone = org.employees.map((e) => ({ ...e }));
      const all = (await Promise.all(everyone.map((e) => records.conversations.listForEmployee(e.id))))
        .flat()
        .map((r) => r.value);
      const quarters = rollupQuarters(TODAY);
      const first = quarters.findIndex(
        (q) =>
          groupFigures(
            evaluateOrganisation(policy, everyone, all, quarterAsOf(q, TODAY), { actions: false }),
            undefined,
            q,
          ).quarterly.completed > 0,
      );
      assert.ok(first > 0, 'the demo organisation starts recording within the eight quarters');
      return quarters.map((q, k) => {
        if (k < first) return { quarter: q.label, quarterly: [0, 0], rolling: [0, 0], noData: true };
        const g = groupFigures(
          evaluateOrganisation(policy, members, conversations, quarterAsOf(q, TODAY), { actions: false }),
          undefined,
          q,
        );
        return {
          quarter: q.label,
          quarterly: [g.quarterly.completed, g.quarterly.eligible],
          rolling: [g.rolling.completed, g.rolling.eligible],
        };
      });
    };

    for (const role of ['manager', 'head'] as const) {
      it(`gives the ${role} their direct reports with the engine's completion over eight quarters`, async () => {
        const id = PEOPLE[role].id;
        const team = await json<TeamResponse>(await asRole(role, '/api/team'), 200, `${role} team`);
        const quarters = rollupQuarters(TODAY);
        assert.deepEqual(team.manager, { id, name: byId.get(id)!.name });
        assert.deepEqual(
          team.quarters,
          quarters.map((q) => q.label),
        );
        assert.equal(team.quarter, quarters.at(-1)!.label);
        // The council's figure, named by the server (DESIGN.md §3.1).
        assert.deepEqual(team.figure, {
          id: 'held-in-quarter',
          label: 'Held a conversation in the quarter',
          short: 'Held in quarter',
        });
        assert.deepEqual(
          team.members.map((m) => m.employeeId).sort(),
          reportsOf(id)
            .map((e) => e.id)
            .sort(),
        );
        const expected = await engineTrend(id);
        assert.deepEqual(
          team.trend.map((p) => ({
            quarter: p.quarter,
            quarterly: [p.quarterly.numerator, p.quarterly.denominator],
            rolling: [p.rolling.numerator, p.rolling.denominator],
          })),
          expected.map(({ noData: _, ...p }) => p),
        );
        for (const [k, p] of team.trend.entries()) {
          const { numerator: n, denominator: d, rate } = p.quarterly;
          assert.equal(rate, d === 0 ? null : n / d);
          // Before the organisation's first data: "no data", not 0 % (issue 18).
          assert.equal(p.noData === true, expected[k]!.noData === true, p.quarter);
        }
        assert.ok(team.trend[0]!.noData, 'the first quarter shown is before the demo data');
        assert.deepEqual(team.quarterly, team.trend.at(-1)!.quarterly);
        assert.deepEqual(team.rolling, team.trend.at(-1)!.rolling);
        assert.ok(
          expected.some((p) => p.quarterly[1]! > 0),
          'the demo team has eligible people',
        );

        // Each member as the status index has them, with conversations held in the quarter counted.
        const rows = new Map((await records.team.team(id)).map((r) => [r.employee.id, r]));
        const q = quarters.at(-1)!;
        for (const m of team.members) {
          const e = rows.get(m.employeeId)!.evaluation!;
          assert.equal(m.name, byId.get(m.employeeId)!.name);
          assert.equal(m.status, e.status);
          assert.equal(m.statusLabel, STATUS_LABELS[e.status], m.employeeId);
          assert.equal(m.held12m, e.held12m);
          assert.equal(m.nextDue, e.nextDue ?? null);
          const held = (await records.conversations.listForEmployee(m.employeeId)).filter((r) => {
            const day = parseIsoDate(r.value.date);
            return r.value.status === 'completed' && day >= q.firstDay && day <= q.lastDay;
          });
          assert.equal(m.heldInQuarter, held.length, m.employeeId);
        }
      });
    }

    it('answers for a chosen quarter, and 400 for a quarter that is not one of the eight', async () => {
      const quarters = rollupQuarters(TODAY);
      const chosen = quarters[4]!.label;
      const team = await json<TeamResponse>(
        await asRole('manager', `/api/team?quarter=${encodeURIComponent(chosen)}`),
        200,
        chosen,
      );
      assert.equal(team.quarter, chosen);
      assert.deepEqual(team.quarterly, team.trend[4]!.quarterly);
      assert.deepEqual(team.rolling, team.trend[4]!.rolling);
      for (const bad of ['banana', '2010/11 Q1', '2026/28 Q1', quarters.at(-1)!.label.replace(/\d$/, '5')]) {
        const body = await json<ApiError>(
          await asRole('manager', `/api/team?quarter=${encodeURIComponent(bad)}`),
          400,
          bad,
        );
        assert.equal(body.error, 'bad_request');
        assert.match(body.message, /last eight/);
      }
    });

    it('exports the same rows as CSV, as an attachment', async () => {
      const quarter = rollupQuarters(TODAY)[6]!.label;
      const query = `?quarter=${encodeURIComponent(quarter)}`;
      const team = await json<TeamResponse>(await asRole('head', `/api/team${query}`), 200, 'team');
      const response = await asRole('head', `/api/team.csv${query}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(
        response.headers.get('content-disposition') ?? '',
        /^attachment; filename="team-2026-27-Q2\.csv"/,
      );
      const rows: string[][] = parse(await response.text(), { bom: true });
      const [header, ...lines] = rows;
      assert.deepEqual(header, [...TEAM_CSV_COLUMNS]);
      assert.deepEqual(
        lines,
        team.members.map((m) => [
          m.employeeId,
          m.name,
          m.statusLabel,
          String(m.held12m),
          String(m.expected12m),
          m.lastHeld ?? '',
          m.nextDue ?? '',
          String(m.daysOverdue),
          String(m.openActions),
          String(m.overdueActions),
          String(m.heldInQuarter),
        ]),
      );
    });
  });

  describe('My conversations', () => {
    it("gives the caller their own records, newest first, completed ones with the bot's record card", async () => {
      const mine = await json<MyConversationsResponse>(
        await asRole('employee', '/api/conversations'),
        200,
        'conversations',
      );
      const stored = await records.conversations.listForEmployee(employee.id);
      assert.ok(stored.length > 0);
      assert.deepEqual(mine.conversations.map((c) => c.id).sort(), stored.map((r) => r.value.id).sort());
      const dates = mine.conversations.map((c) => c.date);
      assert.deepEqual(dates, [...dates].sort().reverse());
      for (const c of mine.conversations) {
        const record = stored.find((r) => r.value.id === c.id)!.value;
        assert.equal(c.status, record.status);
        assert.equal(c.type, policy.conversationTypes.find((t) => t.id === record.type)?.label);
        if (c.status !== 'completed') {
          assert.equal(c.card, null);
          continue;
        }
        assert.ok(c.card !== null);
        assert.equal(c.card.type, 'AdaptiveCard');
        assert.deepEqual(cardProblems(c.card), []);
        assert.match(cardText(c.card), new RegExp(employee.name));
      }
    });

    it('is empty for someone without conversations, never anyone else’s', async () => {
      const mine = await json<MyConversationsResponse>(await asRole('od', '/api/conversations'), 200, 'od');
      const own = await records.conversations.listForEmployee(odMember.id);
      assert.deepEqual(mine.conversations.map((c) => c.id).sort(), own.map((r) => r.value.id).sort());
    });
  });

  describe('development sign-in', () => {
    it('does not exist in production: /api/dev/* is 404 and a dev-key token is refused with 401', async () => {
      const base = prod!.service.url;
      assert.equal(
        (await json<ApiError>(await call(base, '/api/dev/users'), 404, 'dev users')).error,
        'not_found',
      );
      const tokenAsked = await call(base, '/api/dev/token', undefined, {
        method: 'POST',
        body: JSON.stringify({ userId: manager.id }),
      });
      await json<ApiError>(tokenAsked, 404, 'dev token');
      // A token from the development service: same issuer, audience and tenant, signed by its dev key.
      const { token } = await json<DevTokenResponse>(
        await call(dev!.service.url, '/api/dev/token', undefined, {
          method: 'POST',
          body: JSON.stringify({ userId: manager.id }),
        }),
        200,
        'dev token',
      );
      await json<MeResponse>(await call(dev!.service.url, '/api/me', token), 200, 'dev token in development');
      await json<ApiError>(await call(base, '/api/me', token), 401, 'dev token in production');
    });

    it('lists people of every role to sign in as, and each token signs in as that person', async () => {
      const users = await json<DevUser[]>(await call(dev!.service.url, '/api/dev/users'), 200, 'dev users');
      assert.ok(users.length >= 5 && users.length <= 25, `${users.length} users`);
      for (const label of [
        'OD team',
        'Chief Executive',
        'Director',
        'Head of service',
        'Manager',
        'Employee',
      ])
        assert.ok(
          users.some((u) => u.role.split(', ').includes(label)),
          `someone is ${label}`,
        );
      assert.equal(users.filter((u) => u.role.split(', ').includes('Chief Executive')).length, 1);
      for (const user of users) {
        const { token } = await json<DevTokenResponse>(
          await call(dev!.service.url, '/api/dev/token', undefined, {
            method: 'POST',
            body: JSON.stringify({ userId: user.id }),
          }),
          200,
          user.name,
        );
        const me = await json<MeResponse>(await call(dev!.service.url, '/api/me', token), 200, user.name);
        assert.equal(me.id, user.id);
        assert.equal(me.name, user.name);
        const labels = user.role.split(', ');
        assert.equal(me.roles.od, labels.includes('OD team'), user.role);
        const senior = ['Chief Executive', 'Director', 'Head of service'].some((l) => labels.includes(l));
        assert.equal(me.roles.headOfService, senior, user.role);
        assert.equal(me.roles.manager, labels.includes('Manager') || senior);
      }
    });

    it('refuses a token for nobody, and a body that is not JSON', async () => {
      for (const body of [JSON.stringify({ userId: UNKNOWN }), JSON.stringify({}), '{not json']) {
        const response = await call(dev!.service.url, '/api/dev/token', undefined, { method: 'POST', body });
        assert.equal((await json<ApiError>(response, 400, body)).error, 'bad_request');
      }
    });

    it('also accepts Entra tokens in development when TAB_API_AUDIENCE is set', async () => {
      const me = await json<MeResponse>(
        await call(dev!.service.url, '/api/me', await sign(employee.id)),
        200,
        'entra in development',
      );
      assert.equal(me.id, employee.id);
    });
  });

  describe('Schedule and Log from the tab', () => {
    const devToken = async (userId: EmployeeId) => {
      const response = await call(dev!.service.url, '/api/dev/token', undefined, {
        method: 'POST',
        body: JSON.stringify({ userId }),
      });
      return (await json<DevTokenResponse>(response, 200, 'dev token')).token;
    };

    it("sends the Schedule and Log cards to the manager's own chat with the bot", async () => {
      const report = reportsOf(otherManager.id)[0]!;
      await new TableReferenceStore(tables.conversationRefs).saveOnInstall({
        key: otherManager.id,
        scope: 'personal',
        conversationId: 'a:chat-other-manager',
        serviceUrl: capture!.url,
        channelId: 'msteams',
        tenantId: TENANT,
        botId: '28:bot',
        userId: `29:${otherManager.id}`,
        userName: otherManager.name,
        installedAt: new Date().toISOString(),
      });
      const token = await devToken(otherManager.id);
      for (const [action, verb, title] of [
        ['schedule', 'schedule', /Schedule a conversation/],
        ['log', 'log', /Record a conversation/],
      ] as const) {
        const before = capture!.replies.length;
        const answer = await json<TeamActionResponse>(
          await call(dev!.service.url, `/api/team/${report.id}/${action}`, token, {
            method: 'POST',
            body: '{}',
          }),
          200,
          action,
        );
        assert.equal(answer.sent, true);
        assert.equal(answer.chatUrl, 'https://teams.microsoft.com/l/chat/0/0?users=28:');
        const reply = await capture!.reply(before + 1);
        assert.equal(reply.conversationId, 'a:chat-other-manager');
        const card = cardOf(reply.activity);
        assert.deepEqual(cardProblems(card), []);
        assert.match(cardText(card), title);
        assert.match(cardText(card), new RegExp(report.name));
        assert.equal(buttonData(card, verb).employeeId, report.id);
      }
    });

    it("refuses another manager's report with 403 and sends nothing", async () => {
      const before = capture!.replies.length;
      const report = reportsOf(otherManager.id)[0]!;
      const response = await call(
        dev!.service.url,
        `/api/team/${report.id}/schedule`,
        await devToken(manager.id),
        {
          method: 'POST',
          body: '{}',
        },
      );
      const body = await json<ApiError>(response, 403, 'another manager');
      assert.match(body.message, /line manager/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await dev!.service.notifier.drain();
      assert.equal(capture!.replies.length, before);
    });

    it('answers 429 with Retry-After once a manager has asked for too many cards in a few minutes', async () => {
      const token = await devToken(head.id);
      const report = reportsOf(head.id)[0]!;
      const post = () =>
        call(dev!.service.url, `/api/team/${report.id}/log`, token, { method: 'POST', body: '{}' });
      for (let i = 0; i < ACTIONS_PER_WINDOW; i++)
        await json<TeamActionResponse>(await post(), 200, `card ${i + 1}`);
      const refused = await post();
      const body = await json<ApiError>(refused, 429, 'one too many');
      assert.equal(body.error, 'too_many_requests');
      const wait = Number(refused.headers.get('retry-after'));
      assert.ok(wait > 0 && wait <= 600, `Retry-After ${wait}`);
      const other = await call(
        dev!.service.url,
        `/api/team/${reportsOf(otherManager.id)[0]!.id}/log`,
        await devToken(otherManager.id),
        { method: 'POST', body: '{}' },
      );
      assert.equal(other.status, 200, 'another manager is counted apart');
    });

    it('lets a caller act again as the window slides', () => {
      let now = 0;
      const limiter = new ActionLimiter(2, 60_000, () => now);
      assert.equal(limiter.take('a'), undefined);
      now = 30_000;
      assert.equal(limiter.take('a'), undefined);
      assert.equal(limiter.take('a'), 30, 'the first action frees up 30 s later');
      assert.equal(limiter.take('b'), undefined);
      now = 60_000;
      assert.equal(limiter.take('a'), undefined);
      assert.equal(limiter.take('a'), 30);
    });
  });

  describe('under the Career Conversations preset (NHS)', () => {
    const nhsOrg = generateDemoOrg({ asOf: TODAY, people: 120, conversationType: 'career-conversation' });
    const NHS_FIGURE = {
      id: 'compliant-at-quarter-end',
      label: 'Compliant at quarter end (career conversation in the last 12 months)',
      short: 'Compliant at quarter end',
    };
    let nhs: RunningApp | undefined;
    let nhsRecords: Records;
    let users: DevUser[];
    /** Every error body the NHS service answered, to check none names the council's OD team. */
    const errors: ApiError[] = [];

    const base = () => nhs!.service.url;
    const devToken = async (userId: string) =>
      (
        await json<DevTokenResponse>(
          await call(base(), '/api/dev/token', undefined, {
            method: 'POST',
            body: JSON.stringify({ userId }),
          }),
          200,
          `dev token for ${userId}`,
        )
      ).token;
    const refused = async (path: string, status: number, token?: string, init: RequestInit = {}) => {
      const body = await json<ApiError>(await call(base(), path, token, init), status, path);
      errors.push(body);
      return body;
    };
    const userWhere = (what: string, test: (u: DevUser) => boolean): DevUser => {
      const user = users.find(test);
      assert.ok(user, `a dev sign-in user who is ${what}`);
      return user;
    };

    before(async () => {
      const nhsTables = await openTables(
        { kind: 'connectionString', connectionString: azurite.connectionString },
        'nhs',
      );
      nhsRecords = new Records(nhsTables, CAREER_CONVERSATIONS, fixedClock(TODAY), createLogger('test.seed'));
      await seedDemoOrg(nhsRecords, nhsTables, nhsOrg);
      nhs = await startApp({
        config: readConfig({
          HOST: '127.0.0.1',
          PORT: String(await freePort()),
          STORAGE_CONNECTION_STRING: azurite.connectionString,
          TAB_API_AUDIENCE: `${AUDIENCE},${TAB_CLIENT_ID}`,
          TAB_JWKS_URL: `http://127.0.0.1:${jwks!.port}/keys`,
          TAB_TENANT_ID: TENANT,
          OD_MEMBERS: nhsOrg.odTeamIds.join(','),
          APP_ENV: 'development',
          POLICY: 'career-conversations',
        }),
        tables: nhsTables,
        policy: CAREER_CONVERSATIONS,
        clock: fixedClock(TODAY),
        tabDir: '/nonexistent',
        storagePrefix: 'nhs',
      });
      users = await json<DevUser[]>(await call(base(), '/api/dev/users'), 200, 'dev users');
    });

    after(async () => {
      await nhs?.stop();
    });

    it('names the monitoring team People Services among the dev sign-in roles', () => {
      const labels = new Set(users.flatMap((u) => u.role.split(', ')));
      assert.ok(labels.has('People Services'), [...labels].join(' | '));
      assert.ok(![...labels].some((l) => /\bOD\b/.test(l)), [...labels].join(' | '));
    });

    it('names the NHS figure on My team, and each status as the policy does', async () => {
      // A manager with someone in their first 12 months, to see the NHS's own name for induction.
      let chosen: { id: string; statuses: Set<string> } | undefined;
      for (const id of nhsOrg.teamManagerIds) {
        const statuses = new Set((await nhsRecords.team.team(id)).map((r) => r.evaluation?.status ?? ''));
        if (statuses.has('induction')) {
          chosen = { id, statuses };
          break;
        }
      }
      assert.ok(chosen, 'the NHS demo organisation has a team with someone in their first 12 months');
      const team = await json<TeamResponse>(
        await call(base(), '/api/team', await devToken(chosen.id)),
        200,
        'NHS team',
      );
      assert.deepEqual(team.figure, NHS_FIGURE);
      assert.ok(team.members.length > 0);
      for (const m of team.members)
        assert.equal(m.statusLabel, NHS_STATUS_LABELS[m.status as ComplianceStatus], m.status);
      assert.ok(team.members.some((m) => m.statusLabel === 'In first 12 months'));
    });

    it('names the NHS figure on the organisation view, and statuses on its lists', async () => {
      const od = userWhere('People Services', (u) => u.role.split(', ').includes('People Services'));
      const token = await devToken(od.id);
      const view = await json<OrgResponse>(await call(base(), '/api/org', token), 200, 'NHS org');
      assert.deepEqual(view.figure, NHS_FIGURE);
      const csv = await call(base(), '/api/org.csv', token);
      assert.equal(csv.status, 200);
      const [header]: string[][] = parse(await csv.text(), { bom: true });
      assert.ok(header?.includes(`compliant_at_quarter_end (${view.quarter})`), header?.join(','));
      let seen = 0;
      for (const kind of ['overdue', 'none-12m'] as const) {
        const list = await json<OrgListResponse>(
          await call(base(), `/api/org/list?kind=${kind}`, token),
          200,
          kind,
        );
        for (const r of list.rows) {
          assert.equal(r.statusLabel, NHS_STATUS_LABELS[r.status as ComplianceStatus], `${kind} ${r.status}`);
          seen++;
        }
      }
      assert.ok(seen > 0, 'the NHS lists have rows');
    });

    it('never says "OD team" in an error', async () => {
      const employee = userWhere('a plain employee', (u) => u.role === 'Employee');
      const manager = userWhere('a manager', (u) => u.role === 'Manager');
      const head = userWhere('a head of service outside People Services', (u) => {
        const roles = u.role.split(', ');
        return (
          roles.includes('Head of service') &&
          !roles.includes('People Services') &&
          u.id !== nhsOrg.chiefExecutiveId
        );
      });
      const [employeeToken, managerToken, headToken] = await Promise.all(
        [employee, manager, head].map((u) => devToken(u.id)),
      );
      await refused('/api/me', 401);
      const unknown = await refused('/api/me', 403, await sign(UNKNOWN));
      assert.match(unknown.message, /contact People Services if this continues/);
      const notForEmployees = await refused('/api/org', 403, employeeToken);
      assert.match(notForEmployees.message, /heads of service and People Services/);
      await refused('/api/team', 403, employeeToken);
      await refused(`/api/org?node=${nhsOrg.chiefExecutiveId}`, 403, headToken);
      await refused('/api/team?quarter=banana', 400, managerToken);
      await refused('/api/org/list?kind=everyone', 400, headToken);
      await refused('/api/nothing-here', 404, managerToken);
      // Nobody is the Chief Executive's line manager: a manager may not schedule them.
      await refused(`/api/team/${nhsOrg.chiefExecutiveId}/schedule`, 403, managerToken, { method: 'POST' });
      await refused('/api/dev/token', 400, undefined, { method: 'POST', body: '{}' });
      for (const body of errors) assert.doesNotMatch(body.message, /\bOD\b/, body.message);
    });

    it('names a custom policy\u2019s own conversation type in the NHS figure', () => {
      const counted = CAREER_CONVERSATIONS.compliance.countedTypes[0];
      const custom = policySchema.parse({
        ...CAREER_CONVERSATIONS,
        name: 'Annual Reviews',
        conversationTypes: CAREER_CONVERSATIONS.conversationTypes.map((t) =>
          t.id === counted ? { ...t, label: 'Annual review' } : t,
        ),
      });
      const caller = { id: manager.id, employee: manager } as Caller;
      const team = teamResponse(
        { clock: fixedClock(TODAY), teamFigures: new TeamFigures(custom), policy: custom },
        caller,
        [],
        undefined,
      );
      assert.deepEqual(team.figure, {
        id: 'compliant-at-quarter-end',
        label: 'Compliant at quarter end (annual review in the last 12 months)',
        short: 'Compliant at quarter end',
      });
    });
  });
});
