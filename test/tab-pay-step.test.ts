/**
 * Pay-step readiness in the tab and pay-step deferrals per quarter (Career Conversations policy
 * §5.8, §8), over real HTTP against the service on Azurite, under the NHS preset and the council's.
 * A small trust is stored through the directory, a deferral is recorded through the bot's own Pay
 * step card (TestAdapter on the same tables), and the tab's API must answer: My team's pay-step line
 * inside the readiness window and not outside it; the checks I–V for the line manager only, exactly
 * as the bot computes them and without note text; the deferral in the organisation figure of its
 * pay-step date's quarter, for its manager's node and the node above, and in no other quarter —
 * at once (roll-up deltas) and after the nightly rebuild.
 */
import { strict as assert } from 'node:assert';
import { type Activity } from 'botbuilder';
import { type RunningApp, startApp } from '../bot/app';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort, storagePorts } from '../bot/dev/ports';
import { configureLogging } from '../bot/log';
import { readinessOf } from '../bot/records/pay-steps';
import { runRefresh } from '../bot/records/refresh';
import { type Employee } from '../core/model';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import {
  type ApiError,
  type OrgResponse,
  type PayStepResponse,
  type TeamMember,
  type TeamResponse,
} from '../core/tab-api';
import { cardAction } from './support/activities';
import { type BotHarness, botHarness } from './support/bot-harness';
import { nhsPerson } from './support/nhs-people';

const TODAY = '2026-12-03';
const HEAD = 'd1000000-0000-4000-8000-000000000001';
const MANAGER = 'd1000000-0000-4000-8000-000000000002';
const OTHER = 'd1000000-0000-4000-8000-000000000003';
const PEOPLE_SERVICES = 'd1000000-0000-4000-8000-000000000004';
/** Incremental date 10 December (7 days away, inside the 56-day window); training outstanding. */
const NURSE = 'd1000000-0000-4000-8000-000000000005';
/** Progressed at 15 June 2026: the next date, 15 June 2027, is outside the window. */
const DECIDED = 'd1000000-0000-4000-8000-000000000006';
/** Started in March 2026, no incremental date: the first pay step, 1 March 2027, is outside the window. */
const NEWCOMER = 'd1000000-0000-4000-8000-000000000007';
/** Other's report, deferred at 20 August 2026 (2026/27 Q2) by the HR record as imported. */
const EARLIER = 'd1000000-0000-4000-8000-000000000008';

const PLAN_TEXT = 'Complete the manual handling module';

const person = nhsPerson;

const people: Employee[] = [
  person(HEAD, 'Hana Head', undefined),
  person(MANAGER, 'Mo Manager', HEAD),
  person(OTHER, 'Oona Other', HEAD),
  person(PEOPLE_SERVICES, 'Priya People', HEAD),
  person(NURSE, 'Nell Nurse', MANAGER, { payStepDate: '2021-12-10', mandatoryTrainingComplete: false }),
  person(DECIDED, 'Dev Decided', MANAGER, {
    payStepDate: '2020-06-15',
    payStepDecisions: [
      {
        forDate: '2026-06-15',
        decision: 'progressed',
        decidedOn: '2026-06-01',
        decidedBy: MANAGER,
        effectiveFrom: '2026-06-15',
      },
    ],
  }),
  person(NEWCOMER, 'Nia Newcomer', MANAGER, { startDate: '2026-03-01' }),
  person(EARLIER, 'Eli Earlier', OTHER, {
    payStepDate: '2022-08-20',
    payStepDecisions: [
      {
        forDate: '2026-08-20',
        decision: 'deferred',
        decidedOn: '2026-08-18',
        decidedBy: OTHER,
        supportPlan: [
          {
            id: 'p1',
            text: 'Shadow a senior colleague',
            owner: 'employee',
            dueDate: '2026-10-01',
            done: false,
          },
        ],
      },
    ],
  }),
];

const Q2 = '2026/27 Q2';
const Q3 = '2026/27 Q3';

describe('pay-step readiness and deferrals in the tab API (NHS preset, real HTTP, Azurite)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let nhs: BotHarness;
  let council: BotHarness;
  let nhsApp: RunningApp;
  let councilApp: RunningApp;

  const start = async (h: BotHarness, policyName: string, prefix: string) =>
    startApp({
      config: readConfig({
        APP_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        STORAGE_CONNECTION_STRING: azurite.connectionString,
        OD_MEMBERS: PEOPLE_SERVICES,
        POLICY: policyName,
      }),
      tables: h.tables,
      policy: h.deps.policy,
      clock: h.clock,
      tabDir: '/nonexistent',
      storagePrefix: prefix,
    });

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    [nhs, council] = await Promise.all([
      botHarness({
        azurite,
        people,
        today: TODAY,
        policy: CAREER_CONVERSATIONS,
        odMembers: [PEOPLE_SERVICES],
      }),
      botHarness({
        azurite,
        people,
        today: TODAY,
        policy: PROFESSIONAL_CONVERSATION,
        odMembers: [PEOPLE_SERVICES],
      }),
    ]);
    [nhsApp, councilApp] = await Promise.all([
      start(nhs, 'career-conversations', 'psnhs'),
      start(council, 'professional-conversation', 'pscouncil'),
    ]);
  });

  after(async () => {
    await Promise.all([nhsApp?.stop(), councilApp?.stop()]);
    await azurite?.stop();
  });

  /** GETs a path as a person, through the development sign-in's token. */
  const get = async (app: RunningApp, as: string, path: string): Promise<Response> => {
    const minted = await fetch(`${app.service.url}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: as }),
    });
    assert.equal(minted.status, 200, `a token for ${as}`);
    const { token } = (await minted.json()) as { token: string };
    return fetch(`${app.service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  };
  const json = async <T>(app: RunningApp, as: string, path: string, status = 200): Promise<T> => {
    const response = await get(app, as, path);
    const body = await response.text();
    assert.equal(response.status, status, `${path}: ${body.slice(0, 300)}`);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    return JSON.parse(body) as T;
  };
  const memberOf = (team: TeamResponse, id: string): TeamMember => {
    const m = team.members.find((x) => x.employeeId === id);
    assert.ok(m, `${id} is on My team`);
    return m;
  };
  const deferrals = async (as: string, node: string, quarter: string) => {
    const view = await json<OrgResponse>(
      nhsApp,
      as,
      `/api/org?node=${node}&quarter=${encodeURIComponent(quarter)}`,
    );
    return {
      node: view.node.payStepDeferrals,
      children: Object.fromEntries(view.children.map((c) => [c.id, c.payStepDeferrals])),
      label: view.payStepDeferrals?.label,
    };
  };

  /** Records a deferral for the nurse through the bot's Pay step card, as a manager would. */
  const deferThroughTheBot = async () => {
    const invokeCard = (replies: Partial<Activity>[]) => {
      const value = replies.find((r) => r.type === 'invokeResponse')?.value as {
        status: number;
        body: { value: Record<string, unknown> };
      };
      assert.equal(value?.status, 200);
      return value.body.value;
    };
    const as = { aadObjectId: MANAGER, name: 'Mo Manager' };
    const card = await nhs
      .turn(cardAction({ verb: 'paystep', data: { verb: 'paystep', employeeId: NURSE } }, as))
      .then(invokeCard);
    const found: Record<string, unknown>[] = [];
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      if (Array.isArray(node)) return node.forEach(walk);
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.Execute' && n.verb === 'paystep.decide')
        found.push(n.data as Record<string, unknown>);
      Object.values(n).forEach(walk);
    };
    walk(card);
    const defer = found.find((d) => d.decision === 'deferred');
    assert.ok(defer, 'the card offers a deferral');
    const data = { ...defer, verb: 'paystep.decide', plan1Text: PLAN_TEXT, plan1By: '2027-01-15' };
    await nhs.turn(cardAction({ verb: 'paystep.decide', data }, as)).then(invokeCard);
    const stored = await nhs.records.directory.getEmployee(NURSE);
    assert.equal(stored?.payStepDecisions?.[0]?.decision, 'deferred', 'the deferral is recorded');
  };

  describe('My team', () => {
    it('carries the pay-step line for a member inside the window, and none outside it', async () => {
      const team = await json<TeamResponse>(nhsApp, MANAGER, '/api/team');
      assert.equal(team.paySteps, true);
      assert.deepEqual(memberOf(team, NURSE).payStep, {
        date: '2026-12-10',
        daysToDate: 7,
        state: 'decision-due',
        stateLabel: 'decision due',
      });
      assert.equal(memberOf(team, DECIDED).payStep, undefined, 'decided, next date 15 Jun 2027');
      assert.equal(memberOf(team, NEWCOMER).payStep, undefined, 'first pay step 1 Mar 2027');
    });

    it('has no pay-step line under the council policy', async () => {
      const team = await json<TeamResponse>(councilApp, MANAGER, '/api/team');
      assert.equal(team.paySteps, false);
      assert.ok(team.members.length > 0);
      assert.ok(team.members.every((m) => m.payStep === undefined));
    });
  });

  describe('GET /api/team/:employeeId/pay-step', () => {
    it('answers the line manager with checks I–V, each with outcome, reason and source, as the bot computes them', async () => {
      const answer = await json<PayStepResponse>(nhsApp, MANAGER, `/api/team/${NURSE}/pay-step`);
      assert.equal(answer.employeeId, NURSE);
      assert.equal(answer.name, 'Nell Nurse');
      assert.equal(answer.date, '2026-12-10');
      assert.equal(answer.dateSource, 'pay-step-date');
      assert.equal(answer.daysToDate, 7);
      assert.equal(answer.awaitingDecision, true);
      assert.equal(answer.readiness, 'not-ready');
      assert.match(answer.readinessText, /A check is not met/);
      assert.deepEqual(
        answer.checks.map((c) => [c.id, c.outcome, c.outcomeLabel]),
        [
          ['I', 'not-met', 'Not met'],
          ['II', 'met', 'Met'],
          ['III', 'met', 'Met'],
          ['IV', 'not-met', 'Not met'],
          ['V', 'not-applicable', 'Not applicable'],
        ],
      );
      const iv = answer.checks.find((c) => c.id === 'IV')!;
      assert.equal(iv.reason, 'statutory or mandatory training outstanding');
      assert.equal(iv.source, 'From: the HR import');
      assert.match(iv.clause, /§5\.8 \(IV\)/);
      assert.equal(answer.checks.find((c) => c.id === 'I')!.source, 'From: the career conversation record');
      assert.equal(
        answer.checks.find((c) => c.id === 'V')!.source,
        "From: the manager's own reports' records",
      );
      assert.equal(answer.decision, null);
      assert.equal(answer.openPlan, null);

      // The same function serves the bot's card: the same date, readiness and checks.
      const bot = await readinessOf(nhs.deps, (await nhs.records.directory.getEmployee(NURSE))!);
      assert.ok(bot);
      assert.equal(answer.date, bot.date);
      assert.equal(answer.readiness, bot.readiness);
      assert.deepEqual(
        answer.checks.map((c) => [c.id, c.label, c.outcome, c.reason, c.clause]),
        bot.checks.map((c) => [c.id, c.label, c.outcome, c.reason, c.source]),
      );
    });

    it('refuses another manager and the employee with 403', async () => {
      const other = await json<ApiError>(nhsApp, OTHER, `/api/team/${NURSE}/pay-step`, 403);
      assert.match(other.message, /line manager/);
      await json<ApiError>(nhsApp, NURSE, `/api/team/${NURSE}/pay-step`, 403);
      // Someone who is not anyone's report, and an id that is not one.
      await json<ApiError>(nhsApp, MANAGER, `/api/team/${OTHER}/pay-step`, 403);
      await json<ApiError>(nhsApp, MANAGER, `/api/team/not%20an%20id/pay-step`, 403);
    });

    it('answers 404 under the council policy, which has no pay steps', async () => {
      const body = await json<ApiError>(councilApp, MANAGER, `/api/team/${NURSE}/pay-step`, 404);
      assert.match(body.message, /Pay steps are not part of this organisation's policy/);
    });
  });

  describe('a deferral recorded through the bot', () => {
    before(deferThroughTheBot);

    it('shows on My team as deferred with the plan open, and in the checks without the plan’s wording', async () => {
      const team = await json<TeamResponse>(nhsApp, MANAGER, '/api/team');
      assert.deepEqual(memberOf(team, NURSE).payStep, {
        date: '2026-12-10',
        daysToDate: 7,
        state: 'deferred-plan-open',
        stateLabel: 'Deferred, plan open',
      });
      const response = await get(nhsApp, MANAGER, `/api/team/${NURSE}/pay-step`);
      const text = await response.text();
      assert.equal(response.status, 200);
      assert.ok(!text.includes(PLAN_TEXT), 'the support plan is counted, never quoted');
      const answer = JSON.parse(text) as PayStepResponse;
      assert.equal(answer.awaitingDecision, false);
      assert.deepEqual(answer.decision, { decision: 'deferred', decidedOn: TODAY, effectiveFrom: null });
      assert.deepEqual(answer.openPlan, {
        forDate: '2026-12-10',
        decidedOn: TODAY,
        actions: 1,
        lastDue: '2027-01-15',
      });
    });

    it('counts in the organisation figure of its pay-step date’s quarter, for its node and the node above, at once', async () => {
      const inQ3 = await deferrals(PEOPLE_SERVICES, HEAD, Q3);
      assert.equal(inQ3.label, 'Pay-step deferrals in the quarter');
      assert.equal(inQ3.node, 1, 'the head’s subtree, Q3');
      assert.equal(inQ3.children[MANAGER], 1, 'the manager’s row under the head, Q3');
      assert.equal(inQ3.children[OTHER], 0, 'nothing deferred in Q3 under Other');
      assert.equal((await deferrals(PEOPLE_SERVICES, MANAGER, Q3)).node, 1);
      // The imported deferral is in Q2, with its own manager and the head; the nurse's is not.
      const inQ2 = await deferrals(PEOPLE_SERVICES, HEAD, Q2);
      assert.equal(inQ2.node, 1);
      assert.equal(inQ2.children[MANAGER], 0);
      assert.equal(inQ2.children[OTHER], 1);
      assert.equal((await deferrals(PEOPLE_SERVICES, MANAGER, Q2)).node, 0);
      assert.equal((await deferrals(PEOPLE_SERVICES, HEAD, '2026/27 Q1')).node, 0);
    });

    it('gives the same figures after the nightly rebuild of every roll-up', async () => {
      await runRefresh(nhs.records, nhs.tables.jobs, { resume: false });
      assert.deepEqual(await deferrals(PEOPLE_SERVICES, HEAD, Q3), {
        node: 1,
        children: { [MANAGER]: 1, [OTHER]: 0 },
        label: 'Pay-step deferrals in the quarter',
      });
      assert.deepEqual((await deferrals(PEOPLE_SERVICES, HEAD, Q2)).children, { [MANAGER]: 0, [OTHER]: 1 });
    });

    it('exports the figure in the organisation CSV, and the council view has none', async () => {
      const csv = await (
        await get(nhsApp, PEOPLE_SERVICES, `/api/org.csv?node=${HEAD}&quarter=${encodeURIComponent(Q3)}`)
      ).text();
      const [header, ...lines] = csv.trim().split(/\r?\n/);
      assert.match(header!, /pay_step_deferrals \(2026\/27 Q3\)$/);
      const manager = lines.find((l) => l.startsWith(MANAGER));
      assert.match(manager ?? '', /,1$/);
      const view = await json<OrgResponse>(councilApp, PEOPLE_SERVICES, `/api/org?node=${HEAD}`);
      assert.equal(view.payStepDeferrals, undefined);
      assert.equal(view.node.payStepDeferrals, undefined);
    });
  });
});
