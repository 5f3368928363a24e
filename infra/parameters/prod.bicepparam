// DealDesk, production. Deploy with infra/README.md; secrets come from environment variables and are
// stored in Key Vault only when set (leave them unset on later deployments to keep the stored ones).
using '../main.bicep'

param environmentName = 'prod'

// UserAssignedMSI: the bot is the managed identity, so there is no bot secret to store or rotate.
param botAppType = 'UserAssignedMSI'

param appServicePlanSku = 'P0v3'

// Provisioned autoscale keeps alert fan-out bursts and the 1 s delivery sweep at a predictable cost.
param cosmosCapacityMode = 'autoscale'
param cosmosAutoscaleMaxThroughput = 1000

param logLevel = 'info'

// AAD object ids or e-mail addresses of the people who may set up approvals.
param admins = ''

// Off until the CRM integration is set up; then true, with DEALDESK_WEBHOOK_SECRET set for that deployment.
param webhookEnabled = false
param webhookSecret = readEnvironmentVariable('DEALDESK_WEBHOOK_SECRET', '')

param keyVaultPurgeProtection = true

param tags = { costCenter: 'dealdesk' }
