/**
 * A local stand-in for the subset of Microsoft Graph the app uses (DESIGN.md §5 "Local run"),
 * speaking Graph's JSON shapes over HTTPS (the Graph SDK sends tokens only to HTTPS hosts):
 * `/users` with `$select`, `$expand=manager`, `$top` and `@odata.nextLink` paging; `/users/delta`
 * with skip and delta tokens, changed properties only and deleted users as `@removed`;
 * `/users/{id}`, `/manager`, `/directReports`; `calendar/getSchedule`; `events` create (with
 * `transactionId` de-duplication), get, update, cancel and delete; and `$batch` (≤ 20).
 * Like Graph it accepts only bearer tokens it issued, from its own client-credentials endpoint
 * (with the OpenID metadata MSAL reads first), and answers 403 for a permission not granted.
 * Tests flip switches to answer 429 with Retry-After, 503, 504, 403, slowly, or to drop the
 * response after doing the work. The directory can be changed while it runs, for delta rounds:
 * users soft-deleted (`@removed` reason `changed`) and restored, or hard-deleted (reason
 * `deleted`); accounts that are not people (rooms, service accounts) served alongside; delta links
 * expired as Graph expires them (400 `syncStateNotFound`); getSchedule answered with each
 * mailbox's address and free/busy statuses in another case, as Exchange may.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import express from 'express';
import { type Employee } from '../../core/model';
import { type Listening, listen } from '../listen';
import {
  type BusyBlock,
  type StandinAttendee,
  StandinCalendars,
  type StoredEvent,
  formatDateTimeTimeZone,
  ianaZone,
  parseDateTimeTimeZone,
} from './graph-standin-calendar';
import { type DevCertificate, createDevCertificate } from './tls-cert';

/** Graph's `user` resource: the properties the stand-in knows. */
export interface GraphUser {
  readonly id: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly mail: string | null;
  readonly userPrincipalName: string;
  readonly department: string | null;
  readonly jobTitle: string | null;
  readonly employeeId: string | null;
  readonly accountEnabled: boolean;
  readonly userType: 'Member' | 'Guest';
  readonly employeeHireDate: string | null;
  readonly createdDateTime: string;
}

/** Properties Graph returns for a user when no `$select` is given (department etc. need $select). */
const DEFAULT_USER_PROPERTIES = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'mail',
  'userPrincipalName',
] as const;

/** Application permissions the app uses; the stand-in grants all of them unless told otherwise. */
export const GRAPH_PERMISSIONS = ['User.Read.All', 'Calendars.ReadWrite'] as const;

/** Client credentials `npm start` gives the stand-in and the service (loopback only; not secrets). */
export const DEV_GRAPH_CLIENT = {
  tenantId: '00000000-0000-4000-8000-00000000d0e0',
  clientId: 'dev-client',
  clientSecret: 'dev-secret',
} as const;

/**
 * An account served as Graph has it, for users that are not in the demo organisation — rooms,
 * shared mailboxes, service accounts — with an optional manager.
 */
export type StandinAccount = Pick<GraphUser, 'id' | 'displayName' | 'userPrincipalName'> &
  Partial<Omit<GraphUser, 'id' | 'displayName' | 'userPrincipalName'>> & {
    readonly managerId?: string;
  };

/**
 * Accounts every tenant has that are not people (README "Microsoft Graph"): a room mailbox
 * (enabled, a mailbox, no employeeId, no manager), a service account (enabled, no mailbox, no
 * employeeId, no manager) and a shared mailbox (its sign-in disabled, as Exchange creates it).
 * `npm start` serves them with the demo organisation; the directory sync must not add them.
 */
export const NON_PERSON_ACCOUNTS: readonly StandinAccount[] = [
  {
    id: '7a0c0f4e-0a1b-4c2d-8e3f-000000000a01',
    displayName: 'Council Chamber (Room 1.01)',
    userPrincipalName: 'room.council-chamber@council.example',
    mail: 'room.council-chamber@council.example',
    accountEnabled: true,
  },
  {
    id: '7a0c0f4e-0a1b-4c2d-8e3f-000000000a02',
    displayName: 'svc-payroll-export',
    userPrincipalName: 'svc-payroll-export@council.example',
    accountEnabled: true,
  },
  {
    id: '7a0c0f4e-0a1b-4c2d-8e3f-000000000a03',
    displayName: 'IT Helpdesk',
    userPrincipalName: 'helpdesk@council.example',
    mail: 'helpdesk@council.example',
    accountEnabled: false,
  },
];

/** Options of the stand-in. */
export interface GraphStandinOptions {
  readonly employees: readonly Employee[];
  /** Further accounts, not people of the organisation (e.g. {@link NON_PERSON_ACCOUNTS}). */
  readonly accounts?: readonly StandinAccount[];
  /** The client id and secret the token endpoint accepts. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default page size of `/users` and `/users/delta` (Graph's is 100). */
  readonly pageSize?: number;
  /** Serve HTTPS with this certificate; plain HTTP without (only raw-HTTP tests use that). */
  readonly tls?: DevCertificate;
  /** Application permissions granted to the client (default {@link GRAPH_PERMISSIONS}). */
  readonly permissions?: readonly string[];
  /** Seed of everyone's generated busy time; `false` leaves calendars empty. Default 1. */
  readonly busySeed?: number | false;
}

/** A switch flipped for tests: how the next matching requests are answered. */
export interface Fault {
  /** Requests it applies to: method (any if omitted) and a path pattern tested against `/v1.0/...`. */
  readonly method?: string;
  readonly path: RegExp;
  /**
   * `throttle` 429 with Retry-After; `unavailable` 503 (with Retry-After if given); `timeout` 504;
   * `forbidden` 403; `slow` answers normally after `delayMs`; `drop` does the work, then closes the
   * connection without answering (a response lost on the way back).
   */
  readonly kind: 'throttle' | 'unavailable' | 'timeout' | 'forbidden' | 'slow' | 'drop';
  readonly retryAfterSeconds?: number;
  readonly delayMs?: number;
  /** How many matching requests it applies to (default 1). */
  readonly times?: number;
}

/** One request the stand-in answered (sub-requests of `$batch` included, marked `batch`). */
export interface StandinRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** When it arrived (epoch ms). */
  readonly at: number;
  readonly batch: boolean;
  readonly fault?: Fault['kind'];
}

/** The directory the stand-in serves, changeable while it runs (each change is a delta version). */
export interface StandinDirectory {
  /** Changes some of a user's properties, or their manager (`managerId: null` removes it). */
  update(id: string, patch: Partial<Omit<GraphUser, 'id'>> & { managerId?: string | null }): void;
  /** Adds a user (from an employee). */
  add(employee: Employee): void;
  /** Adds an account that is not a person of the organisation (a room, a service account). */
  addAccount(account: StandinAccount): void;
  /**
   * Deletes a user; a later delta round reports them `@removed`. Soft by default (reason
   * `changed`: Entra keeps the user 30 days and can restore them); `hard` is permanent (reason
   * `deleted`).
   */
  remove(id: string, options?: { readonly hard?: boolean }): void;
  /** Restores a soft-deleted user: the next delta round reports them again, every property. */
  restore(id: string): void;
  get(id: string): (GraphUser & { managerId: string | undefined }) | undefined;
}

interface Entry {
  user: GraphUser;
  managerId: string | undefined;
  /** `soft` can be restored (Entra's deleted items), `hard` cannot. */
  deleted: false | 'soft' | 'hard';
}

interface Change {
  readonly version: number;
  readonly id: string;
  readonly properties: readonly string[];
  readonly manager: boolean;
}

/** A request as the routes see it, whether it came over HTTP or inside `$batch`. */
interface GraphCall {
  readonly method: string;
  /** Path below the version root, e.g. `/users/abc/events`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  /** `https://host:port/v1.0`, for links. */
  readonly root: string;
}

interface GraphAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const MAX_TOP = 999;
const MAX_BATCH = 20;
const MAX_SCHEDULE_DAYS = 62;

/** A Graph user from an account description (absent properties as Graph shows them: null). */
export function accountUser(a: StandinAccount): GraphUser {
  return {
    givenName: '',
    surname: '',
    mail: null,
    department: null,
    jobTitle: null,
    employeeId: null,
    accountEnabled: true,
    userType: 'Member',
    employeeHireDate: null,
    createdDateTime: '2020-01-06T09:00:00Z',
    ...Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'managerId')),
    id: a.id,
    displayName: a.displayName,
    userPrincipalName: a.userPrincipalName,
  };
}

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
    userType: 'Member',
    employeeHireDate: `${e.startDate}T00:00:00Z`,
    createdDateTime: `${e.startDate}T08:00:00Z`,
  };
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function unb64<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

interface DeltaState {
  /** The directory version the round reports changes since (0 = a full round). */
  readonly since: number;
  /** The version the round was taken at; the deltaLink carries it. */
  readonly at: number;
  readonly offset: number;
  readonly select: readonly string[] | undefined;
  readonly manager: boolean;
  readonly top: number;
}

/** The stand-in's state and request handling, without a listening server. */
export function createGraphStandin(options: GraphStandinOptions) {
  const pageSize = options.pageSize ?? 100;
  const granted = new Set(options.permissions ?? GRAPH_PERMISSIONS);
  const entries = new Map<string, Entry>();
  const managers = new Set(options.employees.map((e) => e.managerId).filter((id) => id !== undefined));
  for (const e of options.employees) {
    entries.set(e.id, { user: toGraphUser(e, managers.has(e.id)), managerId: e.managerId, deleted: false });
  }
  for (const a of options.accounts ?? []) {
    entries.set(a.id, { user: accountUser(a), managerId: a.managerId, deleted: false });
  }
  const changes: Change[] = [];
  let version = 1;
  /** Delta links issued before the last {@link expireDeltaLinks} carry an older epoch. */
  let deltaEpoch = 0;
  let expiredAnswer: { status: number; code: string } = { status: 400, code: 'syncStateNotFound' };
  /** How getSchedule writes addresses and statuses back (Exchange may change their case). */
  let scheduleCase: ScheduleCase = {};
  const issued = new Set<string>();
  const faults: (Fault & { remaining: number })[] = [];
  const requests: StandinRequest[] = [];
  const byEmail = () => {
    const map = new Map<string, string>();
    for (const [id, entry] of entries)
      if (!entry.deleted && entry.user.mail) map.set(entry.user.mail.toLowerCase(), id);
    return map;
  };
  let emailIndex = byEmail();
  const calendars = new StandinCalendars(options.busySeed ?? 1, (email) =>
    emailIndex.get(email.toLowerCase()),
  );

  const record = (id: string, properties: readonly string[], manager: boolean) => {
    version += 1;
    changes.push({ version, id, properties, manager });
    emailIndex = byEmail();
  };

  const directory: StandinDirectory = {
    update(id, patch) {
      const entry = entries.get(id);
      if (entry === undefined || entry.deleted) throw new Error(`no user ${id}`);
      const { managerId, ...fields } = patch;
      entry.user = { ...entry.user, ...fields };
      const managerChanged = managerId !== undefined && (managerId ?? undefined) !== entry.managerId;
      if (managerId !== undefined) entry.managerId = managerId ?? undefined;
      record(id, Object.keys(fields), managerChanged);
    },
    add(employee) {
      entries.set(employee.id, {
        user: toGraphUser(employee, false),
        managerId: employee.managerId,
        deleted: false,
      });
      record(employee.id, Object.keys(toGraphUser(employee, false)), true);
    },
    addAccount(account) {
      const user = accountUser(account);
      entries.set(account.id, { user, managerId: account.managerId, deleted: false });
      record(account.id, Object.keys(user), true);
    },
    remove(id, removal) {
      const entry = entries.get(id);
      if (entry === undefined || entry.deleted === 'hard') throw new Error(`no user ${id}`);
      entry.deleted = removal?.hard === true ? 'hard' : 'soft';
      record(id, [], false);
    },
    restore(id) {
      const entry = entries.get(id);
      if (entry?.deleted !== 'soft') throw new Error(`no soft-deleted user ${id}`);
      entry.deleted = false;
      // A restored user comes back whole: a client that saw the removal needs every property.
      record(id, Object.keys(entry.user), true);
    },
    get(id) {
      const entry = entries.get(id);
      return entry && !entry.deleted ? { ...entry.user, managerId: entry.managerId } : undefined;
    },
  };

  const live = (id: string): Entry | undefined => {
    const entry = entries.get(id);
    return entry && !entry.deleted ? entry : undefined;
  };

  /** The user's properties by `$select` (Graph's default set without it). */
  const shape = (user: GraphUser, select: readonly string[] | undefined): Record<string, unknown> => {
    const names = select ?? DEFAULT_USER_PROPERTIES;
    const out: Record<string, unknown> = {};
    for (const name of names) if (Object.hasOwn(user, name)) out[name] = user[name as keyof GraphUser];
    return out;
  };

  const selectOf = (query: URLSearchParams): string[] | undefined => {
    const text = query.get('$select');
    return text === null
      ? undefined
      : text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  };

  const expandsManager = (query: URLSearchParams): boolean =>
    /^manager(\(|$)/.test(query.get('$expand') ?? '');

  /** One answer per route; `undefined` when no route matches. */
  function route(call: GraphCall): GraphAnswer | undefined {
    const { method, path, query } = call;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [first, id, sub, subId] = parts;
    if (first === '$batch' && parts.length === 1 && method === 'POST') return batch(call);
    if (first !== 'users') return undefined;

    // Directory.
    if (method === 'GET' && parts.length === 1) return needs('User.Read.All') ?? listUsers(call);
    if (method === 'GET' && parts.length === 2 && (id === 'delta' || id === 'microsoft.graph.delta')) {
      return needs('User.Read.All') ?? delta(call);
    }
    if (id === undefined) return undefined;
    if (method === 'GET' && parts.length === 2) {
      const entry = live(id);
      if (entry === undefined) return notFound(id);
      return (
        needs('User.Read.All') ?? {
          status: 200,
          body: {
            '@odata.context': `${call.root}/$metadata#users/$entity`,
            ...userWithManager(entry, query),
          },
        }
      );
    }
    if (method === 'GET' && parts.length === 3 && sub === 'manager') {
      const denied = needs('User.Read.All');
      if (denied) return denied;
      const entry = live(id);
      if (entry === undefined) return notFound(id);
      const manager = entry.managerId === undefined ? undefined : live(entry.managerId);
      if (manager === undefined) return notFound(`${id}/manager`);
      return {
        status: 200,
        body: {
          '@odata.context': `${call.root}/$metadata#directoryObjects/$entity`,
          '@odata.type': '#microsoft.graph.user',
          ...shape(manager.user, selectOf(query)),
        },
      };
    }
    if (method === 'GET' && parts.length === 3 && sub === 'directReports') {
      const denied = needs('User.Read.All');
      if (denied) return denied;
      if (live(id) === undefined) return notFound(id);
      const reports = [...entries.values()]
        .filter((e) => !e.deleted && e.managerId === id)
        .map((e) => ({ '@odata.type': '#microsoft.graph.user', ...shape(e.user, selectOf(query)) }));
      return page(call, reports, `/users/${id}/directReports`);
    }

    // Calendar.
    const owner = live(id);
    const calendarPath = sub === 'calendar' ? parts.slice(3) : parts.slice(2);
    const [resource, eventId, eventAction] = calendarPath;
    if (sub === 'calendar' && subId === 'getSchedule' && method === 'POST' && parts.length === 4) {
      return (
        needs('Calendars.ReadWrite', 'Calendars.Read') ?? (owner ? getSchedule(call) : mailboxNotFound(id))
      );
    }
    if (resource !== 'events') return undefined;
    const denied = needs('Calendars.ReadWrite');
    if (denied) return denied;
    if (owner === undefined) return mailboxNotFound(id);
    if (eventId === undefined && method === 'POST') return createEvent(call, id, owner);
    if (eventId === undefined) return undefined;
    const event = calendars.get(id, eventId);
    if (event === undefined) {
      return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    if (method === 'GET' && eventAction === undefined) return { status: 200, body: eventJson(call, event) };
    if (method === 'PATCH' && eventAction === undefined) return updateEvent(call, event);
    if (method === 'DELETE' && eventAction === undefined) {
      calendars.delete(id, eventId);
      return { status: 204 };
    }
    if (method === 'POST' && eventAction === 'cancel') {
      event.isCancelled = true;
      calendars.touch(event);
      return { status: 202 };
    }
    return undefined;
  }

  function needs(...anyOf: string[]): GraphAnswer | undefined {
    if (anyOf.some((p) => granted.has(p))) return undefined;
    return anyOf[0]?.startsWith('User')
      ? graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
      : graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }

  function userWithManager(entry: Entry, query: URLSearchParams): Record<string, unknown> {
    const out = shape(entry.user, selectOf(query));
    if (expandsManager(query)) {
      const manager = entry.managerId === undefined ? undefined : live(entry.managerId);
      if (manager)
        out.manager = {
          '@odata.type': '#microsoft.graph.user',
          id: manager.user.id,
          displayName: manager.user.displayName,
        };
    }
    return out;
  }

  function listUsers(call: GraphCall): GraphAnswer {
    const users = [...entries.values()].filter((e) => !e.deleted).map((e) => userWithManager(e, call.query));
    return page(call, users, '/users');
  }

  function page(call: GraphCall, items: readonly object[], path: string): GraphAnswer {
    const topParam = call.query.get('$top');
    const top = topParam === null ? pageSize : Number(topParam);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      return graphError(400, 'Request_BadRequest', `Invalid $top: must be between 1 and ${MAX_TOP}.`);
    }
    const skip = Number(call.query.get('$skiptoken') ?? 0);
    if (!Number.isInteger(skip) || skip < 0)
      return graphError(400, 'Request_BadRequest', 'Invalid $skiptoken.');
    const keep = new URLSearchParams(call.query);
    keep.set('$top', String(top));
    keep.set('$skiptoken', String(skip + top));
    const next = skip + top < items.length ? `${call.root}${path}?${keep.toString()}` : undefined;
    return {
      status: 200,
      body: {
        '@odata.context': `${call.root}/$metadata#users`,
        value: items.slice(skip, skip + top),
        ...(next ? { '@odata.nextLink': next } : {}),
      },
    };
  }

  function delta(call: GraphCall): GraphAnswer {
    const skip = call.query.get('$skiptoken');
    const deltaToken = call.query.get('$deltatoken');
    let state: DeltaState | undefined;
    if (skip !== null) state = unb64<DeltaState>(skip);
    else if (deltaToken !== null) {
      const from = unb64<Omit<DeltaState, 'offset' | 'at' | 'since'> & { at: number; epoch?: number }>(
        deltaToken,
      );
      if (from !== undefined && (from.epoch ?? 0) < deltaEpoch) {
        // As Graph answers a delta link it no longer has state for (DESIGN.md §5 "Known facts").
        return graphError(
          expiredAnswer.status,
          expiredAnswer.code,
          'The sync state of this delta link was not found or has expired. Start a new round without the token.',
        );
      }
      state = from && { ...from, since: from.at, at: version, offset: 0 };
    } else {
      const select = selectOf(call.query);
      const manager = expandsManager(call.query) || (select?.includes('manager') ?? false);
      const prefer = /odata\.maxpagesize=(\d+)/.exec(call.headers.prefer ?? '');
      state = {
        since: 0,
        at: version,
        offset: 0,
        select: select?.filter((s) => s !== 'manager'),
        manager,
        top: prefer ? Math.min(Number(prefer[1]), MAX_TOP) : pageSize,
      };
    }
    if (state === undefined || typeof state.at !== 'number') {
      return graphError(400, 'Request_BadRequest', 'The delta or skip token is malformed or has expired.');
    }
    // The changes of the round: everyone for a full round; else the people changed since, merged.
    const items: Record<string, unknown>[] = [];
    if (state.since === 0) {
      for (const entry of entries.values()) {
        if (entry.deleted) continue;
        items.push(deltaItem(entry, state.select, state.manager, undefined));
      }
    } else {
      const touched = new Map<string, { properties: Set<string>; manager: boolean }>();
      for (const c of changes) {
        if (c.version <= state.since || c.version > state.at) continue;
        const t = touched.get(c.id) ?? { properties: new Set<string>(), manager: false };
        c.properties.forEach((p) => t.properties.add(p));
        t.manager ||= c.manager;
        touched.set(c.id, t);
      }
      for (const [id, t] of touched) {
        const entry = entries.get(id);
        if (entry === undefined) continue;
        if (entry.deleted) {
          // Graph's reasons: `changed` for a soft delete (restorable), `deleted` for a permanent one.
          const reason = entry.deleted === 'soft' ? 'changed' : 'deleted';
          items.push({ '@odata.type': '#microsoft.graph.user', id, '@removed': { reason } });
          continue;
        }
        const select = (state.select ?? DEFAULT_USER_PROPERTIES).filter((p) => t.properties.has(p));
        items.push(deltaItem(entry, select, state.manager && t.manager, t.manager ? 'changed' : undefined));
      }
    }
    const value = items.slice(state.offset, state.offset + state.top);
    const more = state.offset + state.top < items.length;
    const link = more
      ? {
          '@odata.nextLink': `${call.root}/users/delta?$skiptoken=${b64({ ...state, offset: state.offset + state.top })}`,
        }
      : {
          '@odata.deltaLink': `${call.root}/users/delta?$deltatoken=${b64({ select: state.select, manager: state.manager, top: state.top, at: state.at, epoch: deltaEpoch })}`,
        };
    return { status: 200, body: { '@odata.context': `${call.root}/$metadata#users`, value, ...link } };
  }

  function deltaItem(
    entry: Entry,
    select: readonly string[] | undefined,
    manager: boolean,
    managerChange: 'changed' | undefined,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { ...shape(entry.user, select), id: entry.user.id };
    if (!manager) return out;
    if (entry.managerId !== undefined) {
      out['manager@delta'] = [{ '@odata.type': '#microsoft.graph.user', id: entry.managerId }];
    } else if (managerChange) {
      out['manager@delta'] = [];
    }
    return out;
  }

  function getSchedule(call: GraphCall): GraphAnswer {
    const body = call.body as {
      schedules?: unknown;
      startTime?: unknown;
      endTime?: unknown;
      availabilityViewInterval?: unknown;
    };
    const start = parseDateTimeTimeZone(body?.startTime);
    const end = parseDateTimeTimeZone(body?.endTime);
    const schedules = body?.schedules;
    const interval = body?.availabilityViewInterval ?? 30;
    if (
      !Array.isArray(schedules) ||
      schedules.length === 0 ||
      schedules.some((s) => typeof s !== 'string') ||
      start === undefined ||
      end === undefined ||
      end <= start ||
      typeof interval !== 'number' ||
      interval < 5 ||
      interval > 1440
    ) {
      return graphError(
        400,
        'ErrorInvalidRequest',
        'Your request is invalid: schedules, startTime and endTime are required.',
      );
    }
    if (end - start > MAX_SCHEDULE_DAYS * 86_400_000) {
      return graphError(
        400,
        'ErrorInvalidParameter',
        `The time range must not exceed ${MAX_SCHEDULE_DAYS} days.`,
      );
    }
    const zone = preferredZone(call);
    const value = (schedules as string[]).map((address) => {
      const personId = emailIndex.get(address.toLowerCase());
      if (personId === undefined) {
        return {
          scheduleId: address,
          error: { message: `The mailbox ${address} was not found.`, responseCode: 'ErrorMailboxNotFound' },
        };
      }
      const blocks = calendars.busyBetween(personId, start, end);
      const mailbox = live(personId)?.user.mail ?? address;
      return {
        scheduleId: recase(
          (scheduleCase.scheduleId ?? 'asked') === 'asked' ? address : mailbox,
          scheduleCase.scheduleId,
        ),
        availabilityView: calendars.availabilityView(blocks, start, end, interval),
        scheduleItems: blocks.map((b: BusyBlock) => ({
          isPrivate: false,
          status: recase(b.status, scheduleCase.status),
          subject: b.subject,
          location: '',
          start: formatDateTimeTimeZone(b.start, zone),
          end: formatDateTimeTimeZone(b.end, zone),
        })),
        workingHours: {
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          startTime: '09:00:00.0000000',
          endTime: '17:00:00.0000000',
          timeZone: { name: 'GMT Standard Time' },
        },
      };
    });
    return {
      status: 200,
      body: {
        '@odata.context': `${call.root}/$metadata#Collection(microsoft.graph.scheduleInformation)`,
        value,
      },
    };
  }

  function preferredZone(call: GraphCall): string {
    const zone = /outlook\.timezone="([^"]+)"/.exec(call.headers.prefer ?? '')?.[1];
    return zone !== undefined && ianaZone(zone) !== undefined ? zone : 'UTC';
  }

  function createEvent(call: GraphCall, organizerId: string, owner: Entry): GraphAnswer {
    const body = (call.body ?? {}) as Record<string, unknown>;
    const start = parseDateTimeTimeZone(body.start);
    const end = parseDateTimeTimeZone(body.end);
    if (start === undefined || end === undefined) {
      return graphError(
        400,
        'TimeZoneNotSupportedException',
        'A valid start and end (dateTime and timeZone) are required.',
      );
    }
    if (end <= start)
      return graphError(400, 'ErrorInvalidRequest', 'The end of the event must be after its start.');
    const attendees = Array.isArray(body.attendees) ? (body.attendees as StandinAttendee[]) : [];
    if (attendees.some((a) => typeof a?.emailAddress?.address !== 'string')) {
      return graphError(400, 'ErrorInvalidRequest', 'Each attendee needs an emailAddress.address.');
    }
    const content = body.body as { contentType?: string; content?: string } | undefined;
    const { event, created } = calendars.create({
      organizerId,
      organizerEmail: owner.user.mail ?? owner.user.userPrincipalName,
      organizerName: owner.user.displayName,
      subject: typeof body.subject === 'string' ? body.subject : '',
      body: { contentType: content?.contentType ?? 'text', content: content?.content ?? '' },
      start,
      end,
      timeZone: (body.start as { timeZone: string }).timeZone,
      attendees,
      isOnlineMeeting: body.isOnlineMeeting === true,
      onlineMeetingProvider:
        typeof body.onlineMeetingProvider === 'string' ? body.onlineMeetingProvider : 'unknown',
      transactionId: typeof body.transactionId === 'string' ? body.transactionId : undefined,
    });
    return { status: created ? 201 : 200, body: eventJson(call, event) };
  }

  function updateEvent(call: GraphCall, event: StoredEvent): GraphAnswer {
    const body = (call.body ?? {}) as Record<string, unknown>;
    const start = body.start === undefined ? event.start : parseDateTimeTimeZone(body.start);
    const end = body.end === undefined ? event.end : parseDateTimeTimeZone(body.end);
    if (start === undefined || end === undefined || end <= start) {
      return graphError(400, 'ErrorInvalidRequest', 'A valid start before end is required.');
    }
    event.start = start;
    event.end = end;
    if (typeof body.subject === 'string') event.subject = body.subject;
    const content = body.body as { contentType?: string; content?: string } | undefined;
    if (content?.content !== undefined)
      event.body = { contentType: content.contentType ?? 'text', content: content.content };
    calendars.touch(event);
    return { status: 200, body: eventJson(call, event) };
  }

  function eventJson(call: GraphCall, e: StoredEvent): Record<string, unknown> {
    const zone = preferredZone(call);
    return {
      '@odata.context': `${call.root}/$metadata#users('${e.organizerId}')/events/$entity`,
      '@odata.etag': `W/"${e.changeKey}"`,
      id: e.id,
      createdDateTime: e.createdDateTime,
      lastModifiedDateTime: e.lastModifiedDateTime,
      changeKey: e.changeKey,
      transactionId: e.transactionId ?? null,
      originalStartTimeZone: e.timeZone,
      originalEndTimeZone: e.timeZone,
      iCalUId: `040000008200E00074C5B7101A82E008${e.id.slice(4, 36)}`,
      subject: e.subject,
      bodyPreview: e.body.content
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 255),
      body: e.body,
      isCancelled: e.isCancelled,
      isOrganizer: true,
      responseRequested: true,
      showAs: 'busy',
      type: 'singleInstance',
      webLink: `https://outlook.office365.com/owa/?itemid=${e.id}&exvsurl=1&path=/calendar/item`,
      isOnlineMeeting: e.isOnlineMeeting,
      onlineMeetingProvider: e.onlineMeetingProvider,
      onlineMeeting: e.joinUrl ? { joinUrl: e.joinUrl } : null,
      start: formatDateTimeTimeZone(e.start, zone),
      end: formatDateTimeTimeZone(e.end, zone),
      attendees: e.attendees.map((a) => ({
        type: a.type ?? 'required',
        status: { response: 'none', time: '0001-01-01T00:00:00Z' },
        emailAddress: a.emailAddress,
      })),
      organizer: { emailAddress: { name: e.organizerName, address: e.organizerEmail } },
    };
  }

  function batch(call: GraphCall): GraphAnswer {
    const list = (call.body as { requests?: unknown } | undefined)?.requests;
    if (!Array.isArray(list) || list.length === 0) {
      return graphError(400, 'BadRequest', 'Invalid batch payload format.');
    }
    if (list.length > MAX_BATCH) {
      return graphError(
        400,
        'BadRequest',
        `Number of batch request steps exceeds the maximum value of ${MAX_BATCH}.`,
      );
    }
    const responses = (list as Record<string, unknown>[]).map((r) => {
      const url = typeof r.url === 'string' ? r.url : '';
      const parsed = new URL(url.startsWith('/') ? url : `/${url}`, 'https://batch.invalid');
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries((r.headers as Record<string, string> | undefined) ?? {}))
        headers[k.toLowerCase()] = v;
      const sub: GraphCall = {
        method: (typeof r.method === 'string' ? r.method : 'GET').toUpperCase(),
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: { ...headers, prefer: headers.prefer ?? call.headers.prefer },
        body: r.body,
        root: call.root,
      };
      const answer = handle(sub, true);
      return {
        id: r.id,
        status: answer.status,
        headers: {
          ...(answer.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...answer.headers,
        },
        ...(answer.body === undefined ? {} : { body: answer.body }),
      };
    });
    return { status: 200, body: { responses } };
  }

  /** Takes the first switch matching a request, counting it down. */
  function takeFault(method: string, path: string): Fault | undefined {
    const index = faults.findIndex(
      (f) => (f.method === undefined || f.method.toUpperCase() === method) && f.path.test(`/v1.0${path}`),
    );
    const fault = faults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  }

  /** Answers a call, applying a switch (slow and drop answer normally here; the socket does the rest). */
  function handle(call: GraphCall, inBatch: boolean, fault?: Fault): GraphAnswer {
    const at = Date.now();
    const applied = fault ?? (inBatch ? takeFault(call.method, call.path) : undefined);
    let answer: GraphAnswer;
    switch (applied?.kind) {
      case 'throttle':
        answer = {
          ...graphError(429, 'TooManyRequests', 'Too many requests; retry after the delay in Retry-After.'),
          headers: { 'Retry-After': String(applied.retryAfterSeconds ?? 1) },
        };
        break;
      case 'unavailable':
        answer = {
          ...graphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.'),
          headers:
            applied.retryAfterSeconds === undefined
              ? {}
              : { 'Retry-After': String(applied.retryAfterSeconds) },
        };
        break;
      case 'timeout':
        answer = graphError(504, 'GatewayTimeout', 'The gateway timed out.');
        break;
      case 'forbidden':
        answer = graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
        break;
      default:
        answer =
          route(call) ?? graphError(400, 'BadRequest', `Resource not found for the segment '${call.path}'.`);
    }
    requests.push({
      method: call.method,
      path: call.path,
      status: answer.status,
      at,
      batch: inBatch,
      ...(applied ? { fault: applied.kind } : {}),
    });
    return answer;
  }

  const app = express();
  app.disable('x-powered-by');

  // OpenID metadata MSAL (@azure/identity) reads before asking for a token.
  app.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const base = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/${req.params.tenant}`;
    res.json({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      issuer: `${base}/v2.0`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    });
  });

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

  // Switches over HTTP, for trying the app by hand against `npm start` (not part of Graph).
  app.post('/_standin/faults', express.json(), (req, res) => {
    const f = req.body as Omit<Fault, 'path'> & { path?: string };
    faults.push({ ...f, path: new RegExp(f.path ?? '.'), remaining: f.times ?? 1 });
    res.status(204).end();
  });
  app.delete('/_standin/faults', (_req, res) => {
    faults.length = 0;
    res.status(204).end();
  });

  app.use('/v1.0', express.json({ limit: '4mb' }), (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined || !issued.has(token)) {
      send(
        res,
        graphError(
          401,
          'InvalidAuthenticationToken',
          'Access token is empty or was not issued by this service.',
        ),
      );
      return;
    }
    const url = new URL(req.originalUrl, 'https://standin.invalid');
    const call: GraphCall = {
      method: req.method.toUpperCase(),
      path: url.pathname.replace(/^\/v1\.0/, '') || '/',
      query: url.searchParams,
      headers: { prefer: req.get('prefer') },
      body: req.body as unknown,
      root: `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/v1.0`,
    };
    const fault = takeFault(call.method, call.path);
    const answerNow = () => send(res, handle(call, false, fault));
    if (fault?.kind === 'drop') {
      handle(call, false, fault); // the work is done …
      req.socket.destroy(); // … and the answer is lost
      return;
    }
    if (fault?.kind === 'slow') {
      setTimeout(answerNow, fault.delayMs ?? 1_000);
      return;
    }
    answerNow();
  });
  app.use((_req, res) =>
    send(res, graphError(404, 'UnknownError', 'No such Graph endpoint in the local stand-in.')),
  );

  return {
    app,
    directory,
    calendars,
    requests: requests as readonly StandinRequest[],
    /** Every access token handed out so far (tests assert none leaks into logs or telemetry). */
    issuedTokens: (): readonly string[] => [...issued],
    /** Flips a switch: the next `times` matching requests are answered as the fault says. */
    fault(f: Fault): void {
      faults.push({ ...f, remaining: f.times ?? 1 });
    },
    clearFaults(): void {
      faults.length = 0;
    },
    /**
     * Expires every delta link issued so far, as Graph does after about 7 days (DESIGN.md §5): the
     * next request with one answers 400 `syncStateNotFound` (or the status and code given, e.g.
     * 410 `resyncRequired`). Links from later rounds work.
     */
    expireDeltaLinks(answer: { readonly status?: number; readonly code?: string } = {}): void {
      deltaEpoch += 1;
      expiredAnswer = { status: answer.status ?? 400, code: answer.code ?? 'syncStateNotFound' };
    },
    /** How getSchedule writes each `scheduleId` and status back (default: as asked, Graph's case). */
    scheduleCase(how: ScheduleCase): void {
      scheduleCase = how;
    },
    /** Replaces the granted application permissions (e.g. to take Calendars.ReadWrite away). */
    grant(permissions: readonly string[]): void {
      granted.clear();
      permissions.forEach((p) => granted.add(p));
    },
  };
}

/**
 * How getSchedule writes values back: `scheduleId` the address as asked (Graph's usual answer),
 * or the mailbox's primary address as stored, upper- or lower-cased; `status` free/busy values as
 * Graph documents them (`busy`, `workingElsewhere`), upper-cased (`BUSY`) or capitalised (`Busy`).
 */
export interface ScheduleCase {
  readonly scheduleId?: 'asked' | 'primary' | 'upper' | 'lower';
  readonly status?: 'graph' | 'upper' | 'capitalised';
}

function recase(value: string, how: ScheduleCase['scheduleId'] | ScheduleCase['status']): string {
  if (how === 'upper') return value.toUpperCase();
  if (how === 'lower') return value.toLowerCase();
  if (how === 'capitalised') return value.charAt(0).toUpperCase() + value.slice(1);
  return value;
}

function send(res: express.Response, answer: GraphAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.status(answer.status);
  for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
  if (answer.body === undefined) res.end();
  else res.json(answer.body);
}

function notFound(id: string): GraphAnswer {
  return graphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function mailboxNotFound(id: string): GraphAnswer {
  return graphError(404, 'ErrorInvalidUser', `The requested user '${id}' is invalid.`);
}

function graphError(status: number, code: string, message: string): GraphAnswer {
  return {
    status,
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString(), 'request-id': randomBytes(8).toString('hex') },
      },
    },
  };
}

/** A running stand-in. */
export type GraphStandin = Listening &
  Omit<ReturnType<typeof createGraphStandin>, 'app'> & {
    /** The server's root (token endpoint under it); Graph is at `${url}/v1.0`. */
    readonly url: string;
    /** The certificate clients must trust (PEM), when serving HTTPS. */
    readonly ca: string | undefined;
  };

/** Starts the stand-in on 127.0.0.1 (port 0 picks a free one), over HTTPS when given a certificate. */
export async function startGraphStandin(options: GraphStandinOptions, port = 0): Promise<GraphStandin> {
  const standin = createGraphStandin(options);
  const { app, ...rest } = standin;
  if (options.tls === undefined) {
    const listening = await listen(app, port, '127.0.0.1');
    return { ...listening, ...rest, url: `http://127.0.0.1:${listening.port}`, ca: undefined };
  }
  const server = createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on 127.0.0.1 is already in use. Stop whatever uses it or choose another port.`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    ...rest,
    server: server as unknown as Listening['server'],
    port: actual,
    url: `https://127.0.0.1:${actual}`,
    ca: options.tls.cert,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Where `npm start` writes the stand-in's certificate, for the service and `sync-directory --dev`. */
export function devGraphCaFile(dataDir: string): string {
  return resolve(dataDir, 'graph-standin', 'ca.pem');
}

/** The GRAPH_* settings that point the app at a stand-in (what `npm start` gives the service). */
export function devGraphEnv(standinUrl: string, caFile: string): Record<string, string> {
  return {
    GRAPH_BASE_URL: `${standinUrl}/v1.0`,
    GRAPH_TENANT_ID: DEV_GRAPH_CLIENT.tenantId,
    GRAPH_CLIENT_ID: DEV_GRAPH_CLIENT.clientId,
    GRAPH_CLIENT_SECRET: DEV_GRAPH_CLIENT.clientSecret,
    GRAPH_AUTHORITY_HOST: standinUrl,
    GRAPH_CA_FILE: caFile,
  };
}

/**
 * Starts the stand-in for `npm start`: over HTTPS with a fresh self-signed certificate, written
 * to {@link devGraphCaFile} so the service (GRAPH_CA_FILE) and `sync-directory --dev` trust it;
 * the demo organisation's people plus the {@link NON_PERSON_ACCOUNTS} a real tenant has.
 */
export async function startDevGraphStandin(
  employees: readonly Employee[],
  port: number,
  dataDir: string,
): Promise<GraphStandin> {
  const tls = createDevCertificate();
  const caFile = devGraphCaFile(dataDir);
  await mkdir(dirname(caFile), { recursive: true });
  await writeFile(caFile, tls.cert, 'utf8');
  return startGraphStandin({ employees, accounts: NON_PERSON_ACCOUNTS, ...DEV_GRAPH_CLIENT, tls }, port);
}
