/**
 * The development sign-in (DESIGN.md §5 "a local sign-in that exists only in dev mode"): an RS256
 * key pair generated at start, tokens shaped like Entra ID's (v2 issuer, audience, `oid`, `tid`,
 * `name`, one hour), checked by the same validator as Entra tokens through a local key set. It is
 * created only when the configuration says `devSignIn` (APP_ENV=development); production has no
 * route and no key to accept.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { type CryptoKey, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { type Employee } from '../../core/model';
import { type DevTokenResponse, type DevUser } from '../../core/tab-api';
import { forEachLimit } from '../concurrency';
import { monitoringTeamRole, policyWords } from '../i18n/policy-words';
import { TAB_SCOPE, type TokenValidator, createTokenValidator, entraIssuers } from './auth';
import { inPost, resolveCaller } from './caller';
import { type ApiDeps } from './deps';
import { problems } from './errors';

/** The tenant dev tokens carry when none is configured. */
export const DEV_TENANT_ID = '00000000-0000-4000-8000-00000000de01';

/** The audience dev tokens carry when no TAB_API_AUDIENCE is configured. */
export const DEV_AUDIENCE = 'api://localhost/professional-conversations-dev';

/** How long a dev token lasts, like an Entra access token. */
const TOKEN_SECONDS = 60 * 60;

/** Issues and checks development tokens. */
export interface DevSignIn {
  /** The validator for dev tokens: the shared check with the local key set. */
  readonly validator: TokenValidator;
  /** A token for a person, as Entra would issue it for the tab. */
  issue(person: Pick<Employee, 'id' | 'name' | 'email'>): Promise<string>;
}

/** Creates the dev sign-in; its key pair is generated at once, in the background. */
export function createDevSignIn(options: {
  readonly tenantId: string;
  readonly audience: string;
}): DevSignIn {
  const kid = `dev-${randomUUID()}`;
  const ready = (async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return { privateKey, keys: createLocalJWKSet({ keys: [jwk] }) };
  })();
  const validator = createTokenValidator({
    tenantId: options.tenantId,
    audiences: [options.audience],
    keys: async (header, token) => (await ready).keys(header, token),
  });
  return {
    validator,
    async issue(person): Promise<string> {
      const { privateKey }: { privateKey: CryptoKey } = await ready;
      return new SignJWT({
        oid: person.id,
        tid: options.tenantId,
        name: person.name,
        preferred_username: person.email,
        scp: TAB_SCOPE,
        ver: '2.0',
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .setIssuer(entraIssuers(options.tenantId)[0]!)
        .setAudience(options.audience)
        .setSubject(person.id)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(`${TOKEN_SECONDS}s`)
        .sign(privateKey);
    },
  };
}

const PER_LEVEL = 3;
const MAX_DEPTH = 6;
const MAX_OD = 5;
/** Who the top two levels of a managing hierarchy are, by depth from the top. */
const SENIOR: Readonly<Record<number, string>> = { 0: 'Chief Executive', 1: 'Director' };

/**
 * People to sign in as: walking down the hierarchy from the top (a few per level: the Chief
 * Executive, directors, heads of service, team managers, staff) and the first OD members, each
 * with their role. About twenty partition reads, whatever the organisation's size.
 */
export async function devUsers(deps: ApiDeps): Promise<DevUser[]> {
  const today = deps.clock.today();
  const byName = (a: Employee, b: Employee) => a.name.localeCompare(b.name);
  const picked = new Map<string, Employee>();
  /** How far below the top each person picked from the hierarchy is (0: the Chief Executive). */
  const depthOf = new Map<string, number>();
  let level = (await deps.records.team.team(undefined))
    .map((r) => r.employee)
    .filter((e) => inPost(e, today))
    .sort(byName);
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    let next: Employee[] = [];
    for (const person of level.slice(0, PER_LEVEL)) {
      picked.set(person.id, person);
      depthOf.set(person.id, depth);
      if (next.length === 0) {
        next = (await deps.records.team.team(person.id))
          .map((r) => r.employee)
          .filter((e) => inPost(e, today))
          .sort(byName);
      }
    }
    level = next;
  }
  for (const id of [...deps.odMembers].slice(0, MAX_OD)) {
    const person = await deps.records.directory.getEmployee(id);
    if (person !== undefined && inPost(person, today)) picked.set(id, person);
  }
  const people = [...picked.values()];
  const users: DevUser[] = new Array<DevUser>(people.length);
  await forEachLimit(people, 4, async (person, i) => {
    const resolved = await resolveCaller(deps, person.id);
    const roles = resolved?.caller.roles;
    const labels = [
      roles?.od ? monitoringTeamRole(policyWords(deps.policy)) : undefined,
      roles?.headOfService
        ? (SENIOR[depthOf.get(person.id) ?? -1] ?? 'Head of service')
        : roles?.manager
          ? 'Manager'
          : undefined,
    ].filter((l): l is string => l !== undefined);
    users[i] = { id: person.id, name: person.name, role: labels.length > 0 ? labels.join(', ') : 'Employee' };
  });
  return users;
}

/** `GET /dev/users` and `POST /dev/token {userId}`, mounted under `/api` in development only. */
export function devSignInRoutes(signIn: DevSignIn, deps: ApiDeps): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '4kb' }));
  router.get('/users', async (_req, res) => {
    res.json(await devUsers(deps));
  });
  router.post('/token', async (req, res) => {
    const body = req.body as { userId?: unknown } | undefined;
    const userId = typeof body?.userId === 'string' ? body.userId.trim() : '';
    if (!/^[A-Za-z0-9-]{1,64}$/.test(userId))
      throw problems.badRequest('Send {"userId": "<a person\'s id>"}.');
    const person = await deps.records.directory.getEmployee(userId);
    if (person === undefined) throw problems.badRequest('There is no such person in the directory.');
    deps.log.info('dev sign-in', { userId });
    const answer: DevTokenResponse = { token: await signIn.issue(person) };
    res.json(answer);
  });
  return router;
}
