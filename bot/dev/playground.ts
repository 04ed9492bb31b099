/**
 * Drives the Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground` 0.2.28) as a real
 * local Teams client for tests and the dev stack (DESIGN.md §5 "Local run").
 *
 * What the Playground offers (read from its bundled server, dist/index.js):
 * - `GET /_debug/ping` → "pong" once the config has loaded and every route is mounted;
 * - `GET /_internal/v1/config` → `{ config: { currentUser, personalChat: { id }, bot, … } }`;
 * - `POST /_conversation/v1/conversations/{id}/messages` `{ from: { id }, text, textFormat }` → a user message;
 * - `POST /_conversation/v1/invoke` `{ name: 'adaptiveCard/action', from, conversation, replyToId, value }`
 *   → the bot's invoke response `{ type, value }` (Action.Execute);
 * - `POST /_conversation/v1/submit` `{ from, conversation, replyToId, value }` → a message activity with
 *   `value` (Action.Submit);
 * - `POST /_debug/conversation/{id}/installation` → installationUpdate (add) + conversationUpdate
 *   (membersAdded) to the bot;
 * - WebSocket `/_ws_conversation/v1/conversations/stream`: JSON frames
 *   `{ action: 'createMessage' | 'updateMessage', actionConversationId, message }` and
 *   `{ action: 'typing', actionConversationId }` for everything the bot sends to the current user. Frames
 *   sent while no client is connected are buffered and flushed to the first client that connects.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import WebSocket from 'ws';

/** How to start the Playground. */
export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. `http://127.0.0.1:3978/api/messages`. */
  botEndpoint: string;
  /** Port for the Playground's UI and APIs; 0 lets it choose. If taken, it silently picks another. */
  port: number;
  /** Working directory: the config is written here, and the log goes to `devTools/` under it by default. */
  workDir: string;
  /** Contents of `.m365agentsplayground.yml` (see bot/dev/playground-config.ts). */
  configYaml: string;
  /** Where the Playground writes its log (its only place for errors); default `<workDir>/devTools/m365agentsplayground.log`. */
  logFile?: string;
  /** How long to wait for it to come up; default 30 s. */
  startTimeoutMs?: number;
  /**
   * Connect to the conversation stream (default true). The Playground flushes frames it buffered
   * while nobody listened only to the first client, so the dev stack passes false to leave them
   * (e.g. the install greeting) for the browser; `nextActivity` then rejects.
   */
  stream?: boolean;
}

/** An Adaptive Card or other attachment as the Playground shows it. */
export interface PlaygroundAttachment {
  contentType: string;
  content: unknown;
}

/** A message in the Playground's conversation stream (sent by the bot). */
export interface PlaygroundMessage {
  /** The id to use as `replyToId` when acting on this message's card. */
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments: PlaygroundAttachment[];
  /** Every other field, as received. */
  raw: Record<string, unknown>;
}

/** One frame from the Playground's conversation WebSocket. */
export type PlaygroundEvent =
  | { action: 'createMessage' | 'updateMessage'; conversationId: string; message: PlaygroundMessage }
  | { action: 'typing'; conversationId: string };

/** The bot's answer to an Action.Execute invoke, as the Playground returns it. */
export interface InvokeResult {
  /** e.g. `application/vnd.microsoft.card.adaptive` or `application/vnd.microsoft.activity.message`. */
  type: string;
  value: unknown;
}

/** A running Playground and ways to act as its signed-in user. */
export interface PlaygroundHandle {
  /** The web UI, e.g. `http://127.0.0.1:56150`. */
  readonly url: string;
  readonly port: number;
  /** The serviceUrl the bot receives in every activity (`http://localhost:<port>/_connector`). */
  readonly serviceUrl: string;
  /** The signed-in user's channel account id (`activity.from.id`). */
  readonly currentUserId: string;
  /** The personal chat's conversation id. */
  readonly personalChatId: string;
  readonly logFile: string;
  /** Every frame received so far, in order (for diagnostics). */
  readonly events: readonly PlaygroundEvent[];
  /** Sends `text` as the current user in the personal chat; resolves with the message id once the bot has been called. */
  sendText(text: string): Promise<string>;
  /** Clicks an Action.Execute on the card in message `replyToId`; resolves with the bot's invoke response. */
  invoke(action: {
    replyToId: string;
    verb: string;
    data?: Record<string, unknown>;
    title?: string;
  }): Promise<InvokeResult>;
  /** Clicks an Action.Submit on the card in message `replyToId`, sending `data` (inputs merged in) as `activity.value`. */
  submit(action: { replyToId: string; data: Record<string, unknown> }): Promise<void>;
  /** Simulates installing the app in the personal chat (installationUpdate + conversationUpdate). */
  install(): Promise<void>;
  /** Takes the first not-yet-taken frame matching `predicate`, waiting up to `timeoutMs` for one. */
  nextActivity(predicate: (event: PlaygroundEvent) => boolean, timeoutMs?: number): Promise<PlaygroundEvent>;
  /** The last `lines` lines of the Playground's log file. */
  logTail(lines?: number): Promise<string>;
  /** Stops the Playground (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

const CONFIG_FILE_NAME = '.m365agentsplayground.yml';

/** Absolute path of the Playground's cli.js, resolved from this package's node_modules. */
export function playgroundCliPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

/** Starts the Playground against `botEndpoint` and resolves once it is ready and the stream is connected. */
export async function startPlayground(options: PlaygroundOptions): Promise<PlaygroundHandle> {
  const workDir = resolve(options.workDir);
  await mkdir(workDir, { recursive: true });
  await writeFile(join(workDir, CONFIG_FILE_NAME), options.configYaml, 'utf8');
  const logFile = resolve(workDir, options.logFile ?? join('devTools', 'm365agentsplayground.log'));
  const timeoutMs = options.startTimeoutMs ?? 30_000;

  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only loopback is reachable: never route the bot calls through a proxy.
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete env[name];
  Object.assign(env, {
    BOT_ENDPOINT: options.botEndpoint,
    TEAMSAPPTESTER_PORT: String(options.port),
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    TEAMSAPPTESTER_LOGFILE: logFile,
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: join(workDir, CONFIG_FILE_NAME),
    // --disable-telemetry stops events, but Application Insights still starts and sends "statsbeat"
    // to *.applicationinsights.azure.com within seconds; this switches that off too.
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  });

  // It binds every interface and has no setting for it: the preload makes it listen on loopback.
  const loopbackOnly = fileURLToPath(new URL('./loopback-listen.cjs', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--require', loopbackOnly, playgroundCliPath(), '--disable-telemetry'],
    {
      cwd: workDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => done(code));
    child.once('error', (error) => {
      output += `\n${error.message}`;
      done(-1);
    });
  });
  // If the test runner or dev script exits without stopping us, do not leave the Playground behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const readLogTail = async (lines = 30): Promise<string> => {
    try {
      return (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log file yet)';
    }
  };

  const fail = async (reason: string): Promise<never> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    const stdout = output.trim() ? `\nOutput: ${output.trim()}` : '';
    throw new Error(
      `Agents Playground did not start: ${reason}.${stdout}\nLast lines of ${logFile}:\n${await readLogTail()}`,
    );
  };

  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  // 1. It prints "Listening on <port>" (the real port, as it falls back to a random one if taken).
  let port: number | undefined;
  while (port === undefined) {
    const match = /Listening on (\d+)/.exec(output);
    if (match?.[1]) port = Number(match[1]);
    else if (exitCode !== undefined) return fail(`it exited with code ${exitCode}`);
    else if (Date.now() > deadline) return fail(`no "Listening on" line within ${timeoutMs} ms`);
    else await sleep(50);
  }
  const base = `http://127.0.0.1:${port}`;

  // 2. Routes are mounted only after the config loads; a bad config exits with code 1 instead.
  while (!(await isPong(`${base}/_debug/ping`))) {
    if (exitCode !== undefined)
      return fail(`it exited with code ${exitCode} (a config error is the usual cause)`);
    if (Date.now() > deadline) return fail(`/_debug/ping did not answer within ${timeoutMs} ms`);
    await sleep(50);
  }

  const config = await getJson(`${base}/_internal/v1/config`);
  const currentUserId = stringAt(config, ['config', 'currentUser', 'id']);
  const personalChatId = stringAt(config, ['config', 'personalChat', 'id']);
  if (!currentUserId || !personalChatId)
    return fail('GET /_internal/v1/config had no currentUser.id or personalChat.id');

  // 3. The conversation stream: connect now so nothing is missed (earlier frames are buffered for us).
  const events: PlaygroundEvent[] = [];
  const pending: PlaygroundEvent[] = [];
  const waiters: {
    predicate: (event: PlaygroundEvent) => boolean;
    resolve: (event: PlaygroundEvent) => void;
  }[] = [];
  let socket: WebSocket | undefined;
  if (options.stream !== false) {
    const connected = await connectStream(port, (event) => {
      events.push(event);
      const waiter = waiters.findIndex((w) => w.predicate(event));
      if (waiter >= 0) waiters.splice(waiter, 1)[0]!.resolve(event);
      else pending.push(event);
    });
    if (typeof connected === 'string') return fail(`the conversation WebSocket failed: ${connected}`);
    socket = connected;
  }

  const post = async (path: string, body: unknown): Promise<string> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Agents Playground POST ${path} → ${response.status}: ${text}`);
    return text;
  };

  let stopped: Promise<void> | undefined;
  const handle: PlaygroundHandle = {
    url: base,
    port,
    serviceUrl: `http://localhost:${port}/_connector`,
    currentUserId,
    personalChatId,
    logFile,
    events,
    async sendText(text) {
      const body = await post(
        `/_conversation/v1/conversations/${encodeURIComponent(personalChatId)}/messages`,
        {
          from: { id: currentUserId },
          text,
          textFormat: 'plain',
        },
      );
      return stringAt(parseJson(body), ['messageId']) ?? '';
    },
    async invoke({ replyToId, verb, data, title }) {
      const body = await post('/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        from: { id: currentUserId },
        conversation: { id: personalChatId },
        replyToId,
        value: { action: { type: 'Action.Execute', title, verb, data: data ?? {} } },
      });
      const parsed = parseJson(body);
      return { type: stringAt(parsed, ['type']) ?? '', value: isRecord(parsed) ? parsed.value : undefined };
    },
    async submit({ replyToId, data }) {
      await post('/_conversation/v1/submit', {
        from: { id: currentUserId },
        conversation: { id: personalChatId },
        replyToId,
        value: data,
      });
    },
    async install() {
      await post(`/_debug/conversation/${encodeURIComponent(personalChatId)}/installation`, {});
    },
    nextActivity(predicate, waitMs = 10_000) {
      if (!socket) return Promise.reject(new Error('This Playground was started with stream: false.'));
      const index = pending.findIndex(predicate);
      if (index >= 0) return Promise.resolve(pending.splice(index, 1)[0]!);
      return new Promise<PlaygroundEvent>((resolveEvent, reject) => {
        const waiter = {
          predicate,
          resolve: (event: PlaygroundEvent) => {
            clearTimeout(timer);
            resolveEvent(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const seen = events
            .slice(-5)
            .map((e) =>
              JSON.stringify(e.action === 'typing' ? e : { ...e, message: { ...e.message, raw: undefined } }),
            )
            .join('\n  ');
          reject(
            new Error(
              `No matching Playground activity within ${waitMs} ms. Last frames:\n  ${seen || '(none)'}`,
            ),
          );
        }, waitMs);
        waiters.push(waiter);
      });
    },
    logTail: readLogTail,
    stop() {
      stopped ??= (async () => {
        socket?.close();
        process.removeListener('exit', killOnExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopped;
    },
  };
  return handle;
}

/** Opens the conversation stream, calling `onEvent` for each frame; resolves with the socket or an error message. */
async function connectStream(
  port: number,
  onEvent: (event: PlaygroundEvent) => void,
): Promise<WebSocket | string> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
  socket.on('message', (data: WebSocket.RawData) => {
    const event = parseEvent(rawDataToString(data));
    if (event) onEvent(event);
  });
  const failure = await new Promise<string | undefined>((done) => {
    socket.once('open', () => done(undefined));
    socket.once('error', (error) => done(error.message));
  });
  if (failure !== undefined) {
    socket.terminate();
    return failure;
  }
  socket.on('error', () => undefined); // a late error only means the Playground went away; stop() handles that
  return socket;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

async function isPong(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok && (await response.text()) === 'pong';
  } catch {
    return false;
  }
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  return parseJson(await response.text());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(value: unknown, path: string[]): string | undefined {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return typeof current === 'string' ? current : undefined;
}

function rawDataToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** Narrows one WebSocket frame; unknown frames are ignored. */
function parseEvent(text: string): PlaygroundEvent | undefined {
  const frame = parseJson(text);
  if (!isRecord(frame) || typeof frame.actionConversationId !== 'string') return undefined;
  const conversationId = frame.actionConversationId;
  if (frame.action === 'typing') return { action: 'typing', conversationId };
  if ((frame.action === 'createMessage' || frame.action === 'updateMessage') && isRecord(frame.message)) {
    const raw = frame.message;
    const attachments = Array.isArray(raw.attachments)
      ? raw.attachments.filter(isRecord).map((a) => ({
          contentType: typeof a.contentType === 'string' ? a.contentType : '',
          content: a.content,
        }))
      : [];
    const message: PlaygroundMessage = {
      messageId: typeof raw.messageId === 'string' ? raw.messageId : String(raw.messageId),
      timestamp: typeof raw.timestamp === 'number' ? raw.timestamp : 0,
      from: { id: stringAt(raw, ['from', 'id']) ?? '' },
      attachments,
      raw,
    };
    if (typeof raw.text === 'string') message.text = raw.text;
    if (typeof raw.textFormat === 'string') message.textFormat = raw.textFormat;
    return { action: frame.action, conversationId, message };
  }
  return undefined;
}
