/** Configuration: every missing or malformed setting stops start-up with a message naming it. */
import { strict as assert } from 'node:assert';
import { ConfigError, readConfig, readDevStackConfig } from '../bot/config';

const APP_ID = '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const TENANT = '11111111-2222-4333-8444-555555555555';
const production = {
  MICROSOFT_APP_ID: APP_ID,
  MICROSOFT_APP_PASSWORD: 'a-client-secret',
  MICROSOFT_APP_TENANT_ID: TENANT,
  STORAGE_ACCOUNT_URL: 'https://pcstore.table.core.windows.net',
};

function problemsOf(env: Record<string, string | undefined>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the configuration to be rejected');
}

describe('configuration', () => {
  it('accepts a complete production configuration and freezes it', () => {
    const config = readConfig(production);
    assert.equal(config.appEnv, 'production');
    assert.equal(config.port, 3978);
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(config.storage, {
      kind: 'accountUrl',
      tableUrl: 'https://pcstore.table.core.windows.net',
      queueUrl: 'https://pcstore.queue.core.windows.net',
      blobUrl: 'https://pcstore.blob.core.windows.net',
      tableShards: 1,
    });
    assert.equal(readConfig({ ...production, TABLE_SHARDS: '32' }).storage.tableShards, 32);
    assert.equal(config.bot.appId, APP_ID);
    assert.equal(config.policy, 'professional-conversation');
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.bot) && Object.isFrozen(config.storage));
  });

  it('runs in development without a bot identity, on loopback', () => {
    const config = readConfig({
      APP_ENV: 'development',
      STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    });
    assert.equal(config.bot.appId, '');
    assert.equal(config.host, '127.0.0.1');
  });

  const cases: [string, Record<string, string | undefined>, RegExp][] = [
    ['MICROSOFT_APP_ID', { ...production, MICROSOFT_APP_ID: undefined }, /required in production/],
    ['MICROSOFT_APP_ID', { ...production, MICROSOFT_APP_ID: 'my-bot' }, /must be a GUID/],
    [
      'MICROSOFT_APP_PASSWORD',
      { ...production, MICROSOFT_APP_PASSWORD: '' },
      /required when MICROSOFT_APP_ID is set/,
    ],
    ['MICROSOFT_APP_TENANT_ID', { ...production, MICROSOFT_APP_TENANT_ID: undefined }, /tenant's GUID/],
    ['MICROSOFT_APP_TENANT_ID', { ...production, MICROSOFT_APP_TENANT_ID: 'contoso' }, /tenant's GUID/],
    [
      'MICROSOFT_APP_TYPE',
      { ...production, MICROSOFT_APP_TYPE: 'Anonymous' },
      /SingleTenant, MultiTenant or UserAssignedMSI/,
    ],
    ['STORAGE_CONNECTION_STRING', { ...production, STORAGE_ACCOUNT_URL: undefined }, /is required/],
    [
      'STORAGE_CONNECTION_STRING',
      { ...production, STORAGE_ACCOUNT_URL: undefined, STORAGE_CONNECTION_STRING: 'hello' },
      /not an Azure Storage connection string/,
    ],
    [
      'STORAGE_CONNECTION_STRING',
      { ...production, STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' },
      /not both/,
    ],
    ['STORAGE_ACCOUNT_URL', { ...production, STORAGE_ACCOUNT_URL: 'not a url' }, /table endpoint URL/],
    ['PORT', { ...production, PORT: 'eighty' }, /whole number/],
    ['PORT', { ...production, PORT: '70000' }, /between 1 and 65535/],
    ['APP_ENV', { ...production, APP_ENV: 'staging' }, /"development" or "production"/],
    ['LOG_LEVEL', { ...production, LOG_LEVEL: 'verbose' }, /one of debug, info, warn, error/],
    ['HOST', { ...production, HOST: 'bad host!' }, /host name or IP address/],
    ['TABLE_SHARDS', { ...production, TABLE_SHARDS: 'many' }, /whole number/],
    ['TABLE_SHARDS', { ...production, TABLE_SHARDS: '0' }, /between 1 and 64/],
    [
      'BOT_OPENID_METADATA_URL',
      { ...production, BOT_OPENID_METADATA_URL: 'https://keys.example.com/.well-known/openid-configuration' },
      /must be a loopback URL/,
    ],
    [
      'BOT_OPENID_METADATA_URL',
      { ...production, BOT_OPENID_METADATA_URL: 'ftp://127.0.0.1/x' },
      /loopback URL/,
    ],
    [
      'GRAPH_CLIENT_SECRET',
      {
        ...production,
        GRAPH_AUTH: 'secret',
        GRAPH_CLIENT_ID: '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
        GRAPH_CLIENT_SECRET:
          '@Microsoft.KeyVault(SecretUri=https://pc-kv.vault.azure.net/secrets/graph-client-secret)',
      },
      /Key Vault reference App Service could not resolve/,
    ],
  ];
  for (const [name, env, message] of cases) {
    it(`rejects ${name} (${message.source}) with a message naming it`, () => {
      const error = problemsOf(env);
      const problem = error.problems.find((p) => p.name === name);
      assert.ok(problem, `no problem named ${name} in: ${error.message}`);
      assert.match(problem.message, message);
      assert.match(error.message, new RegExp(`- ${name}: `));
    });
  }

  it('takes a local key server for Bot Framework tokens, on loopback only', () => {
    const url = 'http://127.0.0.1:4000/.well-known/openid-configuration';
    assert.equal(readConfig({ ...production, BOT_OPENID_METADATA_URL: url }).bot.openIdMetadataUrl, url);
    assert.equal(readConfig(production).bot.openIdMetadataUrl, undefined);
  });

  it('lists every problem at once', () => {
    const error = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud' });
    assert.deepEqual(error.problems.map((p) => p.name).sort(), [
      'LOG_LEVEL',
      'MICROSOFT_APP_ID',
      'PORT',
      'STORAGE_CONNECTION_STRING',
    ]);
  });

  it('does not need a password for a user-assigned managed identity', () => {
    const config = readConfig({
      ...production,
      MICROSOFT_APP_PASSWORD: undefined,
      MICROSOFT_APP_TYPE: 'UserAssignedMSI',
    });
    assert.equal(config.bot.appType, 'UserAssignedMSI');
  });

  describe('Microsoft Graph settings', () => {
    const graph = {
      ...production,
      GRAPH_TENANT_ID: TENANT,
      GRAPH_CLIENT_ID: APP_ID,
      GRAPH_CLIENT_SECRET: 'graph-secret',
    };

    it('is off when no GRAPH_* setting is given', () => {
      assert.equal(readConfig(production).graph, undefined);
    });

    it('reads a client-secret registration with Graph defaults, frozen', () => {
      const config = readConfig(graph);
      assert.deepEqual(config.graph, {
        baseUrl: 'https://graph.microsoft.com/v1.0',
        tenantId: TENANT,
        auth: { kind: 'secret', clientId: APP_ID, clientSecret: 'graph-secret' },
        authorityHost: undefined,
        caFile: undefined,
        maxRetries: 3,
        scheduleWorkingDays: 10,
        syncTime: '02:00',
        people: 'members-with-employee-id-or-manager',
      });
      assert.ok(Object.isFrozen(config.graph) && Object.isFrozen(config.graph.auth));
    });

    it('reads GRAPH_PEOPLE, ignoring case, and on its own switches Graph on', () => {
      assert.equal(readConfig({ ...graph, GRAPH_PEOPLE: ' HR-Known ' }).graph?.people, 'hr-known');
      assert.equal(
        readConfig({ ...graph, GRAPH_PEOPLE: 'members-with-employee-id-or-manager' }).graph?.people,
        'members-with-employee-id-or-manager',
      );
      assert.ok(
        problemsOf({ ...production, GRAPH_PEOPLE: 'hr-known' }).problems.some(
          (p) => p.name === 'GRAPH_CLIENT_ID',
        ),
        'GRAPH_PEOPLE alone switches Graph on, so the rest is checked',
      );
    });

    it('takes the tenant from MICROSOFT_APP_TENANT_ID and a managed identity without a secret', () => {
      const config = readConfig({ ...production, GRAPH_AUTH: 'managed-identity', GRAPH_CLIENT_ID: APP_ID });
      assert.equal(config.graph?.tenantId, TENANT);
      assert.deepEqual(config.graph?.auth, { kind: 'managed-identity', clientId: APP_ID });
    });

    it('points at a stand-in in development: its URL, authority and CA file', () => {
      const config = readConfig({
        APP_ENV: 'development',
        STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
        GRAPH_BASE_URL: 'https://127.0.0.1:5101/v1.0/',
        GRAPH_TENANT_ID: TENANT,
        GRAPH_CLIENT_ID: 'dev-client',
        GRAPH_CLIENT_SECRET: 'dev-secret',
        GRAPH_AUTHORITY_HOST: 'https://127.0.0.1:5101',
        GRAPH_CA_FILE: 'data/graph-standin/ca.pem',
      });
      assert.equal(config.graph?.baseUrl, 'https://127.0.0.1:5101/v1.0');
      assert.equal(config.graph?.authorityHost, 'https://127.0.0.1:5101');
      assert.equal(config.graph?.caFile, 'data/graph-standin/ca.pem');
    });

    const graphCases: [string, Record<string, string | undefined>, RegExp][] = [
      [
        'GRAPH_CLIENT_SECRET',
        { ...graph, GRAPH_CLIENT_SECRET: undefined },
        /required with GRAPH_AUTH=secret/,
      ],
      ['GRAPH_CLIENT_ID', { ...graph, GRAPH_CLIENT_ID: undefined }, /application \(client\) id/],
      ['GRAPH_CLIENT_ID', { ...graph, GRAPH_CLIENT_ID: 'my-app' }, /must be a GUID/],
      [
        'GRAPH_TENANT_ID',
        {
          ...graph,
          GRAPH_TENANT_ID: undefined,
          MICROSOFT_APP_TENANT_ID: undefined,
          MICROSOFT_APP_TYPE: 'MultiTenant',
        },
        /is required for Graph/,
      ],
      ['GRAPH_TENANT_ID', { ...graph, GRAPH_TENANT_ID: 'not a tenant!' }, /tenant GUID or a domain/],
      ['GRAPH_BASE_URL', { ...graph, GRAPH_BASE_URL: 'http://graph.microsoft.com/v1.0' }, /https URL/],
      ['GRAPH_BASE_URL', { ...graph, GRAPH_BASE_URL: 'https://graph.microsoft.com/' }, /root and version/],
      ['GRAPH_AUTH', { ...graph, GRAPH_AUTH: 'certificate' }, /"secret" or "managed-identity"/],
      [
        'GRAPH_CLIENT_SECRET',
        { ...graph, GRAPH_AUTH: 'managed-identity' },
        /must not be set with GRAPH_AUTH=managed-identity/,
      ],
      ['GRAPH_AUTHORITY_HOST', { ...graph, GRAPH_AUTHORITY_HOST: 'login.example' }, /https URL/],
      ['GRAPH_MAX_RETRIES', { ...graph, GRAPH_MAX_RETRIES: '11' }, /from 0 to 10/],
      ['GRAPH_SCHEDULE_DAYS', { ...graph, GRAPH_SCHEDULE_DAYS: '0' }, /from 1 to 40/],
      ['GRAPH_SYNC_TIME', { ...graph, GRAPH_SYNC_TIME: '25:00' }, /HH:MM/],
      [
        'GRAPH_PEOPLE',
        { ...graph, GRAPH_PEOPLE: 'everyone' },
        /"members-with-employee-id-or-manager" or "hr-known"/,
      ],
    ];
    for (const [name, env, message] of graphCases) {
      it(`rejects ${name} (${message.source}) with a message naming it`, () => {
        const problem = problemsOf(env).problems.find((p) => p.name === name);
        assert.ok(problem, `no problem named ${name}`);
        assert.match(problem.message, message);
      });
    }
  });

  describe('tab API settings', () => {
    const tab = { ...production, TAB_API_AUDIENCE: `api://tab.council.example/${APP_ID}, ${APP_ID}` };

    it('is off in production until TAB_API_AUDIENCE is set, and never has the dev sign-in', () => {
      assert.deepEqual(readConfig(production).tabApi, {
        audiences: [],
        tenantId: TENANT,
        jwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
        devSignIn: false,
      });
    });

    it('reads the audiences, the tenant from MICROSOFT_APP_TENANT_ID and a JWKS override', () => {
      const config = readConfig({ ...tab, TAB_JWKS_URL: 'http://127.0.0.1:4000/keys' });
      assert.deepEqual(config.tabApi.audiences, [`api://tab.council.example/${APP_ID}`, APP_ID]);
      assert.equal(config.tabApi.tenantId, TENANT);
      assert.equal(config.tabApi.jwksUrl, 'http://127.0.0.1:4000/keys');
      const other = '99999999-2222-4333-8444-555555555555';
      assert.equal(readConfig({ ...tab, TAB_TENANT_ID: other }).tabApi.tenantId, other);
      assert.ok(Object.isFrozen(config.tabApi) && Object.isFrozen(config.tabApi.audiences));
    });

    it('has the dev sign-in in development unless DEV_SIGN_IN=off', () => {
      const dev = { APP_ENV: 'development', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };
      assert.equal(readConfig(dev).tabApi.devSignIn, true);
      assert.equal(readConfig({ ...dev, DEV_SIGN_IN: 'off' }).tabApi.devSignIn, false);
      // Never on an address other machines can reach, whatever APP_ENV says.
      assert.equal(readConfig({ ...dev, HOST: '0.0.0.0' }).tabApi.devSignIn, false);
    });

    const tabCases: [string, Record<string, string | undefined>, RegExp][] = [
      ['DEV_SIGN_IN', { ...production, DEV_SIGN_IN: 'on' }, /only available with APP_ENV=development/],
      ['DEV_SIGN_IN', { ...production, DEV_SIGN_IN: 'yes' }, /"on" or "off"/],
      ['TAB_API_AUDIENCE', { ...production, TAB_API_AUDIENCE: 'my tab' }, /Application ID URI/],
      [
        'TAB_TENANT_ID',
        { ...tab, MICROSOFT_APP_TYPE: 'MultiTenant', MICROSOFT_APP_TENANT_ID: undefined },
        /tenant's GUID/,
      ],
      ['TAB_TENANT_ID', { ...tab, TAB_TENANT_ID: 'contoso.onmicrosoft.com' }, /tenant's GUID/],
      ['TAB_JWKS_URL', { ...tab, TAB_JWKS_URL: 'http://keys.example/keys' }, /https URL/],
      ['TAB_JWKS_URL', { ...tab, TAB_JWKS_URL: 'not a url' }, /https URL/],
    ];
    for (const [name, env, message] of tabCases) {
      it(`rejects ${name} (${message.source}) with a message naming it`, () => {
        const problem = problemsOf(env).problems.find((p) => p.name === name);
        assert.ok(problem, `no problem named ${name}`);
        assert.match(problem.message, message);
      });
    }
  });

  it('turns telemetry on with an Application Insights connection string, and names a malformed one', () => {
    assert.equal(readConfig(production).telemetry, undefined, 'unset: telemetry off');
    const connectionString =
      'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/;LiveEndpoint=https://uksouth.livediagnostics.monitor.azure.com/';
    const config = readConfig({ ...production, APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString });
    assert.deepEqual(config.telemetry, { connectionString });
    assert.ok(Object.isFrozen(config.telemetry));
    for (const bad of [
      'not-a-connection-string',
      'InstrumentationKey=abc;IngestionEndpoint=https://example.com/',
      'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/',
    ]) {
      const problem = problemsOf({ ...production, APPLICATIONINSIGHTS_CONNECTION_STRING: bad }).problems.find(
        (p) => p.name === 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      );
      assert.ok(problem, `no problem for ${bad}`);
      assert.match(problem.message, /InstrumentationKey|IngestionEndpoint/);
    }
  });

  it('reads the dev stack ports and names a bad one', () => {
    assert.equal(readDevStackConfig({}).azuritePorts.table, 10002);
    assert.equal(readDevStackConfig({ PLAYGROUND: 'off' }).playground, false);
    assert.throws(
      () => readDevStackConfig({ GRAPH_STANDIN_PORT: '0' }),
      /GRAPH_STANDIN_PORT: must be between 1 and 65535/,
    );
  });
});
