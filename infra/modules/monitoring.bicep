// Log Analytics and workspace-based Application Insights. DealDesk exports its requests, dependencies,
// exceptions, log lines and metrics to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING); its JSON
// logs on stdout also reach the workspace through the web app's diagnostic settings (web-app.bicep). The alert
// rules on them are in alerts.bicep.

param namePrefix string
param location string
param tags object
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${namePrefix}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${namePrefix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
output connectionString string = appInsights.properties.ConnectionString
