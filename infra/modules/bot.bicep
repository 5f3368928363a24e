// The Azure Bot: DealDesk's registration with Bot Framework, its messaging endpoint and the Teams channel.

param name string
param tags object
param displayName string

@description('https://<web app>/api/messages')
param endpoint string

@description('SingleTenant: an Entra app registration with a client secret. UserAssignedMSI: the managed identity, no secret.')
@allowed(['SingleTenant', 'UserAssignedMSI'])
param appType string

@description('The bot\'s app id: the app registration\'s client id (SingleTenant) or the managed identity\'s client id (UserAssignedMSI).')
param appId string

param tenantId string

@description('Resource id of the managed identity (UserAssignedMSI only).')
param identityId string

@allowed(['F0', 'S1'])
param sku string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: sku }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppType: appType
    msaAppId: appId
    msaAppTenantId: tenantId
    msaAppMSIResourceId: appType == 'UserAssignedMSI' ? identityId : null
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

output name string = bot.name
