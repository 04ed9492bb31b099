/**
 * The Azure infrastructure (infra/main.bicep) read structurally, since no Bicep compiler exists
 * offline (DESIGN.md §5): every resource the deployment needs is there with its security
 * settings, parameters and outputs line up with main.parameters.json and the Agents Toolkit, and
 * the web app's settings are exactly what the service reads — checked by running
 * bot/config.ts's own `readConfig` on them.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, readConfig, type Config } from '../bot/config';
import {
  allExpressions,
  evaluate,
  parseBicep,
  property,
  references,
  type BicepResource,
  type Expr,
  type Value,
} from './support/bicep';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const bicep = parseBicep(readFileSync(root('infra/main.bicep'), 'utf8'));
const parametersFile = JSON.parse(readFileSync(root('infra/main.parameters.json'), 'utf8')) as {
  parameters: Record<string, { value: unknown }>;
};
const packageJson = JSON.parse(readFileSync(root('package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

// Plausible values of what only a deployment knows.
const CLIENT_ID = '3f1c9a2e-7b4d-4c5e-9a8b-1d2e3f4a5b6c';
const PRINCIPAL_ID = '8a7b6c5d-4e3f-4a1b-8c9d-0e1f2a3b4c5d';
const TENANT_ID = '11111111-2222-4333-8444-555555555555';
const TAB_CLIENT_ID = '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const GRAPH_APP_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const OD = ['aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'ffffffff-1111-4222-8333-444444444444'];
const SECRET_MARKER = 'not-a-real-secret-7Q~marker';
const HOST = 'pcprod.azurewebsites.net';
const RUNTIME: Record<string, Value> = {
  'Microsoft.ManagedIdentity/userAssignedIdentities properties.clientId': CLIENT_ID,
  'Microsoft.ManagedIdentity/userAssignedIdentities properties.principalId': PRINCIPAL_ID,
  'Microsoft.ManagedIdentity/userAssignedIdentities properties.tenantId': TENANT_ID,
  'Microsoft.Storage/storageAccounts properties.primaryEndpoints.table':
    'https://pcprodst.table.core.windows.net/',
  'Microsoft.Web/sites properties.defaultHostName': HOST,
  'Microsoft.KeyVault/vaults properties.vaultUri': 'https://pcprod-kv.vault.azure.net/',
  'Microsoft.Insights/components properties.ConnectionString':
    'InstrumentationKey=0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/;LiveEndpoint=https://uksouth.livediagnostics.monitor.azure.com/;ApplicationId=5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
};

/** Parameter values as a filled-in main.parameters.json would give them. */
function parameters(graphAuth: 'managed-identity' | 'secret'): Record<string, Value> {
  return {
    resourceBaseName: 'pcprod',
    webAppSku: 'B1',
    storageSku: 'Standard_LRS',
    botDisplayName: 'Professional Conversations',
    tabAppClientId: TAB_CLIENT_ID,
    policy: 'career-conversations',
    odMembers: OD.join(','),
    graphAuth,
    graphClientId: graphAuth === 'secret' ? GRAPH_APP_ID : '',
    graphClientSecret: graphAuth === 'secret' ? SECRET_MARKER : '',
  };
}

function scopeFor(graphAuth: 'managed-identity' | 'secret') {
  const params = parameters(graphAuth);
  const scope = {
    params,
    resourceProperty: (resource: BicepResource, path: string): Value => {
      if (path === 'name') return evaluate(bicep, property(resource.body, 'name')!, scope);
      if (path === 'id') {
        const name = evaluate(bicep, property(resource.body, 'name')!, scope) as string;
        return `/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg-pc/providers/${resource.type}/${name}`;
      }
      const value = RUNTIME[`${resource.type} ${path}`];
      if (value === undefined)
        throw new Error(`no plausible value for ${resource.symbol}.${path} (${resource.type})`);
      return value;
    },
  };
  return scope;
}

const evaluated = (expr: Expr, graphAuth: 'managed-identity' | 'secret' = 'managed-identity') =>
  evaluate(bicep, expr, scopeFor(graphAuth));

function resourcesOf(type: string): BicepResource[] {
  return bicep.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

function onlyResource(type: string): BicepResource {
  const found = resourcesOf(type);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** The value at `path` in a resource's body, evaluated. */
function valueAt(resource: BicepResource, path: string): Value {
  const expr = property(resource.body, path);
  assert.ok(expr, `${resource.symbol} has no ${path}`);
  return evaluated(expr);
}

/** The string at `path` in a resource's body, evaluated. */
function textAt(resource: BicepResource, path: string): string {
  const value = valueAt(resource, path);
  assert.equal(typeof value, 'string', `${resource.symbol}.${path} is a string`);
  return value as string;
}

/** The source text of the expression at `path`, for properties that must refer to another resource. */
function sourceAt(resource: BicepResource, path: string): string | undefined {
  return property(resource.body, path)?.source;
}

const identity = () => onlyResource('Microsoft.ManagedIdentity/userAssignedIdentities');
const storage = () => onlyResource('Microsoft.Storage/storageAccounts');
const webApp = () => onlyResource('Microsoft.Web/sites');
const vault = () => onlyResource('Microsoft.KeyVault/vaults');

describe('Azure infrastructure (infra/main.bicep)', () => {
  describe('resources', () => {
    it('a user-assigned managed identity', () => {
      assert.equal(identity().existing, false);
    });

    it('a StorageV2 account, HTTPS only, TLS 1.2, shared-key access off and no public blob access', () => {
      const account = storage();
      assert.equal(valueAt(account, 'kind'), 'StorageV2');
      assert.equal(valueAt(account, 'properties.supportsHttpsTrafficOnly'), true);
      assert.equal(valueAt(account, 'properties.minimumTlsVersion'), 'TLS1_2');
      assert.equal(valueAt(account, 'properties.allowSharedKeyAccess'), false);
      assert.equal(valueAt(account, 'properties.allowBlobPublicAccess'), false);
      // Storage account names: 3-24 lowercase letters and digits.
      assert.match(textAt(account, 'name'), /^[a-z0-9]{3,24}$/);
    });

    it('table, queue and blob services on the account, with the jobs container for leases', () => {
      const account = storage().symbol;
      for (const service of ['tableServices', 'queueServices', 'blobServices']) {
        const found = onlyResource(`Microsoft.Storage/storageAccounts/${service}`);
        assert.equal(sourceAt(found, 'parent'), account);
        assert.equal(valueAt(found, 'name'), 'default');
      }
      const container = onlyResource('Microsoft.Storage/storageAccounts/blobServices/containers');
      assert.equal(
        sourceAt(container, 'parent'),
        onlyResource('Microsoft.Storage/storageAccounts/blobServices').symbol,
      );
      // bot/jobs/lease.ts: the container `<prefix>jobs`, no prefix in production.
      assert.equal(valueAt(container, 'name'), 'jobs');
      assert.equal(valueAt(container, 'properties.publicAccess'), 'None');
    });

    const roles: [string, string, () => BicepResource][] = [
      ['Storage Table Data Contributor', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', storage],
      ['Storage Queue Data Contributor', '974c5e8b-45b9-4653-ba55-5f855dd0fb88', storage],
      ['Storage Blob Data Contributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', storage],
      ['Key Vault Secrets User', '4633458b-17de-408a-b874-0445c86b69e6', vault],
    ];
    for (const [role, guid, target] of roles) {
      it(`the identity holds ${role} on the ${role.startsWith('Key') ? 'vault' : 'storage account'}`, () => {
        const matching = resourcesOf('Microsoft.Authorization/roleAssignments').filter((assignment) => {
          const definition = property(assignment.body, 'properties.roleDefinitionId');
          return (
            definition?.kind === 'call' &&
            definition.callee === 'subscriptionResourceId' &&
            definition.args.length === 2 &&
            evaluated(definition.args[0]!) === 'Microsoft.Authorization/roleDefinitions' &&
            evaluated(definition.args[1]!) === guid
          );
        });
        assert.equal(matching.length, 1, `one assignment of role ${guid}`);
        const assignment = matching[0]!;
        assert.equal(sourceAt(assignment, 'scope'), target().symbol);
        assert.equal(
          sourceAt(assignment, 'properties.principalId'),
          `${identity().symbol}.properties.principalId`,
        );
        assert.equal(valueAt(assignment, 'properties.principalType'), 'ServicePrincipal');
        // A deterministic name, so redeploying does not try to create a second assignment.
        const name = property(assignment.body, 'name');
        assert.ok(name?.kind === 'call' && name.callee === 'guid', 'name: guid(...)');
      });
    }

    it('a Linux App Service plan sized by a parameter that allows Always On', () => {
      const plan = onlyResource('Microsoft.Web/serverfarms');
      assert.equal(valueAt(plan, 'kind'), 'linux');
      assert.equal(valueAt(plan, 'properties.reserved'), true);
      assert.equal(sourceAt(plan, 'sku.name'), 'webAppSku');
      const allowed = bicep.params
        .find((p) => p.name === 'webAppSku')
        ?.decorators.find((d) => d.name === 'allowed');
      assert.ok(allowed, 'webAppSku has @allowed');
      const skus = evaluated(allowed.args[0]!) as string[];
      // Free and Shared plans have no Always On, which the sweep's schedule needs.
      assert.ok(skus.length > 0 && skus.every((sku) => !/^(F|D)\d/.test(sku)), `skus: ${skus.join(', ')}`);
    });

    it('the web app: Node 20 LTS or newer, Always On, health check, HTTPS only, TLS 1.2, no FTP, started with npm run serve', () => {
      const app = webApp();
      assert.equal(
        sourceAt(app, 'properties.serverFarmId'),
        `${onlyResource('Microsoft.Web/serverfarms').symbol}.id`,
      );
      assert.equal(valueAt(app, 'properties.httpsOnly'), true);
      const node = /^NODE\|(\d+)-lts$/.exec(textAt(app, 'properties.siteConfig.linuxFxVersion'));
      assert.ok(node, 'linuxFxVersion NODE|<major>-lts');
      const engines = /(\d+)/.exec(packageJson.engines.node);
      assert.ok(
        Number(node[1]) >= Math.max(20, Number(engines?.[1])),
        `Node ${node[1]} satisfies ${packageJson.engines.node}`,
      );
      assert.equal(valueAt(app, 'properties.siteConfig.alwaysOn'), true);
      assert.equal(valueAt(app, 'properties.siteConfig.minTlsVersion'), '1.2');
      assert.equal(valueAt(app, 'properties.siteConfig.ftpsState'), 'Disabled');
      assert.equal(valueAt(app, 'properties.siteConfig.appCommandLine'), 'npm run serve');
      assert.ok(packageJson.scripts.serve, 'package.json has a serve script');
      // The health check path is one the service answers (bot/service.ts).
      const path = textAt(app, 'properties.siteConfig.healthCheckPath');
      assert.equal(path, '/healthz');
      assert.match(readFileSync(root('bot/service.ts'), 'utf8'), new RegExp(`app\\.get\\('${path}'`));
    });

    it('the web app runs as the identity and resolves Key Vault references as it', () => {
      const app = webApp();
      assert.equal(valueAt(app, 'identity.type'), 'UserAssigned');
      const assigned = property(app.body, 'identity.userAssignedIdentities');
      assert.ok(assigned?.kind === 'object' && assigned.properties.length === 1);
      const key = assigned.properties[0]!.key;
      assert.ok(
        typeof key !== 'string' && references(key).includes(identity().symbol),
        'keyed by the identity id',
      );
      assert.equal(sourceAt(app, 'properties.keyVaultReferenceIdentity'), `${identity().symbol}.id`);
    });

    it('an Azure Bot registered to the identity (UserAssignedMSI) with its messaging endpoint on the web app', () => {
      const bot = onlyResource('Microsoft.BotService/botServices');
      const id = identity().symbol;
      assert.equal(valueAt(bot, 'kind'), 'azurebot');
      assert.equal(valueAt(bot, 'location'), 'global');
      assert.equal(valueAt(bot, 'properties.msaAppType'), 'UserAssignedMSI');
      assert.equal(sourceAt(bot, 'properties.msaAppId'), `${id}.properties.clientId`);
      assert.equal(sourceAt(bot, 'properties.msaAppMSIResourceId'), `${id}.id`);
      assert.equal(sourceAt(bot, 'properties.msaAppTenantId'), `${id}.properties.tenantId`);
      assert.equal(valueAt(bot, 'properties.endpoint'), `https://${HOST}/api/messages`);
      assert.equal(sourceAt(bot, 'properties.displayName'), 'botDisplayName');
    });

    it('the bot has the Microsoft Teams channel', () => {
      const channel = onlyResource('Microsoft.BotService/botServices/channels');
      assert.equal(sourceAt(channel, 'parent'), onlyResource('Microsoft.BotService/botServices').symbol);
      assert.equal(valueAt(channel, 'name'), 'MsTeamsChannel');
      assert.equal(valueAt(channel, 'properties.channelName'), 'MsTeamsChannel');
    });

    it('a Key Vault with RBAC authorisation and soft delete', () => {
      const kv = vault();
      assert.equal(valueAt(kv, 'properties.enableRbacAuthorization'), true);
      assert.equal(valueAt(kv, 'properties.enableSoftDelete'), true);
      assert.equal(property(kv.body, 'properties.accessPolicies'), undefined, 'no access policies');
      assert.match(textAt(kv, 'name'), /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/);
    });

    it('a Graph client secret, when used, is stored in the vault', () => {
      const secret = onlyResource('Microsoft.KeyVault/vaults/secrets');
      assert.equal(sourceAt(secret, 'parent'), vault().symbol);
      assert.equal(secret.condition?.source, "graphAuth == 'secret'");
      assert.equal(sourceAt(secret, 'properties.value'), 'graphClientSecret');
      const param = bicep.params.find((p) => p.name === 'graphClientSecret');
      assert.ok(
        param?.decorators.some((d) => d.name === 'secure'),
        'graphClientSecret is @secure()',
      );
    });

    it('the app settings wait for the Key Vault secret, the role to read it and the storage roles', () => {
      const settings = onlyResource('Microsoft.Web/sites/config');
      const dependsOn = property(settings.body, 'dependsOn');
      assert.ok(dependsOn?.kind === 'array', 'webAppSettings has dependsOn');
      const waited = dependsOn.items.map((item) => item.source);
      const roles = resourcesOf('Microsoft.Authorization/roleAssignments').map((r) => r.symbol);
      const secret = onlyResource('Microsoft.KeyVault/vaults/secrets').symbol;
      assert.deepEqual(new Set(waited), new Set([secret, ...roles]));
    });

    it('workspace-based Application Insights on a Log Analytics workspace', () => {
      const workspace = onlyResource('Microsoft.OperationalInsights/workspaces');
      const insights = onlyResource('Microsoft.Insights/components');
      assert.equal(sourceAt(insights, 'properties.WorkspaceResourceId'), `${workspace.symbol}.id`);
      assert.equal(valueAt(insights, 'properties.Application_Type'), 'web');
      assert.equal(valueAt(insights, 'properties.IngestionMode'), 'LogAnalytics');
    });

    it("the web app's console, HTTP and platform logs go to the workspace", () => {
      const diagnostics = onlyResource('Microsoft.Insights/diagnosticSettings');
      assert.equal(sourceAt(diagnostics, 'scope'), webApp().symbol);
      assert.equal(
        sourceAt(diagnostics, 'properties.workspaceId'),
        `${onlyResource('Microsoft.OperationalInsights/workspaces').symbol}.id`,
      );
      const categories = (valueAt(diagnostics, 'properties.logs') as { category: string }[]).map(
        (l) => l.category,
      );
      assert.deepEqual(categories.sort(), [
        'AppServiceConsoleLogs',
        'AppServiceHTTPLogs',
        'AppServicePlatformLogs',
      ]);
    });

    it('every resource has a type@api-version and a unique symbol', () => {
      const symbols = bicep.resources.map((r) => r.symbol);
      assert.equal(new Set(symbols).size, symbols.length);
      for (const r of bicep.resources) assert.match(r.apiVersion, /^\d{4}-\d{2}-\d{2}(-preview)?$/, r.symbol);
    });
  });

  describe('parameters', () => {
    const declared = new Set(bicep.params.map((p) => p.name));
    const names = new Set([
      ...declared,
      ...bicep.vars.map((v) => v.name),
      ...bicep.resources.map((r) => r.symbol),
    ]);
    const used = new Set(allExpressions(bicep).flatMap(references));

    it('every name used is declared', () => {
      const undeclared = [...used].filter((name) => !names.has(name));
      assert.deepEqual(undeclared, []);
    });

    it('every parameter and variable declared is used', () => {
      assert.deepEqual(
        [...declared].filter((name) => !used.has(name)),
        [],
      );
      assert.deepEqual(
        bicep.vars.map((v) => v.name).filter((name) => !used.has(name)),
        [],
      );
    });

    it('main.parameters.json gives exactly the declared parameters', () => {
      assert.deepEqual(Object.keys(parametersFile.parameters).sort(), [...declared].sort());
    });

    it('parameter values are allowed ones, or Toolkit placeholders, and no secret is written in the file', () => {
      for (const param of bicep.params) {
        const value = parametersFile.parameters[param.name]?.value;
        assert.equal(typeof value, 'string', `${param.name} is a string`);
        const text = value as string;
        for (const placeholder of text.match(/\$\{\{[^}]*\}\}/g) ?? []) {
          assert.match(placeholder, /^\$\{\{[A-Z][A-Z0-9_]*\}\}$/, `${param.name}: ${placeholder}`);
        }
        const allowed = param.decorators.find((d) => d.name === 'allowed');
        if (allowed)
          assert.ok(
            (evaluated(allowed.args[0]!) as string[]).includes(text),
            `${param.name}=${text} allowed`,
          );
        if (param.decorators.some((d) => d.name === 'secure')) {
          // The Toolkit fills secrets from env/.env.<env>.user, never from this committed file.
          assert.ok(
            text === '' || /^\$\{\{SECRET_[A-Z0-9_]+\}\}$/.test(text),
            `${param.name} holds no secret`,
          );
        }
      }
    });
  });

  describe('outputs the Agents Toolkit writes to the env file', () => {
    const expected: Record<string, string> = {
      BOT_ID: CLIENT_ID,
      BOT_DOMAIN: HOST,
      TAB_DOMAIN: HOST,
      TAB_ENDPOINT: `https://${HOST}`,
      AZURE_WEB_APP_RESOURCE_ID:
        '/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg-pc/providers/Microsoft.Web/sites/pcprod',
      STORAGE_ACCOUNT_URL: 'https://pcprodst.table.core.windows.net/',
      MANAGED_IDENTITY_CLIENT_ID: CLIENT_ID,
    };
    for (const [name, value] of Object.entries(expected)) {
      it(`${name}`, () => {
        const output = bicep.outputs.find((o) => o.name === name);
        assert.ok(output, `output ${name}`);
        assert.equal(output.type, 'string');
        assert.equal(evaluated(output.value), value);
      });
    }
  });

  describe('app settings and the service configuration', () => {
    /**
     * Settings read by the platform, not by the service: App Service's own (WEBSITE_*, SCM_*).
     * Listed so that adding one is a visible decision.
     */
    const PLATFORM = ['SCM_DO_BUILD_DURING_DEPLOYMENT'];
    /** Settings the service's libraries read from the environment themselves, and which package. */
    const SDK_READ: Record<string, { package: string; dir: string }> = {
      // DefaultAzureCredential (bot/storage, bot/outbox, bot/jobs): which managed identity.
      AZURE_CLIENT_ID: { package: '@azure/identity', dir: 'dist/esm' },
      // DefaultAzureCredential: which credentials it tries (only the managed identity).
      AZURE_TOKEN_CREDENTIALS: { package: '@azure/identity', dir: 'dist/esm' },
      // Express and finalhandler: error pages without stack traces.
      NODE_ENV: { package: 'express', dir: 'lib' },
      // The Azure Monitor exporter reads it when no connection string is passed in code.
      APPLICATIONINSIGHTS_CONNECTION_STRING: {
        package: '@azure/monitor-opentelemetry-exporter',
        dir: 'dist/esm',
      },
    };
    /** Read by the service and set to what is also its default, so the deployed settings say it. */
    const EXPLICIT_DEFAULTS = ['APP_ENV', 'GRAPH_TENANT_ID', 'TAB_TENANT_ID', 'GRAPH_AUTH'];

    const settingsResource = () => {
      const found = resourcesOf('Microsoft.Web/sites/config').filter(
        (r) => property(r.body, 'name')?.source === "'appsettings'",
      );
      assert.equal(found.length, 1, 'one appsettings config');
      assert.equal(sourceAt(found[0]!, 'parent'), webApp().symbol);
      return found[0]!;
    };
    const settingsFor = (graphAuth: 'managed-identity' | 'secret'): Record<string, string> => {
      const value = evaluate(bicep, property(settingsResource().body, 'properties')!, scopeFor(graphAuth));
      assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value));
      for (const [name, v] of Object.entries(value)) assert.equal(typeof v, 'string', `${name} is a string`);
      return value as Record<string, string>;
    };
    const isPlatform = (name: string) => /^(WEBSITE|WEBSITES|SCM)_/.test(name);

    /**
     * readConfig over the settings, recording every name it reads. Key Vault references are
     * resolved first, as App Service does before the process starts.
     */
    const readRecorded = (deployed: Record<string, string>) => {
      const read = new Set<string>();
      const settings = Object.fromEntries(
        Object.entries(deployed).map(([name, value]) => [
          name,
          value.startsWith('@Microsoft.KeyVault(') ? `resolved-${name.toLowerCase()}` : value,
        ]),
      );
      const env = new Proxy(settings, {
        get(target, key) {
          if (typeof key === 'string') read.add(key);
          return typeof key === 'string' ? target[key] : undefined;
        },
      });
      return { config: readConfig(env), read };
    };

    it('platform settings are listed, and only WEBSITE_/SCM_ ones', () => {
      const names = Object.keys(settingsFor('managed-identity')).filter(isPlatform);
      assert.deepEqual(names.sort(), [...PLATFORM].sort());
    });

    it('the libraries named really read the settings the service leaves to them, and ship in production', () => {
      const lock = JSON.parse(readFileSync(root('package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      };
      for (const [name, { package: pkg, dir }] of Object.entries(SDK_READ)) {
        const entry = lock.packages[`node_modules/${pkg}`];
        assert.ok(entry && entry.dev !== true, `${pkg} is a production dependency`);
        const found = sourceFiles(root(`node_modules/${pkg}/${dir}`)).some((file) => {
          const text = readFileSync(file, 'utf8');
          return (
            text.includes(`process.env.${name}`) || text.includes(`"${name}"`) || text.includes(`'${name}'`)
          );
        });
        assert.ok(found, `${pkg} reads ${name}`);
      }
    });

    for (const graphAuth of ['managed-identity', 'secret'] as const) {
      describe(`with GRAPH_AUTH=${graphAuth}`, () => {
        it('the service starts in production with the deployed settings, configured as deployed', () => {
          const { config } = readRecorded(settingsFor(graphAuth));
          assert.equal(config.appEnv, 'production');
          assert.equal(config.host, '0.0.0.0');
          assert.equal(config.bot.appId, CLIENT_ID);
          assert.equal(config.bot.appPassword, '');
          assert.equal(config.bot.appType, 'UserAssignedMSI');
          assert.equal(config.bot.tenantId, TENANT_ID);
          // Bot Framework's public signing keys: no override in production.
          assert.equal(config.bot.openIdMetadataUrl, undefined);
          assert.equal(config.storage.kind, 'accountUrl');
          assert.deepEqual(
            config.storage.kind === 'accountUrl' && [
              config.storage.tableUrl,
              config.storage.queueUrl,
              config.storage.blobUrl,
            ],
            [
              'https://pcprodst.table.core.windows.net',
              'https://pcprodst.queue.core.windows.net',
              'https://pcprodst.blob.core.windows.net',
            ],
          );
          assert.equal(config.storage.tableShards, 1);
          assert.equal(config.policy, 'career-conversations');
          assert.deepEqual(config.odMembers, OD);
          assert.deepEqual(
            [...config.tabApi.audiences].sort(),
            [`api://${HOST}/${TAB_CLIENT_ID}`, TAB_CLIENT_ID].sort(),
          );
          assert.equal(config.tabApi.tenantId, TENANT_ID);
          assert.equal(config.tabApi.devSignIn, false);
          assertGraph(config, graphAuth);
        });

        it('every setting is one the service or its libraries read', () => {
          const settings = settingsFor(graphAuth);
          const { read } = readRecorded(settings);
          const unread = Object.keys(settings).filter(
            (name) => !isPlatform(name) && !read.has(name) && !(name in SDK_READ),
          );
          assert.deepEqual(unread, [], 'settings nothing reads');
        });

        it('each required setting is set: leaving it out stops the service', () => {
          const settings = settingsFor(graphAuth);
          const required = Object.keys(settings).filter((name) => {
            const { [name]: _omitted, ...rest } = settings;
            try {
              readConfig(rest);
              return false;
            } catch (error) {
              assert.ok(error instanceof ConfigError, `omitting ${name}: ${String(error)}`);
              return true;
            }
          });
          for (const name of [
            'MICROSOFT_APP_ID',
            'MICROSOFT_APP_TENANT_ID',
            'MICROSOFT_APP_TYPE',
            'STORAGE_ACCOUNT_URL',
          ]) {
            assert.ok(required.includes(name), `${name} is required (required: ${required.join(', ')})`);
          }
        });

        it('every other setting the service reads changes its configuration', () => {
          const settings = settingsFor(graphAuth);
          const { config, read } = readRecorded(settings);
          const full = JSON.stringify(config);
          const idle = Object.keys(settings).filter((name) => {
            if (!read.has(name) || EXPLICIT_DEFAULTS.includes(name)) return false;
            const { [name]: _omitted, ...rest } = settings;
            try {
              return JSON.stringify(readConfig(rest)) === full;
            } catch {
              return false; // required: covered above
            }
          });
          assert.deepEqual(idle, [], 'settings set to no effect');
        });

        it('no setting holds a secret: no keys, passwords or client secrets, only Key Vault references', () => {
          const settings = settingsFor(graphAuth);
          for (const [name, value] of Object.entries(settings)) {
            assert.ok(!value.includes(SECRET_MARKER), `${name} holds the Graph client secret itself`);
            assert.doesNotMatch(
              value,
              /AccountKey=|SharedAccessSignature=|[?&]sig=|-----BEGIN|client_secret/i,
              name,
            );
            if (/SECRET|PASSWORD|(^|_)KEY$/.test(name)) {
              assert.match(
                value,
                /^@Microsoft\.KeyVault\(SecretUri=https:\/\/[^)]+\)$/,
                `${name} is a Key Vault reference`,
              );
            }
          }
          assert.equal(
            settings.MICROSOFT_APP_PASSWORD,
            undefined,
            'the managed identity needs no app password',
          );
          assert.equal(
            settings.STORAGE_CONNECTION_STRING,
            undefined,
            'storage is reached by identity, not a key',
          );
          if (graphAuth === 'secret') {
            assert.equal(
              settings.GRAPH_CLIENT_SECRET,
              '@Microsoft.KeyVault(SecretUri=https://pcprod-kv.vault.azure.net/secrets/graph-client-secret)',
            );
          } else {
            assert.equal(settings.GRAPH_CLIENT_SECRET, undefined);
          }
        });
      });
    }

    it('AZURE_CLIENT_ID names the identity the bot and Graph use, so storage signs in as the same one', () => {
      const settings = settingsFor('managed-identity');
      assert.equal(settings.AZURE_CLIENT_ID, CLIENT_ID);
      assert.equal(settings.AZURE_CLIENT_ID, settings.MICROSOFT_APP_ID);
    });

    it('the parser refuses what it cannot read rather than skipping it', () => {
      assert.throws(
        () => parseBicep("resource r 'A/b@2024-01-01' = [for x in y: {}]\n"),
        /line 1: resource loops/,
      );
      assert.throws(
        () => parseBicep("module m './m.bicep' = {}\n"),
        /"module" declarations are not supported/,
      );
      assert.throws(
        () => parseBicep("var a = {\n  b: 'c' d\n}\n"),
        /line 2: expected a new line after a property/,
      );
    });
  });
});

function assertGraph(config: Config, graphAuth: 'managed-identity' | 'secret'): void {
  assert.ok(config.graph, 'Microsoft Graph is configured');
  assert.equal(config.graph.tenantId, TENANT_ID);
  assert.equal(config.graph.baseUrl, 'https://graph.microsoft.com/v1.0');
  if (graphAuth === 'managed-identity') {
    assert.deepEqual(config.graph.auth, { kind: 'managed-identity', clientId: CLIENT_ID });
  } else {
    assert.equal(config.graph.auth.kind, 'secret');
    assert.equal(config.graph.auth.clientId, GRAPH_APP_ID);
  }
}

/** The JavaScript files under a folder (not source maps or type declarations). */
function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(c|m)?js$/.test(entry) ? [path] : [];
  });
}
