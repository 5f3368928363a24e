import type { Config } from '../config';
import type { Directory } from '../ports/directory.port';
import type { Logger } from '../ports/logger.port';
import { GraphClient } from './graph-client';
import { graphCredential, graphToken } from './graph-credential';
import { GraphDirectory } from './graph-directory';

/** Entra ID through Microsoft Graph with the bot's own identity, when GRAPH=on (config refuses it without one). */
export function openDirectory(config: Config, logger: Logger): Directory | undefined {
  const { graph, auth } = config;
  if (!graph || !auth) return undefined;
  const credential = graphCredential(auth, graph.authorityHost);
  const client = new GraphClient({ baseUrl: graph.url, token: graphToken(credential, auth.appType === 'UserAssignedMSI' ? 'managedIdentity' : 'secret', graph.deadlineMs), deadlineMs: graph.deadlineMs, logger });
  return new GraphDirectory(client, auth.tenantId, { manifestId: graph.teamsAppId, catalogId: graph.catalogAppId }, logger);
}
