/**
 * Pay steps in the tab, in headless Chromium (Career Conversations policy §5.8, §8): the service on
 * Azurite under the NHS preset with a small trust, signed in through the development sign-in. A
 * manager presses a member's pay-step line on My team and the checks I–V open under the row as a
 * table (check, result, reason, source), as the API answers them; People Services picks a quarter
 * on the Organisation view and sees that quarter's pay-step deferrals. axe-core finds nothing
 * serious. A failed test saves a screenshot under test/artifacts/.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { type RunningApp, startApp } from '../bot/app';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort, storagePorts } from '../bot/dev/ports';
import { configureLogging } from '../bot/log';
import { type Employee } from '../core/model';
import { CAREER_CONVERSATIONS } from '../core/policy/presets';
import { type PayStepResponse } from '../core/tab-api';
import { buildTab } from '../tab/build';
import { seriousViolations } from './support/axe';
import { type BotHarness, botHarness } from './support/bot-harness';
import { launchBrowser, saveScreenshot } from './support/browser';
import { nhsPerson } from './support/nhs-people';

const TODAY = '2026-12-03';
const HEAD = 'e1000000-0000-4000-8000-000000000001';
const MANAGER = 'e1000000-0000-4000-8000-000000000002';
const PEOPLE_SERVICES = 'e1000000-0000-4000-8000-000000000003';
const NURSE = 'e1000000-0000-4000-8000-000000000004';
const LATER = 'e1000000-0000-4000-8000-000000000005';
const DEFERRED = 'e1000000-0000-4000-8000-000000000006';

const person = nhsPerson;

const people: Employee[] = [
  person(HEAD, 'Hana Head', undefined),
  person(MANAGER, 'Mo Manager', HEAD),
  person(PEOPLE_SERVICES, 'Priya People', HEAD),
  // Incremental date 14 January 2027, 42 days away: inside the 56-day window. Training outstanding.
  person(NURSE, 'Nell Nurse', MANAGER, { payStepDate: '2022-01-14', mandatoryTrainingComplete: false }),
  // Incremental date in May: outside the window, no line.
  person(LATER, 'Lee Later', MANAGER, {
    payStepDate: '2022-05-20',
    payStepDecisions: [
      {
        forDate: '2026-05-20',
        decision: 'progressed',
        decidedOn: '2026-05-01',
        decidedBy: MANAGER,
        effectiveFrom: '2026-05-20',
      },
    ],
  }),
  // Deferred at 20 August 2026 (2026/27 Q2), the support plan still open.
  person(DEFERRED, 'Dee Deferred', MANAGER, {
    payStepDate: '2022-08-20',
    payStepDecisions: [
      {
        forDate: '2026-08-20',
        decision: 'deferred',
        decidedOn: '2026-08-18',
        decidedBy: MANAGER,
        supportPlan: [
          {
            id: 'p1',
            text: 'Shadow a senior colleague',
            owner: 'employee',
            dueDate: '2027-01-10',
            done: false,
          },
        ],
      },
    ],
  }),
];

describe('pay steps in the tab, in Chromium (NHS preset, dev sign-in, Azurite)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let h: BotHarness;
  let app: RunningApp;
  let browser: Browser;
  let tabDir: string;
  let page: Page;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    h = await botHarness({
      azurite,
      people,
      today: TODAY,
      policy: CAREER_CONVERSATIONS,
      odMembers: [PEOPLE_SERVICES],
    });
    tabDir = await mkdtemp(join(tmpdir(), 'pc-tab-pay-step-'));
    await buildTab(tabDir);
    app = await startApp({
      config: readConfig({
        APP_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        STORAGE_CONNECTION_STRING: azurite.connectionString,
        OD_MEMBERS: PEOPLE_SERVICES,
        POLICY: 'career-conversations',
      }),
      tables: h.tables,
      policy: CAREER_CONVERSATIONS,
      clock: h.clock,
      tabDir,
      storagePrefix: 'psbrowser',
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await azurite?.stop();
    if (tabDir) await rm(tabDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const file = await saveScreenshot(page, this.currentTest.fullTitle());
      console.error(`screenshot: ${file}`);
    }
    await page?.close();
  });

  async function signIn(userId: string, query = ''): Promise<void> {
    await page.goto(`${app.service.url}/${query}`);
    await page.selectOption('[data-testid=dev-user-picker]', userId);
    await page.click('[data-testid=dev-sign-in]');
    await page.waitForSelector('[data-testid=signed-in-as]');
  }

  async function api<T>(userId: string, path: string): Promise<T> {
    const minted = await fetch(`${app.service.url}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    const { token } = (await minted.json()) as { token: string };
    const response = await fetch(`${app.service.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200, `${path} answered ${response.status}`);
    return (await response.json()) as T;
  }

  it("manager: pressing a member's pay-step line opens the checks table under the row", async () => {
    await signIn(MANAGER);
    const row = `[data-testid=team-row][data-employee-id="${NURSE}"]`;
    await page.waitForSelector(row);
    const line = page.locator(`${row} [data-testid=pay-step-line]`);
    assert.equal((await line.textContent())?.trim(), 'Pay step 14 Jan 2027 — decision due');
    assert.equal(await line.getAttribute('aria-expanded'), 'false');
    // Outside the window: no line; a deferral whose plan is open: its line.
    assert.equal(await page.locator(`[data-employee-id="${LATER}"] [data-testid=pay-step-line]`).count(), 0);
    assert.equal(
      (
        await page.locator(`[data-employee-id="${DEFERRED}"] [data-testid=pay-step-line]`).textContent()
      )?.trim(),
      'Pay step 20 Aug 2026 — Deferred, plan open',
    );

    await line.click();
    await page.waitForSelector('[data-testid=pay-step-checks] [data-testid=pay-step-check]');
    assert.equal(await line.getAttribute('aria-expanded'), 'true');
    const panelId = await line.getAttribute('aria-controls');
    assert.ok(panelId);
    assert.equal(
      await page.locator(`#${panelId} [data-testid=pay-step-checks]`).count(),
      1,
      'the button controls the panel',
    );

    const answer = await api<PayStepResponse>(MANAGER, `/api/team/${NURSE}/pay-step`);
    const headings = await page.locator('[data-testid=pay-step-checks] thead th').allTextContents();
    assert.deepEqual(headings, ['Check', 'Result', 'Reason', 'Source']);
    const rows = await page
      .locator('[data-testid=pay-step-check]')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from(tr.children).map((c) => (c as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
        ),
      );
    assert.deepEqual(
      rows,
      answer.checks.map((c) => [`${c.id}. ${c.label}`, c.outcomeLabel, c.reason, `${c.source} ${c.clause}`]),
    );
    assert.equal(rows.length, 5);
    assert.equal(rows[3]?.[1], 'Not met', 'check IV: training outstanding');
    assert.match(await page.locator('[data-testid=pay-step-readiness]').innerText(), /A check is not met/);
    assert.match(
      await page.locator('[data-testid=pay-step-decision]').innerText(),
      /No decision is recorded yet/,
    );
    assert.deepEqual(await seriousViolations(page), []);

    // Pressing it again closes the checks.
    await line.click();
    assert.equal(await line.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('[data-testid=pay-step-row]').first().isHidden(), true);
  });

  it("People Services: the Organisation view shows the picked quarter's pay-step deferrals", async () => {
    await signIn(PEOPLE_SERVICES, `?view=organisation&node=${HEAD}`);
    await page.waitForSelector('[data-testid=org-pay-step-deferrals]');
    const figure = page.locator('[data-testid=org-pay-step-deferrals]');
    // The current quarter (2026/27 Q3): nothing deferred at a date in it.
    assert.equal(await figure.textContent(), '0');
    await page.selectOption('[data-testid=org-quarter-picker]', '2026/27 Q2');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=org-pay-step-deferrals]')?.textContent === '1',
    );
    const label = await figure.locator('xpath=..').locator('.figure-label').textContent();
    assert.equal(label, 'Pay-step deferrals in the quarter');
    assert.equal(
      await page
        .locator(`[data-testid=org-child-row][data-node-id="${MANAGER}"] [data-testid=org-child-deferrals]`)
        .textContent(),
      '1',
    );
    assert.match(page.url(), /quarter=2026%2F27\+Q2|quarter=2026%2F27%20Q2/);
    assert.deepEqual(await seriousViolations(page), []);
  });
});
