// Cosmos DB for NoSQL: the account (keys off: Entra ID only), DealDesk's database, every container in
// ../containers.generated.json (generated from src/store/containers.ts), and the data-plane role that lets
// DealDesk's managed identity read and write items.

param accountName string
param location string
param tags object
param databaseName string

@description('serverless (pay per request) or autoscale (provisioned, shared by the database\'s containers). Fixed when the account is created.')
@allowed(['serverless', 'autoscale'])
param capacityMode string

@description('autoscale only: the database\'s maximum RU/s (it scales between 10% of this and this).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Container resource bodies, from containers.generated.json.')
param containers array

@description('The principal (managed identity) given Cosmos DB Built-in Data Contributor.')
param dataContributorPrincipalId string

// Cosmos DB Built-in Data Contributor: read, write, query and delete items; read metadata. Creating
// databases or containers is a control-plane action, which is why they are declared here.
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    capabilities: capacityMode == 'serverless' ? [ { name: 'EnableServerless' } ] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
    options: capacityMode == 'autoscale' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

// Each body carries the container's id, partition key, indexing policy (composite indexes, excluded paths)
// and TTL exactly as ARM takes them.
resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [
  for c in containers: {
    parent: database
    name: c.id
    properties: {
      resource: c
    }
  }
]

resource dataAccess 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, dataContributorPrincipalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: dataContributorPrincipalId
    scope: account.id
  }
}

output endpoint string = account.properties.documentEndpoint
output accountName string = account.name
