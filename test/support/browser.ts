/**
 * A headless Chromium for browser tests, driven by playwright-core: Debian's `chromium` (installed
 * by `.ci/run`), or the binary named by CHROMIUM_PATH. A failed test saves a screenshot of the
 * page under test/artifacts/ so the failure can be seen.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

/** Where Chromium is on this machine. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
  if (found === undefined) {
    throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH.');
  }
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
