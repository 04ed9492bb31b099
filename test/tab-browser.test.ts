/**
 * The tab in a real browser (issue 7): headless Chromium driven by playwright-core against the
 * service on Azurite with the demo organisation, signed in through the development sign-in as a
 * manager, an OD member and an employee. The numbers on screen are compared with what the API
 * answers for the same person; the chart, CSV export, themes, phone width and axe-core are checked.
 * A failed test saves a screenshot under test/artifacts/.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { type RunningApp, startApp } from '../bot/app';
import { fixedClock } from '../bot/clock';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { type DemoOrg, generateDemoOrg } from '../bot/dev/demo-org';
import { freePort, storagePorts } from '../bot/dev/ports';
import { seedDemoOrg } from '../bot/dev/seed';
import { configureLogging, createLogger } from '../bot/log';
import { Records } from '../bot/records/records';
import { openTables } from '../bot/storage/tables';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import {
  type DevUser,
  type MyConversationsResponse,
  type OrgListResponse,
  type OrgResponse,
  type TeamResponse,
} from '../core/tab-api';
import { buildTab } from '../tab/build';
import { seriousViolations } from './support/axe';
import { launchBrowser, saveScreenshot } from './support/browser';

const TODAY = '2026-11-23';
const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

describe('the tab in Chromium (dev sign-in, Azurite, demo organisation)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let app: RunningApp;
  let browser: Browser;
  let tabDir: string;
  let org: DemoOrg;
  let users: DevUser[];
  let page: Page;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    org = generateDemoOrg({ asOf: TODAY, people: 200 });
    const config = readConfig({
      APP_ENV: 'development',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      OD_MEMBERS: org.odTeamIds.join(','),
    });
    const tables = await openTables(config.storage);
    await seedDemoOrg(
      new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock(TODAY), createLogger('seed')),
      tables,
      org,
    );
    tabDir = await mkdtemp(join(tmpdir(), 'pc-tab-'));
    await buildTab(tabDir);
    app = await startApp({
      config,
      tables,
      policy: PROFESSIONAL_CONVERSATION,
      clock: fixedClock(TODAY),
      tabDir,
    });
    browser = await launchBrowser();
    users = (await (await fetch(`${app.service.url}/api/dev/users`)).json()) as DevUser[];
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await azurite?.stop();
    if (tabDir) await rm(tabDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => {
      const blocked: string[] = [];
      (window as unknown as { cspBlocked: string[] }).cspBlocked = blocked;
      document.addEventListener('securitypolicyviolation', (e) =>
        blocked.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const file = await saveScreenshot(page, this.currentTest.fullTitle());
      console.error(`screenshot: ${file}`);
    }
    await page?.close();
  });

  /** A dev-issued token for a person, to ask the API what the page should show. */
  async function tokenFor(userId: string): Promise<string> {
    const response = await fetch(`${app.service.url}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { token: string }).token;
  }

  async function api<T>(userId: string, path: string): Promise<T> {
    const response = await fetch(`${app.service.url}${path}`, {
      headers: { authorization: `Bearer ${await tokenFor(userId)}` },
    });
    assert.equal(response.status, 200, `${path} answered ${response.status}`);
    return (await response.json()) as T;
  }

  /** Signs in through the page's own development sign-in. */
  async function signIn(user: DevUser, query = ''): Promise<void> {
    await page.goto(`${app.service.url}/${query}`);
    await page.selectOption('[data-testid=dev-user-picker]', user.id);
    await page.click('[data-testid=dev-sign-in]');
    await page.waitForSelector('[data-testid=signed-in-as]');
  }

  const userWith = (ids: readonly string[], label: string): DevUser => {
    const user = users.find((u) => ids.includes(u.id));
    assert.ok(user, `no ${label} among the dev sign-in users`);
    return user;
  };

  async function noSeriousViolations(what: string): Promise<void> {
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
    // The service's content security policy blocked nothing the app itself does.
    const blocked = await page.evaluate(
      () => (window as unknown as { cspBlocked?: string[] }).cspBlocked ?? [],
    );
    assert.deepEqual(blocked, [], `${what}: content security policy violations`);
  }

  it('manager: My team shows the API figures, the chart renders, and CSV export downloads the rows shown', async () => {
    const manager = userWith(org.teamManagerIds, 'team manager');
    await signIn(manager);
    await page.waitForSelector('[data-testid=view-team] [data-testid=team-row]');
    const team = await api<TeamResponse>(manager.id, '/api/team');
    assert.equal(await page.locator('[data-testid=team-row]').count(), team.members.length);
    assert.equal(
      (await page.textContent('[data-testid=team-quarterly-rate]'))?.trim(),
      percent(team.quarterly.rate),
    );
    assert.equal(
      (await page.textContent('[data-testid=team-rolling-rate]'))?.trim(),
      percent(team.rolling.rate),
    );
    let overdue = 0;
    for (const member of team.members) {
      const row = page.locator(`[data-testid=team-row][data-employee-id="${member.employeeId}"]`);
      const shown = (await row.textContent()) ?? '';
      assert.match(shown, new RegExp(member.name));
      // How overdue, in days, as the bot's card says; never "due" years ago for someone never seen.
      if (member.status === 'overdue' && member.daysOverdue > 0) {
        overdue++;
        const days = `${member.daysOverdue} ${member.daysOverdue === 1 ? 'day' : 'days'} overdue`;
        assert.ok(shown.includes(days), `${member.name}: ${days} in “${shown}”`);
      }
      assert.equal(
        shown.includes('Never had one: due since'),
        member.status === 'overdue' && member.lastHeld === null,
        `${member.name}: “${shown}”`,
      );
    }
    assert.ok(overdue > 0, 'the demo team has someone overdue');
    // The chart: one mark per quarter of the trend.
    const chart = page.locator('[data-testid=trend-chart]');
    assert.ok(await chart.isVisible());
    assert.ok((await chart.locator('rect, circle').count()) >= team.trend.length);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=csv-export]'),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length - 1, team.members.length, 'one CSV line per row shown, plus the header');
    for (const member of team.members) assert.ok(csv.includes(member.name), `${member.name} in the CSV`);

    // The picker says which columns follow it and which are as of today.
    const hint = await page.getAttribute('[data-testid=quarter-picker]', 'aria-describedby');
    assert.match(
      (await page.textContent(`[id="${hint}"]`)) ?? '',
      /changes the two figures and “Held in quarter”.*as of today/,
    );
    // Another quarter: the figures follow the picker.
    const earlier = team.quarters[team.quarters.length - 2]!;
    await page.selectOption('[data-testid=quarter-picker]', earlier);
    const past = await api<TeamResponse>(manager.id, `/api/team?quarter=${encodeURIComponent(earlier)}`);
    await page.waitForFunction(
      (expected) =>
        document.querySelector('[data-testid=team-quarterly-rate]')?.textContent?.trim() === expected,
      percent(past.quarterly.rate),
    );
    await noSeriousViolations('My team');
  });

  it('OD: Organisation shows the hierarchy with the API figures, drill-down, heat map and lists', async () => {
    const od = userWith(org.odTeamIds, 'OD member');
    await signIn(od);
    await page.click('[data-testid=nav-organisation]');
    await page.waitForSelector('[data-testid=view-organisation] [data-testid=org-child-row]');
    const top = await api<OrgResponse>(od.id, '/api/org');
    assert.equal((await page.textContent('[data-testid=org-node-name]'))?.trim(), top.node.name);
    assert.equal(await page.locator('[data-testid=org-child-row]').count(), top.children.length);
    assert.equal(
      (await page.textContent('[data-testid=org-quarterly-rate]'))?.trim(),
      percent(top.node.quarterly.rate),
    );
    assert.equal(await page.locator('[data-testid=heatmap] tbody tr').count(), top.heatmap.length);
    const orgHint = await page.getAttribute('[data-testid=org-quarter-picker]', 'aria-describedby');
    assert.match(
      (await page.textContent(`[id="${orgHint}"]`)) ?? '',
      /table of directorates below.*as of today/,
    );
    // The caption names its rows and reads its colours the way this theme draws them.
    assert.equal(top.childKind, 'directorate');
    assert.match(
      (await page.textContent('[data-testid=heatmap] caption')) ?? '',
      /by directorate \(darker is higher/,
    );
    // Quarters before the organisation's first data are "no data", not 0 %.
    const empty = top.trend.filter((p) => p.noData === true);
    assert.ok(empty.length > 0, 'the demo history starts inside the eight quarters');
    const trendRows = await page
      .locator('[data-testid=view-organisation] .vh table tbody tr')
      .allTextContents();
    for (const p of top.trend)
      assert.equal(
        trendRows.some((row) => row.startsWith(p.quarter) && row.includes('No data')),
        p.noData === true,
        p.quarter,
      );
    await page.waitForSelector('[data-testid=list-overdue] [data-testid=list-count]');

    // Drill into the first directorate.
    const child = top.children.find((c) => c.hasChildren)!;
    await page
      .locator(
        `[data-testid=org-child-row][data-node-id="${child.id}"] a, [data-testid=org-child-row][data-node-id="${child.id}"] button`,
      )
      .first()
      .click();
    await page.waitForFunction(
      (name) => document.querySelector('[data-testid=org-node-name]')?.textContent?.trim() === name,
      child.name,
    );
    const below = await api<OrgResponse>(od.id, `/api/org?node=${child.id}`);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=org-child-row]').length === n,
      below.children.length,
    );
    // A director's rows are services, and the page says so.
    assert.equal(below.childKind, 'service');
    assert.match((await page.textContent('[data-testid=heatmap] caption')) ?? '', /by service /);
    await noSeriousViolations('Organisation');
  });

  it('employee: My conversations renders each record card with the Adaptive Cards renderer', async () => {
    const employee = users.find(
      (u) => !org.teamManagerIds.includes(u.id) && !org.odTeamIds.includes(u.id) && /employee/i.test(u.role),
    );
    assert.ok(employee, 'an employee among the dev sign-in users');
    await signIn(employee);
    await page.waitForSelector('[data-testid=view-conversations]');
    const mine = await api<MyConversationsResponse>(employee.id, '/api/conversations');
    const withCards = mine.conversations.filter((c) => c.card !== null).length;
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=conversation-card]').length === n,
      withCards,
    );
    if (withCards > 0) {
      assert.ok((await page.locator('[data-testid=conversation-card] .ac-adaptiveCard').count()) >= 1);
    }
    assert.equal(await page.locator('[data-testid=nav-team]').count(), 0, 'no My team for an employee');
    await noSeriousViolations('My conversations');
  });

  for (const theme of ['dark', 'contrast'] as const) {
    it(`renders the ${theme} theme with no serious or critical axe violations`, async () => {
      const manager = userWith(org.teamManagerIds, 'team manager');
      await signIn(manager, `?theme=${theme}`);
      await page.waitForSelector('[data-testid=team-row]');
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
      assert.ok((r ?? 255) + (g ?? 255) + (b ?? 255) < 200, `${theme} background is dark: ${background}`);
      await noSeriousViolations(`${theme} theme, My team`);
      await page.click('[data-testid=nav-conversations]');
      await page.waitForSelector('[data-testid=view-conversations]');
      await noSeriousViolations(`${theme} theme, My conversations`);
    });
  }

  for (const theme of ['dark', 'contrast'] as const) {
    it(`says how the ${theme} theme draws the heat map: brighter is higher`, async () => {
      const od = userWith(org.odTeamIds, 'OD member');
      await signIn(od, `?theme=${theme}`);
      await page.click('[data-testid=nav-organisation]');
      await page.waitForSelector('[data-testid=heatmap] caption');
      assert.match(
        (await page.textContent('[data-testid=heatmap] caption')) ?? '',
        /brighter is higher/,
        theme,
      );
    });
  }

  it('fits a phone: at 360 px the page does not scroll sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const manager = userWith(org.teamManagerIds, 'team manager');
    await signIn(manager);
    await page.waitForSelector('[data-testid=team-row]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    // The trend's axis labels (quarters and years) do not run into each other: at least 4 px apart.
    await page.waitForSelector('[data-testid=trend-chart] .chart-axis');
    const clashes = await page.evaluate(() => {
      const GAP = 4; // closer than this, two labels read as one
      const boxes = [...document.querySelectorAll('[data-testid=trend-chart] .chart-axis tspan')]
        .filter((t) => (t.textContent ?? '').trim() !== '')
        .map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }));
      const out: string[] = [];
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1))
          if (
            a.r.left < b.r.right + GAP &&
            b.r.left < a.r.right + GAP &&
            a.r.top < b.r.bottom &&
            b.r.top < a.r.bottom
          )
            out.push(`${a.text} × ${b.text}`);
      return { count: boxes.length, out };
    });
    assert.ok(clashes.count >= 8, `${clashes.count} axis labels`);
    assert.deepEqual(clashes.out, [], 'axis labels overlap at 360 px');
    await noSeriousViolations('My team at 360 px');
  });

  it('has a configuration page for the OD channel tab', async () => {
    await page.goto(`${app.service.url}/?mode=config`);
    await page.waitForSelector('text=Compliance for the organisation');
    await noSeriousViolations('channel tab configuration page');
  });

  it('names the figure and statuses as the API does, whatever the policy is called', async () => {
    // The council's service, answering as a custom policy with the NHS figure would: the tab must
    // show the server's words, not guess them from /api/me's policy name.
    const label = 'Compliant at quarter end (annual review in the last 12 months)';
    await page.route(
      (url) => url.pathname === '/api/team',
      async (route) => {
        const response = await route.fetch();
        const team = (await response.json()) as TeamResponse;
        const renamed: TeamResponse = {
          ...team,
          figure: { id: 'compliant-at-quarter-end', label, short: 'Compliant at quarter end' },
          members: team.members.map((m, i) => (i === 0 ? { ...m, statusLabel: 'In first 12 months' } : m)),
        };
        await route.fulfill({ response, json: renamed });
      },
    );
    const manager = userWith(org.teamManagerIds, 'team manager');
    await signIn(manager);
    await page.waitForSelector('[data-testid=team-row]');
    await page.waitForSelector('[data-testid=trend-chart]');
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /Compliant at quarter end \(annual review in the last 12 months\)/);
    assert.match(text, /compliant/);
    assert.doesNotMatch(text, /Held a conversation in the quarter/);
    assert.equal(
      (await page.locator('[data-testid=team-row]').first().locator('.badge').textContent())?.trim(),
      'In first 12 months',
    );
  });

  describe('under the Career Conversations preset (NHS)', () => {
    let nhs: RunningApp;
    let nhsOrg: DemoOrg;
    let nhsUsers: DevUser[];

    before(async () => {
      nhsOrg = generateDemoOrg({ asOf: TODAY, people: 120, conversationType: 'career-conversation' });
      const config = readConfig({
        APP_ENV: 'development',
        PORT: String(await freePort()),
        STORAGE_CONNECTION_STRING: azurite.connectionString,
        OD_MEMBERS: nhsOrg.odTeamIds.join(','),
        POLICY: 'career-conversations',
      });
      const tables = await openTables(config.storage, 'nhstab');
      await seedDemoOrg(
        new Records(tables, CAREER_CONVERSATIONS, fixedClock(TODAY), createLogger('seed')),
        tables,
        nhsOrg,
      );
      nhs = await startApp({
        config,
        tables,
        policy: CAREER_CONVERSATIONS,
        clock: fixedClock(TODAY),
        tabDir,
        storagePrefix: 'nhstab',
      });
      nhsUsers = (await (await fetch(`${nhs.service.url}/api/dev/users`)).json()) as DevUser[];
    });

    after(async () => {
      await nhs?.stop();
    });

    async function nhsApi<T>(userId: string, path: string): Promise<T> {
      const issued = await fetch(`${nhs.service.url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      const { token } = (await issued.json()) as { token: string };
      const response = await fetch(`${nhs.service.url}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, 200, `${path} answered ${response.status}`);
      return (await response.json()) as T;
    }

    async function nhsSignIn(ids: readonly string[], view: string): Promise<DevUser> {
      const user = nhsUsers.find((u) => ids.includes(u.id));
      assert.ok(user, 'an NHS dev sign-in user');
      await page.goto(`${nhs.service.url}/?view=${view}`);
      await page.selectOption('[data-testid=dev-user-picker]', user.id);
      await page.click('[data-testid=dev-sign-in]');
      await page.waitForSelector('[data-testid=signed-in-as]');
      return user;
    }

    it('My team shows the server’s figure label and status labels', async () => {
      const manager = await nhsSignIn(nhsOrg.teamManagerIds, 'team');
      await page.waitForSelector('[data-testid=team-row]');
      const team = await nhsApi<TeamResponse>(manager.id, '/api/team');
      assert.equal(team.figure.label, 'Compliant at quarter end (career conversation in the last 12 months)');
      const text = await page.evaluate(() => document.body.innerText);
      assert.ok(text.includes(team.figure.label), 'the figure label is on the page');
      for (const m of team.members) {
        const badge = page.locator(`[data-testid=team-row][data-employee-id="${m.employeeId}"] .badge`);
        assert.equal((await badge.textContent())?.trim(), m.statusLabel, m.employeeId);
      }
      await noSeriousViolations('NHS My team');
    });

    it('Organisation shows the server’s figure label, and the lists its status labels', async () => {
      const od = await nhsSignIn(nhsOrg.odTeamIds, 'organisation');
      await page.waitForSelector('[data-testid=org-child-row]');
      await page.waitForSelector('[data-testid=list-overdue] [data-testid=list-row]');
      const view = await nhsApi<OrgResponse>(od.id, '/api/org');
      const text = await page.evaluate(() => document.body.innerText);
      assert.ok(text.includes(view.figure.label), 'the figure label is on the page');
      assert.ok(text.includes(view.figure.short), 'the column heading is the server’s');
      const list = await nhsApi<OrgListResponse>(od.id, '/api/org/list?kind=overdue');
      const first = list.rows[0]!;
      const badge = page.locator(
        `[data-testid=list-overdue] [data-testid=list-row][data-employee-id="${first.employeeId}"] .badge`,
      );
      assert.equal((await badge.textContent())?.trim(), first.statusLabel);
    });
  });
});
