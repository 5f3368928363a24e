// Key Vault for the secrets that remain: the bot's client secret (botAppType SingleTenant only) and the CRM
// webhook's HMAC secret (when the webhook is on). The web app reads them through Key Vault references with
// DealDesk's managed identity; nobody else needs access to run the app.

param name string
param location string
param tags object

@description('DealDesk\'s managed identity: Key Vault Secrets User on this vault.')
param secretsUserPrincipalId string

@description('Purge protection cannot be turned off once on: leave it off only for throw-away environments.')
param purgeProtection bool

// A secret is written only when its value is given: a deployment without it leaves the stored one alone.

@description('Name of the secret holding the bot\'s client secret (MicrosoftAppPassword).')
param botPasswordSecretName string

@secure()
param botAppPassword string

@description('Name of the secret holding the CRM webhook\'s HMAC secret (WEBHOOK_SECRET).')
param webhookSecretName string

@secure()
param webhookSecret string

@description('Name of the secret that signs outbound CRM events (CRM_WEBHOOK_SECRET).')
param crmWebhookSecretName string

@secure()
param crmWebhookSecret string

// Key Vault Secrets User: read secret values.
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  // enablePurgeProtection may not be set to false, only left out.
  properties: union(
    {
      tenantId: tenant().tenantId
      sku: { family: 'A', name: 'standard' }
      enableRbacAuthorization: true
      enableSoftDelete: true
      softDeleteRetentionInDays: 90
      publicNetworkAccess: 'Enabled'
    },
    purgeProtection ? { enablePurgeProtection: true } : {}
  )
}

resource botPassword 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(botAppPassword)) {
  parent: vault
  name: botPasswordSecretName
  properties: { value: botAppPassword }
}

resource webhook 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookSecret)) {
  parent: vault
  name: webhookSecretName
  properties: { value: webhookSecret }
}

resource crmWebhook 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(crmWebhookSecret)) {
  parent: vault
  name: crmWebhookSecretName
  properties: { value: crmWebhookSecret }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, secretsUserPrincipalId, secretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: secretsUserPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
