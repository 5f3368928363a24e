import type { TokenCredential } from '@azure/identity';
import { CrmSendError } from '../../ports/crm-target.port';
import { appToken } from '../../graph/graph-credential';

/** The app-only scope of a Dataverse environment: every privilege its application user's security roles grant. */
export const dataverseScope = (url: string): string => `${url.replace(/\/+$/, '')}/.default`;

/**
 * The DataverseClient's token function, with the bot's own identity (graphCredential: managed identity or client
 * secret). `fresh` (the environment answered 401 to the cached token: revoked, or the role changed) starts over with
 * a new credential, whose token cache is empty. Entra ID refusing the credentials is a CrmSendError 401 naming the
 * OAuth code only; no other failure of the token endpoint carries more than its first 200 characters.
 */
export function dataverseToken(newCredential: () => TokenCredential, url: string, timeoutMs: number): (signal: AbortSignal, fresh?: boolean) => Promise<string> {
  const tokenOf = () =>
    appToken(newCredential(), dataverseScope(url), 'Dataverse', timeoutMs, (reason) =>
      new CrmSendError(`Entra ID refused DealDesk's credentials (${reason}) when it asked for a token for Dataverse`, 401, undefined, 'signIn'));
  let current = tokenOf();
  return async (signal, fresh) => {
    if (fresh) current = tokenOf();
    try {
      return await current(signal);
    } catch (e) {
      if (e instanceof CrmSendError || signal.aborted) throw e;
      throw new CrmSendError(`no token for Dataverse: ${(e as Error).message.slice(0, 200)}`, undefined, undefined, 'token');
    }
  };
}
