/**
 * Before any test runs: this machine has what the suite needs beyond `npm install` — a Chromium
 * for the browser tests. Without one the run stops at once with the command that installs it,
 * rather than failing (or being skipped) minutes later. Loaded by mocha (`.mocharc.json`
 * `require`) and run first by `npm test`.
 */
import { chromiumMissing, findChromium } from './browser';

/** Mocha's global set-up: throws, ending the run before the first test, when Chromium is missing. */
export function mochaGlobalSetup(): void {
  if (findChromium() === undefined) throw new Error(chromiumMissing());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (findChromium() === undefined) {
    process.stderr.write(`${chromiumMissing()}\n`);
    process.exit(1);
  }
}
