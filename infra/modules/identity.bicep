// The user-assigned managed identity DealDesk runs as: Cosmos DB data-plane access (no key), Key Vault
// references, and, with botAppType UserAssignedMSI, the bot's own identity towards Bot Framework.

param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
