import type { Config } from '../../config';
import { graphCredential } from '../../graph/graph-credential';
import { DataverseClient } from './dataverse-client';
import { dataverseToken } from './dataverse-token';

/**
 * The Dataverse client of the configured environment (DATAVERSE_URL), with the bot's own identity for its token;
 * undefined when no environment is configured (config.ts refuses DATAVERSE_URL without the bot's identity).
 */
export function openDataverse(config: Config): DataverseClient | undefined {
  const { dataverse, auth } = config;
  if (!dataverse || !auth) return undefined;
  const token = dataverseToken(() => graphCredential(auth, dataverse.authorityHost), dataverse.url, dataverse.timeoutMs);
  return new DataverseClient({ url: dataverse.url, token, timeoutMs: dataverse.timeoutMs });
}
