/**
 * A local stand-in for the Bot Framework Connector API, for tests and benchmarks of proactive
 * sends: it speaks the two calls botbuilder makes when a bot sends into a conversation
 * (`POST /v3/conversations/{id}/activities` and the reply form `.../activities/{activityId}`, which
 * `CloudAdapter.continueConversationAsync` uses) and answers `201 {"id"}`. It enforces Teams'
 * proactive limits (DESIGN.md §7) as sliding windows — per app (default 50 per second) and per
 * conversation (7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour) — answering 429 with
 * Retry-After and counting what was over; and it answers faults queued per conversation. It does
 * not check tokens: the bot runs anonymously against it (empty app id).
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

/** At most `limit` requests in any `windowMs`. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/** Teams' limits for one bot in one conversation (DESIGN.md §7). */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** Teams refuses bot messages over 40 KB (DESIGN.md §7). */
const MAX_BODY_BYTES = 40 * 1024;

/** A programmed answer to the next request to a conversation. */
export type ConnectorFault =
  | { readonly status: 412 | 502 | 504; readonly retryAfter?: number }
  | { readonly status: 429; readonly retryAfter: number }
  | { readonly status: 403; readonly code: 'BotNotInConversationRoster' }
  /** Delivered (it reached the service), but answered only after `hang` ms. */
  | { readonly hang: number }
  /** Delivered, then the socket is destroyed without an answer: the ambiguous case. */
  | { readonly reset: true };

/** An activity the stand-in accepted. */
export interface Delivery {
  readonly conversationId: string;
  readonly activity: Readonly<Record<string, unknown>>;
  /** `Date.now()` when the request arrived. */
  readonly at: number;
}

/** What the stand-in has seen since it started or was last reset. */
export interface ConnectorCounts {
  readonly requests: number;
  readonly delivered: number;
  /** Requests answered 429 because the app was over its rate. */
  readonly overLimitApp: number;
  /** Requests answered 429 because their conversation was over one of its windows. */
  readonly overLimitConversation: number;
  /** Requests answered with a programmed fault (4xx/5xx), not delivered. */
  readonly faulted: number;
}

/** A running stand-in. */
export interface ConnectorStandIn {
  /** The service URL to store in conversation references, ending in `/`. */
  readonly url: string;
  readonly deliveries: readonly Delivery[];
  /** 429s answered for the limits, per app and per conversation id. */
  readonly overLimit: { readonly app: number; readonly conversations: ReadonlyMap<string, number> };
  deliveredTo(conversationId: string): Delivery[];
  /** Queues answers for the next requests to the conversation, in order. */
  fail(conversationId: string, responses: readonly ConnectorFault[]): void;
  counts(): ConnectorCounts;
  /** Forgets deliveries, counts, rate windows and queued faults. */
  reset(): void;
  stop(): Promise<void>;
}

/** Options of {@link startConnectorStandIn}. */
export interface ConnectorStandInOptions {
  /** Requests per sliding second for the whole app (default 50). */
  readonly perSecond?: number;
  /** Windows per conversation (default {@link TEAMS_CONVERSATION_LIMITS}). */
  readonly perConversation?: readonly RateWindow[];
  /** Defaults to 0: a free port. */
  readonly port?: number;
}

/** Arrival times of accepted requests, for sliding-window checks. */
class SlidingLog {
  private readonly times: number[] = [];
  constructor(private readonly windows: readonly RateWindow[]) {}

  /** Seconds to wait when a request now would exceed a window; undefined when it fits. */
  retryAfter(now: number): number | undefined {
    const longest = Math.max(...this.windows.map((w) => w.windowMs));
    while (this.times.length > 0 && this.times[0]! <= now - longest) this.times.shift();
    let waitMs = 0;
    for (const { limit, windowMs } of this.windows) {
      const inWindow = this.times.filter((t) => t > now - windowMs);
      if (inWindow.length < limit) continue;
      // The window frees a place when its oldest request that still counts leaves it.
      const frees = inWindow[inWindow.length - limit]! + windowMs;
      waitMs = Math.max(waitMs, frees - now);
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : undefined;
  }

  record(now: number): void {
    this.times.push(now);
  }
}

/** Starts the stand-in on 127.0.0.1. */
export async function startConnectorStandIn(
  options: ConnectorStandInOptions = {},
): Promise<ConnectorStandIn> {
  const appWindows = [{ limit: options.perSecond ?? 50, windowMs: 1_000 }];
  const conversationWindows = options.perConversation ?? TEAMS_CONVERSATION_LIMITS;
  let app = new SlidingLog(appWindows);
  const conversations = new Map<string, SlidingLog>();
  const faults = new Map<string, ConnectorFault[]>();
  const overLimitConversations = new Map<string, number>();
  const hanging = new Set<NodeJS.Timeout>();
  const deliveries: Delivery[] = [];
  const counts = { requests: 0, delivered: 0, overLimitApp: 0, overLimitConversation: 0, faulted: 0 };
  const overLimit = { app: 0, conversations: overLimitConversations };

  const handle = (request: IncomingMessage, response: ServerResponse, body: Buffer): void => {
    const now = Date.now();
    const conversationId = activityRoute(request);
    if (conversationId === undefined) return answerError(response, 404, 'NotFound');
    counts.requests++;
    if (body.length > MAX_BODY_BYTES) return answerError(response, 413, 'MessageSizeTooBig');
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return answerError(response, 400, 'BadSyntax');
    }

    const conversation = conversations.get(conversationId) ?? new SlidingLog(conversationWindows);
    conversations.set(conversationId, conversation);
    const appWait = app.retryAfter(now);
    const conversationWait = conversation.retryAfter(now);
    if (appWait !== undefined || conversationWait !== undefined) {
      if (appWait !== undefined) {
        counts.overLimitApp++;
        overLimit.app++;
      }
      if (conversationWait !== undefined) {
        counts.overLimitConversation++;
        overLimitConversations.set(conversationId, (overLimitConversations.get(conversationId) ?? 0) + 1);
      }
      const seconds = Math.max(appWait ?? 0, conversationWait ?? 0);
      return answerError(response, 429, 'Throttled', seconds);
    }
    // Faults and deliveries both reached the service, so both count against the limits.
    app.record(now);
    conversation.record(now);

    const fault = faults.get(conversationId)?.shift();
    const deliver = (): void => {
      deliveries.push({ conversationId, activity, at: now });
      counts.delivered++;
    };
    if (fault === undefined) {
      deliver();
      return answerCreated(response);
    }
    if ('hang' in fault) {
      deliver();
      const timer = setTimeout(() => {
        hanging.delete(timer);
        answerCreated(response);
      }, fault.hang);
      hanging.add(timer);
      return;
    }
    if ('reset' in fault) {
      deliver();
      request.socket.destroy();
      return;
    }
    counts.faulted++;
    if (fault.status === 403) return answerError(response, 403, fault.code);
    const code =
      fault.status === 429 ? 'Throttled' : fault.status === 412 ? 'PreconditionFailed' : 'ServiceError';
    answerError(response, fault.status, code, fault.retryAfter);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    deliveries,
    overLimit,
    deliveredTo: (conversationId) => deliveries.filter((d) => d.conversationId === conversationId),
    fail(conversationId, responses) {
      faults.set(conversationId, [...(faults.get(conversationId) ?? []), ...responses]);
    },
    counts: () => ({ ...counts }),
    reset() {
      deliveries.length = 0;
      for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] = 0;
      overLimit.app = 0;
      overLimitConversations.clear();
      conversations.clear();
      faults.clear();
      app = new SlidingLog(appWindows);
    },
    async stop() {
      for (const timer of hanging) clearTimeout(timer);
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** The decoded conversation id of an activity create or reply; undefined for any other request. */
function activityRoute(request: IncomingMessage): string | undefined {
  if (request.method !== 'POST') return undefined;
  const path = new URL(request.url ?? '/', 'http://standin').pathname;
  // Split before decoding: an id may carry an encoded `/` as well as `:` `@` `;`.
  const [empty, v3, conversationsSegment, id, activities, ...rest] = path.split('/');
  const shaped =
    empty === '' &&
    v3 === 'v3' &&
    conversationsSegment === 'conversations' &&
    id !== undefined &&
    id !== '' &&
    activities === 'activities' &&
    rest.length <= 1;
  if (!shaped) return undefined;
  try {
    return decodeURIComponent(id);
  } catch {
    return undefined;
  }
}

function answerCreated(response: ServerResponse): void {
  response.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ id: randomUUID() }));
}

/** An error shaped like Bot Framework's: `{"error":{"code","message"}}`. */
function answerError(response: ServerResponse, status: number, code: string, retryAfter?: number): void {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  response.writeHead(status, headers);
  response.end(JSON.stringify({ error: { code, message: `The connector stand-in answered ${status}.` } }));
}
