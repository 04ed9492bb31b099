/**
 * The one HTTP service (DESIGN.md §5): the bot endpoint `/api/messages`, `/healthz`, the tab's
 * REST API under `/api` (bot/api/router.ts), and the tab's static files. Started by `bot/main.ts`
 * in production and by tests on a free port.
 */
import { existsSync } from 'node:fs';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { type Clock } from '../core/ports';
import { type Policy } from '../core/policy/schema';
import { type ApiDeps } from './api/deps';
import { CallerCache } from './api/caller';
import { TeamFigures } from './api/team';
import { createApiRouter } from './api/router';
import { type Config } from './config';
import { type ConversationScheduler } from './graph/scheduling';
import { listen, type Listening } from './listen';
import { createLogger } from './log';
import { createAdapter } from './teams/adapter';
import { type MeetingTracker, type TurnDeps } from './teams/deps';
import { type RecordCardRenderer } from './api/conversations';
import { cachedFaultCounts } from './outbox/faults';
import { type Outbox } from './outbox/outbox';
import { BotNotifier, type Notifier } from './teams/notifier';
import { PeopleFinder } from './records/people-finder';
import { type Records } from './records/records';
import { recordCardFor } from './teams/handlers/record';
import { createRouter } from './teams/router';
import { ROUTES } from './teams/routes';
import { LedgerTable } from './storage/ledger-table';
import { TableReferenceStore } from './storage/reference-store';
import { Snoozes } from './storage/snoozes';
import { type Tables, pingTables } from './storage/tables';
import { securityHeaders } from './security-headers';
import { VERSION } from './version';

/** What the service needs to start. */
export interface ServiceOptions {
  readonly config: Config;
  readonly tables: Tables;
  /** The policy's key areas, in order. */
  readonly areas: readonly string[];
  /** Folder of the built tab (tab/dist); served at `/`. */
  readonly tabDir: string;
  readonly records: Records;
  readonly policy: Policy;
  readonly clock: Clock;
  /** Calendar booking; undefined when Graph is not configured. */
  readonly scheduler: ConversationScheduler | undefined;
  readonly meetings: MeetingTracker;
  /** Where every proactive card is posted (the outbox's workers send them). */
  readonly outbox: Outbox;
  /**
   * Development only: runs the nudge sweep for a day (`POST /api/dev/sweep?day=YYYY-MM-DD`), so a
   * new user sees reminders arrive in the Agents Playground; answers the plan as text.
   */
  readonly devSweep?: (day: string) => Promise<string>;
}

/** The Express app and the notifier built on its adapter (proactive sends share its identity). */
export interface ServiceApp {
  readonly app: express.Express;
  readonly notifier: Notifier;
  /** Set `draining` when shutdown begins: `/readyz` answers 503 and connections are not kept. */
  readonly state: { draining: boolean };
}

/** A running service. */
export interface RunningService extends Listening {
  readonly url: string;
  readonly notifier: Notifier;
  /**
   * Graceful shutdown: stops accepting, answers the requests (bot turns) in flight, and resolves
   * when they are done or `graceMs` has passed, whichever is first.
   */
  drain(graceMs: number): Promise<void>;
}

/** Builds the Express app with every route. */
export function createApp(options: ServiceOptions): ServiceApp {
  const log = createLogger('service');
  const adapter = createAdapter(options.config.bot, log.child('adapter'));
  const references = new TableReferenceStore(options.tables.conversationRefs);
  const notifier = new BotNotifier({
    adapter,
    appId: options.config.bot.appId,
    references,
    perSecond: options.config.notifyPerSecond,
    log: log.child('notifier'),
  });
  const deps: TurnDeps = {
    log: log.child('bot'),
    directory: options.records.directory,
    references,
    areas: options.areas,
    records: options.records,
    policy: options.policy,
    clock: options.clock,
    scheduler: options.scheduler,
    scheduleWorkingDays: options.config.graph?.scheduleWorkingDays ?? 10,
    notifier,
    outbox: options.outbox,
    snoozes: new Snoozes(options.tables.nudgeLedger),
    meetings: options.meetings,
    ledger: new LedgerTable(options.tables.nudgeLedger),
    odMembers: new Set(options.config.odMembers),
    tenantId: options.config.bot.tenantId || options.config.tabApi.tenantId || undefined,
    people: new PeopleFinder(options.records.directory),
    newId: randomUUID,
  };
  const route = createRouter(ROUTES);
  const state = { draining: false };

  const app = express();
  app.disable('x-powered-by');
  // API answers are never cached (no-store), so hashing each one for an ETag is wasted; the tab's
  // static files get theirs from express.static, which does not use this setting.
  app.set('etag', false);
  const tabBuilt = existsSync(options.tabDir);
  app.use(
    securityHeaders({
      tabDir: tabBuilt ? options.tabDir : undefined,
      https: options.config.appEnv === 'production',
    }),
  );
  // While shutting down, answer what is in flight and ask clients to reconnect elsewhere.
  app.use((_req, res, next) => {
    if (state.draining) res.setHeader('Connection', 'close');
    next();
  });

  app.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
    await adapter.process(req, res, (context) => route(context, deps));
  });

  const apiDeps: ApiDeps = {
    records: options.records,
    policy: options.policy,
    clock: options.clock,
    notifier,
    outbox: options.outbox,
    outboxFaults: cachedFaultCounts(options.tables),
    odMembers: deps.odMembers,
    callers: new CallerCache(),
    teamFigures: new TeamFigures(options.policy),
    log: log.child('api'),
    botAppId: options.config.bot.appId,
  };
  const devSweep = options.devSweep;
  // Like the dev sign-in, only on a stack nobody else reaches: DEV_SIGN_IN=off (a dev tunnel
  // to Teams is public) turns this off too.
  if (devSweep !== undefined && options.config.appEnv === 'development' && options.config.tabApi.devSignIn) {
    app.post('/api/dev/sweep', async (req, res) => {
      const day = typeof req.query.day === 'string' ? req.query.day : '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
        res.status(400).type('text/plain').send('Say which day: POST /api/dev/sweep?day=YYYY-MM-DD\n');
        return;
      }
      try {
        res.type('text/plain').send(await devSweep(day));
      } catch (error) {
        log.error('dev sweep failed', { error: error instanceof Error ? error.name : 'unknown' });
        res.status(500).type('text/plain').send('The sweep failed; see the service log.\n');
      }
    });
  }

  // After /api/messages (which has its own Bot Framework authentication), before the static files.
  app.use(
    '/api',
    createApiRouter({
      deps: apiDeps,
      tabApi: options.config.tabApi,
      recordCards: () => recordCardsForOneRequest(deps),
    }),
  );

  // Liveness: the process answers (App Service's health check; a storage outage is not cured by
  // replacing the instance). Readiness: storage answers and the service is not shutting down.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (state.draining) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    try {
      await pingTables(options.tables);
      res.json({ status: 'ready', storage: 'ok' });
    } catch (error) {
      log.warn('readiness check: storage unreachable', {
        error: error instanceof Error ? error.name : 'unknown',
      });
      res.status(503).json({ status: 'unavailable', storage: 'unreachable' });
    }
  });
  app.get('/version', (_req, res) => {
    res.json(VERSION);
  });

  if (tabBuilt) {
    app.use(express.static(options.tabDir, { index: 'index.html' }));
  } else {
    log.warn('tab not built; run `npm run build:tab`', { tabDir: options.tabDir });
  }

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  // Anything a route did not answer: a body that is not JSON or too large is the caller's fault;
  // the rest is logged by name only. Never Express's default page, which carries the stack.
  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: status === 413 ? 'too_large' : 'bad_request' });
      return;
    }
    log.error('request failed', { error: error instanceof Error ? error.name : 'unknown' });
    res.status(500).json({ error: 'internal' });
  });
  return { app, notifier, state };
}

/** Starts the service and resolves once it listens. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { app, notifier, state } = createApp(options);
  const listening = await listen(app, options.config.port, options.config.host);
  const host = options.config.host === '0.0.0.0' ? '127.0.0.1' : options.config.host;
  return {
    ...listening,
    url: `http://${host}:${listening.port}`,
    notifier,
    drain: (graceMs) => {
      state.draining = true;
      return listening.close(graceMs);
    },
  };
}

/**
 * The bot's record-card renderer for one tab request: each party and their Teams id is read once
 * for the whole history, not once per record (a history is mostly the same two people).
 */
function recordCardsForOneRequest(deps: TurnDeps): RecordCardRenderer {
  const once = <T>(read: (id: string) => Promise<T>) => {
    const seen = new Map<string, Promise<T>>();
    return (id: string): Promise<T> => {
      const known = seen.get(id);
      if (known) return known;
      const reading = read(id);
      seen.set(id, reading);
      return reading;
    };
  };
  const getEmployee = once((id) => deps.directory.getEmployee(id));
  const teamsUserId = once((id) => deps.notifier.teamsUserId(id));
  const notifier = new Proxy(deps.notifier, {
    get(target, prop, receiver) {
      if (prop === 'teamsUserId') return teamsUserId;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const scoped: TurnDeps = {
    ...deps,
    directory: { getEmployee, listDirectReports: (id) => deps.directory.listDirectReports(id) },
    notifier,
  };
  return (readerId, record) => recordCardFor(scoped, readerId, record);
}
