/**
 * Signing in: in Teams the SSO token (teams-js `getAuthToken`); in a browser (development) a token
 * from the service's dev sign-in (`/api/dev/users`, `/api/dev/token`), which production does not
 * have. The dev token lives in sessionStorage so a reload keeps the user signed in.
 */
import { type DevTokenResponse, type DevUser } from '../../core/tab-api';
import { type TokenSource } from './api';
import { teamsToken } from './teams';

/** sessionStorage key of the development token (browser tests may set it before loading). */
export const DEV_TOKEN_KEY = 'pc-tab.dev-token';

/** Tokens from Teams SSO; teams-js caches them, and a renewal asks Teams again. */
export class TeamsTokens implements TokenSource {
  private pending: Promise<string> | undefined;

  token(): Promise<string> {
    this.pending ??= teamsToken();
    const pending = this.pending;
    pending.catch(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    return pending;
  }

  async renew(): Promise<string | null> {
    this.pending = undefined;
    try {
      return await this.token();
    } catch {
      return null;
    }
  }
}

/** The development token kept in sessionStorage; it cannot be renewed silently. */
export class DevTokens implements TokenSource {
  constructor(private readonly value: string) {}

  /** The stored token, if a user signed in earlier in this tab. */
  static stored(): DevTokens | null {
    const value = sessionStorage.getItem(DEV_TOKEN_KEY);
    return value === null || value === '' ? null : new DevTokens(value);
  }

  /** Forgets the stored token (sign out, switch user, or a 401). */
  static forget(): void {
    sessionStorage.removeItem(DEV_TOKEN_KEY);
  }

  token(): Promise<string> {
    return Promise.resolve(this.value);
  }

  renew(): Promise<string | null> {
    DevTokens.forget();
    return Promise.resolve(null);
  }
}

/** The people to sign in as, or `production` when the service has no dev sign-in (404). */
export async function devUsers(): Promise<readonly DevUser[] | 'production'> {
  const response = await fetch('/api/dev/users', { headers: { Accept: 'application/json' } });
  if (response.status === 404) return 'production';
  if (!response.ok) throw new Error(`dev users: ${response.status}`);
  const body = (await response.json()) as DevUser[] | { users?: DevUser[] };
  // The contract names the item type only; accept a bare array or `{ users: [...] }`.
  return Array.isArray(body) ? body : (body.users ?? []);
}

/** Signs in as a development user and keeps the token for this browser tab. */
export async function devSignIn(userId: string): Promise<DevTokens> {
  const response = await fetch('/api/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!response.ok) throw new Error(`dev token: ${response.status}`);
  const { token } = (await response.json()) as DevTokenResponse;
  sessionStorage.setItem(DEV_TOKEN_KEY, token);
  return new DevTokens(token);
}
