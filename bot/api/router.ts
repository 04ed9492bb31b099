/**
 * The tab's REST API (issue 7; contract in core/tab-api.ts), mounted at `/api`: every route needs
 * a valid bearer token (bot/api/auth.ts) and a caller in the directory (bot/api/caller.ts), except
 * the development sign-in, which exists only in development. Answers are JSON, never cached;
 * errors are `{error, message}`.
 */
import express from 'express';
import { rollupQuarters } from '../../core/compliance/status-facts';
import { type MeResponse } from '../../core/tab-api';
import { type TabApiConfig } from '../config';
import { policyWords } from '../i18n/policy-words';
import {
  InvalidTokenError,
  type TokenValidator,
  anyValidator,
  bearerToken,
  createEntraValidator,
  rememberAccepted,
} from './auth';
import { callerOf, homeOf, reportsOf, resolveCaller } from './caller';
import { firstDataQuarter } from './first-data';
import { type RecordCardRenderer, myConversations } from './conversations';
import { type ApiDeps } from './deps';
import { DEV_AUDIENCE, DEV_TENANT_ID, createDevSignIn, devSignInRoutes } from './dev-sign-in';
import { ApiProblem, problems, sendProblem } from './errors';
import { orgRoutes } from './org-routes';
import { payStepResponse } from './pay-step';
import { ActionLimiter, type TeamAction, teamAction } from './team-actions';
import { teamCsv, teamCsvName, teamResponse } from './team';

/** What the API is built from. */
export interface ApiOptions {
  readonly deps: ApiDeps;
  readonly tabApi: TabApiConfig;
  /** A record-card renderer for one request (it may remember what it read until the answer). */
  readonly recordCards: () => RecordCardRenderer;
}

/** Checks the bearer token and resolves the caller into `res.locals.caller` (and their reports). */
function authenticate(validator: TokenValidator | undefined, deps: ApiDeps): express.RequestHandler {
  return async (req, res, next) => {
    if (validator === undefined) throw problems.notConfigured();
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) throw problems.unauthorized();
    let oid: string;
    try {
      ({ oid } = await validator.validate(token));
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        deps.log.info('token refused', { reason: error.reason });
        throw problems.unauthorized();
      }
      deps.log.warn('token could not be checked', { error: error instanceof Error ? error.name : 'unknown' });
      throw problems.signInUnavailable();
    }
    const resolved = await resolveCaller(deps, oid);
    if (resolved === undefined) {
      deps.log.info('caller not in the directory', { oid });
      throw problems.unknownPerson(policyWords(deps.policy).monitoringTeam);
    }
    res.locals.caller = resolved.caller;
    res.locals.reports = resolved.reports;
    next();
  };
}

/**
 * Storage out of reach (refused, reset, timed out: no status) or failing on its side (5xx after the
 * SDK's retries): the service is unavailable for a while, which the tab says as such (503).
 */
function isStorageUnavailable(error: unknown): boolean {
  const e = error as { name?: unknown; statusCode?: unknown } | null;
  if (e?.name !== 'RestError') return false; // what @azure/data-tables throws
  return typeof e.statusCode !== 'number' || e.statusCode >= 500;
}

function storageCode(error: unknown): string {
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === 'string') return e.code.slice(0, 40);
  return typeof e.statusCode === 'number' ? String(e.statusCode) : 'none';
}

/**
 * The error handler: problems as they are, a malformed body as 400, storage unavailable as 503,
 * anything else a logged 500.
 */
function answerErrors(deps: ApiDeps): express.ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ApiProblem) {
      if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      sendProblem(res, error);
      return;
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendProblem(res, problems.badRequest('The request body is not valid JSON or is too large.'));
      return;
    }
    if (isStorageUnavailable(error)) {
      deps.log.warn('api request failed: storage unavailable', { code: storageCode(error) });
      res.setHeader('Retry-After', '30');
      sendProblem(res, problems.storageUnavailable());
      return;
    }
    deps.log.error('api request failed', { error: error instanceof Error ? error.name : 'unknown' });
    sendProblem(res, problems.internal());
  };
}

/** The token validator the configuration asks for; undefined when no token can be accepted. */
function validatorFor(tabApi: TabApiConfig, dev: TokenValidator | undefined): TokenValidator | undefined {
  const validators: TokenValidator[] = [];
  if (dev !== undefined) validators.push(dev);
  if (tabApi.audiences.length > 0) {
    validators.push(
      createEntraValidator({
        tenantId: tabApi.tenantId,
        audiences: tabApi.audiences,
        jwksUrl: tabApi.jwksUrl,
      }),
    );
  }
  if (validators.length === 0) return undefined;
  return rememberAccepted(validators.length === 1 ? validators[0]! : anyValidator(validators));
}

/** Builds the `/api` router. */
export function createApiRouter(options: ApiOptions): express.Router {
  const { deps, tabApi, recordCards } = options;
  const devSignIn = tabApi.devSignIn
    ? createDevSignIn({
        tenantId: tabApi.tenantId || DEV_TENANT_ID,
        audience: tabApi.audiences[0] ?? DEV_AUDIENCE,
      })
    : undefined;
  const validator = validatorFor(tabApi, devSignIn?.validator);
  if (validator === undefined) {
    deps.log.warn('tab API off: set TAB_API_AUDIENCE to accept Entra ID tokens');
  }
  if (devSignIn !== undefined) deps.log.warn('development sign-in is on (APP_ENV=development)');

  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  if (devSignIn !== undefined) router.use('/dev', devSignInRoutes(devSignIn, deps));
  else
    router.use('/dev', () => {
      throw problems.notFound();
    });

  router.use(authenticate(validator, deps));

  router.get('/me', (_req, res) => {
    const caller = callerOf(res);
    const me: MeResponse = {
      id: caller.id,
      name: caller.employee.name,
      roles: caller.roles,
      home: homeOf(caller.roles),
      policyName: deps.policy.name,
    };
    res.json(me);
  });

  const managerOnly: express.RequestHandler = (_req, res, next) => {
    if (!callerOf(res).roles.manager) throw problems.notManager();
    next();
  };
  const firstData = () => firstDataQuarter(deps.records, rollupQuarters(deps.clock.today()));
  router.get('/team', managerOnly, async (req, res) => {
    res.json(teamResponse(deps, callerOf(res), reportsOf(res), req.query.quarter, await firstData()));
  });
  router.get('/team.csv', managerOnly, async (req, res) => {
    const team = teamResponse(deps, callerOf(res), reportsOf(res), req.query.quarter, await firstData());
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${teamCsvName(team.quarter)}"`);
    res.send(teamCsv(team));
  });
  const limiter = new ActionLimiter();
  const action =
    (kind: TeamAction): express.RequestHandler<{ employeeId: string }> =>
    async (req, res) => {
      const wait = limiter.take(callerOf(res).id);
      if (wait !== undefined) {
        res.setHeader('Retry-After', String(wait));
        throw problems.tooManyActions();
      }
      res.json(await teamAction(deps, callerOf(res), req.params.employeeId, kind));
    };
  router.post('/team/:employeeId/schedule', action('schedule'));
  router.post('/team/:employeeId/log', action('log'));
  // Under a policy without pay steps the route is not there for anyone (404), manager or not.
  const paySteps: express.RequestHandler = (_req, _res, next) => {
    if (deps.policy.payStep === undefined) throw problems.noPaySteps();
    next();
  };
  const payStep: express.RequestHandler<{ employeeId: string }> = async (req, res) => {
    res.json(await payStepResponse(deps, callerOf(res), req.params.employeeId));
  };
  router.get('/team/:employeeId/pay-step', paySteps, managerOnly, payStep);

  router.get('/conversations', async (_req, res) => {
    res.json(await myConversations(deps, callerOf(res), recordCards()));
  });

  router.use(orgRoutes(deps));

  router.use(() => {
    throw problems.notFound();
  });
  router.use(answerErrors(deps));
  return router;
}
