// DealDesk, development. Deploy with infra/README.md; secrets come from environment variables and are
// stored in Key Vault only when set (leave them unset on later deployments to keep the stored ones).
using '../main.bicep'

param environmentName = 'dev'

// SingleTenant: the same app registration also serves a laptop behind a dev tunnel. Fill in its client id
// (az ad app create …, see the README); the secret comes from DEALDESK_BOT_APP_PASSWORD.
param botAppType = 'SingleTenant'
param botAppId = ''
param botAppPassword = readEnvironmentVariable('DEALDESK_BOT_APP_PASSWORD', '')

param appServicePlanSku = 'B1'
param cosmosCapacityMode = 'serverless'
param logLevel = 'debug'

// AAD object ids or e-mail addresses of the people who may set up approvals.
param admins = ''

// The CRM webhook, with its HMAC secret from DEALDESK_WEBHOOK_SECRET on the first deployment (or a rotation).
param webhookEnabled = true
param webhookSecret = readEnvironmentVariable('DEALDESK_WEBHOOK_SECRET', '')

// A dev vault is thrown away with its resource group.
param keyVaultPurgeProtection = false

param tags = { costCenter: 'dealdesk-dev' }
