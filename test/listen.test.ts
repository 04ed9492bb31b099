/** Graceful shutdown of an HTTP server (bot/listen.ts): requests in flight are answered, within a grace period. */
import { strict as assert } from 'node:assert';
import { listen } from '../bot/listen';

describe('stopping an HTTP server', () => {
  const slow = (ms: number) =>
    listen(
      (_req, res) => {
        setTimeout(() => res.end('done'), ms);
      },
      0,
      '127.0.0.1',
    );

  it('answers a request in flight, refuses new connections, and closes once it is answered', async () => {
    const server = await slow(300);
    const url = `http://127.0.0.1:${server.port}/`;
    const inFlight = fetch(url).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const closed = server.close(5_000);
    assert.equal(await inFlight, 'done', 'the request in flight was answered');
    await closed;
    assert.ok(Date.now() - started < 2_000, 'closed when the request was answered, not at the grace period');
    await assert.rejects(fetch(url), 'a new connection is refused');
  });

  it('cuts what is still running when the grace period ends', async () => {
    const server = await slow(10_000);
    const inFlight = fetch(`http://127.0.0.1:${server.port}/`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await server.close(200);
    assert.ok(Date.now() - started < 2_000);
    assert.equal(await inFlight, 'cut');
  });
});
