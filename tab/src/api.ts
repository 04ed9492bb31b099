/**
 * The tab's client for the service's REST API (core/tab-api.ts): every call carries the bearer
 * token; a 401 asks the token source for a fresh token once before giving up.
 */

/** Where a bearer token comes from: Teams SSO or the development sign-in. */
export interface TokenSource {
  token(): Promise<string>;
  /** A fresh token after a 401, or null when the user has to sign in again. */
  renew(): Promise<string | null>;
}

/** A failed API call; `status` 0 means the service could not be reached. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
  ) {
    super(`API ${path} answered ${status}`);
    this.name = 'ApiFailure';
  }
}

/** Query parameters; empty, null and undefined values are left out. */
export type Query = Readonly<Record<string, string | null | undefined>>;

/** Builds `/api/…?a=b` with the non-empty parameters, in order. */
export function apiPath(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== null && value !== undefined && value !== '') params.set(name, value);
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

/** The authenticated API. */
export class Api {
  constructor(private readonly tokens: TokenSource) {}

  /** GETs JSON. */
  async get<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
    const response = await this.send(apiPath(path, query), { signal });
    return (await response.json()) as T;
  }

  /** POSTs a JSON body and reads the JSON answer. */
  async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.send(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    return (await response.json()) as T;
  }

  /**
   * Downloads a file (a CSV export) with the bearer token — a plain link cannot carry it — and
   * saves it under the name the service gives in Content-Disposition.
   */
  async download(path: string, query: Query, fallbackName: string): Promise<string> {
    const response = await this.send(apiPath(path, query), {});
    const name = fileName(response.headers.get('Content-Disposition')) ?? fallbackName;
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return name;
  }

  private async send(path: string, init: RequestInit, renewed = false): Promise<Response> {
    let token: string;
    try {
      token = await this.tokens.token();
    } catch {
      // No token at all (Teams SSO refused): the same as a 401 to the caller — sign in again.
      throw new ApiFailure(401, path);
    }
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    headers.set('Accept', path.includes('.csv') ? 'text/csv' : 'application/json');
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiFailure(0, path);
    }
    if (response.status === 401 && !renewed && (await this.tokens.renew()) !== null)
      return this.send(path, init, true);
    if (!response.ok) throw new ApiFailure(response.status, path);
    return response;
  }
}

/** The file name in a Content-Disposition header (`filename*=UTF-8''…` preferred), if any. */
export function fileName(disposition: string | null): string | null {
  if (disposition === null) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1] !== undefined) {
    try {
      return safeName(decodeURIComponent(extended[1].trim()));
    } catch {
      // A malformed percent-encoding: fall back to the plain filename parameter below.
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(disposition);
  const name = plain?.[1] ?? plain?.[2];
  return name === undefined ? null : safeName(name.trim());
}

function safeName(name: string): string | null {
  const base = name.replace(/[/\\]/g, '_');
  return base === '' ? null : base;
}

/** True when an error is a fetch cancelled because the user moved on. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
