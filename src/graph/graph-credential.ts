import type { TokenCredential } from '@azure/identity';

/** App-only access to Microsoft Graph: the permissions granted to the app, with admin consent. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface BotIdentity {
  appId: string;
  appType: string;
  tenantId: string;
  password: string;
}

/**
 * The bot's own identity, as the Bot Framework uses it: a managed identity (UserAssignedMSI, App Service's identity
 * endpoint) or the app registration's client secret (SingleTenant) against its tenant. `authorityHost`
 * (AZURE_AUTHORITY_HOST) points the secret's token requests elsewhere: another cloud, or a test's token endpoint,
 * for which instance discovery (a call to the public login host) is skipped.
 */
export function graphCredential(bot: BotIdentity, authorityHost: string | undefined): TokenCredential {
  const identity = require('@azure/identity') as typeof import('@azure/identity');
  if (bot.appType === 'UserAssignedMSI') return new identity.ManagedIdentityCredential({ clientId: bot.appId });
  return new identity.ClientSecretCredential(bot.tenantId, bot.appId, bot.password, authorityHost ? { authorityHost, disableInstanceDiscovery: true } : {});
}

/** A token function for the Graph client; the credential caches tokens and renews them before they expire. */
export const graphToken = (credential: TokenCredential) => async (signal: AbortSignal): Promise<string> => {
  const token = await credential.getToken(GRAPH_SCOPE, { abortSignal: signal });
  if (!token) throw new Error('no token for Microsoft Graph');
  return token.token;
};
