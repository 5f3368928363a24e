import type { Config } from '../../config';
import type { DataverseClient } from './dataverse-client';
import { dataverseClient } from './dataverse-target';

/**
 * The Dataverse client of the configured environment (DATAVERSE_URL), with the bot's own identity for its token;
 * undefined when no environment is configured (config.ts refuses DATAVERSE_URL without the bot's identity).
 */
export function openDataverse(config: Config): DataverseClient | undefined {
  return config.dataverse && config.auth ? dataverseClient(config) : undefined;
}
