/**
 * The service's configuration: the only module that reads the environment (STYLE.md rule 6).
 * Parsed and validated once at start; a missing or invalid setting stops start-up with a
 * message that names it and says how to fix it (DESIGN.md §5).
 */
import { z } from 'zod';

/** A setting that failed validation, with the variable's name and a fix. */
export interface SettingProblem {
  readonly name: string;
  readonly message: string;
}

/** Thrown when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly SettingProblem[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  - ${p.name}: ${p.message}`).join('\n') +
        '\nSee the configuration table in README.md.',
    );
    this.name = 'ConfigError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How the service authenticates to Bot Framework (botbuilder's `MicrosoftAppType`). */
export type BotAppType = 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';

/** Where the Table, Queue and Blob data lives. */
export type StorageConfig = (
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  /** Endpoints reached with `DefaultAzureCredential`; queue and blob derive from the table URL. */
  | {
      readonly kind: 'accountUrl';
      readonly tableUrl: string;
      readonly queueUrl: string;
      readonly blobUrl: string;
    }
) & {
  /**
   * How many Azure tables each large table is spread over (`TABLE_SHARDS`, default 1: one table
   * per kind). More only on Azurite, which scans a whole table to answer a partition query; the
   * benchmarks use 32 there. Storage remembers the count it was created with (bot/storage/tables.ts).
   */
  readonly tableShards?: number;
};

/** The validated, frozen configuration of the service. */
export interface Config {
  /** `development` enables dev-only conveniences (demo data, local sign-in); never in production. */
  readonly appEnv: 'development' | 'production';
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  /** Bot identity; an empty app id disables Bot Framework authentication (local Playground only). */
  readonly bot: {
    readonly appId: string;
    readonly appPassword: string;
    readonly appType: BotAppType;
    readonly tenantId: string;
    /**
     * Where Bot Framework's token signing keys are published (`BOT_OPENID_METADATA_URL`);
     * undefined means the public cloud's. Only a loopback address is accepted: it exists to test
     * against a local key server, and pointed anywhere else it would let that host sign tokens
     * the bot accepts.
     */
    readonly openIdMetadataUrl?: string | undefined;
  };
  readonly storage: StorageConfig;
  /** A preset name (`professional-conversation`, `career-conversations`) or a path to a policy JSON file. */
  readonly policy: string;
  /** POLICY_SWITCH=force: start under another policy than the stored data was computed under. */
  readonly policySwitchForced: boolean;
  /** Microsoft Graph (directory sync, calendars); undefined when no GRAPH_* setting is given. */
  readonly graph: GraphConfig | undefined;
  /** Proactive messages per second for the whole app (Teams allows about 50 per tenant; DESIGN.md §7). */
  readonly notifyPerSecond: number;
  /** Europe/London time of the nudge sweep on working days, `HH:MM` (`NUDGE_SWEEP_TIME`). */
  readonly nudgeSweepTime: string;
  /** Entra object ids of the OD team (the OD role, DESIGN.md §6). */
  readonly odMembers: readonly string[];
  /** The tab's REST API (issue 7): whose tokens it accepts. */
  readonly tabApi: TabApiConfig;
  /** Application Insights (`APPLICATIONINSIGHTS_CONNECTION_STRING`); undefined: telemetry is off (a no-op). */
  readonly telemetry: TelemetryConfig | undefined;
}

/** Where OpenTelemetry's traces, metrics and logs go (bot/telemetry/start.ts). */
export interface TelemetryConfig {
  /** The Application Insights resource's connection string (`InstrumentationKey=…;IngestionEndpoint=…`). */
  readonly connectionString: string;
}

/**
 * How the tab's REST API checks callers (issue 7): Entra ID access tokens (Teams SSO) for the
 * tab app, and in development only a local sign-in.
 */
export interface TabApiConfig {
  /**
   * Accepted `aud` values: the tab app's Application ID URI and/or its client id. Empty: no Entra
   * token is accepted and, unless the dev sign-in is on, the tab API answers 503.
   */
  readonly audiences: readonly string[];
  /** The tenant whose users may call (the token's `tid`); '' when none is configured. */
  readonly tenantId: string;
  /** Where the tenant's signing keys are published (Entra's JWKS unless overridden). */
  readonly jwksUrl: string;
  /** The development sign-in (`/api/dev/*`): only ever true with `APP_ENV=development`. */
  readonly devSignIn: boolean;
}

/** How the app authenticates to Microsoft Graph: always app-only (application permissions). */
export type GraphAuth =
  | { readonly kind: 'secret'; readonly clientId: string; readonly clientSecret: string }
  /** A managed identity; `clientId` picks a user-assigned one, undefined means system-assigned. */
  | { readonly kind: 'managed-identity'; readonly clientId: string | undefined };

/** Microsoft Graph settings (README "Microsoft Graph settings"). */
export interface GraphConfig {
  /** Graph's root including the version, e.g. `https://graph.microsoft.com/v1.0` (HTTPS only). */
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly auth: GraphAuth;
  /** Where tokens come from; undefined means Entra ID's public cloud (login.microsoftonline.com). */
  readonly authorityHost: string | undefined;
  /** A PEM file of extra CA certificates to trust for Graph and the authority (the dev stand-in). */
  readonly caFile: string | undefined;
  /** Retries of a throttled (429) or unavailable (503, 504) request, honouring Retry-After. */
  readonly maxRetries: number;
  /** Working days of free/busy read when proposing slots. */
  readonly scheduleWorkingDays: number;
  /** Europe/London time of the daily directory sync, `HH:MM`. */
  readonly syncTime: string;
  /** Which accounts the directory sync may add as people (`GRAPH_PEOPLE`, {@link GRAPH_PEOPLE_RULES}). */
  readonly people: GraphPeopleRule;
}

/**
 * Which Entra accounts the directory sync adds as people it has not seen before (README
 * "Microsoft Graph"); people already in the store are always updated. `hr-known`: none — only the
 * HR import adds people. `members-with-employee-id-or-manager` (the default): also an enabled
 * Member account with an `employeeId` or a manager, which leaves out room and equipment
 * mailboxes, shared mailboxes and service accounts (no employeeId, no manager) and guests.
 */
export const GRAPH_PEOPLE_RULES = ['members-with-employee-id-or-manager', 'hr-known'] as const;
/** One of {@link GRAPH_PEOPLE_RULES}. */
export type GraphPeopleRule = (typeof GRAPH_PEOPLE_RULES)[number];

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

type Env = Readonly<Record<string, string | undefined>>;

const port = (fix: string) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number between 1 and 65535; ${fix}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, `must be between 1 and 65535; ${fix}`);

const optional = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** The settings that hold secrets, where a deployment puts Key Vault references. */
const SECRET_SETTINGS = [
  'GRAPH_CLIENT_SECRET',
  'MICROSOFT_APP_PASSWORD',
  'STORAGE_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
] as const;

/**
 * Builds the service configuration from an environment (normally `process.env`).
 * Throws {@link ConfigError} listing every problem at once, so one run shows them all.
 */
export function readConfig(env: Env = process.env): Config {
  const problems: SettingProblem[] = [];
  const check = <T>(name: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push({ name, message: result.error.issues.map((i) => i.message).join('; ') });
    return undefined;
  };
  // App Service passes a Key Vault reference it could not resolve through as its literal text;
  // used as a secret, it would fail later with a sign-in error that names nothing.
  for (const name of SECRET_SETTINGS) {
    if (env[name]?.trimStart().startsWith('@Microsoft.KeyVault(')) {
      problems.push({
        name,
        message:
          "is a Key Vault reference App Service could not resolve: check that the secret exists and that the web app's keyVaultReferenceIdentity holds Key Vault Secrets User on the vault (infra/README.md)",
      });
    }
  }

  const appEnv = check(
    'APP_ENV',
    z.enum(['development', 'production'], {
      error: 'must be "development" or "production" (leave unset for production)',
    }),
    optional(env.APP_ENV) ?? 'production',
  );
  const host = check(
    'HOST',
    z.string().regex(/^[\w.:-]+$/, 'must be a host name or IP address, e.g. 0.0.0.0 or 127.0.0.1'),
    optional(env.HOST) ?? (appEnv === 'development' ? '127.0.0.1' : '0.0.0.0'),
  );
  const portNumber = check('PORT', port('e.g. PORT=3978'), optional(env.PORT) ?? '3978');
  const logLevel = check(
    'LOG_LEVEL',
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
    optional(env.LOG_LEVEL) ?? 'info',
  );

  // Bot identity (botbuilder's ConfigurationBotFrameworkAuthentication settings).
  const appId = optional(env.MICROSOFT_APP_ID) ?? '';
  const appType = check(
    'MICROSOFT_APP_TYPE',
    z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], {
      error: 'must be SingleTenant, MultiTenant or UserAssignedMSI (as registered in Azure Bot Service)',
    }),
    optional(env.MICROSOFT_APP_TYPE) ?? 'SingleTenant',
  );
  const appPassword = optional(env.MICROSOFT_APP_PASSWORD) ?? '';
  const tenantId = optional(env.MICROSOFT_APP_TENANT_ID) ?? '';
  if (appId === '' && appEnv === 'production') {
    problems.push({
      name: 'MICROSOFT_APP_ID',
      message:
        "is required in production: set it to the bot registration's application (client) id, or set APP_ENV=development to run without Bot Framework authentication",
    });
  }
  if (appId !== '') {
    if (!GUID.test(appId)) {
      problems.push({ name: 'MICROSOFT_APP_ID', message: 'must be a GUID (the application (client) id)' });
    }
    if (appType !== 'UserAssignedMSI' && appPassword === '') {
      problems.push({
        name: 'MICROSOFT_APP_PASSWORD',
        message:
          'is required when MICROSOFT_APP_ID is set (the client secret), unless MICROSOFT_APP_TYPE=UserAssignedMSI',
      });
    }
    if (appType !== 'MultiTenant' && !GUID.test(tenantId)) {
      problems.push({
        name: 'MICROSOFT_APP_TENANT_ID',
        message: `must be the tenant's GUID when MICROSOFT_APP_TYPE=${appType ?? 'SingleTenant'}`,
      });
    }
  }

  const metadataText = optional(env.BOT_OPENID_METADATA_URL);
  let openIdMetadataUrl: string | undefined;
  if (metadataText !== undefined) {
    openIdMetadataUrl = loopbackUrl(metadataText);
    if (openIdMetadataUrl === undefined) {
      problems.push({
        name: 'BOT_OPENID_METADATA_URL',
        message:
          "must be a loopback URL (127.0.0.1, localhost or [::1]) of a local key server for tests; leave unset in a deployment, which uses Bot Framework's own keys",
      });
    }
  }

  // Storage: a connection string (Azurite, dev) or an account URL used with managed identity.
  const connectionString = optional(env.STORAGE_CONNECTION_STRING);
  const accountUrl = optional(env.STORAGE_ACCOUNT_URL);
  let storage: StorageConfig | undefined;
  if (connectionString !== undefined && accountUrl !== undefined) {
    problems.push({
      name: 'STORAGE_CONNECTION_STRING',
      message: 'set either STORAGE_CONNECTION_STRING or STORAGE_ACCOUNT_URL, not both',
    });
  } else if (connectionString !== undefined) {
    if (!/(^|;)(UseDevelopmentStorage=true|TableEndpoint=|AccountName=)/i.test(connectionString)) {
      problems.push({
        name: 'STORAGE_CONNECTION_STRING',
        message:
          'is not an Azure Storage connection string (expected AccountName=…;AccountKey=…;TableEndpoint=…)',
      });
    } else {
      storage = { kind: 'connectionString', connectionString };
    }
  } else if (accountUrl !== undefined) {
    const url = check(
      'STORAGE_ACCOUNT_URL',
      z.url({
        protocol: /^https?$/,
        error: 'must be the table endpoint URL, e.g. https://acct.table.core.windows.net',
      }),
      accountUrl,
    );
    if (url !== undefined) storage = accountUrls(url.replace(/\/+$/, ''), problems);
  } else {
    problems.push({
      name: 'STORAGE_CONNECTION_STRING',
      message:
        'is required (or STORAGE_ACCOUNT_URL with a managed identity): where conversation records are stored',
    });
  }

  const tableShards = check(
    'TABLE_SHARDS',
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of tables per kind, e.g. 1')
      .transform(Number)
      .refine(
        (n) => n >= 1 && n <= 64,
        'must be between 1 and 64 (1 on an Azure account; more only for Azurite)',
      ),
    optional(env.TABLE_SHARDS) ?? '1',
  );

  const policy = check(
    'POLICY',
    z.string().min(1, 'must name a preset or a policy JSON file'),
    optional(env.POLICY) ?? 'professional-conversation',
  );

  const policySwitch = (optional(env.POLICY_SWITCH) ?? '').toLowerCase();
  if (policySwitch !== '' && policySwitch !== 'force')
    problems.push({ name: 'POLICY_SWITCH', message: 'must be "force" or empty' });

  const graph = readGraphConfig(env, appEnv ?? 'production', tenantId, problems);

  const nudgeSweepTime = check(
    'NUDGE_SWEEP_TIME',
    z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM (Europe/London), e.g. 09:00'),
    optional(env.NUDGE_SWEEP_TIME) ?? '09:00',
  );

  const notifyPerSecond = check(
    'NOTIFY_PER_SECOND',
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of messages per second, e.g. 20')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 50, 'must be between 1 and 50 (Teams allows about 50 per second)'),
    optional(env.NOTIFY_PER_SECOND) ?? '20',
  );
  const odMembers = (optional(env.OD_MEMBERS) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of odMembers) {
    if (!GUID.test(id)) {
      problems.push({
        name: 'OD_MEMBERS',
        message: `"${id.slice(0, 40)}" is not an Entra object id (a GUID)`,
      });
    }
  }

  const tabApi = readTabApiConfig(env, appEnv ?? 'production', tenantId, problems);
  const telemetry = readTelemetryConfig(env, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze({
    appEnv: appEnv!,
    host: host!,
    port: portNumber!,
    logLevel: logLevel!,
    bot: { appId, appPassword, appType: appType!, tenantId, openIdMetadataUrl },
    storage: { ...storage!, tableShards: tableShards! },
    policy: policy!,
    policySwitchForced: policySwitch === 'force',
    graph,
    notifyPerSecond: notifyPerSecond!,
    nudgeSweepTime: nudgeSweepTime!,
    odMembers,
    // The development sign-in hands out a token for anyone: only ever on a loopback address.
    tabApi: { ...tabApi, devSignIn: tabApi.devSignIn && /^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host!) },
    telemetry,
  });
}

/**
 * `APPLICATIONINSIGHTS_CONNECTION_STRING`: unset means no telemetry. Checked for the instrumentation
 * key and, when given, an https ingestion endpoint (the exporter sends over https whatever the
 * scheme written).
 */
function readTelemetryConfig(env: Env, problems: SettingProblem[]): TelemetryConfig | undefined {
  const connectionString = optional(env.APPLICATIONINSIGHTS_CONNECTION_STRING);
  if (connectionString === undefined) return undefined;
  const parts = new Map(
    connectionString
      .split(';')
      .map((part) => part.split('='))
      .filter((pair) => pair.length >= 2)
      .map(([key, ...value]) => [key!.trim().toLowerCase(), value.join('=').trim()]),
  );
  const key = parts.get('instrumentationkey');
  const endpoint = parts.get('ingestionendpoint');
  if (key === undefined || !GUID.test(key)) {
    problems.push({
      name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      message:
        "is not an Application Insights connection string (expected InstrumentationKey=<GUID>;IngestionEndpoint=https://…, as the resource's Overview shows); leave unset for no telemetry",
    });
    return undefined;
  }
  if (endpoint !== undefined && !/^https:\/\/[^/\s]+/i.test(endpoint)) {
    problems.push({
      name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      message:
        'IngestionEndpoint must be an https URL, e.g. https://uksouth-1.in.applicationinsights.azure.com/',
    });
    return undefined;
  }
  return { connectionString };
}

/** An accepted audience: a client id (GUID) or an Application ID URI (`api://…`, `https://…`). */
const AUDIENCE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(api|https):\/\/\S+)$/i;

/** The tab API's settings (issue 7); problems pushed, a usable value always returned. */
function readTabApiConfig(
  env: Env,
  appEnv: 'development' | 'production',
  botTenantId: string,
  problems: SettingProblem[],
): TabApiConfig {
  const audiences = (optional(env.TAB_API_AUDIENCE) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const audience of audiences) {
    if (!AUDIENCE.test(audience)) {
      problems.push({
        name: 'TAB_API_AUDIENCE',
        message: `"${audience.slice(0, 60)}" is not the tab app's Application ID URI (api://…) or client id (a GUID)`,
      });
    }
  }
  const tenantId = optional(env.TAB_TENANT_ID) ?? botTenantId;
  if ((audiences.length > 0 || optional(env.TAB_TENANT_ID) !== undefined) && !GUID.test(tenantId)) {
    problems.push({
      name: 'TAB_TENANT_ID',
      message: "must be the tenant's GUID whose users may use the tab (defaults to MICROSOFT_APP_TENANT_ID)",
    });
  }
  const jwksText = optional(env.TAB_JWKS_URL);
  let jwksUrl = `https://login.microsoftonline.com/${tenantId || 'common'}/discovery/v2.0/keys`;
  if (jwksText !== undefined) {
    const url = httpsOrLoopback(jwksText);
    if (url === undefined) {
      problems.push({
        name: 'TAB_JWKS_URL',
        message:
          "must be an https URL of the tenant's signing keys (http only on a loopback address), e.g. https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys",
      });
    } else {
      jwksUrl = url;
    }
  }
  const devText = (optional(env.DEV_SIGN_IN) ?? (appEnv === 'development' ? 'on' : 'off')).toLowerCase();
  if (devText !== 'on' && devText !== 'off') {
    problems.push({ name: 'DEV_SIGN_IN', message: 'must be "on" or "off"' });
  } else if (devText === 'on' && appEnv !== 'development') {
    problems.push({
      name: 'DEV_SIGN_IN',
      message:
        'is only available with APP_ENV=development: production accepts Entra ID tokens only (remove DEV_SIGN_IN)',
    });
  }
  return { audiences, tenantId, jwksUrl, devSignIn: appEnv === 'development' && devText === 'on' };
}

/** The URL if it is https, or http on a loopback address (a local test server); else undefined. */
function httpsOrLoopback(text: string): string | undefined {
  const url = parsedUrl(text);
  if (url === undefined) return undefined;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url))
    ? url.href
    : undefined;
}

/** An http(s) URL on this machine, or undefined. */
function loopbackUrl(text: string): string | undefined {
  const url = parsedUrl(text);
  return url !== undefined && /^https?:$/.test(url.protocol) && isLoopbackHost(url) ? url.href : undefined;
}

function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

const isLoopbackHost = (url: URL) => /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname);

/** Every setting of the Graph group; any one of them switches Graph on. */
export const GRAPH_SETTINGS = [
  'GRAPH_BASE_URL',
  'GRAPH_TENANT_ID',
  'GRAPH_AUTH',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_AUTHORITY_HOST',
  'GRAPH_CA_FILE',
  'GRAPH_MAX_RETRIES',
  'GRAPH_SCHEDULE_DAYS',
  'GRAPH_SYNC_TIME',
  'GRAPH_PEOPLE',
] as const;

const TENANT = /^[0-9a-z][0-9a-z.-]*$/i;

/** The Graph group of settings (README "Microsoft Graph settings"); undefined when none is set, problems pushed when unusable. */
function readGraphConfig(
  env: Env,
  appEnv: 'development' | 'production',
  botTenantId: string,
  problems: SettingProblem[],
): GraphConfig | undefined {
  if (GRAPH_SETTINGS.every((name) => optional(env[name]) === undefined)) return undefined;
  const before = problems.length;
  const https = (name: string, value: string, example: string): string | undefined => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') {
      problems.push({
        name,
        message: `must be an https URL, e.g. ${example} (the Graph client sends tokens only over HTTPS)`,
      });
      return undefined;
    }
    return value.replace(/\/+$/, '');
  };
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const text = optional(env[name]) ?? String(fallback);
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= min && n <= max)) {
      problems.push({ name, message: `must be a whole number from ${min} to ${max}` });
      return fallback;
    }
    return n;
  };

  const baseUrl = https(
    'GRAPH_BASE_URL',
    optional(env.GRAPH_BASE_URL) ?? 'https://graph.microsoft.com/v1.0',
    'https://graph.microsoft.com/v1.0',
  );
  if (baseUrl !== undefined && !/^\/[^/]+$/.test(new URL(baseUrl).pathname)) {
    problems.push({
      name: 'GRAPH_BASE_URL',
      message: "must be Graph's root and version with no other path, e.g. https://graph.microsoft.com/v1.0",
    });
  }
  const tenantId = optional(env.GRAPH_TENANT_ID) ?? (botTenantId === '' ? undefined : botTenantId);
  if (tenantId === undefined) {
    problems.push({
      name: 'GRAPH_TENANT_ID',
      message:
        "is required for Graph: the Entra tenant's id (GUID) or domain (defaults to MICROSOFT_APP_TENANT_ID)",
    });
  } else if (!TENANT.test(tenantId)) {
    problems.push({
      name: 'GRAPH_TENANT_ID',
      message: 'must be a tenant GUID or a domain such as contoso.onmicrosoft.com',
    });
  }

  const kind = optional(env.GRAPH_AUTH) ?? 'secret';
  const clientId = optional(env.GRAPH_CLIENT_ID);
  const clientSecret = optional(env.GRAPH_CLIENT_SECRET);
  let auth: GraphAuth | undefined;
  if (clientId !== undefined && appEnv === 'production' && !GUID.test(clientId)) {
    problems.push({ name: 'GRAPH_CLIENT_ID', message: 'must be a GUID (the application (client) id)' });
  }
  if (kind === 'secret') {
    if (clientId === undefined) {
      problems.push({
        name: 'GRAPH_CLIENT_ID',
        message: "is required with GRAPH_AUTH=secret: the Entra app registration's application (client) id",
      });
    }
    if (clientSecret === undefined) {
      problems.push({
        name: 'GRAPH_CLIENT_SECRET',
        message: 'is required with GRAPH_AUTH=secret (or set GRAPH_AUTH=managed-identity)',
      });
    }
    if (clientId !== undefined && clientSecret !== undefined) auth = { kind, clientId, clientSecret };
  } else if (kind === 'managed-identity') {
    if (clientSecret !== undefined) {
      problems.push({
        name: 'GRAPH_CLIENT_SECRET',
        message: 'must not be set with GRAPH_AUTH=managed-identity (the identity needs no secret)',
      });
    }
    auth = { kind, clientId };
  } else {
    problems.push({ name: 'GRAPH_AUTH', message: 'must be "secret" or "managed-identity"' });
  }

  const authorityText = optional(env.GRAPH_AUTHORITY_HOST);
  const authorityHost =
    authorityText === undefined
      ? undefined
      : https('GRAPH_AUTHORITY_HOST', authorityText, 'https://login.microsoftonline.com');
  if (authorityText !== undefined && kind === 'managed-identity') {
    problems.push({
      name: 'GRAPH_AUTHORITY_HOST',
      message: 'applies only to GRAPH_AUTH=secret (a managed identity gets tokens from Azure itself)',
    });
  }
  const maxRetries = whole('GRAPH_MAX_RETRIES', 3, 0, 10);
  // getSchedule reads at most 62 days; 40 working days stay inside that with holidays.
  const scheduleWorkingDays = whole('GRAPH_SCHEDULE_DAYS', 10, 1, 40);
  const syncTime = optional(env.GRAPH_SYNC_TIME) ?? '02:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(syncTime)) {
    problems.push({ name: 'GRAPH_SYNC_TIME', message: 'must be a time HH:MM (Europe/London), e.g. 02:00' });
  }
  const people = z
    .enum(GRAPH_PEOPLE_RULES)
    .safeParse(optional(env.GRAPH_PEOPLE)?.toLowerCase() ?? GRAPH_PEOPLE_RULES[0]);
  if (!people.success) {
    problems.push({
      name: 'GRAPH_PEOPLE',
      message: `must be ${GRAPH_PEOPLE_RULES.map((r) => `"${r}"`).join(' or ')} (which accounts the directory sync adds as people)`,
    });
  }
  if (problems.length > before) return undefined;
  return {
    baseUrl: baseUrl!,
    tenantId: tenantId!,
    auth: auth!,
    authorityHost,
    caFile: optional(env.GRAPH_CA_FILE),
    maxRetries,
    scheduleWorkingDays,
    syncTime,
    people: people.data!,
  };
}

/** Ports and folders of the local dev stack that `npm start` brings up (DESIGN.md §5). */
export interface DevStackConfig {
  readonly servicePort: number;
  readonly azuritePorts: { readonly blob: number; readonly queue: number; readonly table: number };
  readonly graphPort: number;
  readonly playgroundPort: number;
  readonly dataDir: string;
  /** Run the Agents Playground (on by default; `PLAYGROUND=off` to skip). */
  readonly playground: boolean;
}

/** Reads the dev stack's settings; the same single reader of the environment. */
export function readDevStackConfig(env: Env = process.env): DevStackConfig {
  const problems: SettingProblem[] = [];
  const num = (name: string, fallback: number): number => {
    const result = port(`set ${name} to a free port`).safeParse(optional(env[name]) ?? String(fallback));
    if (result.success) return result.data;
    problems.push({ name, message: result.error.issues.map((i) => i.message).join('; ') });
    return fallback;
  };
  const config: DevStackConfig = {
    servicePort: num('PORT', 3978),
    azuritePorts: {
      blob: num('AZURITE_BLOB_PORT', 10000),
      queue: num('AZURITE_QUEUE_PORT', 10001),
      table: num('AZURITE_TABLE_PORT', 10002),
    },
    graphPort: num('GRAPH_STANDIN_PORT', 5101),
    playgroundPort: num('PLAYGROUND_PORT', 56150),
    dataDir: optional(env.DEV_DATA_DIR) ?? 'data',
    playground: (optional(env.PLAYGROUND) ?? 'on').toLowerCase() !== 'off',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner as object);
  }
  return Object.freeze(value);
}

/**
 * The service configuration `npm start` runs with: the environment, with development mode,
 * loopback, the dev stack's port and Azurite's connection string filled in, and `graph` (GRAPH_*
 * settings pointing at the Graph stand-in) on top.
 */
export function readDevServiceConfig(
  stack: DevStackConfig,
  connectionString: string,
  env: Env = process.env,
  graph: Env = {},
): Config {
  return readConfig({
    ...env,
    ...graph,
    APP_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(stack.servicePort),
    STORAGE_CONNECTION_STRING: connectionString,
    STORAGE_ACCOUNT_URL: undefined,
    MICROSOFT_APP_ID: optional(env.MICROSOFT_APP_ID) ?? '',
  });
}

/** What the admin commands need: where the data is, which policy, how much to log. */
export interface AdminConfig {
  readonly storage: StorageConfig;
  readonly policy: string;
  readonly policySwitchForced: boolean;
  readonly logLevel: LogLevel;
  /** For `sweep`: who OD is, and the sweep's time of day. */
  readonly odMembers: readonly string[];
  readonly nudgeSweepTime: string;
}

/** Reads the settings of the admin CLI (no bot identity needed); the same validation and messages. */
export function readAdminConfig(env: Env = process.env): AdminConfig {
  const config = readConfig({ ...env, APP_ENV: 'development', HOST: '127.0.0.1', MICROSOFT_APP_ID: '' });
  return Object.freeze({
    storage: config.storage,
    policy: config.policy,
    policySwitchForced: config.policySwitchForced,
    logLevel: config.logLevel,
    odMembers: config.odMembers,
    nudgeSweepTime: config.nudgeSweepTime,
  });
}

/**
 * The queue and blob endpoints of the account whose table endpoint is given: Azure's
 * `<account>.table.<suffix>` becomes `<account>.queue.<suffix>` and `<account>.blob.<suffix>`.
 * Any other shape of URL cannot be derived and is reported.
 */
function accountUrls(tableUrl: string, problems: SettingProblem[]): StorageConfig | undefined {
  const host = new URL(tableUrl).host;
  if (!/^[^.]+\.table\./i.test(host)) {
    problems.push({
      name: 'STORAGE_ACCOUNT_URL',
      message:
        'must be an account table endpoint like https://acct.table.core.windows.net (the queue and blob endpoints are derived from it)',
    });
    return undefined;
  }
  const swap = (service: string) => tableUrl.replace(/^(https?:\/\/[^.]+\.)table\./i, `$1${service}.`);
  return { kind: 'accountUrl', tableUrl, queueUrl: swap('queue'), blobUrl: swap('blob') };
}
