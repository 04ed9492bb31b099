/**
 * The tab API's access policy (DESIGN.md §6) as one table: every route of bot/api/router.ts and
 * bot/api/org-routes.ts, asked by every kind of caller, over real HTTP against the service as
 * deployed (Entra-style tokens checked against a local JWKS, Azurite on loopback). Each cell is the
 * exact status; each 200 is checked to hold only what that caller may see, and conversation
 * records whose note text carries a marker show that note text reaches nobody but the person
 * the record is about, in their own My conversations — not an answer, an export, an error or a log line.
 */
import { strict as assert } from 'node:assert';
import { parse } from 'csv-parse/sync';
import type express from 'express';
import { CALLER_TTL_MS } from '../bot/api/caller';
import { type ApiDeps } from '../bot/api/deps';
import { createApiRouter } from '../bot/api/router';
import { botChatUrl } from '../bot/api/team-actions';
import { type RunningApp, startApp } from '../bot/app';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { type DemoOrg, generateDemoOrg } from '../bot/dev/demo-org';
import { freePort, storagePorts } from '../bot/dev/ports';
import { demoRecords } from '../bot/dev/seed';
import { configureLogging, createLogger } from '../bot/log';
import { employeesCsv, importHistory, importHr } from '../bot/records/imports';
import { Records } from '../bot/records/records';
import { type Tables, openTables } from '../bot/storage/tables';
import { type Employee, type EmployeeId } from '../core/model';
import { type Clock } from '../core/ports';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type Policy } from '../core/policy/schema';
import { type ConversationRecord } from '../core/records';
import {
  type MeResponse,
  type MyConversationsResponse,
  type OrgListResponse,
  type OrgResponse,
  type PayStepResponse,
  type TeamResponse,
} from '../core/tab-api';
import { type EntraKeyServer, startEntraKeyServer } from './support/entra-tokens';

/**
 * Who asks (one column each), and whom a route's `:id` (a person, or an organisation node) is about:
 *
 * - anon    no Authorization header                               :id as for mgr
 * - bad     a malformed bearer token                              :id as for mgr
 * - nobody  a valid token for someone not in the directory        :id as for mgr
 * - emp     an employee with no reports                           :id themselves
 * - mgr     a line manager of front-line staff                    :id their direct report
 * - mgr-x   the same manager                                      :id another manager's report
 * - head    a head of service                                     :id a manager reporting to them
 * - head-x  the same head of service                              :id a manager outside their subtree
 * - od      an OD member (OD_MEMBERS) with no reports             :id a line manager
 * - left    a manager who left before today, never seen by the service; the directory still lists
 *           reports under them                                    :id one of those
 * - today   a manager whose leave date is today (still in post)   :id their report
 * - past    the same manager the next day: refused at once, though the caller cache still holds them
 * - <1min   a manager an HR import marks as left just after they called: the caller cache keeps their
 *           row for CALLER_TTL_MS (bot/api/caller.ts), so for that minute they still see what a
 *           manager sees, as the README says                      :id their report
 * - 1min    the same manager CALLER_TTL_MS later: refused
 *
 * `GET /api/team/:id/pay-step` is asked of a service under the Career Conversations (NHS) preset,
 * with the same people, and of the council's, whose policy has no pay steps (404 once signed in).
 * Authentication comes first: a caller who is refused (anon, bad, nobody, left, past, 1min) gets
 * 401 or 403 on every route, even one that does not exist; only `/api/dev/*`, which production
 * does not have, is 404 to everyone.
 *
 * Where DESIGN.md §6 is not explicit the table follows it: OD sees organisation status, not a
 * team (My team is for line managers: an OD member without reports gets 403) nor a colleague's
 * pay-step checks; a head of service may see their own node and the nodes below it only, and a
 * node outside is 403 whether or not it exists (no probing the directory).
 */
const MATRIX = `
  route                                              | anon | bad | nobody | emp | mgr | mgr-x | head | head-x | od  | left | today | past | <1min | 1min
  GET  /api/me                                       | 401  | 401 | 403    | 200 | 200 | 200   | 200  | 200    | 200 | 403  | 200   | 403  | 200   | 403
  GET  /api/team                                     | 401  | 401 | 403    | 403 | 200 | 200   | 200  | 200    | 403 | 403  | 200   | 403  | 200   | 403
  GET  /api/team.csv                                 | 401  | 401 | 403    | 403 | 200 | 200   | 200  | 200    | 403 | 403  | 200   | 403  | 200   | 403
  POST /api/team/:id/schedule                        | 401  | 401 | 403    | 403 | 200 | 403   | 200  | 403    | 403 | 403  | 200   | 403  | 200   | 403
  POST /api/team/:id/log                             | 401  | 401 | 403    | 403 | 200 | 403   | 200  | 403    | 403 | 403  | 200   | 403  | 200   | 403
  GET  /api/team/:id/pay-step                        | 401  | 401 | 403    | 404 | 404 | 404   | 404  | 404    | 404 | 403  | 404   | 403  | 404   | 403
  GET  /api/team/:id/pay-step (NHS)                  | 401  | 401 | 403    | 403 | 200 | 403   | 200  | 403    | 403 | 403  | 200   | 403  | 200   | 403
  GET  /api/conversations                            | 401  | 401 | 403    | 200 | 200 | 200   | 200  | 200    | 200 | 403  | 200   | 403  | 200   | 403
  GET  /api/org                                      | 401  | 401 | 403    | 403 | 403 | 403   | 200  | 200    | 200 | 403  | 403   | 403  | 403   | 403
  GET  /api/org?node=:id                             | 401  | 401 | 403    | 403 | 403 | 403   | 200  | 403    | 200 | 403  | 403   | 403  | 403   | 403
  GET  /api/org.csv                                  | 401  | 401 | 403    | 403 | 403 | 403   | 200  | 200    | 200 | 403  | 403   | 403  | 403   | 403
  GET  /api/org.csv?node=:id                         | 401  | 401 | 403    | 403 | 403 | 403   | 200  | 403    | 200 | 403  | 403   | 403  | 403   | 403
  GET  /api/org/list?kind=overdue                    | 401  | 401 | 403    | 403 | 403 | 403   | 200  | 200    | 200 | 403  | 403   | 403  | 403   | 403
  GET  /api/org/list?kind=overdue&node=:id           | 401  | 401 | 403    | 403 | 403 | 403   | 200  | 403    | 200 | 403  | 403   | 403  | 403   | 403
  GET  /api/org/list.csv?kind=none-12m               | 401  | 401 | 403    | 403 | 403 | 403   | 200  | 200    | 200 | 403  | 403   | 403  | 403   | 403
  GET  /api/org/list.csv?kind=none-12m&node=:id      | 401  | 401 | 403    | 403 | 403 | 403   | 200  | 403    | 200 | 403  | 403   | 403  | 403   | 403
  GET  /api/dev/users                                | 404  | 404 | 404    | 404 | 404 | 404   | 404  | 404    | 404 | 404  | 404   | 404  | 404   | 404
  POST /api/dev/token                                | 404  | 404 | 404    | 404 | 404 | 404   | 404  | 404    | 404 | 404  | 404   | 404  | 404   | 404
  GET  /api/no-such-route                            | 401  | 401 | 403    | 404 | 404 | 404   | 404  | 404    | 404 | 403  | 404   | 403  | 404   | 403
`;

const TODAY = '2026-11-23';
const TOMORROW = '2026-11-24';
const TENANT = '11111111-2222-4333-8444-555555555555';
const AUDIENCE = 'api://tab.council.example/7a7a7a7a-1111-4222-8333-444455556666';
const BOT_APP_ID = '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const UNKNOWN = '0badc0de-0000-4000-8000-000000000000';
/** Written into every seeded record's note text as `<MARKER><employee id>`. */
const MARKER = 'confidential-note-';
const MARKED = new RegExp(`${MARKER}([0-9a-f-]{36})`, 'g');

/** The same people under both presets (the generator draws nothing from the conversation type). */
const councilOrg = generateDemoOrg({ asOf: TODAY, people: 100 });
const nhsOrg = generateDemoOrg({ asOf: TODAY, people: 100, conversationType: 'career-conversation' });
const people = councilOrg.employees;
const byId = new Map(people.map((e) => [e.id, e]));
const inPost = (e: Employee) => e.leaveDate === undefined || e.leaveDate >= TODAY;
const reportsOf = (id: EmployeeId) => people.filter((e) => e.managerId === id && inPost(e));
const isManager = (id: EmployeeId) => reportsOf(id).length > 0;
const odTeam = new Set(councilOrg.odTeamIds);
/** Everyone above a person, nearest first. */
const ancestorsOf = (id: EmployeeId): EmployeeId[] => {
  const up: EmployeeId[] = [];
  for (let m = byId.get(id)?.managerId; m !== undefined; m = byId.get(m)?.managerId) up.push(m);
  return up;
};
/** A node and everyone below it. */
const subtreeOf = (id: EmployeeId) =>
  new Set([id, ...people.filter((e) => ancestorsOf(e.id).includes(id)).map((e) => e.id)]);

const ordinary = (e: Employee) => inPost(e) && !odTeam.has(e.id) && e.id !== councilOrg.chiefExecutiveId;
/** Managers of front-line staff only, outside OD. */
const plainManagers = councilOrg.teamManagerIds
  .map((id) => byId.get(id)!)
  .filter((e) => ordinary(e) && isManager(e.id) && !reportsOf(e.id).some((r) => isManager(r.id)));
const head = people.find(
  (e) =>
    ordinary(e) &&
    reportsOf(e.id).some((r) => isManager(r.id)) &&
    byId.get(e.managerId!)?.managerId !== undefined,
)!;
const headReport = reportsOf(head.id).find((r) => isManager(r.id))!;
const [manager, otherManager, leavesByImport, leavesToday] = [
  ...plainManagers.filter((m) => !subtreeOf(head.id).has(m.id)),
  ...plainManagers.filter((m) => subtreeOf(head.id).has(m.id)),
];
const employee = reportsOf(manager!.id).find((r) => !odTeam.has(r.id))!;
const otherReport = reportsOf(otherManager!.id)[0]!;
const odMember = people.find((e) => odTeam.has(e.id) && inPost(e) && !isManager(e.id))!;
const leaver = people.find((e) => !inPost(e) && isManager(e.id)) ?? people.find((e) => !inPost(e))!;

/** A service under one preset: its people (leave dates as imported) and its records. */
interface Deployment {
  readonly org: DemoOrg;
  readonly policy: Policy;
  readonly prefix: string;
  app?: RunningApp;
  tables?: Tables;
  records?: Records;
}

describe('tab API access matrix (DESIGN.md §6): every route × every caller, over HTTP', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite | undefined;
  let keys: EntraKeyServer | undefined;
  const logs: string[] = [];
  /** The service's date: moved a day on for the `past` column. */
  let today = TODAY;
  const clock: Clock = { now: () => new Date(`${today}T12:00:00Z`), today: () => today };
  /**
   * The caller cache reads `Date.now` (the service takes no clock for it), so the minute after an
   * import is passed by moving `Date.now` on, as test/caller.test.ts moves the cache's own clock.
   */
  const systemNow = Date.now.bind(Date);
  let ahead = 0;
  const council: Deployment = { org: councilOrg, policy: PROFESSIONAL_CONVERSATION, prefix: 'council' };
  const nhs: Deployment = { org: nhsOrg, policy: CAREER_CONVERSATIONS, prefix: 'nhs' };
  /** The people as last imported into both services. */
  let directory: Employee[] = people.map((e) => (e.id === leavesToday!.id ? { ...e, leaveDate: TODAY } : e));

  const importDirectory = async () => {
    for (const d of [council, nhs]) {
      const result = await importHr(d.records!, d.tables!, employeesCsv(directory));
      assert.deepEqual(result.rejected, [], `${d.prefix} import`);
    }
  };

  /** Each person's history plus one record whose every note field names them with the marker. */
  const history = (d: Deployment): ConversationRecord[] => {
    const type = d.policy.conversationTypes.find((t) => t.id === d.policy.compliance.countedTypes[0])!;
    const note = (id: EmployeeId) => `${MARKER}${id}`;
    const marked = people
      .filter((e) => e.managerId !== undefined)
      .map((e): ConversationRecord => ({
        id: `marked-${e.id}`,
        employeeId: e.id,
        type: type.id,
        // Older than the eight quarters any answer counts, so the figures stay the demo's.
        date: '2024-06-03',
        managerId: e.managerId!,
        status: 'completed',
        positionNumber: e.positionNumber,
        durationMinutes: 30,
        areas: Object.fromEntries(type.areas.map((a) => [a.id, { notes: note(e.id), outcomes: note(e.id) }])),
        prep: {
          areas: Object.fromEntries(type.areas.map((a) => [a.id, note(e.id)])),
          shared: true,
          adjustments: note(e.id),
          updatedAt: '2024-06-01T09:00:00.000Z',
        },
        employeeComments: note(e.id),
        actions: [],
        createdBy: e.managerId!,
        createdAt: '2024-06-03T12:00:00.000Z',
        updatedAt: '2024-06-03T12:00:00.000Z',
      }));
    return [...demoRecords(d.org), ...marked];
  };

  /** The service as deployed: production, Entra tokens only (no development sign-in). */
  const configOf = (d: Deployment, port: number) =>
    readConfig({
      HOST: '127.0.0.1',
      PORT: String(port),
      STORAGE_CONNECTION_STRING: azurite!.connectionString,
      MICROSOFT_APP_ID: BOT_APP_ID,
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      MICROSOFT_APP_TENANT_ID: TENANT,
      OD_MEMBERS: councilOrg.odTeamIds.join(','),
      ...(d === nhs ? { POLICY: 'career-conversations' } : {}),
      ...keys!.env,
    });

  before(async () => {
    for (const [what, found] of Object.entries({
      manager,
      otherManager,
      leavesByImport,
      leavesToday,
      head,
      headReport,
      employee,
      otherReport,
      odMember,
      leaver,
    }))
      assert.ok(found, `the demo organisation has a ${what}`);
    assert.deepEqual(nhsOrg.employees, people, 'the same people under both presets');
    configureLogging('debug', (line) => logs.push(line));
    Date.now = () => systemNow() + ahead;
    azurite = await startAzurite({ ports: await storagePorts() });
    keys = await startEntraKeyServer(TENANT, AUDIENCE);
    const connectionString = azurite.connectionString;
    await Promise.all(
      [council, nhs].map(async (d) => {
        const tables = await openTables({ kind: 'connectionString', connectionString }, d.prefix);
        d.tables = tables;
        d.records = new Records(tables, d.policy, clock, createLogger('test.seed'));
        const hr = await importHr(d.records, tables, employeesCsv(directory));
        assert.deepEqual(hr.rejected, []);
        await importHistory(d.records, tables, history(d));
        d.app = await startApp({
          config: configOf(d, await freePort()),
          tables,
          policy: d.policy,
          clock,
          tabDir: '/nonexistent',
          storagePrefix: d.prefix,
        });
      }),
    );
  });

  after(async () => {
    await Promise.all([council.app?.stop(), nhs.app?.stop(), keys?.close()]);
    await azurite?.stop();
    Date.now = systemNow;
    configureLogging('error', (line) => process.stderr.write(line + '\n'));
  });

  /** One caller: how they sign in, whom `:id` is about, and what happens before they ask. */
  interface Column {
    readonly caller?: EmployeeId;
    readonly authorization: () => Promise<string | undefined>;
    readonly target: EmployeeId;
    readonly setUp?: () => Promise<void>;
    readonly tearDown?: () => void;
  }
  const as = (id: EmployeeId, target: EmployeeId, more: Partial<Column> = {}): Column => ({
    caller: id,
    authorization: async () => `Bearer ${await keys!.token(id)}`,
    target,
    ...more,
  });
  const firstReport = (m: Employee) => reportsOf(m.id)[0]!.id;
  const COLUMNS: Readonly<Record<string, Column>> = {
    anon: { authorization: () => Promise.resolve(undefined), target: employee.id },
    bad: { authorization: () => Promise.resolve('Bearer not-a-token'), target: employee.id },
    nobody: { authorization: async () => `Bearer ${await keys!.token(UNKNOWN)}`, target: employee.id },
    emp: as(employee.id, employee.id),
    mgr: as(manager!.id, employee.id),
    'mgr-x': as(manager!.id, otherReport.id),
    head: as(head.id, headReport.id),
    'head-x': as(head.id, otherManager!.id),
    od: as(odMember.id, manager!.id),
    left: as(leaver.id, reportsOf(leaver.id)[0]?.id ?? employee.id),
    today: as(leavesToday!.id, firstReport(leavesToday!)),
    past: as(leavesToday!.id, firstReport(leavesToday!), {
      setUp: () => {
        today = TOMORROW;
        return Promise.resolve();
      },
      tearDown: () => {
        today = TODAY;
      },
    }),
    '<1min': as(leavesByImport!.id, firstReport(leavesByImport!), {
      setUp: async () => {
        // They call (and are kept), then the import marks them as left.
        for (const d of [council, nhs]) {
          const response = await request(
            d,
            'GET',
            '/api/me',
            `Bearer ${await keys!.token(leavesByImport!.id)}`,
          );
          assert.equal(response.status, 200);
          await response.arrayBuffer();
        }
        directory = directory.map((e) =>
          e.id === leavesByImport!.id ? { ...e, leaveDate: '2026-11-20' } : e,
        );
        await importDirectory();
      },
    }),
    '1min': as(leavesByImport!.id, firstReport(leavesByImport!), {
      setUp: () => {
        ahead += CALLER_TTL_MS;
        return Promise.resolve();
      },
    }),
  };

  const request = (d: Deployment, method: string, path: string, authorization?: string) =>
    fetch(`${d.app!.service.url}${path}`, {
      method,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });

  /** The table as rows: route label → column → status. */
  const matrix = (() => {
    const [header, ...lines] = MATRIX.trim()
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()));
    return {
      columns: header!.slice(1),
      rows: lines.map(([route, ...cells]) => ({
        route: route!,
        cells: Object.fromEntries(header!.slice(1).map((c, i) => [c, Number(cells[i])])),
      })),
    };
  })();

  /** A row's request: method, path with `:id` filled in, and which service answers. */
  const requestOf = (route: string, target: EmployeeId) => {
    const [, method, path, preset] = /^(GET|POST)\s+(\S+)(?:\s+\((NHS)\))?$/.exec(route) ?? [];
    assert.ok(method && path, `a route is "METHOD /path", optionally "(NHS)": ${route}`);
    return { method, path: path.replace(':id', target), deployment: preset === 'NHS' ? nhs : council };
  };

  /** What a 200 may hold for this caller; the problems found. */
  const contentProblems = async (
    route: string,
    column: Column,
    d: Deployment,
    body: string,
  ): Promise<string[]> => {
    const caller = column.caller!;
    const { path } = requestOf(route, column.target);
    const [pathname = '', query = ''] = path.split('?');
    const node = new URLSearchParams(query).get('node') ?? undefined;
    const problems: string[] = [];
    const expect = (ok: boolean, what: string) => {
      if (!ok) problems.push(`${route}: ${what}`);
    };
    const sorted = (ids: Iterable<string>) => [...ids].sort().join(',');
    const reports = sorted(reportsOf(caller).map((e) => e.id));
    const csvColumn = () => parse<Record<string, string>>(body, { bom: true, columns: true });
    const od = odTeam.has(caller);
    const mayView = (id: EmployeeId) => od || id === caller || ancestorsOf(id).includes(caller);
    const shownNode = node ?? (od ? councilOrg.chiefExecutiveId : caller);
    const below = subtreeOf(shownNode);

    // Note text: only the person a record is about, in their own My conversations.
    const marked = new Set([...body.matchAll(MARKED)].map((m) => m[1]!));
    const own = pathname === '/api/conversations';
    const others = [...marked].filter((id) => !own || id !== caller);
    expect(others.length === 0, `note text about ${sorted(others)}`);
    expect(!own || marked.has(caller), 'their own note text is missing (the marker would go unseen)');

    switch (pathname) {
      case '/api/me':
        expect((JSON.parse(body) as MeResponse).id === caller, 'someone else');
        break;
      case '/api/team': {
        const team = JSON.parse(body) as TeamResponse;
        expect(team.manager.id === caller, 'another manager’s team');
        expect(sorted(team.members.map((m) => m.employeeId)) === reports, 'not exactly their direct reports');
        break;
      }
      case '/api/team.csv':
        expect(
          sorted(csvColumn().map((r) => r['Employee id']!)) === reports,
          'not exactly their direct reports',
        );
        break;
      case '/api/conversations': {
        const mine = JSON.parse(body) as MyConversationsResponse;
        const stored = await d.records!.conversations.listForEmployee(caller);
        expect(
          sorted(mine.conversations.map((c) => c.id)) === sorted(stored.map((r) => r.value.id)),
          'not exactly their own records',
        );
        break;
      }
      case '/api/org': {
        const view = JSON.parse(body) as OrgResponse;
        expect(view.node.id === shownNode && mayView(shownNode), `node ${view.node.id}`);
        expect(
          view.children.every((c) => below.has(c.id) && c.id !== shownNode),
          'a child outside the node',
        );
        expect(
          view.heatmap.every((h) => below.has(h.id)),
          'a heat-map row outside the node',
        );
        expect(
          view.path.every((p) => mayView(p.id)) && view.path.at(-1)?.id === shownNode,
          'a breadcrumb above the caller',
        );
        expect(od === (view.outbox !== undefined), 'outbox faults are for OD only');
        break;
      }
      case '/api/org.csv':
        expect(
          csvColumn().every((r) => below.has(r.id!) && mayView(r.id!)),
          'a row outside the node',
        );
        break;
      case '/api/org/list': {
        const list = JSON.parse(body) as OrgListResponse;
        expect(
          list.rows.every((r) => below.has(r.employeeId) && mayView(r.employeeId)),
          'a person outside the node',
        );
        break;
      }
      case '/api/org/list.csv':
        expect(
          csvColumn().every((r) => below.has(r.employee_id!) && mayView(r.employee_id!)),
          'a person outside the node',
        );
        break;
      default: {
        const [, target, action] = /^\/api\/team\/([^/]+)\/(schedule|log|pay-step)$/.exec(pathname) ?? [];
        expect(
          target !== undefined && reportsOf(caller).some((r) => r.id === target),
          `${target} is not their report`,
        );
        if (action === 'pay-step')
          expect((JSON.parse(body) as PayStepResponse).employeeId === target, 'someone else');
        else
          expect(
            body === JSON.stringify({ sent: false, chatUrl: botChatUrl(BOT_APP_ID) }),
            body.slice(0, 200),
          );
      }
    }
    return problems;
  };

  it('has a row for every route the tab API has', () => {
    const config = configOf(council, 3978);
    // Only built, never asked: routes read their dependencies per request.
    const deps = {
      log: createLogger('test.routes'),
      policy: PROFESSIONAL_CONVERSATION,
    } as unknown as ApiDeps;
    const router = createApiRouter({
      deps,
      tabApi: config.tabApi,
      recordCards: () => () => Promise.reject(new Error('unused')),
    });
    interface Layer {
      readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
      readonly handle: { readonly stack?: readonly Layer[] };
    }
    const routesOf = (stack: readonly Layer[]): string[] =>
      stack.flatMap((layer) =>
        layer.route
          ? Object.keys(layer.route.methods).map(
              (m) => `${m.toUpperCase()} /api${layer.route!.path.replace(/:\w+/g, ':id')}`,
            )
          : routesOf(layer.handle.stack ?? []),
      );
    const inTable = new Set(
      matrix.rows.map((r) => r.route.replace(/\?.*| \(NHS\)$/, '').replace(/\s+/, ' ')),
    );
    const served = routesOf((router as unknown as express.Router & { stack: Layer[] }).stack);
    assert.deepEqual(
      served.filter((r) => !inTable.has(r)),
      [],
      'routes without a row',
    );
    // Rows for paths production does not serve, asked to show they are refused like any other.
    assert.deepEqual(
      [...inTable].filter((r) => !served.includes(r)),
      ['GET /api/dev/users', 'POST /api/dev/token', 'GET /api/no-such-route'],
    );
    assert.deepEqual(Object.keys(COLUMNS), matrix.columns, 'the table’s columns are the callers, in order');
    for (const { route, cells } of matrix.rows)
      for (const [column, status] of Object.entries(cells))
        assert.ok([200, 401, 403, 404].includes(status), `${route} × ${column}: ${status}`);
  });

  for (const name of matrix.columns) {
    it(`answers ${name} as the table says, and shows them only what they may see`, async () => {
      const column = COLUMNS[name]!;
      await column.setUp?.();
      try {
        const authorization = await column.authorization();
        const expected: Record<string, number> = {};
        const actual: Record<string, number> = {};
        const problems: string[] = [];
        for (const { route, cells } of matrix.rows) {
          const { method, path, deployment } = requestOf(route, column.target);
          const response = await request(deployment, method, path, authorization);
          const body = await response.text();
          expected[route] = cells[name]!;
          actual[route] = response.status;
          assert.equal(response.headers.get('cache-control'), 'no-store', `${route} is never cached`);
          if (response.status === 200)
            problems.push(...(await contentProblems(route, column, deployment, body)));
          else if (body.includes(MARKER)) problems.push(`${route}: note text in a ${response.status}`);
        }
        assert.deepEqual(actual, expected, `${name}: statuses`);
        assert.deepEqual(problems, [], `${name}: what the answers hold`);
      } finally {
        column.tearDown?.();
      }
    });
  }

  it('never logs note text, and no request failed', () => {
    assert.deepEqual(
      logs.filter((l) => l.includes(MARKER)),
      [],
    );
    assert.deepEqual(
      logs.filter((l) => /request failed/.test(l)),
      [],
    );
  });
});
