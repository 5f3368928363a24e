// The App Service plan and the Linux web app running DealDesk (Node 22 LTS) as the managed identity.

param name string
param location string
param tags object

@description('App Service plan SKU. Always On needs Basic (B1) or above.')
param planSku string

@description('Resource id of DealDesk\'s user-assigned managed identity.')
param identityId string

@description('Environment variables of the app (name → value), wired in main.bicep.')
param appSettings object

@description('Log Analytics workspace receiving the app\'s console (JSON log) and HTTP logs.')
param workspaceId string

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'asp-${name}'
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: planSku }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node --max-old-space-size=160 dist/main.js' // deploy/runtime-limits.ts: docs/benchmarks.md, "Heap limit"
      alwaysOn: true
      // Cosmos reachable and the scheduler and delivery loops alive; an instance failing it is taken out of rotation.
      healthCheckPath: '/readyz'
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
  }
}

// No FTP publishing credentials at all (deploy with `az webapp deploy`).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: site
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

output name string = site.name
output hostName string = site.properties.defaultHostName
