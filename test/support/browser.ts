/**
 * A headless Chromium for browser tests, driven by playwright-core: the binary named by
 * CHROMIUM_PATH, or the system's Chromium or Chrome (Debian's `chromium`, installed by `.ci/run`).
 * With none, the test run stops before its first test with the command that installs one
 * (test/support/preflight.ts) — the browser tests are never skipped. A failed test saves a screenshot of the
 * page under test/artifacts/ so the failure can be seen.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

/** Where a Chromium (or Chrome) is looked for: CHROMIUM_PATH alone when it is set. */
function candidates(): string[] {
  if (process.env.CHROMIUM_PATH) return [process.env.CHROMIUM_PATH];
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ].filter((c) => c !== '');
}

/** What to do when there is none: the one command for this platform. */
export function chromiumMissing(): string {
  const install =
    process.platform === 'darwin'
      ? 'brew install --cask chromium'
      : process.platform === 'linux'
        ? 'sudo apt-get install -y chromium'
        : 'install Chromium or Chrome';
  const named = process.env.CHROMIUM_PATH
    ? ` (CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist)`
    : '';
  return `The browser tests need Chromium and none was found${named}. Install it with:\n\n  ${install}\n\nor set CHROMIUM_PATH to a Chromium or Chrome binary, then run npm test again.`;
}

/** Where Chromium is on this machine, or undefined. */
export function findChromium(): string | undefined {
  return candidates().find((c) => existsSync(c));
}

/** Where Chromium is on this machine. */
export function chromiumPath(): string {
  const found = findChromium();
  if (found === undefined) throw new Error(chromiumMissing());
  return found;
}

/** Starts headless Chromium. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true });
}

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

/** Saves a full-page screenshot named after the test; resolves with its path. */
export async function saveScreenshot(page: Page, testTitle: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${testTitle.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
