/**
 * The Microsoft Graph client the app uses (README "Microsoft Graph: directory sync and
 * scheduling"): app-only tokens from `@azure/identity` (client secret, or a managed identity in
 * production), a configurable base URL, and the SDK's middleware chain — its RetryHandler
 * retries 429, 503 and 504 honouring `Retry-After` (DESIGN.md §7). The same code talks to real
 * Graph and to the local stand-in; for the stand-in, `GRAPH_AUTHORITY_HOST` points token
 * requests at it and `GRAPH_CA_FILE` trusts its certificate.
 */
import { readFileSync } from 'node:fs';
import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  type Middleware,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { Agent } from 'undici';
import { ConfigError, type GraphConfig } from '../config';
import { type Logger } from '../log';

/** Hosts of Microsoft Graph's national clouds, to which the SDK attaches tokens by itself. */
const GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

/** A Graph client and what to release when done. */
export interface GraphConnection {
  readonly client: Client;
  /** Graph's root with the version, e.g. `https://graph.microsoft.com/v1.0`. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Extra options for tests: a first middleware (e.g. to count attempts) and the retry delay floor. */
export interface GraphClientOptions {
  readonly log: Logger;
  /** Seconds between retries of a 429/503/504 that carries no Retry-After (the SDK's default is 3). */
  readonly retryDelaySeconds?: number;
}

/** Reads the PEM file of `GRAPH_CA_FILE`, naming the setting when it is unusable. */
function readCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError([{ name: 'GRAPH_CA_FILE', message: `cannot read "${path}"` }]);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError([{ name: 'GRAPH_CA_FILE', message: `"${path}" holds no PEM certificate` }]);
  }
  return pem;
}

/** The credential that gets app-only tokens for Graph. */
export function graphCredential(config: GraphConfig, ca: string | undefined): TokenCredential {
  if (config.auth.kind === 'managed-identity') {
    return config.auth.clientId === undefined
      ? new ManagedIdentityCredential()
      : new ManagedIdentityCredential({ clientId: config.auth.clientId });
  }
  return new ClientSecretCredential(config.tenantId, config.auth.clientId, config.auth.clientSecret, {
    ...(config.authorityHost === undefined
      ? {}
      : // A private authority (the dev stand-in) has no instance-discovery endpoint.
        { authorityHost: config.authorityHost, disableInstanceDiscovery: true }),
    ...(ca === undefined ? {} : { tlsOptions: { ca } }),
  });
}

/** Creates the Graph client from configuration. */
export function createGraphConnection(config: GraphConfig, options: GraphClientOptions): GraphConnection {
  const ca = config.caFile === undefined ? undefined : readCa(config.caFile);
  const url = new URL(config.baseUrl);
  const version = url.pathname.split('/').filter(Boolean)[0] ?? 'v1.0';
  const scope = GRAPH_HOSTS.has(url.hostname)
    ? `${url.origin}/.default`
    : 'https://graph.microsoft.com/.default';
  const auth = new TokenCredentialAuthenticationProvider(graphCredential(config, ca), { scopes: [scope] });

  const log = options.log;
  // Logs each attempt's outcome (status and path only: never bodies or tokens).
  const logging: Middleware & { next?: Middleware } = {
    async execute(context) {
      const started = Date.now();
      await logging.next!.execute(context);
      const status = context.response?.status ?? 0;
      const path = new URL(typeof context.request === 'string' ? context.request : context.request.url)
        .pathname;
      const fields = { status, path, ms: Date.now() - started };
      if (status === 429 || status >= 500) log.warn('graph request throttled or failed', fields);
      else log.debug('graph request', fields);
    },
    setNext(next: Middleware) {
      logging.next = next;
    },
  };
  const retry = new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds ?? 3, config.maxRetries));
  const chain: Middleware[] = [
    new AuthenticationHandler(auth),
    retry,
    new RedirectHandler(),
    new TelemetryHandler(),
    logging,
    new HTTPMessageHandler(),
  ];

  const agent = ca === undefined ? undefined : new Agent({ connect: { ca } });
  const client = Client.initWithMiddleware({
    middleware: chain,
    baseUrl: url.origin,
    defaultVersion: version,
    ...(GRAPH_HOSTS.has(url.hostname) ? {} : { customHosts: new Set([url.hostname]) }),
    // Node's fetch takes an undici dispatcher: trust the given CA on Graph connections only.
    ...(agent === undefined ? {} : { fetchOptions: { dispatcher: agent } as RequestInit }),
  });
  return {
    client,
    baseUrl: `${url.origin}/${version}`,
    close: async () => {
      await agent?.close();
    },
  };
}
