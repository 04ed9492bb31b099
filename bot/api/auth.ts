/**
 * Checking the tab's bearer tokens (issue 7, DESIGN.md §6): an Entra ID access token for the tab
 * app (Teams SSO), verified with jose against the tenant's published keys — RS256 signature, issuer
 * (v2 and v1 forms), audience, expiry, tenant, and that it is a user's delegated token for the tab
 * (scope `access_as_user`, not an app-only token). The caller is the token's `oid`. The development
 * sign-in plugs its own key set into the same check (`bot/api/dev-sign-in.ts`).
 */
import { LRUCache } from 'lru-cache';
import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';

/** Who a valid token speaks for. */
export interface TokenIdentity {
  /** The Entra object id (`oid`): the caller's id in the directory. */
  readonly oid: string;
  readonly tid: string;
  readonly name: string | undefined;
  /** When the token expires (`exp`, seconds since 1970). */
  readonly exp: number;
}

/** Checks a bearer token; rejects with {@link InvalidTokenError} when it is not acceptable. */
export interface TokenValidator {
  validate(token: string): Promise<TokenIdentity>;
}

/** A token that must not be accepted (→ 401). The reason is a code for logs, never the token. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`The token was not accepted (${reason}).`);
    this.name = 'InvalidTokenError';
  }
}

/** The delegated scope the tab app exposes and Teams SSO asks for (the manifest's webApplicationInfo). */
export const TAB_SCOPE = 'access_as_user';

/** Seconds of clock difference tolerated on `exp` and `nbf`. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/** The issuers Entra ID writes for a tenant: v2.0 tokens and v1.0 tokens. */
export function entraIssuers(tenantId: string): string[] {
  return [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
}

/** What a validator accepts. */
export interface TokenValidatorOptions {
  /** The only tenant whose tokens are accepted (`tid`, and the issuer). */
  readonly tenantId: string;
  /** Accepted `aud` values (Application ID URI and/or client id). */
  readonly audiences: readonly string[];
  /** Where the signing keys come from: Entra's JWKS, or the dev sign-in's local key set. */
  readonly keys: JWTVerifyGetKey;
}

/** A validator with the given keys: the one check every token goes through. */
export function createTokenValidator(options: TokenValidatorOptions): TokenValidator {
  const issuer = entraIssuers(options.tenantId);
  const audience = [...options.audiences];
  return {
    async validate(token: string): Promise<TokenIdentity> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, options.keys, {
          algorithms: ['RS256'],
          issuer,
          audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'oid', 'tid'],
        }));
      } catch (error) {
        // A timeout fetching the keys is the service's problem, not the caller's: not a 401.
        if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
          throw new InvalidTokenError(error.code);
        }
        throw error;
      }
      const { oid, tid, name, scp, idtyp, exp } = payload;
      if (tid !== options.tenantId) throw new InvalidTokenError('tenant');
      if (typeof oid !== 'string' || oid === '') throw new InvalidTokenError('oid');
      // An app-only token for the same audience carries `roles` and an app's oid, never `scp`.
      if (idtyp === 'app') throw new InvalidTokenError('app-only');
      if (typeof scp !== 'string' || !scp.split(' ').includes(TAB_SCOPE))
        throw new InvalidTokenError('scope');
      return { oid, tid, name: typeof name === 'string' ? name : undefined, exp: exp ?? 0 };
    },
  };
}

/** The Entra ID validator: the tenant's keys fetched from `jwksUrl` (cached, refreshed on a new key id). */
export function createEntraValidator(options: {
  readonly tenantId: string;
  readonly audiences: readonly string[];
  readonly jwksUrl: string;
}): TokenValidator {
  return createTokenValidator({
    tenantId: options.tenantId,
    audiences: options.audiences,
    keys: createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000 }),
  });
}

/** Accepts a token any of the validators accepts (development: the dev key, then Entra). */
export function anyValidator(validators: readonly TokenValidator[]): TokenValidator {
  return {
    async validate(token: string): Promise<TokenIdentity> {
      let last: unknown = new InvalidTokenError('no-validator');
      for (const validator of validators) {
        try {
          return await validator.validate(token);
        } catch (error) {
          if (!(error instanceof InvalidTokenError)) throw error;
          last = error;
        }
      }
      throw last;
    },
  };
}

/** The most accepted tokens remembered (a token is about 1.5 KB). */
const REMEMBERED_TOKENS = 5_000;

/**
 * Remembers the tokens a validator accepted until they expire, so the tab's next requests with
 * the same token skip the signature check (an RS256 verification costs more CPU than the rest of a
 * My team request but its storage read). The token is the exact string that was verified, and a
 * signed token's claims cannot change; expiry is checked again on every use, with the same
 * tolerance. Refused tokens are never remembered.
 */
export function rememberAccepted(validator: TokenValidator, now: () => number = Date.now): TokenValidator {
  const accepted = new LRUCache<string, TokenIdentity>({ max: REMEMBERED_TOKENS });
  return {
    async validate(token: string): Promise<TokenIdentity> {
      const known = accepted.get(token);
      if (known !== undefined) {
        if (now() / 1000 < known.exp + CLOCK_TOLERANCE_SECONDS) return known;
        accepted.delete(token);
      }
      const identity = await validator.validate(token);
      accepted.set(token, identity);
      return identity;
    },
  };
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
