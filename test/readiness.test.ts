/**
 * Readiness as a load balancer sees it (bot/service.ts `/readyz`): ready while storage answers,
 * 503 when it does not, and 503 with `Connection: close` once shutdown has begun, while the
 * request in flight is still answered.
 */
import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { type RunningApp, startApp } from '../bot/app';
import { systemClock } from '../bot/clock';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort, storagePorts } from '../bot/dev/ports';
import { configureLogging } from '../bot/log';
import { openTables } from '../bot/storage/tables';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';

const TAB_DIR = new URL('./fixtures/tab', import.meta.url).pathname;

/** One raw HTTP/1.1 exchange: `head` is sent, then `rest` once `between` has run; the whole answer. */
function exchange(port: number, head: string, between: () => void, rest: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (b) => (answer += b.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.once('connect', () => {
      socket.write(head);
      // Let the server see the request begin (it is then in flight, not an idle connection).
      setTimeout(() => {
        between();
        setTimeout(() => socket.write(rest), 100);
      }, 100);
    });
  });
}

describe('readiness and shutdown over HTTP', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  const apps: RunningApp[] = [];

  const app = async () => {
    const config = readConfig({
      APP_ENV: 'development',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
    });
    const started = await startApp({
      config,
      tables: await openTables(config.storage),
      policy: PROFESSIONAL_CONVERSATION,
      clock: systemClock,
      tabDir: TAB_DIR,
      storagePrefix: `ready${apps.length}`,
    });
    apps.push(started);
    return started;
  };

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(async () => {
    await Promise.all(apps.map((a) => a.stop(2_000)));
    await azurite?.stop();
    configureLogging('info');
  });

  it('answers 503 "stopping" with Connection: close once shutdown begins, and answers the request in flight', async () => {
    const running = await app();
    const { service } = running;
    apps.splice(apps.indexOf(running), 1);
    assert.equal((await fetch(`${service.url}/readyz`)).status, 200);
    let stopped: Promise<void> | undefined;
    const answer = await exchange(
      service.port,
      'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      () => {
        stopped = running.stop(5_000);
      },
      '\r\n',
    );
    assert.match(answer, /^HTTP\/1\.1 503 /, answer);
    assert.match(answer, /\r\nConnection: close\r\n/i);
    assert.match(answer, /\{"status":"stopping"\}/);
    await stopped;
    await assert.rejects(fetch(`${service.url}/healthz`), 'no longer listening');
  });

  it('answers 503 "storage unreachable" within seconds when storage stops answering, and is live all along', async () => {
    const { service } = await app();
    assert.deepEqual(await (await fetch(`${service.url}/readyz`)).json(), { status: 'ready', storage: 'ok' });
    await azurite.stop();
    const asked = performance.now();
    const ready = await fetch(`${service.url}/readyz`);
    const waited = performance.now() - asked;
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: 'unavailable', storage: 'unreachable' });
    assert.ok(waited < 10_000, `answered after ${Math.round(waited)} ms`);
    assert.equal((await fetch(`${service.url}/healthz`)).status, 200, 'liveness does not depend on storage');
  });
});
