// DealDesk in Azure: one resource group holds everything the bot needs.
//
//   managed identity ─┬─ Cosmos DB (data-plane RBAC, no key)
//                     ├─ Key Vault (only while a secret remains: SingleTenant bot secret, webhook secret)
//                     └─ web app (Linux, Node 22 LTS) ── Azure Bot (Teams channel) → https://<app>/api/messages
//   Log Analytics + Application Insights (requests, dependencies, exceptions, logs, metrics) + alert rules
//
// Deploy: see infra/README.md. The Cosmos containers come from containers.generated.json, written by
// `npm run infra:generate` from src/store/containers.ts; never edit them here.

targetScope = 'resourceGroup'

@description('Short lower-case name used in every resource name.')
@minLength(3)
@maxLength(12)
param appName string = 'dealdesk'

@allowed(['dev', 'test', 'prod'])
param environmentName string

param location string = resourceGroup().location

param tags object = {}

// ---- Bot --------------------------------------------------------------------------------------------

@description('UserAssignedMSI: the bot authenticates as the managed identity, no secret (runs only in Azure). SingleTenant: an Entra app registration with a client secret (also works for a laptop behind a dev tunnel).')
@allowed(['SingleTenant', 'UserAssignedMSI'])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the app registration\'s application (client) id.')
param botAppId string = ''

@description('SingleTenant only: the app registration\'s client secret, stored in Key Vault when given. Leave empty on later deployments to keep the stored one.')
@secure()
param botAppPassword string = ''

@description('Entra ID tenant of the bot (and of the Teams users it serves).')
param botTenantId string = tenant().tenantId

param botDisplayName string = 'DealDesk'

@description('F0 is enough: Teams is a standard channel, which F0 does not meter.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

// ---- Web app ----------------------------------------------------------------------------------------

@description('App Service plan SKU (Basic or above: Always On).')
param appServicePlanSku string = 'B1'

@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
param logLevel string = 'info'

@description('DealDesk admins: AAD object ids or e-mail addresses, comma-separated (ADMINS).')
param admins string = ''

@description('Who may read a deal (DEAL_VISIBILITY): tenant (everyone in the tenant) or team (owner, deal team, the owner\'s managers, approvers, admins).')
@allowed(['tenant', 'team'])
param dealVisibility string = 'tenant'

@description('IANA time zone for digests, nudges and due dates of people without their own (DEFAULT_TIMEZONE).')
param defaultTimeZone string = 'UTC'

@description('Entra ID through Microsoft Graph (GRAPH=on): people lookups search the directory, managers come from it, DealDesk installs itself for deal team members, and adminGroupId works. Grant the bot identity User.ReadBasic.All, User.Read.All, TeamsAppInstallation.ReadWriteSelfForUser.All, AppCatalog.Read.All (unless teamsCatalogAppId is given) and GroupMember.Read.All (application, admin consent) first.')
param graphEnabled bool = false

@description('With graphEnabled: an Entra group (object id) whose members are DealDesk admins, besides admins.')
param adminGroupId string = ''

@description('With graphEnabled: DealDesk\'s app id in the organisation\'s Teams app catalog (Teams admin center → Manage apps), which installs bind; empty: looked up by teamsAppId (needs AppCatalog.Read.All).')
param teamsCatalogAppId string = ''

@description('Dynamics 365 Sales (DATAVERSE_URL): the environment\'s root, e.g. https://contoso.crm4.dynamics.com; empty: off. Give the bot identity an application user with a security role there first (docs/crm-sync.md).')
param dataverseUrl string = ''

@description('With dataverseUrl: create an account missing in Dataverse (DATAVERSE_CREATE_ACCOUNTS); the security role then needs Create on Account.')
param dataverseCreateAccounts bool = false

@description('With dataverseUrl: who masters each synced field (CRM_FIELD_OWNERS), e.g. value=crm, stage=lww; empty: the defaults.')
param crmFieldOwners string = ''

@description('Azure OpenAI for updates in the user\'s own words and deal summaries (AZURE_OPENAI_ENDPOINT, https); empty: DealDesk reads them offline. Grant the managed identity the Cognitive Services OpenAI User role on that resource first.')
param azureOpenAIEndpoint string = ''

@description('With azureOpenAIEndpoint: the chat model\'s deployment name in that resource (AZURE_OPENAI_DEPLOYMENT).')
param azureOpenAIDeployment string = ''

@description('The Teams app\'s own id (TEAMS_APP_ID), read by `npm run package` from the deployed settings; empty until one is generated.')
param teamsAppId string = ''

@description('Tuning overrides (environment variable → value), applied over the settings below; e.g. { NOTIFY_POLL_MS: \'2000\' }.')
param appSettingsOverrides object = {}

// ---- Cosmos DB --------------------------------------------------------------------------------------

@description('serverless (default: pay per request) or autoscale (provisioned RU/s). Fixed when the account is created.')
@allowed(['serverless', 'autoscale'])
param cosmosCapacityMode string = 'serverless'

@description('autoscale only: the database\'s maximum RU/s, shared by its containers.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

param cosmosDatabaseName string = 'dealdesk'

// ---- CRM webhook ------------------------------------------------------------------------------------

@description('Turns POST /api/webhooks/deals on. Give webhookSecret in the same deployment (or store it in the vault first).')
param webhookEnabled bool = false

@description('The webhook\'s HMAC secret (16+ characters), stored in Key Vault when given. Leave empty on later deployments to keep the stored one.')
@secure()
param webhookSecret string = ''

@description('Tenant a webhook change applies to when its body names none.')
param webhookTenantId string = botTenantId

// ---- Outbound CRM sync (issue 19) ------------------------------------------------------------------

@description('Where every deal change is POSTed, signed (docs/webhook.md, "Outbound"); https. Empty: no outbound CRM webhook.')
param crmWebhookUrl string = ''

@description('The HMAC secret outbound CRM events are signed with (16+ characters), stored in Key Vault when given. Leave empty on later deployments to keep the stored one.')
@secure()
param crmWebhookSecret string = ''

@description('Tenants DealDesk serves (comma-separated Entra tenant ids); activities and webhook calls of others are refused. Default: the bot\'s own tenant.')
param allowedTenants string = botTenantId

@description('Key Vault purge protection (cannot be turned off again). Off only for throw-away environments.')
param keyVaultPurgeProtection bool = true

// ---- Alerts -----------------------------------------------------------------------------------------

@description('Who is told when an alert rule fires (one e-mail address, e.g. an on-call list); empty: no one yet.')
param alertEmail string = ''

// ---- Names ------------------------------------------------------------------------------------------

var baseName = '${appName}-${environmentName}'
var suffix = take(uniqueString(subscription().id, resourceGroup().id, baseName), 6)
var names = {
  identity: 'id-${baseName}'
  monitoring: baseName
  cosmos: 'cosmos-${baseName}-${suffix}'
  keyVault: 'kv-${take(baseName, 14)}-${suffix}'
  webApp: 'app-${baseName}-${suffix}'
  bot: 'bot-${baseName}-${suffix}'
}
var allTags = union({ app: appName, environment: environmentName }, tags)

// A secret remains only for a SingleTenant bot (its client secret) and for the webhook (its HMAC secret).
var needsKeyVault = botAppType == 'SingleTenant' || webhookEnabled || !empty(crmWebhookUrl)
var botPasswordSecretName = 'bot-app-password'
var webhookSecretName = 'webhook-secret'
var crmWebhookSecretName = 'crm-webhook-secret'
var botPasswordReference = '@Microsoft.KeyVault(VaultName=${names.keyVault};SecretName=${botPasswordSecretName})'
var webhookSecretReference = '@Microsoft.KeyVault(VaultName=${names.keyVault};SecretName=${webhookSecretName})'
var crmWebhookSecretReference = '@Microsoft.KeyVault(VaultName=${names.keyVault};SecretName=${crmWebhookSecretName})'

var containers = loadJsonContent('containers.generated.json').containers

// ---- Resources --------------------------------------------------------------------------------------

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    namePrefix: names.monitoring
    location: location
    tags: allTags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: names.cosmos
    location: location
    tags: allTags
    databaseName: cosmosDatabaseName
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    containers: containers
    dataContributorPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'modules/key-vault.bicep' = if (needsKeyVault) {
  name: 'key-vault'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    secretsUserPrincipalId: identity.outputs.principalId
    purgeProtection: keyVaultPurgeProtection
    botPasswordSecretName: botPasswordSecretName
    botAppPassword: botAppType == 'SingleTenant' ? botAppPassword : ''
    webhookSecretName: webhookSecretName
    webhookSecret: webhookSecret
    crmWebhookSecretName: crmWebhookSecretName
    crmWebhookSecret: crmWebhookSecret
  }
}

// What DealDesk reads (src/config.ts), as App Service app settings. test/infra checks that every variable
// the code reads is here (or is local-only) and that the tuning values equal the code's defaults.
var appSettings = {
  // App Service forwards requests to port 8080 of the container's own address, not to loopback.
  HOST: '0.0.0.0'
  PORT: '8080'
  WEBSITES_PORT: '8080'
  LOG_LEVEL: logLevel
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  // GET /metrics stays off in Azure (it would be public); metrics go to Application Insights instead.
  METRICS: 'off'
  // For the Teams app package (manifest/): the app's id and where DealDesk is reachable (App Service's default host name).
  TEAMS_APP_ID: teamsAppId
  DEALDESK_PUBLIC_URL: 'https://${names.webApp}.azurewebsites.net'

  // Bot Framework authentication (inbound JWT, outbound tokens).
  MicrosoftAppId: botAppType == 'UserAssignedMSI' ? identity.outputs.clientId : botAppId
  MicrosoftAppType: botAppType
  MicrosoftAppTenantId: botTenantId
  MicrosoftAppPassword: botAppType == 'SingleTenant' ? botPasswordReference : ''

  // Cosmos DB through the managed identity: the account has no keys (disableLocalAuth).
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_DATABASE: cosmosDatabaseName
  AZURE_CLIENT_ID: identity.outputs.clientId

  ADMINS: admins
  DEAL_VISIBILITY: dealVisibility
  WEBHOOK_SECRET: webhookEnabled ? webhookSecretReference : ''
  // Only with the webhook on: a default tenant for a webhook that is off stops DealDesk (src/config-combinations.ts).
  WEBHOOK_TENANT_ID: webhookEnabled ? webhookTenantId : ''
  ALLOWED_TENANTS: allowedTenants
  // Outbound CRM sync: the secret only with the URL (src/config-combinations.ts refuses one without the other).
  CRM_WEBHOOK_URL: crmWebhookUrl
  CRM_WEBHOOK_SECRET: empty(crmWebhookUrl) ? '' : crmWebhookSecretReference
  CRM_MAX_ATTEMPTS: '8'
  CRM_LEASE_MS: '60000'
  // Microsoft Graph with the bot's identity; its settings only with it on (src/config-combinations.ts refuses them otherwise).
  GRAPH: graphEnabled ? 'on' : 'off'
  GRAPH_URL: graphEnabled ? 'https://graph.microsoft.com/v1.0' : ''
  GRAPH_DEADLINE_MS: graphEnabled ? '3000' : ''
  ADMIN_GROUP_ID: graphEnabled ? adminGroupId : ''
  TEAMS_CATALOG_APP_ID: graphEnabled ? teamsCatalogAppId : ''
  // Dynamics 365 with the bot's identity; its settings only with it on (src/config-combinations.ts refuses them otherwise).
  DATAVERSE_URL: dataverseUrl
  DATAVERSE_TIMEOUT_MS: empty(dataverseUrl) ? '' : '10000'
  DATAVERSE_CREATE_ACCOUNTS: empty(dataverseUrl) ? '' : (dataverseCreateAccounts ? 'on' : 'off')
  CRM_FIELD_OWNERS: empty(dataverseUrl) ? '' : crmFieldOwners
  DATAVERSE_POLL_MS: empty(dataverseUrl) ? '' : '60000'
  DATAVERSE_POLL_LEASE_MS: empty(dataverseUrl) ? '' : '30000'
  DATAVERSE_TENANT_ID: ''

  // Azure OpenAI through the managed identity (no key in settings); its settings only with an endpoint (src/config-combinations.ts).
  AZURE_OPENAI_ENDPOINT: azureOpenAIEndpoint
  AZURE_OPENAI_DEPLOYMENT: empty(azureOpenAIEndpoint) ? '' : azureOpenAIDeployment
  AZURE_OPENAI_AUTH: empty(azureOpenAIEndpoint) ? '' : 'managed-identity'
  AZURE_OPENAI_DEADLINE_MS: empty(azureOpenAIEndpoint) ? '' : '4000'

  // Tuning: the code's defaults; change them per environment with appSettingsOverrides.
  MAX_BODY_KB: '256'
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '250000'
  HTTP_HEADERS_TIMEOUT_MS: '20000'
  HTTP_REQUEST_TIMEOUT_MS: '30000'
  ALERT_COALESCE_MS: '60000'
  TEAMS_APP_RPS: '50'
  TEAMS_CONVERSATION_LIMITS: '7/1s,8/2s,60/30s,1800/1h'
  DELIVERY_LEASE_MS: '30000'
  SEND_BUDGET_LEASE_MS: '15000'
  DELIVERY_MAX_ATTEMPTS: '8'
  NOTIFY_POLL_MS: '1000'
  // Finished deliveries expire after this many days: the deliveries container has TTL on (defaultTtl -1).
  DELIVERY_RETENTION_DAYS: '30'
  APPROVAL_REMIND_AFTER: '24h'
  APPROVAL_ESCALATE_AFTER: '48h'
  DEFAULT_TIMEZONE: defaultTimeZone
  DIGEST_WEEKDAY: '1'
  DIGEST_HOUR: '8'
  NUDGE_HOUR: '9'
  STALE_AFTER_DAYS: '14'
  FISCAL_YEAR_START_MONTH: '7'
  SCHEDULER_POLL_MS: '30000'
  JOB_LEASE_MS: '120000'

  // The code arrives as a built zip (build/dealdesk.zip: dist/, everything DealDesk loads bundled), run as is: no build on the server.
  WEBSITE_RUN_FROM_PACKAGE: '1'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
}

module web 'modules/web-app.bicep' = {
  name: 'web-app'
  params: {
    name: names.webApp
    location: location
    tags: allTags
    planSku: appServicePlanSku
    identityId: identity.outputs.id
    appSettings: union(appSettings, appSettingsOverrides)
    workspaceId: monitoring.outputs.workspaceId
  }
  // Key Vault references resolve with the identity's role on the vault: let it exist first.
  dependsOn: [keyVault]
}

// Alert rules on /readyz, delivery failures, Teams and Cosmos DB 429s and scheduler lag (infra/README.md, "Alerts").
module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: baseName
    location: location
    tags: allTags
    appInsightsId: monitoring.outputs.appInsightsId
    webAppName: web.outputs.name
    alertEmail: alertEmail
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: names.bot
    tags: allTags
    displayName: botDisplayName
    endpoint: 'https://${web.outputs.hostName}/api/messages'
    appType: botAppType
    appId: botAppType == 'UserAssignedMSI' ? identity.outputs.clientId : botAppId
    tenantId: botTenantId
    identityId: identity.outputs.id
    sku: botSku
  }
}

// ---- Outputs: what the app package and the README's next steps need ----------------------------------

@description('MicrosoftAppId: the bot id the Teams app package (npm run package) needs.')
output botAppId string = botAppType == 'UserAssignedMSI' ? identity.outputs.clientId : botAppId
output botName string = bot.outputs.name
output webAppName string = web.outputs.name
@description('DEALDESK_PUBLIC_URL for the Teams app package.')
output publicUrl string = 'https://${web.outputs.hostName}'
output messagingEndpoint string = 'https://${web.outputs.hostName}/api/messages'
output cosmosEndpoint string = cosmos.outputs.endpoint
output keyVaultName string = needsKeyVault ? names.keyVault : ''
output identityClientId string = identity.outputs.clientId
