/**
 * A local stand-in for the subset of Microsoft Graph the app uses (DESIGN.md §5 "Local run"),
 * speaking Graph's JSON shapes: `/v1.0/users` with `$top` and `@odata.nextLink` paging,
 * `/users/{id}`, `/users/{id}/manager` and `/users/{id}/directReports`. Like Graph it accepts
 * only bearer tokens it issued, from its own client-credentials token endpoint.
 * Calendar endpoints, delta and `$batch` arrive with the Graph issue.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { type Employee } from '../../core/model';
import { type Listening, listen } from '../listen';

/** Graph's `user` resource, the fields the app reads. */
export interface GraphUser {
  readonly id: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly mail: string;
  readonly userPrincipalName: string;
  readonly department: string;
  readonly jobTitle: string | null;
  readonly employeeId: string;
  readonly accountEnabled: boolean;
}

/** Options of the stand-in. */
export interface GraphStandinOptions {
  readonly employees: readonly Employee[];
  /** The client id and secret the token endpoint accepts. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default page size when the caller gives no `$top` (Graph's is 100). */
  readonly pageSize?: number;
}

const MAX_TOP = 999;

/** Maps a directory person to the Graph user the stand-in serves. */
export function toGraphUser(e: Employee, isManager: boolean): GraphUser {
  const [givenName = e.name, ...rest] = e.name.split(' ');
  return {
    id: e.id,
    displayName: e.name,
    givenName,
    surname: rest.join(' '),
    mail: e.email,
    userPrincipalName: e.email,
    department: e.department,
    jobTitle: e.managerId === undefined ? 'Chief Executive' : isManager ? 'Manager' : null,
    employeeId: e.positionNumber,
    accountEnabled: e.leaveDate === undefined,
  };
}

/** Builds the stand-in's Express app. */
export function createGraphStandin(options: GraphStandinOptions): express.Express {
  const pageSize = options.pageSize ?? 100;
  const reports = new Map<string, Employee[]>();
  for (const e of options.employees) {
    if (e.managerId === undefined) continue;
    const list = reports.get(e.managerId) ?? [];
    list.push(e);
    reports.set(e.managerId, list);
  }
  const byId = new Map(options.employees.map((e) => [e.id, e]));
  const user = (e: Employee) => toGraphUser(e, reports.has(e.id));
  const issued = new Set<string>();

  const app = express();
  app.disable('x-powered-by');

  // Client-credentials token endpoint, shaped like the Microsoft identity platform's.
  app.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    if (body.grant_type !== 'client_credentials') {
      res
        .status(400)
        .json({ error: 'unsupported_grant_type', error_description: 'Only client_credentials.' });
      return;
    }
    if (body.client_id !== options.clientId || body.client_secret !== options.clientSecret) {
      res.status(401).json({ error: 'invalid_client', error_description: 'Unknown client or wrong secret.' });
      return;
    }
    const token = randomBytes(24).toString('base64url');
    issued.add(token);
    res.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
  });

  const graph = express.Router();
  graph.use((req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined || !issued.has(token)) {
      graphError(
        res,
        401,
        'InvalidAuthenticationToken',
        'Access token is empty or was not issued by this service.',
      );
      return;
    }
    next();
  });

  graph.get('/users', (req, res) => {
    page(req, res, options.employees.map(user), '/users');
  });
  graph.get('/users/:id', (req, res) => {
    const e = byId.get(req.params.id);
    if (e === undefined) return notFound(res, req.params.id);
    res.json({ '@odata.context': `${baseUrl(req)}/$metadata#users/$entity`, ...user(e) });
  });
  graph.get('/users/:id/manager', (req, res) => {
    const e = byId.get(req.params.id);
    if (e === undefined) return notFound(res, req.params.id);
    const manager = e.managerId === undefined ? undefined : byId.get(e.managerId);
    if (manager === undefined) return notFound(res, `${req.params.id}/manager`);
    res.json({
      '@odata.context': `${baseUrl(req)}/$metadata#directoryObjects/$entity`,
      '@odata.type': '#microsoft.graph.user',
      ...user(manager),
    });
  });
  graph.get('/users/:id/directReports', (req, res) => {
    if (!byId.has(req.params.id)) return notFound(res, req.params.id);
    const list = (reports.get(req.params.id) ?? []).map((e) => ({
      '@odata.type': '#microsoft.graph.user',
      ...user(e),
    }));
    page(req, res, list, `/users/${req.params.id}/directReports`);
  });
  app.use('/v1.0', graph);
  app.use((_req, res) =>
    graphError(res, 404, 'UnknownError', 'No such Graph endpoint in the local stand-in.'),
  );
  return app;

  function page(req: express.Request, res: express.Response, items: readonly object[], path: string): void {
    const topParam = req.query.$top;
    const top = topParam === undefined ? pageSize : Number(topParam);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      graphError(res, 400, 'Request_BadRequest', `Invalid $top: must be between 1 and ${MAX_TOP}.`);
      return;
    }
    const skip = Number(req.query.$skiptoken ?? 0);
    if (!Number.isInteger(skip) || skip < 0) {
      graphError(res, 400, 'Request_BadRequest', 'Invalid $skiptoken.');
      return;
    }
    const value = items.slice(skip, skip + top);
    const next =
      skip + top < items.length ? `${baseUrl(req)}${path}?$top=${top}&$skiptoken=${skip + top}` : undefined;
    res.json({
      '@odata.context': `${baseUrl(req)}/$metadata#users`,
      value,
      ...(next ? { '@odata.nextLink': next } : {}),
    });
  }
}

function baseUrl(req: express.Request): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/v1.0`;
}

function notFound(res: express.Response, id: string): void {
  graphError(
    res,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function graphError(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString(), 'request-id': randomBytes(8).toString('hex') },
    },
  });
}

/** Starts the stand-in on 127.0.0.1 (port 0 picks a free one); its base URL serves `/v1.0` and tokens. */
export async function startGraphStandin(
  options: GraphStandinOptions,
  port = 0,
): Promise<Listening & { readonly url: string }> {
  const listening = await listen(createGraphStandin(options), port, '127.0.0.1');
  return { ...listening, url: `http://127.0.0.1:${listening.port}` };
}
