/**
 * The test command on a machine without Chromium (issue 19): it stops before the first test with
 * the command that installs one, instead of failing later or skipping the browser tests.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';

const run = (args: string[]) =>
  spawnSync(process.execPath, args, {
    env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('test preflight: a browser on a fresh machine', function () {
  this.timeout(90_000);

  it('npm test stops at once, naming the install command, when no Chromium is found', () => {
    const result = run(['--import', 'tsx', 'test/support/preflight.ts']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /The browser tests need Chromium and none was found/);
    assert.match(result.stderr, /sudo apt-get install -y chromium|brew install --cask chromium/);
  });

  it('mocha itself ends before its first test, so no browser test is silently skipped', () => {
    const result = run([
      'node_modules/mocha/bin/mocha.js',
      '--no-config',
      '--import=tsx',
      '--require',
      'test/support/preflight.ts',
      'test/people-finder.test.ts',
    ]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr + result.stdout, /global setup failed[^]*none was found/);
    assert.doesNotMatch(result.stdout, /passing/, 'no test ran');
  });

  it('passes on this machine, which has one', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/preflight.ts'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
  });
});
