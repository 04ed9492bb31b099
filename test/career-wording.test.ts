/**
 * Under the NHS Career Conversations preset every text the bot and the tab produce follows that
 * policy (STYLE.md "wording from the policy"): the bot is driven through TestAdapter on Azurite
 * (install, help, menu, team, log for each conversation type, schedule, prepare, my conversations,
 * history, the nudge sweep and the digest) and the tab is rendered in Chromium, and no council
 * wording appears in any of it; the NHS words do. Under the default preset the council's own
 * sentences are still there.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Activity } from 'botbuilder';
import { type Browser, type Page } from 'playwright-core';
import { type RunningApp, startApp } from '../bot/app';
import { createDigestCard, type DigestCardData } from '../bot/cards/digest-card';
import { createEscalationCard } from '../bot/cards/escalation-card';
import { createWelcomeCard } from '../bot/cards/welcome-card';
import { fixedClock } from '../bot/clock';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { freePort, storagePorts } from '../bot/dev/ports';
import { seedDemoOrg } from '../bot/dev/seed';
import { wallTimeToUtc } from '../core/dates/london-time';
import { policyWords } from '../bot/i18n/policy-words';
import { configureLogging, createLogger } from '../bot/log';
import { mainAreas } from '../bot/policy';
import { Records } from '../bot/records/records';
import { runRefresh } from '../bot/records/refresh';
import { ruleFor } from '../bot/reminders/rule-text';
import { type SweepDeps, runDigest, runSweep } from '../bot/reminders/sweep';
import { Snoozes } from '../bot/storage/snoozes';
import { openTables } from '../bot/storage/tables';
import { COMMANDS } from '../bot/teams/commands';
import { type Employee } from '../core/model';
import { type ConversationRecord } from '../core/records';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type Policy } from '../core/policy/schema';
import { type DevUser } from '../core/tab-api';
import { buildTab } from '../tab/build';
import { botAdded, message, submit } from './support/activities';
import { type BotHarness, botHarness } from './support/bot-harness';
import { launchBrowser, saveScreenshot } from './support/browser';
import { cardText } from './support/cards';

/** Council wording: none of it may describe the NHS policy's rules. */
const COUNCIL: readonly RegExp[] = [
  /five key areas/i,
  /four a year|at least 4\b/i,
  /12 weeks|every 84 days/i,
  /Council/i,
  /OD team/i,
  /Equality, Diversity and Inclusion/i,
  /Outcome performance/i,
  // "Professional Conversations", so capitalised, is the app's name and stays; any other form (the
  // council policy's name, "professional conversations" in a sentence) describes the council's rules.
  /\b(?!Professional Conversations\b)[Pp]rofessional [Cc]onversations?\b/,
  /Head of Service|Director/,
  /\bPC §/,
];

function assertNoCouncilWording(what: string, text: string): void {
  for (const pattern of COUNCIL) {
    const hit = pattern.exec(text);
    assert.equal(hit, null, `${what} says "${hit?.[0]}" (${pattern}):\n${text}`);
  }
}

/** Every Adaptive Card in the activities a turn sent (messages and invoke responses). */
function cardsIn(activities: readonly Partial<Activity>[]): unknown[] {
  return activities.flatMap((a) =>
    a.type === 'invokeResponse'
      ? [(a.value as { body?: { value?: unknown } }).body?.value].filter(
          (v) => (v as { type?: string } | undefined)?.type === 'AdaptiveCard',
        )
      : (a.attachments ?? []).map((x) => x.content as unknown),
  );
}

const person = (id: string, name: string, managerId: string | undefined, extra: Partial<Employee> = {}) =>
  ({
    id,
    name,
    email: `${name.toLowerCase().replace(' ', '.')}@trust.example`,
    positionNumber: '200001',
    managerId,
    department: 'Community Nursing',
    staffGroup: 'Nursing and Midwifery Registered',
    startDate: '2019-12-01',
    ...extra,
  }) satisfies Employee;

const MANAGER = '1c8a3c2e-1111-4111-8111-000000000001';
const REPORT = '1c8a3c2e-2222-4222-8222-000000000002';
const NEW_STARTER = '1c8a3c2e-3333-4333-8333-000000000003';
const UNKNOWN = '1c8a3c2e-9999-4999-8999-000000000009';
const OD = '1c8a3c2e-5555-4555-8555-000000000005';
const TEAM_LEAD = '1c8a3c2e-6666-4666-8666-000000000006';
const OVERDUE = '1c8a3c2e-7777-4777-8777-000000000007';
const people: Employee[] = [
  person(MANAGER, 'Grace Hughes', undefined),
  // Career conversation due on the anniversary of the pay-step date: 1 December.
  person(REPORT, 'Owen Price', MANAGER, { payStepDate: '2020-12-01' }),
  // Induction meeting due within 14 days of starting: 30 November.
  person(NEW_STARTER, 'Nia Evans', MANAGER, { startDate: '2026-11-16' }),
  person(OD, 'Priya Shah', MANAGER),
  person(TEAM_LEAD, 'Tom Davies', MANAGER, { payStepDate: '2020-12-01' }),
  // Career conversation due on 1 October and not held: People Services on 29 October (+28), the
  // next manager up (Grace, above Tom) on 26 November (+56).
  person(OVERDUE, 'Rhys Morgan', TEAM_LEAD, { payStepDate: '2020-10-01' }),
];

const as = (id: string, name = 'Someone') => ({ aadObjectId: id, name });

function completed(
  employeeId: string,
  type: string,
  date: string,
  areas: Readonly<Record<string, string>>,
): ConversationRecord {
  return {
    id: `held-${employeeId}-${type}-${date}`,
    employeeId,
    type,
    date,
    managerId: MANAGER,
    status: 'completed',
    positionNumber: '200001',
    areas: Object.fromEntries(
      Object.entries(areas).map(([id, notes]) => [id, { notes, outcomes: 'Agreed.' }]),
    ),
    ...(type === 'career-conversation'
      ? { fields: { overallRating: 'Meets objectives and values', objectivesMet: true } }
      : {}),
    createdBy: MANAGER,
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
  };
}

/** Everything the bot says to the people of a small team in one pass through its commands. */
async function everythingTheBotSays(h: BotHarness): Promise<{ name: string; text: string }[]> {
  const said: { name: string; text: string }[] = [];
  const turn = async (name: string, activity: Partial<Activity>) => {
    const cards = cardsIn(await h.turn(activity));
    assert.ok(cards.length > 0, `${name}: the bot answered with no card`);
    for (const card of cards) said.push({ name, text: cardText(card) });
  };
  await turn('install, manager', botAdded(as(MANAGER, 'Grace Hughes')));
  await turn('install, employee', botAdded(as(REPORT, 'Owen Price')));
  await turn('install, OD member', botAdded(as(OD, 'Priya Shah')));
  await turn('install, unknown', botAdded(as(UNKNOWN, 'New Person')));
  await turn('install, channel', {
    ...botAdded(as(MANAGER)),
    conversation: { id: '19:team@thread.tacv2', conversationType: 'channel', isGroup: true, name: 'Team' },
  });
  for (const command of COMMANDS) await turn(`command ${command.title}`, message(command.title, as(MANAGER)));
  for (const command of ['menu', 'my conversations', 'prepare', 'schedule'])
    await turn(`employee ${command}`, message(command, as(REPORT)));
  await turn('unknown text', message('wibble', as(MANAGER)));
  await turn('log, pick a type', submit({ verb: 'log', employeeId: REPORT }, as(MANAGER)));
  for (const type of h.deps.policy.conversationTypes) {
    await turn(`log ${type.id}`, submit({ verb: 'log', employeeId: REPORT, typeId: type.id }, as(MANAGER)));
    await turn(
      `schedule ${type.id}`,
      submit({ verb: 'schedule', employeeId: REPORT, typeId: type.id }, as(MANAGER)),
    );
  }
  await turn('schedule, pick a type', submit({ verb: 'schedule', employeeId: REPORT }, as(MANAGER)));
  await turn('history', submit({ verb: 'history', employeeId: REPORT }, as(MANAGER)));
  await turn('exceptional access, monitoring team', message('exceptional access', as(OD)));
  await turn('exceptional access, find', submit({ verb: 'record.exceptional.find', query: 'Owen' }, as(OD)));
  return said;
}

/** The nudge sweep and the weekly digest over the harness's storage, with every card they sent. */
async function remindersAndDigest(
  h: BotHarness,
  days: readonly string[],
): Promise<{ name: string; text: string }[]> {
  const deps: SweepDeps = {
    records: h.records,
    policy: h.deps.policy,
    ledger: h.tables.nudgeLedger,
    snoozes: new Snoozes(h.tables.nudgeLedger),
    outbox: h.outbox.outbox,
    references: h.notifier.references(),
    odMembers: [OD],
    jobs: h.tables.jobs,
    audit: h.records.audit,
    log: createLogger('test.sweep'),
  };
  const before = h.notifier.sent.length;
  for (const day of days) {
    h.clock.set(`${day}T12:00:00Z`);
    const at = new Date(wallTimeToUtc(day, 9 * 60 + 30));
    await runSweep(deps, at);
    await runDigest(deps, at);
    await h.outbox.drain();
  }
  return h.notifier.sent
    .slice(before)
    .map((s) => ({ name: `proactive to ${s.userId}`, text: cardText(s.card) }));
}

function digestData(policy: Policy): DigestCardData {
  return {
    managerName: 'Grace Hughes',
    weekOf: '2026-11-30',
    counts: { overdue: 1, dueSoon: 1, onTrack: 1, induction: 1, total: 4 },
    first: [
      { employeeId: REPORT, name: 'Owen Price', status: 'due-soon', daysOverdue: 0, nextDue: '2026-12-01' },
    ],
    actionsPastDue: [],
    quarter: {
      label: '2026/27 Q3',
      held: 3,
      eligible: 4,
      percent: 75,
      figure: 'quarterly completion: held at least one conversation in the quarter, of those eligible',
    },
    words: policyWords(policy),
  };
}

describe('wording from the policy', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(async () => {
    await azurite?.stop();
  });

  describe('the bot under the Career Conversations preset (NHS)', () => {
    let h: BotHarness;
    let said: { name: string; text: string }[];

    before(async () => {
      h = await botHarness({
        azurite,
        people,
        today: '2026-11-23',
        policy: CAREER_CONVERSATIONS,
        odMembers: [OD],
      });
      for (const record of [
        completed(REPORT, 'supervision', '2026-10-05', { 'objectives-progress': 'On track.' }),
        // Last year's career conversations: this year's are due on the incremental date, 1 December
        // (Owen, Priya, Tom) and 1 October (Rhys, who has not had it).
        completed(REPORT, 'career-conversation', '2025-12-01', { 'year-review': 'Met.' }),
        completed(OD, 'career-conversation', '2025-12-01', { 'year-review': 'Met.' }),
        completed(TEAM_LEAD, 'career-conversation', '2025-12-01', { 'year-review': 'Met.' }),
        completed(OVERDUE, 'career-conversation', '2025-10-01', { 'year-review': 'Met.' }),
      ]) {
        await h.records.saveConversation(record, { actorId: MANAGER });
      }
      await runRefresh(h.records, h.tables.jobs);
      said = await everythingTheBotSays(h);
      // 17 November: Owen's, Priya's and Tom's career conversations are due soon, Rhys's is 47 days
      // overdue (People Services and Tom). 30 November, the digest's Monday: Nia's induction meeting is
      // due, Rhys is 60 days overdue (Grace as the next manager up, and People Services). 1 December:
      // the career conversations are due.
      said.push(...(await remindersAndDigest(h, ['2026-11-17', '2026-11-30', '2026-12-01'])));
    });

    it('says no council wording on any card', () => {
      assert.ok(said.length > 25, `only ${said.length} cards`);
      const proactive = said.filter((s) => s.name.startsWith('proactive')).map((s) => s.text);
      assert.ok(
        proactive.some((t) => /Conversations due in your team/.test(t)),
        "the manager's reminder",
      );
      assert.ok(
        proactive.some((t) => /Your Career conversation is due/.test(t)),
        "the employee's reminder",
      );
      assert.ok(
        proactive.some((t) => /your team this week/.test(t)),
        'the weekly digest',
      );
      for (const { name, text } of said) assertNoCouncilWording(name, text);
    });

    it("welcomes with the NHS policy's own rules: the career conversation at the incremental date, supervision, the induction meeting", () => {
      const welcome = said.find((s) => s.name === 'install, manager')!.text;
      assert.match(
        welcome,
        /documented conversations: a career conversation every year at your incremental date, supervision\/1:1s at the frequency you agree, and an induction meeting within 14 days of starting/,
      );
      assert.match(welcome, /What each conversation covers/);
      for (const type of CAREER_CONVERSATIONS.conversationTypes) {
        assert.ok(welcome.includes(type.label), `the welcome names ${type.label}`);
        for (const area of type.areas) assert.ok(welcome.includes(area.title), `missing area ${area.title}`);
      }
      assert.match(said.find((s) => s.name === 'install, OD member')!.text, /You are in People Services/);
      assert.match(said.find((s) => s.name === 'install, unknown')!.text, /contact People Services/);
    });

    it('words the reminders from the NHS rule and lists each type on its record form', () => {
      const all = said.map((s) => s.text).join('\n');
      assert.match(all, /due each year at the incremental \(pay-step\) date — Career Conversations policy/);
      for (const type of CAREER_CONVERSATIONS.conversationTypes) {
        const form = said.find((s) => s.name === `log ${type.id}`)!.text;
        for (const area of type.areas) assert.ok(form.includes(area.title), `${type.id} form: ${area.title}`);
      }
      assert.match(said.find((s) => s.name === 'command team')!.text, /In first 12 months/);
    });

    it('names the quarterly figure the NHS reports, and the next manager up and People Services in escalations', () => {
      const sent = (to: string) => said.filter((s) => s.name === `proactive to ${to}`).map((s) => s.text);
      const digest = sent(MANAGER).find((t) => /your team this week/.test(t));
      assert.ok(digest, "Grace's weekly digest");
      assert.match(digest, /Compliant at quarter end \(career conversation in the last 12 months\)/);
      assert.match(digest, /In first 12 months/);
      const od = sent(OD).find((t) => /Rhys Morgan/.test(t) && /continuing gap/.test(t));
      assert.ok(od, 'People Services are told of Rhys');
      assert.match(od, /For People Services: a continuing gap/);
      const nextUp = sent(MANAGER).find((t) => /Rhys Morgan/.test(t) && /continuing gap/.test(t));
      assert.ok(nextUp, 'Grace is told of Rhys as the next manager up');
      assert.match(nextUp, /For you as the next manager up/);
      assert.match(nextUp, /Tom Davies/);
      assert.match(nextUp, /People Services/, "who was told before, by the policy's name for the team");
      assert.ok(
        sent(TEAM_LEAD).some((t) => /Rhys Morgan/.test(t)),
        "Rhys's manager is told with People Services",
      );
      assert.ok(
        sent(NEW_STARTER).some((t) => /Induction meeting/i.test(t)),
        "Nia is reminded of her induction meeting (the ledger stores the induction stage's key)",
      );
      for (const text of [digest, od, nextUp]) assertNoCouncilWording('sweep card', text);
    });
  });

  describe('the bot under the Professional Conversation preset (council, the default)', () => {
    it("keeps the council's own sentences", async () => {
      const h = await botHarness({ azurite, people, today: '2026-11-23', odMembers: [OD] });
      const welcome = cardText(cardsIn(await h.turn(botAdded(as(MANAGER, 'Grace Hughes'))))[0]);
      assert.match(
        welcome,
        /I help managers and staff hold, record and keep track of regular, documented professional conversations — at least four a year, about every 12 weeks — covering the five key areas\./,
      );
      assert.match(welcome, /Every conversation covers five key areas/);
      for (const area of mainAreas(PROFESSIONAL_CONVERSATION)) assert.ok(welcome.includes(area));
      const od = cardText(cardsIn(await h.turn(botAdded(as(OD, 'Priya Shah'))))[0]);
      assert.match(od, /You are in the OD team/);
      const unknown = cardText(cardsIn(await h.turn(botAdded(as(UNKNOWN, 'New Person'))))[0]);
      assert.match(unknown, /please contact the OD team if this continues/);
      const team = cardText(cardsIn(await h.turn(message('team', as(MANAGER))))[0]);
      assert.match(team, /of \d in 12 months/);
      assert.match(
        ruleFor(PROFESSIONAL_CONVERSATION, 'conversation'),
        /^At least 4 documented Professional Conversations in a rolling 12 months, about every 12 weeks/,
      );
      const digest = cardText(createDigestCard(digestData(PROFESSIONAL_CONVERSATION)));
      assert.match(digest, /Held a conversation in the quarter/);
      assert.match(digest, /In induction/);
      const escalation = cardText(
        createEscalationCard({
          audience: 'head-of-service',
          employee: { id: REPORT, name: 'Owen Price' },
          manager: { id: MANAGER, name: 'Grace Hughes' },
          dueDate: '2026-12-01',
          daysOverdue: 56,
          stageLabel: 'Head of service',
          rule: ruleFor(PROFESSIONAL_CONVERSATION, 'conversation'),
          alreadyTold: [],
          words: policyWords(PROFESSIONAL_CONVERSATION),
        }),
      );
      assert.match(escalation, /For the Head of Service: a continuing gap/);
    });

    it('a welcome without the policy says nothing about any rules', () => {
      const text = cardText(createWelcomeCard({ role: { kind: 'unknown' }, areas: [] }));
      assertNoCouncilWording('welcome without words', text);
    });
  });

  describe('the tab under the Career Conversations preset (Chromium)', () => {
    const TODAY = '2026-11-23';
    let app: RunningApp;
    let browser: Browser;
    let tabDir: string;
    let users: DevUser[];
    let page: Page;
    let org: ReturnType<typeof generateDemoOrg>;

    before(async () => {
      org = generateDemoOrg({ asOf: TODAY, people: 120, conversationType: 'career-conversation' });
      const config = readConfig({
        APP_ENV: 'development',
        PORT: String(await freePort()),
        STORAGE_CONNECTION_STRING: azurite.connectionString,
        OD_MEMBERS: org.odTeamIds.join(','),
        POLICY: 'career-conversations',
      });
      const tables = await openTables(config.storage, `wording${process.pid}`);
      await seedDemoOrg(
        new Records(tables, CAREER_CONVERSATIONS, fixedClock(TODAY), createLogger('seed')),
        tables,
        org,
      );
      tabDir = await mkdtemp(join(tmpdir(), 'pc-tab-wording-'));
      await buildTab(tabDir);
      app = await startApp({
        config,
        tables,
        policy: CAREER_CONVERSATIONS,
        clock: fixedClock(TODAY),
        tabDir,
      });
      browser = await launchBrowser();
      users = (await (await fetch(`${app.service.url}/api/dev/users`)).json()) as DevUser[];
    });

    after(async () => {
      await browser?.close();
      await app?.stop();
      if (tabDir) await rm(tabDir, { recursive: true, force: true });
    });

    beforeEach(async () => {
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && page) {
        console.error(`screenshot: ${await saveScreenshot(page, this.currentTest.fullTitle())}`);
      }
      await page?.close();
    });

    /** The page's text, with the chart's hidden title and description and every attribute people hear. */
    const pageText = () =>
      page.evaluate(() =>
        [
          document.title,
          document.body.innerText,
          ...[...document.querySelectorAll('title, desc, .vh, caption')].map((e) => e.textContent ?? ''),
          ...[...document.querySelectorAll('[title], [aria-label]')].map(
            (e) => `${e.getAttribute('title') ?? ''} ${e.getAttribute('aria-label') ?? ''}`,
          ),
        ].join('\n'),
      );

    async function signIn(ids: readonly string[], view: string): Promise<void> {
      const user = users.find((u) => ids.includes(u.id));
      assert.ok(user, 'a dev sign-in user');
      await page.goto(`${app.service.url}/?view=${view}`);
      await page.selectOption('[data-testid=dev-user-picker]', user.id);
      await page.click('[data-testid=dev-sign-in]');
      await page.waitForSelector('[data-testid=signed-in-as]');
    }

    it('My team names the NHS figure and says nothing of the council', async () => {
      await signIn(org.teamManagerIds, 'team');
      await page.waitForSelector('[data-testid=team-row]');
      await page.waitForSelector('[data-testid=trend-chart]');
      const text = await pageText();
      assert.match(text, /Compliant at quarter end \(career conversation in the last 12 months\)/);
      assert.match(text, /Career Conversations/);
      assertNoCouncilWording('My team', text);
    });

    it('Organisation names the NHS figure on the figures, heat map and chart', async () => {
      await signIn(org.odTeamIds, 'organisation');
      await page.waitForSelector('[data-testid=org-child-row]');
      await page.waitForSelector('[data-testid=list-row], [data-testid=list-count]');
      const text = await pageText();
      assert.match(text, /Compliant at quarter end \(career conversation in the last 12 months\)/);
      assert.match(text, /The share compliant at each quarter end/);
      assertNoCouncilWording('Organisation', text);
    });

    it('My conversations and the channel tab configuration page say nothing of the council', async () => {
      const employees = users.filter((u) => u.role === 'Employee').map((u) => u.id);
      await signIn(employees, 'conversations');
      await page.waitForSelector('[data-testid=view-conversations]');
      await page.waitForLoadState('networkidle');
      assertNoCouncilWording('My conversations', await pageText());
      await page.goto(`${app.service.url}/?mode=config`);
      await page.waitForSelector('text=Compliance for the organisation');
      assertNoCouncilWording('configuration page', await pageText());
    });
  });
});
