/**
 * Telemetry end to end: the real service (`bot/main.ts`) in a child process, so OpenTelemetry's
 * global registration stays out of the other tests, with Azurite, the Graph stand-in over TLS and
 * the Bot Connector stand-in, exporting to a local server that plays Application Insights'
 * ingestion endpoint. A whole conversation cycle runs with a marker word in every free-text field
 * (prep notes, adjustments, the key areas' notes and outcomes, an action, the employee's
 * comments); then the service is stopped gracefully, which flushes, and the test checks what
 * arrived — requests, dependencies, the app's spans and metrics, log records correlated by
 * operation id — and that the marker is in none of it, nor in anything the service printed.
 * Without a connection string nothing is sent and the service works the same.
 */
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type IncomingMessage } from 'node:http';
import { type Server, createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { type Employee } from '../core/model';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { londonDate } from '../bot/clock';
import { type ConnectorStandIn, startConnectorStandIn } from '../bot/dev/connector-standin';
import { type RunningAzurite, startAzurite, stopChild } from '../bot/dev/azurite';
import { freePort, storagePorts } from '../bot/dev/ports';
import { createDevCertificate } from '../bot/dev/tls-cert';
import { configureLogging, createLogger } from '../bot/log';
import { Records } from '../bot/records/records';
import { runRefresh } from '../bot/records/refresh';
import { type Tables, openTables } from '../bot/storage/tables';
import { TELEMETRY_NAMES } from '../bot/telemetry/instruments';
import { redactAttributes } from '../bot/telemetry/redact';
import { buttonData, cardText } from './support/cards';
import { type GraphFixture, startGraphFixture } from './graph/fixture';

const MARKER = 'ZEBRAQUARTZ';
const MANAGER = 'b2000000-0000-4000-8000-000000000001';
const EMPLOYEE = 'b2000000-0000-4000-8000-000000000002';
const KEY = '00000000-0000-0000-0000-000000000000';
const ROOT = new URL('..', import.meta.url).pathname;

const person = (id: string, name: string, managerId?: string): Employee => ({
  id,
  name,
  email: `${name.toLowerCase().replace(/ /g, '.')}@council.example`,
  positionNumber: `P${id.slice(-4)}`,
  managerId,
  department: 'Adult Services',
  staffGroup: 'Local Government Services',
  startDate: '2020-01-06',
});
const people = [person(MANAGER, 'Tess Manager'), person(EMPLOYEE, 'Ezra Employee', MANAGER)];

/**
 * Loaded into the child before anything else: refuses connections to anything but loopback, so
 * no telemetry helper (the Azure VM metadata probe, SDK usage statistics) reaches past this
 * machine; what it refused is printed as `{"blockedConnection":host}`.
 */
const LOOPBACK_ONLY = `data:text/javascript,${encodeURIComponent(`
import net from 'node:net';
const connect = net.Socket.prototype.connect;
const loopback = /^(127\\.|localhost$|::1$|\\[::1\\]$)/;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  const host = options.path ? undefined : (options.host ?? 'localhost');
  if (host !== undefined && !loopback.test(host)) {
    process.stderr.write(JSON.stringify({ blockedConnection: host }) + '\\n');
    process.nextTick(() => this.destroy(Object.assign(new Error('refused by the test: ' + host), { code: 'ECONNREFUSED' })));
    return this;
  }
  return connect.apply(this, args);
};
`)}`;

/** One Application Insights envelope as the exporter posts it. */
interface Envelope {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly data?: {
    readonly baseType?: string;
    readonly baseData?: {
      readonly name?: string;
      readonly message?: string;
      readonly metrics?: readonly { readonly name: string; readonly value: number }[];
      readonly properties?: Record<string, string>;
    };
  };
}

/**
 * A local stand-in for Application Insights' ingestion endpoint (`/v2.1/track`), over TLS: the
 * exporter sends over https whatever the connection string says, so the child trusts this
 * server's certificate through `NODE_EXTRA_CA_CERTS`.
 */
async function startIngestion(): Promise<{
  readonly url: string;
  /** The file of the server's certificate, for `NODE_EXTRA_CA_CERTS`. */
  readonly caFile: string;
  readonly bodies: string[];
  envelopes(): Envelope[];
  close(): Promise<void>;
}> {
  const bodies: string[] = [];
  const tls = createDevCertificate();
  const dir = await mkdtemp(join(tmpdir(), 'ingestion-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, tls.cert, 'utf8');
  const read = async (request: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    return request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  };
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    read(request).then(
      (body) => {
        const text = body.toString('utf8');
        bodies.push(text);
        const items = text.trim().startsWith('[') ? (JSON.parse(text) as unknown[]).length : 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ itemsReceived: items, itemsAccepted: items, errors: [] }));
      },
      () => {
        response.writeHead(400).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    caFile,
    bodies,
    envelopes: () =>
      bodies.flatMap((text) => {
        const trimmed = text.trim();
        return trimmed.startsWith('[')
          ? (JSON.parse(trimmed) as Envelope[])
          : trimmed.split('\n').map((line) => JSON.parse(line) as Envelope);
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The service as a child process, its output kept. */
interface ServiceChild {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  /** Resolves when a log line matches. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<void>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

async function startService(env: Record<string, string>): Promise<ServiceChild> {
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(APPLICATIONINSIGHTS_|OTEL_|NODE_OPTIONS$|GRAPH_|STORAGE_|MICROSOFT_APP_)/.test(name),
    ),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', LOOPBACK_ONLY, 'bot/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, APP_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited: ${output.stderr.slice(-2000)}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the service did not start: ${output.stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output,
    waitForLog: async (match, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      while (!logLines(output.stderr).some(match)) {
        if (Date.now() > until) throw new Error('the expected log line did not appear');
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop: async () => {
      await stopChild(child, 20_000);
      return exited;
    },
  };
}

/** The JSON log lines of the service's output. */
function logLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every input on a card with its value (a toggle's valueOff when unset). */
function inputsOf(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') {
      const value = n.value ?? (n.type === 'Input.Toggle' ? (n.valueOff ?? 'false') : '');
      values[n.id] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    Object.values(n).forEach(walk);
  };
  walk(card);
  return values;
}

/** Every free-text input of a card filled with a sentence holding the marker. */
function markedText(card: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.keys(inputsOf(card))
      // One action: the form's spare blank rows stay blank.
      .filter(
        (id) => /(notes|outcomes|text|comments|adjustments|^prep\.)/.test(id) && !/^action\.[1-9]/.test(id),
      )
      .map((id) => [id, `${MARKER} said something private about ${id}.`]),
  );
}

/** Drives the bot over HTTP as Teams would, with the connector stand-in as the serviceUrl. */
function teamsClient(serviceUrl: string, botUrl: string) {
  const post = async (from: string, fields: Record<string, unknown>) => {
    const response = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channelId: 'msteams',
        serviceUrl,
        id: `act-${Math.random().toString(16).slice(2)}`,
        timestamp: new Date().toISOString(),
        from: { id: `29:${from}`, name: people.find((p) => p.id === from)!.name, aadObjectId: from },
        recipient: { id: '28:bot', name: 'Bot' },
        conversation: { id: chatOf(from), conversationType: 'personal', tenantId: 'tenant-1' },
        ...fields,
      }),
    });
    return response;
  };
  return {
    install: (from: string) => post(from, { type: 'installationUpdate', action: 'add' }),
    say: (from: string, text: string) => post(from, { type: 'message', text }),
    invoke: async (from: string, verb: string, data: Record<string, unknown>) => {
      const response = await post(from, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data: { ...data, verb } } },
      });
      assert.equal(response.status, 200, `${verb} answered ${response.status}`);
      return ((await response.json()) as { value: Record<string, unknown> }).value;
    },
  };
}

const chatOf = (id: string) => `a:chat-${id}`;

/** The London HH:MM at least `leadMs` from now, rounded up to the minute. */
function londonMinuteAfter(leadMs: number): string {
  const at = new Date(Math.ceil((Date.now() + leadMs) / 60_000) * 60_000);
  return at.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
}

/** Waits for a card delivered to a conversation whose text matches. */
async function delivered(
  connector: ConnectorStandIn,
  conversationId: string,
  pattern: RegExp,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const d of connector.deliveredTo(conversationId)) {
      const attachments = (d.activity.attachments ?? []) as { content?: unknown }[];
      const card = attachments[0]?.content;
      if (card !== undefined && pattern.test(cardText(card))) return card as Record<string, unknown>;
    }
    if (Date.now() > deadline) throw new Error(`no card matching ${pattern} reached ${conversationId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('telemetry redaction (defence in depth)', () => {
  it('drops text-like, credential and header attributes, query strings, e-mail addresses and exception messages', () => {
    const redacted = redactAttributes({
      'http.request.method': 'GET',
      'url.full': "https://graph.microsoft.com/v1.0/users?$filter=startswith(displayName,'Ezra')",
      'url.query': "$filter=startswith(displayName,'Ezra')",
      'http.target': '/api/team?search=Ezra',
      'http.request.header.authorization': ['Bearer abc'],
      'card.value': 'typed by a person',
      notes: 'private',
      'db.statement': "PartitionKey eq 'x'",
      'server.address': 'graph.microsoft.com',
      'enduser.id': 'ezra.employee@council.example',
      'exception.type': 'RestError',
      'exception.message': 'Invalid value "private words"',
      'exception.stacktrace': 'RestError: Invalid value "private words"\n    at handle (/app/x.js:1:1)',
      'http.response.status_code': 200,
    });
    assert.deepEqual(redacted, {
      'http.request.method': 'GET',
      'url.full': 'https://graph.microsoft.com/v1.0/users',
      'http.target': '/api/team',
      'db.statement': "PartitionKey eq 'x'",
      'server.address': 'graph.microsoft.com',
      'enduser.id': '[email]',
      'exception.type': 'RestError',
      'exception.stacktrace': '    at handle (/app/x.js:1:1)',
      'http.response.status_code': 200,
    });
  });
});

describe('telemetry (the service in a child process, a local Application Insights endpoint)', function () {
  this.timeout(180_000);
  let azurite: RunningAzurite;
  let graph: GraphFixture;
  let connector: ConnectorStandIn;
  let tables: Tables;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    graph = await startGraphFixture({ employees: people });
    connector = await startConnectorStandIn();
    tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
    const records = new Records(tables, PROFESSIONAL_CONVERSATION, clockNow(), createLogger('test.seed'));
    await records.directory.upsertMany(people);
    await runRefresh(records, tables.jobs);
  });

  after(async () => {
    await connector?.stop();
    await graph?.close();
    await azurite?.stop();
  });

  it('exports requests, dependencies, its spans, metrics and correlated logs, and never a word of what people wrote', async () => {
    const ingestion = await startIngestion();
    const syncTime = londonMinuteAfter(25_000);
    const service = await startService({
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      ...graph.env,
      GRAPH_SYNC_TIME: syncTime,
      LOG_LEVEL: 'debug',
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${KEY};IngestionEndpoint=${ingestion.url}`,
      NODE_EXTRA_CA_CERTS: ingestion.caFile,
      // Every span (the distro samples 5 a second by default), metrics every 2 s, no usage statistics.
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_METRIC_EXPORT_INTERVAL: '2000',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
    });
    let exitCode: number | null | undefined;
    try {
      const teams = teamsClient(connector.url, service.url);
      await teams.install(MANAGER);
      await teams.install(EMPLOYEE);
      await delivered(connector, chatOf(EMPLOYEE), /welcome to Professional Conversations/);

      // Schedule: three free times from the Graph stand-in; book one. The prep card's first send
      // is answered 429 (Retry-After 1 s) and sent again.
      const slots = await teams.invoke(MANAGER, 'schedule', { employeeId: EMPLOYEE });
      const slot = choicesOf(slots, 'slot')[0] ?? '';
      assert.ok(slot, `no slot offered: ${cardText(slots).slice(0, 300)}`);
      connector.fail(chatOf(EMPLOYEE), [{ status: 429, retryAfter: 1 }]);
      const booked = await teams.invoke(MANAGER, 'schedule.book', {
        ...buttonData(slots, 'schedule.book'),
        ...inputsOf(slots),
        slot,
      });
      assert.match(cardText(booked), /Booked for/);

      // Prep: the employee's notes for every area and their adjustments, all with the marker.
      const prep = await delivered(connector, chatOf(EMPLOYEE), /Prepare for your conversation/);
      const prepMarked = markedText(prep);
      assert.ok(Object.keys(prepMarked).length >= 2, 'the prep card has notes and adjustments');
      const saved = await teams.invoke(EMPLOYEE, 'prep.save', {
        ...buttonData(prep, 'prep.save'),
        ...inputsOf(prep),
        ...prepMarked,
        shared: 'true',
      });
      assert.match(cardText(saved), /Saved/);
      const conversationId = String(buttonData(prep, 'prep.save').conversationId);

      // Log: every key area's notes and outcomes and an action, with the marker.
      const form = await teams.invoke(MANAGER, 'log', { employeeId: EMPLOYEE, conversationId });
      const logMarked = markedText(form);
      assert.ok(
        Object.keys(logMarked).filter((id) => id.startsWith('area.')).length >= 10,
        'five areas, notes and outcomes',
      );
      const copy = await teams.invoke(MANAGER, 'log.save', {
        ...buttonData(form, 'log.save'),
        ...inputsOf(form),
        ...logMarked,
        date: londonDate(new Date()),
        'action.0.owner': 'employee',
        'action.0.due': londonDate(new Date(Date.now() + 60 * 86_400_000)),
      });
      assert.match(cardText(copy), /You and the employee each have a copy/, cardText(copy).slice(0, 400));

      // The employee acknowledges their copy with a comment holding the marker.
      const employeeCopy = await delivered(connector, chatOf(EMPLOYEE), /This is your copy/);
      const acked = await teams.invoke(EMPLOYEE, 'record.ack', {
        ...buttonData(employeeCopy, 'record.ack'),
        comments: `${MARKER} thinks this is fair.`,
      });
      assert.match(cardText(acked), /acknowledgement has been recorded/);

      // The marker reached storage: it was really in the fields the service handled.
      const stored = JSON.stringify(
        await new Records(
          tables,
          PROFESSIONAL_CONVERSATION,
          clockNow(),
          createLogger('test'),
        ).conversations.get(EMPLOYEE, conversationId),
      );
      assert.ok(stored.split(MARKER).length - 1 >= 13, 'prep, areas, action and comments hold the marker');

      // The directory sync job runs at the minute set above.
      await service.waitForLog(
        (line) => line.job === 'directory-sync' && /^job (ran|failed)$/.test(String(line.message)),
        120_000,
      );
    } finally {
      exitCode = await service.stop();
      await ingestion.close();
    }
    assert.equal(exitCode, 0, `graceful stop: ${service.output.stderr.slice(-1500)}`);

    const everything = [...ingestion.bodies, service.output.stdout, service.output.stderr].join('\n');
    assert.ok(!everything.toUpperCase().includes(MARKER), 'the marker is in no telemetry byte and no output');
    // The Graph calls carried the stand-in's bearer tokens: none of them, nor any header value, leaked.
    const tokens = graph.standin.issuedTokens();
    assert.ok(tokens.length > 0, 'the service asked the stand-in for a token');
    for (const token of tokens) assert.ok(!everything.includes(token), 'no issued access token anywhere');
    assert.doesNotMatch(everything, /Bearer\s+[\w.~+/-]{16,}/i, 'no authorization header value');

    const envelopes = ingestion.envelopes();
    const ofType = (type: string) => envelopes.filter((e) => e.data?.baseType === type);
    const requests = ofType('RequestData');
    const dependencies = ofType('RemoteDependencyData');
    const messages = ofType('MessageData');
    assert.ok(
      requests.some((r) => /POST/.test(r.data?.baseData?.name ?? '')),
      `a request for the bot endpoint; got ${requests.map((r) => r.data?.baseData?.name).join(', ')}`,
    );
    const spanNames = new Set([...requests, ...dependencies].map((e) => e.data?.baseData?.name));
    for (const name of [TELEMETRY_NAMES.turnSpan, TELEMETRY_NAMES.outboxSpan, TELEMETRY_NAMES.jobSpan]) {
      assert.ok(spanNames.has(name), `span ${name}; got ${[...spanNames].join(', ')}`);
    }
    const dependencyTargets = dependencies.map((d) => JSON.stringify(d.data?.baseData)).join('\n');
    assert.match(
      dependencyTargets,
      new RegExp(`127\\.0\\.0\\.1:${new URL(connector.url).port}`),
      'Bot Connector',
    );
    assert.match(
      dependencyTargets,
      new RegExp(
        `127\\.0\\.0\\.1:${new URL(/TableEndpoint=([^;]+)/.exec(azurite.connectionString)![1]!).port}`,
      ),
      'Table storage',
    );
    assert.match(dependencyTargets, new RegExp(new URL(graph.standin.url).host.replace('.', '\\.')), 'Graph');

    const metricNames = new Set(
      ofType('MetricData')
        .flatMap((m) => m.data?.baseData?.metrics ?? [])
        .map((m) => m.name),
    );
    for (const name of [
      TELEMETRY_NAMES.turnDuration,
      TELEMETRY_NAMES.sends,
      TELEMETRY_NAMES.throttled,
      TELEMETRY_NAMES.queueDepth,
      TELEMETRY_NAMES.jobRuns,
      TELEMETRY_NAMES.jobDuration,
    ]) {
      assert.ok(metricNames.has(name), `metric ${name}; got ${[...metricNames].join(', ')}`);
    }

    // Logs: exported as traces under the operation they were written in, and the lines on stderr
    // carry the same trace (operation) id.
    const operations = new Set(requests.map((r) => r.tags?.['ai.operation.id']).filter(Boolean));
    const routeLogs = messages.filter((m) => m.data?.baseData?.message === 'route');
    assert.ok(routeLogs.length > 0, 'route log lines are exported');
    assert.ok(routeLogs.every((m) => operations.has(m.tags?.['ai.operation.id'])));
    const printed = logLines(service.output.stderr).filter((l) => l.message === 'route');
    assert.ok(printed.length > 0 && printed.every((l) => operations.has(l.trace_id as string)));
    const blocked = logLines(service.output.stderr).flatMap((l) =>
      typeof l.blockedConnection === 'string' ? [l.blockedConnection] : [],
    );
    assert.ok(
      blocked.every((host) => host === '169.254.169.254'),
      `only the VM metadata probe: ${blocked.join(', ')}`,
    );
  });

  it('sends nothing without a connection string, and the service works the same', async () => {
    const ingestion = await startIngestion();
    const service = await startService({ STORAGE_CONNECTION_STRING: azurite.connectionString });
    try {
      const teams = teamsClient(connector.url, service.url);
      const before = connector.deliveredTo(chatOf(MANAGER)).length;
      assert.equal((await teams.say(MANAGER, 'help')).status, 200);
      await delivered(connector, chatOf(MANAGER), /What I can do/);
      assert.equal(connector.deliveredTo(chatOf(MANAGER)).length, before + 1, 'the help card');
    } finally {
      assert.equal(await service.stop(), 0);
      await ingestion.close();
    }
    assert.deepEqual(ingestion.bodies, []);
    const lines = logLines(service.output.stderr);
    assert.ok(lines.some((l) => l.message === 'service started'));
    assert.ok(lines.every((l) => l.trace_id === undefined && l.blockedConnection === undefined));
  });
});

/** The system clock, as the child runs on. */
function clockNow() {
  return { now: () => new Date(), today: () => londonDate(new Date()) };
}

/** The values of a card's ChoiceSet input `id`. */
function choicesOf(card: unknown, id: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'Input.ChoiceSet' && n.id === id && Array.isArray(n.choices)) {
      for (const c of n.choices as { value: string }[]) found.push(c.value);
    }
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}
