/**
 * The Teams tab's Organisation routes (issue 7; DESIGN.md §4 Tab, §6 access), mounted under `/api`
 * behind the auth middleware, which puts the caller in `res.locals.caller`:
 *
 * - `GET /api/org?node=&quarter=` → OrgResponse; `GET /api/org.csv` → its children as CSV;
 * - `GET /api/org/list?kind=overdue|none-12m&node=&department=` → OrgListResponse (at most
 *   {@link LIST_LIMIT} rows, `total` the full count); `GET /api/org/list.csv` → every row as CSV.
 *
 * OD may see any node, a head of service their own subtree, anyone else gets 403. Answers are
 * never cached (`Cache-Control: no-store`) and never hold note text.
 */
import { spreadsheetCsv } from './csv';
import express, { type Request, type Response } from 'express';
import { rollupQuarters } from '../../core/compliance/status-facts';
import { type FinancialQuarter } from '../../core/dates/quarters';
import {
  type ApiError,
  type OrgListKind,
  type OrgListResponse,
  type OrgListRow,
  type OrgNode,
  type OrgResponse,
} from '../../core/tab-api';
import { policyWords } from '../i18n/policy-words';
import { type Caller } from './caller';
import { type ApiDeps } from './deps';
import { type AllowedNode, resolveNode } from './org-access';
import { orgList } from './org-lists';
import { orgView } from './org-view';

/** Most rows a list answers with in JSON; the CSV export holds them all. */
export const LIST_LIMIT = 500;

const LIST_KINDS: readonly OrgListKind[] = ['overdue', 'none-12m'];

/** Longest id, department filter or quarter label accepted in a query string. */
const MAX_PARAM = 200;

/** A request refused with a status and a message meant for the user. */
class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** The organisation view's routes. */
export function orgRoutes(deps: ApiDeps): express.Router {
  const log = deps.log.child('org');
  const router = express.Router();

  const route =
    (handler: (req: Request, res: Response, caller: Caller) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      res.set('Cache-Control', 'no-store');
      const caller = res.locals.caller as Caller | undefined;
      try {
        if (caller === undefined) throw new RequestError(401, 'unauthorized', 'Sign in to see this.');
        await handler(req, res, caller);
      } catch (error) {
        if (error instanceof RequestError) {
          sendError(res, error.status, error.code, error.message);
          return;
        }
        log.error('organisation request failed', {
          route: req.path,
          error: error instanceof Error ? error.name : 'unknown',
        });
        sendError(res, 500, 'internal', 'Something went wrong reading the organisation figures. Try again.');
      }
    };

  const viewOf = async (req: Request, caller: Caller): Promise<OrgResponse> => {
    const node = await allowedNode(deps, caller, param(req, 'node'));
    const quarter = quarterParam(req, rollupQuarters(deps.clock.today()));
    const view = await orgView(deps.records, node, quarter);
    if (view === undefined)
      throw new RequestError(
        404,
        'not_found',
        `${node.name} manages nobody, so there is nothing to show below them.`,
      );
    if (caller.roles.od && deps.outboxFaults) return { ...view, outbox: await deps.outboxFaults() };
    return view;
  };

  const listOf = async (
    req: Request,
    caller: Caller,
    limit?: number,
  ): Promise<{ kind: OrgListKind; rows: OrgListRow[]; total: number }> => {
    const kind = param(req, 'kind');
    if (!LIST_KINDS.includes(kind as OrgListKind))
      throw new RequestError(400, 'bad_request', 'Say which list: kind=overdue or kind=none-12m.');
    const node = await allowedNode(deps, caller, param(req, 'node'));
    const list = await orgList(deps.records, node, kind as OrgListKind, param(req, 'department'), limit);
    return { kind: kind as OrgListKind, ...list };
  };

  router.get(
    '/org',
    route(async (req, res, caller) => {
      res.json(await viewOf(req, caller));
    }),
  );

  router.get(
    '/org.csv',
    route(async (req, res, caller) => {
      const view = await viewOf(req, caller);
      sendCsv(res, `organisation-${fileSafe(view.node.name)}-${fileSafe(view.quarter)}.csv`, orgCsv(view));
    }),
  );

  router.get(
    '/org/list',
    route(async (req, res, caller) => {
      const { kind, rows, total } = await listOf(req, caller, LIST_LIMIT);
      const body: OrgListResponse = { kind, rows, total };
      res.json(body);
    }),
  );

  router.get(
    '/org/list.csv',
    route(async (req, res, caller) => {
      const { kind, rows } = await listOf(req, caller);
      sendCsv(res, `${kind}-${deps.clock.today()}.csv`, listCsv(rows));
    }),
  );

  return router;
}

async function allowedNode(
  deps: ApiDeps,
  caller: Caller,
  requested: string | undefined,
): Promise<AllowedNode> {
  const access = await resolveNode(deps.records, caller, requested);
  if (access.kind === 'allowed') return access.node;
  if (access.kind === 'not-found')
    throw new RequestError(404, 'not_found', 'There is no such person in the organisation.');
  throw new RequestError(
    403,
    'forbidden',
    caller.roles.headOfService
      ? 'You can see the figures of your own part of the organisation only.'
      : `The organisation view is for heads of service and ${policyWords(deps.policy).monitoringTeam}.`,
  );
}

/** One query-string value: absent or empty is undefined; repeated or over-long is refused. */
function param(req: Request, name: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_PARAM)
    throw new RequestError(
      400,
      'bad_request',
      `"${name}" must be given once, in at most ${MAX_PARAM} characters.`,
    );
  return value;
}

/** The quarter asked for, one of the eight kept; the current one when none is given. */
function quarterParam(req: Request, quarters: readonly FinancialQuarter[]): FinancialQuarter {
  const label = param(req, 'quarter');
  const current = quarters.at(-1)!;
  if (label === undefined) return current;
  const quarter = quarters.find((q) => q.label === label.trim());
  if (quarter === undefined)
    throw new RequestError(
      400,
      'bad_request',
      `The quarter must be one of ${quarters[0]!.label} to ${current.label}, written like ${current.label}.`,
    );
  return quarter;
}

function sendError(res: Response, status: number, error: string, message: string): void {
  const body: ApiError = { error, message };
  res.status(status).json(body);
}

function sendCsv(res: Response, filename: string, csv: string): void {
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${filename}"`);
  res.send(csv);
}

/** The children of a node as CSV, one row each, as the JSON gives them. */
export function orgCsv(view: OrgResponse): string {
  const rate = (r: number | null) => (r === null ? '' : r);
  return spreadsheetCsv(
    view.children.map((c: OrgNode) => [
      c.id,
      c.name,
      c.department,
      c.headcount,
      c.quarterly.numerator,
      c.quarterly.denominator,
      rate(c.quarterly.rate),
      c.rolling.numerator,
      c.rolling.denominator,
      rate(c.rolling.rate),
      c.overdue,
      c.dueSoon,
      ...(view.payStepDeferrals !== undefined ? [c.payStepDeferrals ?? 0] : []),
    ]),
    [
      'id',
      'name',
      'department',
      'headcount',
      // The figure the quarterly numbers are (policy `compliance.quarterlyFigure`), named as in the JSON.
      view.figure.id === 'compliant-at-quarter-end'
        ? `compliant_at_quarter_end (${view.quarter})`
        : `held_in_quarter (${view.quarter})`,
      'eligible_in_quarter',
      'quarterly_rate',
      'compliant_12m',
      'eligible_12m',
      'rolling_rate',
      'overdue',
      'due_soon',
      // CC §8 "number of deferrals": only under a policy with pay steps.
      ...(view.payStepDeferrals !== undefined ? [`pay_step_deferrals (${view.quarter})`] : []),
    ],
  );
}

/** A list as CSV, every row. */
export function listCsv(rows: readonly OrgListRow[]): string {
  return spreadsheetCsv(
    rows.map((r) => [
      r.employeeId,
      r.name,
      r.department,
      r.managerName,
      r.status,
      r.statusLabel,
      r.daysOverdue,
      r.lastHeld ?? '',
    ]),
    ['employee_id', 'name', 'department', 'manager', 'status', 'status_label', 'days_overdue', 'last_held'],
  );
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'export';
}
