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
    });
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

  it('reads the dev stack ports and names a bad one', () => {
    assert.equal(readDevStackConfig({}).azuritePorts.table, 10002);
    assert.equal(readDevStackConfig({ PLAYGROUND: 'off' }).playground, false);
    assert.throws(
      () => readDevStackConfig({ GRAPH_STANDIN_PORT: '0' }),
      /GRAPH_STANDIN_PORT: must be between 1 and 65535/,
    );
  });
});
