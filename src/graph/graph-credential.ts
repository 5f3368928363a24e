import type { AccessToken, TokenCredential } from '@azure/identity';
import { DirectoryError, type SignInRefusal } from '../ports/directory.port';

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

/** The OAuth 2.0 error codes with which Entra ID refuses a client's credentials (RFC 6749 §5.2). */
const REFUSALS = ['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_request', 'invalid_scope', 'unsupported_grant_type'];

/**
 * Entra ID's OAuth error code when @azure/identity reports that the token endpoint refused the credentials
 * (`AuthenticationRequiredError: invalid_client: …` for a wrong or expired secret); undefined for anything else
 * (network, 5xx), which is worth trying again.
 */
export function refusalOf(e: unknown): string | undefined {
  if (!(e instanceof Error) || !/^Authentication(Required)?Error$/.test(e.name)) return undefined;
  const code = (e as { errorResponse?: { error?: unknown } }).errorResponse?.error;
  const given = typeof code === 'string' ? code : /^\s*(\w+):/.exec(e.message)?.[1];
  return given && REFUSALS.includes(given) ? given : undefined;
}

/**
 * A token function for the Graph client. Entra ID refusing the credentials is a DirectoryError (`signIn`) with the
 * OAuth code only: Entra ID's description (trace ids, timestamps) goes no further than the log line that reports it.
 */
export function graphToken(credential: TokenCredential, kind: SignInRefusal['credential'], timeoutMs: number): (signal: AbortSignal) => Promise<string> {
  return appToken(credential, GRAPH_SCOPE, 'Microsoft Graph', timeoutMs, (reason, e) =>
    new DirectoryError('signIn', `Entra ID refused DealDesk's credentials (${reason}) when it asked for a token for Microsoft Graph: ${e.message.slice(0, 300)}`, undefined, 401, { reason, credential: kind }));
}

/**
 * A token function for one resource (`scope`, e.g. Graph's or a Dataverse environment's `.default`) with the bot's
 * own identity. The credential caches tokens and renews them before they expire; calls that find no token while one
 * is being fetched wait for that one (MSAL would fetch one each), and a fetch ends within `timeoutMs`. Entra ID
 * refusing the credentials becomes `refused(oauthCode, error)`; anything else (network, 5xx) is thrown as it is.
 */
export function appToken(credential: TokenCredential, scope: string, resource: string, timeoutMs: number, refused: (reason: string, e: Error) => Error): (signal: AbortSignal) => Promise<string> {
  let fetching: Promise<AccessToken | null> | undefined;
  const fetchToken = () => {
    const fetched = credential.getToken(scope, { abortSignal: AbortSignal.timeout(timeoutMs) }).catch((e: unknown) => {
      const reason = refusalOf(e);
      if (!reason) throw e;
      throw refused(reason, e as Error);
    });
    fetching = fetched;
    void fetched.then(() => undefined, () => undefined).finally(() => {
      if (fetching === fetched) fetching = undefined;
    });
    return fetched;
  };
  return async (signal) => {
    const token = await untilAborted(fetching ?? fetchToken(), signal);
    if (!token) throw new Error(`no token for ${resource}`);
    return token.token;
  };
}

/** The promise's outcome, or the signal's reason once it aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const aborted = () => reject(signal.reason);
    signal.addEventListener('abort', aborted, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', aborted));
  });
}
