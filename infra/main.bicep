// Professional Conversations for Microsoft Teams: everything the service needs in one resource
// group (infra/README.md). The service authenticates to Bot Framework, Storage and Graph as one
// user-assigned managed identity, so no key or password is stored anywhere; the only secret
// there can be (a Graph client secret, GRAPH_AUTH=secret) lives in Key Vault and reaches the app
// as a Key Vault reference.

@minLength(4)
@maxLength(20)
@description('Starts every resource name; letters, digits and hyphens, starting with a letter (e.g. pc1a2b3c). Web app, bot, storage and Key Vault names are global, so make it unique.')
param resourceBaseName string

@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'P0v3'
  'P1v3'
  'P2v3'
])
@description('App Service plan size. Always On needs Basic or above; P0v3 and up for production scale-out.')
param webAppSku string

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
@description('Storage redundancy for the conversation records, outbox queue and job leases.')
param storageSku string

@maxLength(42)
@description('The bot name people see in Teams.')
param botDisplayName string

@description('Application (client) id of the tab SSO app registration (the Toolkit\'s aadApp/create output AAD_APP_CLIENT_ID).')
param tabAppClientId string

@description('Which conversation policy applies: a preset name (professional-conversation, career-conversations) or a policy JSON file shipped with the app.')
param policy string

@description('Entra object ids of the OD team, comma-separated (DESIGN.md §6: the OD role).')
param odMembers string

@allowed([
  'managed-identity'
  'secret'
])
@description('How the service signs in to Microsoft Graph: as the managed identity (recommended) or as an app registration with a client secret kept in Key Vault.')
param graphAuth string

@description('With graphAuth=secret: the Graph app registration\'s application (client) id. Ignored with managed-identity.')
param graphClientId string

@secure()
@description('With graphAuth=secret: the Graph app registration\'s client secret, stored in Key Vault. Ignored with managed-identity.')
param graphClientSecret string

var location = resourceGroup().location
// Storage account and Key Vault names allow no hyphens (storage) or at most 24 characters.
var compactName = toLower(replace(resourceBaseName, '-', ''))
var graphSecretName = 'graph-client-secret'

// Built-in role definitions (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

// ---------------------------------------------------------------------------------------------
// Identity: the bot's app id, the storage principal and (by default) the Graph principal.

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

// ---------------------------------------------------------------------------------------------
// Storage: tables (records), a queue (the proactive-message outbox), blobs (job leases).
// Shared-key access is off, so only Entra identities with a data role can read or write.

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: '${compactName}st'
  location: location
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    accessTier: 'Hot'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

// The service creates its queue, tables and container when missing; made here too so an
// administrator finds them before the first start.
resource outboxQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = {
  parent: queueService
  name: 'outbox'
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource jobsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: 'jobs'
  properties: {
    publicAccess: 'None'
  }
}

resource tableDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource blobDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------
// Key Vault: RBAC only (no access policies), soft delete and purge protection on.

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${take(compactName, 21)}-kv'
  location: location
  properties: {
    tenantId: identity.properties.tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource graphSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (graphAuth == 'secret') {
  parent: vault
  name: graphSecretName
  properties: {
    value: graphClientSecret
  }
}

resource vaultSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------
// Monitoring: a Log Analytics workspace, workspace-based Application Insights (the service's
// OpenTelemetry traces, metrics and logs), and the web app's console and HTTP logs.

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-appi'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------------------------------------
// The service: one Linux web app hosting the bot endpoint, the tab and its API.

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2024-11-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'npm run serve'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

// Settings the service reads (bot/config.ts, README "Configuration"), set apart from the site so
// they can use its host name. Nothing here is a secret: the identity needs none, and a Graph
// client secret is a Key Vault reference the platform resolves.
var graphSettings = graphAuth == 'secret' ? {
  GRAPH_AUTH: 'secret'
  GRAPH_CLIENT_ID: graphClientId
  GRAPH_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${graphSecretName})'
} : {
  GRAPH_AUTH: 'managed-identity'
  GRAPH_CLIENT_ID: identity.properties.clientId
}

resource webAppSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: webApp
  name: 'appsettings'
  // Setting these restarts the app: by then the Key Vault reference must resolve (the secret
  // exists and the identity may read it) and the identity must hold its storage roles, or the
  // first start fails its readiness check.
  dependsOn: [
    graphSecret
    vaultSecretsRole
    tableDataRole
    queueDataRole
    blobDataRole
  ]
  properties: union({
    APP_ENV: 'production'
    // Express and its error handler leave stack traces out of responses only in production.
    NODE_ENV: 'production'
    MICROSOFT_APP_ID: identity.properties.clientId
    MICROSOFT_APP_TYPE: 'UserAssignedMSI'
    MICROSOFT_APP_TENANT_ID: identity.properties.tenantId
    // Queue and blob endpoints are derived from the table endpoint.
    STORAGE_ACCOUNT_URL: storage.properties.primaryEndpoints.table
    // DefaultAzureCredential (storage) signs in as this user-assigned identity, and only as a
    // managed identity: no probing of developer credentials on the server.
    AZURE_CLIENT_ID: identity.properties.clientId
    AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential'
    GRAPH_TENANT_ID: identity.properties.tenantId
    // Teams SSO tokens carry the tab app's client id (v2) or its Application ID URI (v1).
    TAB_API_AUDIENCE: 'api://${webApp.properties.defaultHostName}/${tabAppClientId},${tabAppClientId}'
    TAB_TENANT_ID: identity.properties.tenantId
    POLICY: policy
    OD_MEMBERS: odMembers
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    // The deploy ships the built service with its production dependencies; nothing to build here.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  }, graphSettings)
}

resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: webApp
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot: registered to the managed identity (no app password), with the Teams channel.

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs the Agents Toolkit writes to env/.env.<environment> (m365agents.yml).

output BOT_ID string = identity.properties.clientId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output AZURE_WEB_APP_RESOURCE_ID string = webApp.id
output STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.table
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
// The identity's service principal: the object to grant Graph application permissions to.
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output KEY_VAULT_NAME string = vault.name
