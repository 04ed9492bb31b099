/**
 * The production build as deployed (issue 16): `npm run build` output started with `node`, in a
 * folder holding only production dependencies, in production mode with a bot identity, on
 * Azurite. It answers liveness, readiness and version, serves every tab URL with the security
 * headers, accepts a Bot Framework token signed by the (local) channel keys and refuses every
 * wrong one, and stops gracefully on SIGTERM (a second signal ends it at once).
 */
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { type RunningAzurite, startAzurite, stopChild } from '../bot/dev/azurite';
import { freePort, storagePorts } from '../bot/dev/ports';
import { buildPackage } from '../manifest/package';
import { type BotTokenServer, startBotTokenServer } from './support/bot-tokens';
import { type ProductionInstall, productionInstall } from './support/production-install';

const APP_ID = '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const TENANT = '11111111-2222-4333-8444-555555555555';
/** Where activities claim to come from; nothing is sent there (the invoke is answered in the response). */
const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';

/** A Teams activity from a user, as the channel posts it. */
function activity(serviceUrl: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    id: `act-${Math.random().toString(16).slice(2)}`,
    timestamp: new Date().toISOString(),
    from: { id: '29:user', name: 'Test User', aadObjectId: '22222222-3333-4444-8555-666666666666' },
    recipient: { id: `28:${APP_ID}`, name: 'Bot' },
    conversation: { id: 'a:personal-chat-1', conversationType: 'personal', tenantId: TENANT },
    ...fields,
  };
}

describe('the production build, started as deployed', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let install: ProductionInstall;
  let keys: BotTokenServer;
  let service: ChildProcess;
  let url: string;
  let output: () => string;
  const children: ChildProcess[] = [];

  /** Starts the built service with only what the deployment sets; resolves once it is ready. */
  async function startBuilt(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    const port = await freePort();
    const at = `http://127.0.0.1:${port}`;
    let text = '';
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
      cwd: install.dir,
      env: {
        PATH: process.env.PATH,
        // Only what the deployment sets, and the test run's fake wall clock if it has one (the
        // suite runs under faketime in CI): the tokens are signed on the test's clock.
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => /^(LD_PRELOAD|FAKETIME.*)$/.test(name)),
        ),
        HOST: '127.0.0.1',
        PORT: String(port),
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
        MICROSOFT_APP_TENANT_ID: TENANT,
        STORAGE_CONNECTION_STRING: azurite.connectionString,
        BOT_OPENID_METADATA_URL: keys.metadataUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    child.stdout.on('data', (b: Buffer) => (text += b.toString()));
    child.stderr.on('data', (b: Buffer) => (text += b.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) assert.fail(`the built service exited (${child.exitCode}):\n${text}`);
      const ok = await fetch(`${at}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) assert.fail(`the built service did not become ready:\n${text}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { child, url: at, output: () => text };
  }

  before(async () => {
    [azurite, install, keys] = await Promise.all([
      storagePorts().then((ports) => startAzurite({ ports })),
      productionInstall(),
      startBotTokenServer(),
    ]);
    const started = await startBuilt();
    service = started.child;
    url = started.url;
    output = started.output;
  });

  after(async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    await Promise.all([azurite?.stop(), keys?.close(), install?.remove()]);
  });

  it('holds only production dependencies and no TypeScript runner', async () => {
    assert.ok(install.packages.includes('botbuilder') && install.packages.includes('express'));
    const present = new Set(await readdir(`${install.dir}/node_modules`));
    for (const dev of ['tsx', 'esbuild', 'mocha', 'typescript', 'azurite', 'playwright-core'])
      assert.ok(!present.has(dev), `${dev} is a devDependency and must not be installed`);
    // Nothing above the folder supplies them either (an install inside the checkout would
    // resolve the checkout's node_modules and hide a missing production dependency).
    const resolveFromInstall = (name: string) =>
      new Promise<number | null>((resolve) =>
        spawn(
          process.execPath,
          ['-e', `import(${JSON.stringify(name)}).then(() => process.exit(0), () => process.exit(3))`],
          {
            cwd: install.dir,
            stdio: 'ignore',
          },
        ).on('exit', resolve),
      );
    assert.equal(await resolveFromInstall('tsx'), 3, 'tsx cannot be loaded from the install');
    assert.equal(await resolveFromInstall('express'), 0, 'a production dependency can');
    assert.match(output(), /service started/);
  });

  it('answers liveness, readiness and its version', async () => {
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' });
    assert.deepEqual(await (await fetch(`${url}/readyz`)).json(), { status: 'ready', storage: 'ok' });
    const version = (await (await fetch(`${url}/version`)).json()) as Record<string, string | undefined>;
    assert.equal(version.name, 'professional-conversations');
    assert.match(version.version ?? '', /^\d+\.\d+\.\d+/);
    assert.notEqual(version.commit, 'source', 'the build wrote its commit');
    assert.ok(!Number.isNaN(Date.parse(version.builtAt ?? '')));
  });

  it("serves every tab URL of the app package's manifest with a content security policy and HSTS", async () => {
    const { manifest } = await buildPackage({ env: 'demo', outDir: `${install.dir}/package` });
    const { staticTabs, configurableTabs } = manifest as {
      staticTabs: { contentUrl?: string }[];
      configurableTabs: { configurationUrl: string }[];
    };
    const urls = [
      ...staticTabs.flatMap((t) => (t.contentUrl === undefined ? [] : [t.contentUrl])),
      ...configurableTabs.map((t) => t.configurationUrl),
    ];
    assert.equal(
      urls.length,
      4,
      "My team, Organisation, My conversations and the channel tab's configuration",
    );
    for (const tabUrl of urls) {
      // Teams fills {theme} in before loading the tab.
      const { pathname, search } = new URL(tabUrl.replace('{theme}', 'default'));
      const path = `${pathname}${search}`;
      const page = await fetch(`${url}${path}`);
      assert.equal(page.status, 200, path);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/, path);
      assert.match(await page.text(), /<script[^>]+app\.js/, `${path} is the tab`);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(
        csp,
        /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/,
        'the inline theme script by its hash only',
      );
      assert.match(csp, /object-src 'none'/);
      assert.match(csp, /frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(page.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
    }
    const script = await fetch(`${url}/app.js`);
    assert.equal(script.status, 200);
    assert.ok(script.headers.get('content-security-policy'), 'every response carries the headers');
  });

  /** Posts an invoke the bot answers in the HTTP response (an empty card action: 400 BadRequest). */
  const invoke = (authorization: string | undefined, serviceUrl = SERVICE_URL) =>
    fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity(serviceUrl, { type: 'invoke', name: 'adaptiveCard/action', value: {} })),
    });

  it('accepts a token the channel signed for this bot and answers the turn', async () => {
    const response = await invoke(await keys.bearer(APP_ID, SERVICE_URL));
    assert.equal(response.status, 400, 'the turn ran: an empty card action is a bad request');
    assert.equal(((await response.json()) as { value: { code: string } }).value.code, 'BadRequest');
  });

  it('refuses unsigned, forged, expired, wrong-audience, wrong-issuer, wrong-service-URL and unendorsed tokens', async () => {
    const cases: [string, string | undefined][] = [
      ['no token', undefined],
      ['unsigned', 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiI2ZjJjMWE3ZSJ9.'],
      [
        'forged (signed by a key the channel does not publish)',
        await keys.bearer(APP_ID, SERVICE_URL, { forged: true }),
      ],
      ['expired an hour ago', await keys.bearer(APP_ID, SERVICE_URL, { expiresIn: -3600 })],
      ['for another bot', await keys.bearer('0d3c9a2b-1111-4222-8333-944455556666', SERVICE_URL)],
      ['from another issuer', await keys.bearer(APP_ID, SERVICE_URL, { issuer: 'https://evil.example' })],
      [
        'for another service URL',
        await keys.bearer(APP_ID, SERVICE_URL, { serviceUrl: 'https://evil.example/' }),
      ],
      [
        'signed by a key endorsed for another channel',
        await keys.bearer(APP_ID, SERVICE_URL, { otherChannelKey: true }),
      ],
    ];
    for (const [name, authorization] of cases) {
      const response = await invoke(authorization);
      assert.equal(response.status, 401, name);
    }
  });

  it('stops gracefully on SIGTERM: says it is stopping, exits 0 and stops listening', async () => {
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    service.kill('SIGTERM');
    assert.equal(await exited, 0, output().slice(-2000));
    assert.match(output(), /"stopping"/);
    await assert.rejects(fetch(`${url}/healthz`), 'no longer listening');
  });

  it('waits for the request in flight on SIGTERM, and a second signal ends it at once with 1', async () => {
    const second = await startBuilt();
    // A request begun and not finished: the drain waits for it (up to the 10 s grace).
    const socket = connect(Number(new URL(second.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    socket.on('error', () => {});
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise<number | null>((resolve) =>
      second.child.once('exit', (code) => resolve(code)),
    );
    second.child.kill('SIGTERM');
    while (!/"stopping"/.test(second.output())) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(second.child.exitCode, null, 'still draining: the request is in flight');
    const asked = performance.now();
    second.child.kill('SIGINT');
    assert.equal(await exited, 1, second.output().slice(-2000));
    assert.ok(performance.now() - asked < 5_000, 'ended at once, not at the grace');
    assert.match(second.output(), /stopped before the grace ended/);
    socket.destroy();
  });
});
