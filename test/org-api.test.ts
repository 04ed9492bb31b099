/**
 * The tab's Organisation API over real HTTP against Azurite in memory: the demo organisation seeded
 * through the import path, `orgRoutes` mounted in a small Express app whose stand-in auth layer
 * sets the caller (the real auth layer has its own tests). Figures must equal the policy engine's
 * fresh evaluation, access must follow DESIGN.md §6, the lists must equal the status rows, the
 * exceptions index must stay current on every write and equal a rebuild, and no note text leaves.
 */
import { cachedFaultCounts } from '../bot/outbox/faults';
import { strict as assert } from 'node:assert';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type TableStore } from '../bot/storage/sharded-table';
import { parse } from 'csv-parse/sync';
import express from 'express';
import { type Caller, CallerCache } from '../bot/api/caller';
import { TeamFigures } from '../bot/api/team';
import { type ApiDeps } from '../bot/api/deps';
import { orgList } from '../bot/api/org-lists';
import { orgRoutes } from '../bot/api/org-routes';
import { fixedClock } from '../bot/clock';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { type DemoOrg, generateDemoOrg } from '../bot/dev/demo-org';
import { freePort } from '../bot/dev/ports';
import { seedDemoOrg } from '../bot/dev/seed';
import { configureLogging, createLogger } from '../bot/log';
import { Records } from '../bot/records/records';
import { rebuildRollups, runRefresh } from '../bot/records/refresh';
import { type Tables, openTables } from '../bot/storage/tables';
import { evaluateOrganisation } from '../core/compliance/organisation';
import { quarterAsOf, rollupQuarters, toRollupFigures } from '../core/compliance/status-facts';
import { type Employee, type EmployeeId } from '../core/model';
import { type Clock, type TeamRow } from '../core/ports';
import { type RollUpNode, groupFigures, rollUp } from '../core/org/rollup';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type ConversationRecord } from '../core/records';
import {
  type ApiError,
  type CallerRoles,
  type OrgListKind,
  type OrgListResponse,
  type OrgNode,
  type OrgResponse,
} from '../core/tab-api';

const TODAY = '2026-11-23';
const policy = PROFESSIONAL_CONVERSATION;
const SECRET = 'Confidential: spoke about a family bereavement';

/** A stored setup: tables, records and the API on a free loopback port. */
interface Setup {
  readonly tables: Tables;
  readonly records: Records;
  readonly base: string;
  readonly server: Server;
  /** Who the stand-in auth layer says is calling. */
  as(caller: Caller): void;
}

async function setUp(azurite: RunningAzurite, org: DemoOrg, prefix: string, clock: Clock): Promise<Setup> {
  const tables = await openTables(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    prefix,
  );
  const records = new Records(tables, policy, clock, createLogger('test.records'));
  await seedDemoOrg(records, tables, org);
  const deps: ApiDeps = {
    records,
    policy,
    clock,
    notifier: {
      notify: () => Promise.reject(new Error('the organisation routes send nothing')),
      enqueue: () => undefined,
      drain: () => Promise.resolve(),
      send: () => Promise.reject(new Error('the organisation routes send nothing')),
      sendToReference: () => Promise.reject(new Error('the organisation routes send nothing')),
      teamsUserId: () => Promise.resolve(undefined),
    },
    outbox: { post: () => Promise.reject(new Error('the organisation routes send nothing')) },
    outboxFaults: cachedFaultCounts(tables, 0),
    odMembers: new Set(org.odTeamIds),
    callers: new CallerCache(),
    teamFigures: new TeamFigures(policy),
    log: createLogger('test.api'),
    botAppId: '',
  };
  let caller: Caller | undefined;
  const app = express();
  app.use((_req, res, next) => {
    res.locals.caller = caller;
    next();
  });
  app.use('/api', orgRoutes(deps));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { tables, records, server, base: `http://127.0.0.1:${port}`, as: (c) => (caller = c) };
}

function callerOf(org: DemoOrg, id: EmployeeId, roles: Partial<CallerRoles>): Caller {
  const employee = org.employees.find((e) => e.id === id);
  assert.ok(employee, `no demo person ${id}`);
  return { id, employee, roles: { manager: true, headOfService: false, od: false, ...roles } };
}

async function get(setup: Setup, path: string): Promise<{ status: number; body: unknown; res: Response }> {
  const res = await fetch(`${setup.base}${path}`);
  assert.equal(res.headers.get('cache-control'), 'no-store', `${path} is not cached`);
  const text = await res.text();
  const body: unknown = res.headers.get('content-type')?.startsWith('application/json')
    ? JSON.parse(text)
    : text;
  return { status: res.status, body, res };
}

async function getJson<T>(setup: Setup, path: string, status = 200): Promise<T> {
  const answer = await get(setup, path);
  assert.equal(answer.status, status, `${path}: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

/** The organisation as the policy engine sees it from the stored people and records, per quarter. */
async function freshFigures(records: Records, today: string) {
  const people: Employee[] = [];
  for await (const e of records.directory.listAll()) people.push(e);
  const conversations = (await Promise.all(people.map((p) => records.conversations.listForEmployee(p.id))))
    .flat()
    .map((v) => v.value);
  return rollupQuarters(today).map((q) => {
    const org = evaluateOrganisation(policy, people, conversations, quarterAsOf(q, today), {
      actions: false,
    });
    const nodes = new Map<EmployeeId, RollUpNode>();
    const visit = (n: RollUpNode) => {
      nodes.set(n.employeeId, n);
      n.children.forEach(visit);
    };
    rollUp(org, { quarter: q }).forEach(visit);
    return { q, org, nodes };
  });
}

/** What an OrgNode's figures must be, from the engine's figures for the subtree. */
function expectedFigures(g: ReturnType<typeof groupFigures>) {
  const f = toRollupFigures(g);
  const rate = (n: number, d: number) => (d === 0 ? null : n / d);
  return {
    headcount: f.headcount - f.left,
    quarterly: { numerator: f.qCompleted, denominator: f.qEligible, rate: rate(f.qCompleted, f.qEligible) },
    rolling: { numerator: f.rCompliant, denominator: f.rEligible, rate: rate(f.rCompliant, f.rEligible) },
    overdue: f.overdue,
    dueSoon: f.dueSoon,
  };
}

function figuresOf(n: OrgNode) {
  return {
    headcount: n.headcount,
    quarterly: n.quarterly,
    rolling: n.rolling,
    overdue: n.overdue,
    dueSoon: n.dueSoon,
  };
}

/** Every status row (a full scan: the test's oracle, never a request path). */
async function statusRows(records: Records): Promise<TeamRow[]> {
  const rows: TeamRow[] = [];
  for await (const row of records.team.all()) rows.push(row);
  return rows;
}

/** The ids a list must hold below a node, computed from the status rows. */
function expectedList(
  rows: readonly TeamRow[],
  kind: OrgListKind,
  nodeId: EmployeeId,
  department = '',
): string[] {
  return rows
    .filter((r) => r.employee.id === nodeId || r.path.includes(nodeId))
    .filter((r) => r.employee.department.toLowerCase().includes(department.toLowerCase()))
    .filter((r) => {
      const e = r.evaluation;
      if (e === undefined) return false;
      if (kind === 'overdue') return e.status === 'overdue';
      return ['overdue', 'due-soon', 'on-track'].includes(e.status) && e.held12m === 0;
    })
    .map((r) => r.employee.id)
    .sort();
}

/** Every row of a table, keys and properties, with the SDK's metadata left out. */
async function dump(table: TableStore): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const e of table.listEntities<Record<string, unknown>>()) {
    const { etag: _etag, timestamp: _timestamp, ...rest } = e as Record<string, unknown>;
    rows.push(rest);
  }
  return rows.sort((a, b) =>
    `${String(a.partitionKey)}/${String(a.rowKey)}` < `${String(b.partitionKey)}/${String(b.rowKey)}`
      ? -1
      : 1,
  );
}

function record(
  employee: Employee,
  id: string,
  date: string,
  fields: Partial<ConversationRecord> = {},
): ConversationRecord {
  return {
    id,
    employeeId: employee.id,
    type: 'professional-conversation',
    date,
    managerId: employee.managerId ?? '',
    status: 'completed',
    positionNumber: employee.positionNumber,
    durationMinutes: 30,
    areas: { wellbeing: { notes: SECRET, outcomes: `${SECRET} (outcome)` } },
    actions: [
      { id: `${id}-a1`, text: `${SECRET} (action)`, owner: 'employee', dueDate: '2027-01-31', done: false },
    ],
    employeeComments: `${SECRET} (comment)`,
    createdBy: employee.managerId ?? employee.id,
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
    ...fields,
  };
}

describe('organisation API (Azurite in memory, real HTTP)', function () {
  this.timeout(180_000);
  let azurite: RunningAzurite;
  let org: DemoOrg;
  let setup: Setup;
  let od: Caller;
  let directorate: {
    name: string;
    headId: EmployeeId;
    services: readonly { name: string; headId: EmployeeId }[];
  };
  let head: Caller;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: { table: await freePort() } });
    org = generateDemoOrg({ asOf: TODAY, people: 300 });
    setup = await setUp(azurite, org, 'org', fixedClock(TODAY));
    od = callerOf(org, org.odTeamIds[0]!, { od: true, manager: false });
    directorate = org.directorates[0]!;
    head = callerOf(org, directorate.services[0]!.headId, { headOfService: true });
  });
  after(async () => {
    await new Promise((resolve) => setup?.server.close(resolve));
    await azurite?.stop();
  });

  it('shows OD, and only OD, what reminders could not reach', async () => {
    await setup.tables.outboxFaults.upsertEntity({
      partitionKey: 'unreachable|b01',
      rowKey: org.employees[5]!.id,
      reason: 'not-in-roster',
      at: '2026-11-23T09:00:00.000Z',
    });
    await setup.tables.outboxFaults.upsertEntity({
      partitionKey: 'dead|2026-11',
      rowKey: 'someone|reminder|2026-11-23|',
      reason: 'failed 400',
      at: '2026-11-23T09:01:00.000Z',
    });
    setup.as(od);
    assert.deepEqual((await getJson<OrgResponse>(setup, '/api/org')).outbox, {
      notReachable: 1,
      deadLettered: 1,
    });
    setup.as(head);
    assert.equal((await getJson<OrgResponse>(setup, '/api/org')).outbox, undefined);
    await setup.tables.outboxFaults.deleteEntity('unreachable|b01', org.employees[5]!.id);
    await setup.tables.outboxFaults.deleteEntity('dead|2026-11', 'someone|reminder|2026-11-23|');
  });

  it('shows OD the organisation from the top: figures, children, heat map and trend equal the engine', async () => {
    setup.as(od);
    const view = await getJson<OrgResponse>(setup, '/api/org');
    const fresh = await freshFigures(setup.records, TODAY);
    const current = fresh.at(-1)!;
    assert.equal(view.node.id, org.chiefExecutiveId);
    assert.deepEqual(
      view.path.map((p) => p.id),
      [org.chiefExecutiveId],
    );
    assert.deepEqual(
      view.quarters,
      fresh.map((f) => f.q.label),
    );
    assert.equal(view.quarter, current.q.label);
    const ceo = current.nodes.get(org.chiefExecutiveId)!;
    assert.deepEqual(figuresOf(view.node), expectedFigures(ceo.figures));
    assert.equal(
      view.node.headcount,
      org.employees.filter((e) => !e.leaveDate || e.leaveDate >= TODAY).length,
    );
    assert.deepEqual(
      view.children.map((c) => c.id).sort(),
      org.directorates.map((d) => d.headId).sort(),
      'at the top the children are the directorates',
    );
    for (const child of view.children) {
      assert.deepEqual(figuresOf(child), expectedFigures(current.nodes.get(child.id)!.figures), child.name);
      assert.equal(child.hasChildren, true);
      assert.equal(child.name, org.employees.find((e) => e.id === child.id)!.name);
    }
    // Quarters before the first conversation held anywhere are no data, not 0 % (issue 18).
    const first = fresh.findIndex(
      ({ nodes }) => expectedFigures(nodes.get(org.chiefExecutiveId)!.figures).quarterly.numerator > 0,
    );
    assert.ok(first > 0, 'the demo history starts inside the eight quarters');
    const none = { numerator: 0, denominator: 0, rate: null };
    assert.deepEqual(
      view.trend,
      fresh.map(({ q, nodes }, k) => {
        if (k < first) return { quarter: q.label, quarterly: none, rolling: none, noData: true };
        const e = expectedFigures(nodes.get(org.chiefExecutiveId)!.figures);
        return { quarter: q.label, quarterly: e.quarterly, rolling: e.rolling };
      }),
    );
    assert.deepEqual(
      view.heatmap,
      view.children.map((c) => ({
        id: c.id,
        name: c.name,
        cells: fresh.map(({ nodes }, k) =>
          k < first ? null : expectedFigures(nodes.get(c.id)!.figures).quarterly.rate,
        ),
      })),
    );
  });

  it('drills down, and a node equals its children plus its own people', async () => {
    setup.as(od);
    const fresh = (await freshFigures(setup.records, TODAY)).at(-1)!;
    const dir = await getJson<OrgResponse>(setup, `/api/org?node=${directorate.headId}`);
    assert.deepEqual(
      dir.path.map((p) => p.id),
      [org.chiefExecutiveId, directorate.headId],
    );
    assert.deepEqual(dir.children.map((c) => c.id).sort(), directorate.services.map((s) => s.headId).sort());
    const service = await getJson<OrgResponse>(setup, `/api/org?node=${head.id}`);
    assert.deepEqual(
      service.path.map((p) => p.name),
      [
        org.employees.find((e) => e.id === org.chiefExecutiveId)!.name,
        org.employees.find((e) => e.id === directorate.headId)!.name,
        head.employee.name,
      ],
    );
    assert.ok(service.children.length > 0);
    assert.ok(
      service.children.every((c) => !c.hasChildren),
      'team managers have no managers below them',
    );
    for (const view of [dir, service]) {
      // The node's own figures = each child manager's subtree + the node and their non-manager reports.
      const childIds = new Set(view.children.map((c) => c.id));
      const own = org.employees
        .filter((e) => e.managerId === view.node.id && !childIds.has(e.id))
        .map((e) => e.id);
      const rest = expectedFigures(
        groupFigures(fresh.org, { kind: 'employees', ids: [view.node.id, ...own] }, fresh.q),
      );
      const sum = (pick: (n: ReturnType<typeof figuresOf>) => number) =>
        view.children.reduce((s, c) => s + pick(figuresOf(c)), pick(rest));
      const node = figuresOf(view.node);
      for (const pick of [
        (n: typeof node) => n.headcount,
        (n: typeof node) => n.overdue,
        (n: typeof node) => n.dueSoon,
        (n: typeof node) => n.quarterly.numerator,
        (n: typeof node) => n.quarterly.denominator,
        (n: typeof node) => n.rolling.numerator,
        (n: typeof node) => n.rolling.denominator,
      ])
        assert.equal(sum(pick), pick(node), `${view.node.name}: ${pick.toString()}`);
    }
    const past = await getJson<OrgResponse>(
      setup,
      `/api/org?node=${head.id}&quarter=${encodeURIComponent(service.quarters[0]!)}`,
    );
    assert.equal(past.quarter, service.quarters[0]);
    const bad = await getJson<ApiError>(setup, '/api/org?quarter=2019%2F20%20Q1', 400);
    assert.equal(bad.error, 'bad_request');
    const plain = org.employees.find((e) => e.managerId === org.teamManagerIds[0])!;
    assert.equal((await getJson<ApiError>(setup, `/api/org?node=${plain.id}`, 404)).error, 'not_found');
    assert.equal((await getJson<ApiError>(setup, '/api/org?node=nobody-at-all', 404)).error, 'not_found');
  });

  it('lets a head of service see only their subtree, and a plain manager nothing', async () => {
    setup.as(head);
    const own = await getJson<OrgResponse>(setup, '/api/org');
    assert.equal(own.node.id, head.id);
    assert.deepEqual(
      own.path.map((p) => p.id),
      [head.id],
      'the breadcrumb starts at the caller',
    );
    const manager = own.children[0]!;
    const below = await getJson<OrgResponse>(setup, `/api/org?node=${manager.id}`);
    assert.deepEqual(
      below.path.map((p) => p.id),
      [head.id, manager.id],
    );
    const list = await getJson<OrgListResponse>(setup, `/api/org/list?kind=overdue&node=${manager.id}`);
    assert.equal(list.kind, 'overdue');
    const otherService = directorate.services[1]!.headId;
    for (const path of [
      `/api/org?node=${otherService}`,
      `/api/org?node=${org.chiefExecutiveId}`,
      `/api/org?node=${directorate.headId}`,
      `/api/org?node=not-a-person`,
      `/api/org.csv?node=${otherService}`,
      `/api/org/list?kind=overdue&node=${otherService}`,
      `/api/org/list.csv?kind=none-12m&node=${directorate.headId}`,
    ]) {
      const refused = await getJson<ApiError>(setup, path, 403);
      assert.equal(refused.error, 'forbidden', path);
      assert.equal(typeof refused.message, 'string');
    }
    setup.as(callerOf(org, org.teamManagerIds[0]!, { manager: true }));
    for (const path of ['/api/org', `/api/org?node=${org.teamManagerIds[0]}`, '/api/org/list?kind=overdue'])
      await getJson<ApiError>(setup, path, 403);
  });

  it('lists the overdue and the none-in-12-months below the top, a directorate and a service, filtered', async () => {
    setup.as(od);
    const rows = await statusRows(setup.records);
    const department = directorate.services[0]!.name.slice(2, 9).toUpperCase();
    for (const kind of ['overdue', 'none-12m'] as const) {
      for (const node of [org.chiefExecutiveId, directorate.headId, head.id]) {
        const list = await getJson<OrgListResponse>(setup, `/api/org/list?kind=${kind}&node=${node}`);
        const expected = expectedList(rows, kind, node);
        if (node === org.chiefExecutiveId) assert.ok(expected.length > 0, `${kind} is not empty`);
        assert.equal(list.total, expected.length);
        assert.deepEqual(list.rows.map((r) => r.employeeId).sort(), expected, `${kind} below ${node}`);
        const byDays = list.rows.map((r) => r.daysOverdue);
        assert.deepEqual(
          byDays,
          [...byDays].sort((a, b) => b - a),
          'most overdue first',
        );
      }
      const top = await getJson<OrgListResponse>(setup, `/api/org/list?kind=${kind}`);
      assert.equal(
        top.total,
        expectedList(rows, kind, org.chiefExecutiveId).length,
        'the default node is the top',
      );
      const filtered = await getJson<OrgListResponse>(
        setup,
        `/api/org/list?kind=${kind}&department=${encodeURIComponent(department)}`,
      );
      assert.deepEqual(
        filtered.rows.map((r) => r.employeeId).sort(),
        expectedList(rows, kind, org.chiefExecutiveId, department),
      );
      assert.ok(filtered.rows.every((r) => r.department === directorate.services[0]!.name));
    }
    const sample = (await getJson<OrgListResponse>(setup, `/api/org/list?kind=overdue&node=${head.id}`))
      .rows[0]!;
    const person = rows.find((r) => r.employee.id === sample.employeeId)!;
    assert.deepEqual(sample, {
      employeeId: person.employee.id,
      name: person.employee.name,
      department: person.employee.department,
      managerName: org.employees.find((e) => e.id === person.employee.managerId)!.name,
      status: 'overdue',
      statusLabel: 'Overdue',
      daysOverdue: person.evaluation!.daysOverdue,
      lastHeld: person.evaluation!.lastHeld ?? null,
    });
    assert.equal((await getJson<ApiError>(setup, '/api/org/list?kind=everyone', 400)).error, 'bad_request');
    assert.equal((await getJson<ApiError>(setup, '/api/org/list', 400)).error, 'bad_request');

    // Kept to a limit while the partitions are read (the top's 500 of 100,000): the same first rows
    // and the same total as the whole list, for limits below, near and above a service's rows.
    const top = { id: org.chiefExecutiveId, name: '', department: '', path: [], crumbs: [] };
    const whole = await orgList(setup.records, top, 'overdue', undefined);
    assert.ok(whole.total > 20, 'enough rows to cut');
    for (const limit of [1, 3, 7, whole.total - 1, whole.total + 5]) {
      const cut = await orgList(setup.records, top, 'overdue', undefined, limit);
      assert.equal(cut.total, whole.total, `total with limit ${limit}`);
      assert.deepEqual(cut.rows, whole.rows.slice(0, limit), `first ${limit}`);
    }
  });

  it('exports the children and the lists as CSV with the same rows as the JSON', async () => {
    setup.as(od);
    const view = await getJson<OrgResponse>(setup, `/api/org?node=${directorate.headId}`);
    const csv = await get(setup, `/api/org.csv?node=${directorate.headId}`);
    assert.equal(csv.status, 200);
    assert.match(csv.res.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(csv.res.headers.get('content-disposition') ?? '', /^attachment; filename="[\w.-]+\.csv"$/);
    const children = parse<Record<string, string>>(csv.body as string, { bom: true, columns: true });
    assert.deepEqual(
      children.map((c) => [
        c.id,
        c.name,
        c.department,
        Number(c.headcount),
        Number(c.overdue),
        Number(c.due_soon),
      ]),
      view.children.map((c) => [c.id, c.name, c.department, c.headcount, c.overdue, c.dueSoon]),
    );
    assert.deepEqual(
      children.map((c) => (c.quarterly_rate === '' ? null : Number(c.quarterly_rate))),
      view.children.map((c) => c.quarterly.rate),
    );
    for (const kind of ['overdue', 'none-12m'] as const) {
      const list = await getJson<OrgListResponse>(setup, `/api/org/list?kind=${kind}`);
      assert.ok(list.total <= 500, 'the whole list fits in one answer here');
      const exported = await get(setup, `/api/org/list.csv?kind=${kind}`);
      assert.match(exported.res.headers.get('content-disposition') ?? '', /^attachment; /);
      const rows = parse<Record<string, string>>(exported.body as string, { bom: true, columns: true });
      assert.deepEqual(
        rows.map((r) => ({
          employeeId: r.employee_id,
          name: r.name,
          department: r.department,
          managerName: r.manager,
          status: r.status,
          statusLabel: r.status_label,
          daysOverdue: Number(r.days_overdue),
          lastHeld: r.last_held === '' ? null : r.last_held,
        })),
        list.rows,
      );
    }
  });

  it('takes someone off the lists as soon as their conversation is logged, with no note text anywhere', async () => {
    setup.as(od);
    const before = await getJson<OrgListResponse>(setup, `/api/org/list?kind=overdue&node=${head.id}`);
    const target = before.rows.find((r) => r.lastHeld === null) ?? before.rows[0]!;
    const employee = org.employees.find((e) => e.id === target.employeeId)!;
    const none = await getJson<OrgListResponse>(setup, `/api/org/list?kind=none-12m&node=${head.id}`);
    // A scheduled conversation with notes changes nothing; a completed one takes them off.
    await setup.records.saveConversation(
      record(employee, 'org-planned', '2026-12-02', { status: 'scheduled' }),
      {
        actorId: employee.managerId!,
      },
    );
    assert.ok(
      (await getJson<OrgListResponse>(setup, `/api/org/list?kind=overdue&node=${head.id}`)).rows.some(
        (r) => r.employeeId === employee.id,
      ),
    );
    await setup.records.saveConversation(record(employee, 'org-held', TODAY), {
      actorId: employee.managerId!,
    });
    for (const kind of ['overdue', 'none-12m'] as const) {
      const after = await getJson<OrgListResponse>(setup, `/api/org/list?kind=${kind}&node=${head.id}`);
      assert.ok(!after.rows.some((r) => r.employeeId === employee.id), `off the ${kind} list`);
      const was = kind === 'overdue' ? before : none;
      assert.equal(after.total, was.total - (was.rows.some((r) => r.employeeId === employee.id) ? 1 : 0));
      assert.deepEqual(
        after.rows.map((r) => r.employeeId).sort(),
        expectedList(await statusRows(setup.records), kind, head.id),
      );
    }
    const view = await getJson<OrgResponse>(setup, `/api/org?node=${head.id}`);
    const fresh = (await freshFigures(setup.records, TODAY)).at(-1)!;
    assert.deepEqual(
      figuresOf(view.node),
      expectedFigures(fresh.nodes.get(head.id)!.figures),
      'figures moved too',
    );

    const answers: string[] = [];
    for (const path of [
      '/api/org',
      `/api/org?node=${directorate.headId}`,
      `/api/org?node=${head.id}`,
      `/api/org?node=${employee.managerId}`,
      `/api/org.csv?node=${head.id}`,
      ...(['overdue', 'none-12m'] as const).flatMap((k) => [
        `/api/org/list?kind=${k}`,
        `/api/org/list.csv?kind=${k}&node=${head.id}`,
      ]),
    ])
      answers.push(JSON.stringify((await get(setup, path)).body));
    answers.push(JSON.stringify(await dump(setup.tables.exceptions)));
    assert.ok(
      answers.every((a) => !a.includes('Confidential') && !a.includes('bereavement')),
      'no note text',
    );
    assert.equal(
      (await setup.records.conversations.get(employee.id, 'org-held'))?.value.areas.wellbeing?.notes,
      SECRET,
      'while the record itself keeps it',
    );
  });

  it('keeps the exceptions index equal to a rebuild: after writes, after a repairing refresh, days later', async () => {
    const { records, tables } = setup;
    const written = await dump(tables.exceptions);
    assert.ok(written.length > 0);
    await rebuildRollups(records);
    assert.deepEqual(await dump(tables.exceptions), written, 'point writes left what a rebuild gives');

    // Damage the index: a stale row, a missing row, a changed row. The refresh puts it right.
    const [first, second] = written as { partitionKey: string; rowKey: string }[];
    await tables.exceptions.upsertEntity(
      { partitionKey: 'overdue|someone', rowKey: 'gone', name: 'Gone' },
      'Replace',
    );
    await tables.exceptions.deleteEntity(first!.partitionKey, first!.rowKey);
    await tables.exceptions.updateEntity(
      { partitionKey: second!.partitionKey, rowKey: second!.rowKey, daysOverdue: 999 },
      'Merge',
    );
    const summary = await runRefresh(records, tables.jobs, { resume: false });
    assert.equal(summary.exceptionRows, written.length);
    assert.deepEqual(await dump(tables.exceptions), written);

    // Four weeks on, statuses change with time alone; the refresh brings the lists along.
    const later = '2026-12-21';
    const laterRecords = new Records(tables, policy, fixedClock(later), createLogger('test.later'));
    await runRefresh(laterRecords, tables.jobs, { resume: false });
    const rows = await statusRows(laterRecords);
    const laterIndex = await dump(tables.exceptions);
    for (const kind of ['overdue', 'none-12m'] as const) {
      const indexed = laterIndex
        .filter((r) => String(r.partitionKey).startsWith(`${kind}|`))
        .map((r) => String(r.rowKey))
        .sort();
      assert.deepEqual(indexed, expectedList(rows, kind, org.chiefExecutiveId), `${kind} on ${later}`);
    }
    assert.notDeepEqual(laterIndex, written, 'time moved people onto the lists');
  });
});
