import type { Agent } from 'node:http';
import type { TokenCredential } from '@azure/identity';
import type { Config } from '../../config';
import type { Logger } from '../../ports/logger.port';
import type { SummaryWriter, UpdateReader } from '../../ports/update-reader.port';
import { AzureChatModel } from './azure-chat-model';
import { ModelSummaryWriter } from './model-summary-writer';
import { ModelUpdateReader } from './model-update-reader';

/** The scope of a token for Azure OpenAI (Entra ID, the Cognitive Services OpenAI User role on the resource). */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

export interface AssistantDeps {
  log: Logger;
  /** What a summary is when the model fails: the offline template. */
  summaryFallback: SummaryWriter;
  /** The managed identity's credential; by default @azure/identity's ManagedIdentityCredential (AZURE_CLIENT_ID's identity when set). */
  credential?: TokenCredential;
  /** The HTTP agent for Azure OpenAI (a test's trust in its fake's certificate). */
  httpAgent?: Agent;
}

/**
 * The assistant's model path when the tenant configured Azure OpenAI (config.assistantModel), undefined otherwise:
 * the composition root then keeps the offline reader and writer. One line wires it:
 * `const assistant = assistantOf(config, deps) ?? offline`.
 */
export function assistantOf(config: Pick<Config, 'assistantModel'>, deps: AssistantDeps): { reader: UpdateReader; summaries: SummaryWriter } | undefined {
  const settings = config.assistantModel;
  if (!settings) return undefined;
  const auth = settings.auth.kind === 'key' ? { apiKey: settings.auth.apiKey } : { token: tokenFor(deps.credential ?? managedIdentity(settings.auth.clientId)) };
  const model = new AzureChatModel({ endpoint: settings.endpoint, deployment: settings.deployment, auth, deadlineMs: settings.deadlineMs, httpAgent: deps.httpAgent });
  return { reader: new ModelUpdateReader(model, deps.log), summaries: new ModelSummaryWriter(model, deps.summaryFallback, deps.log) };
}

function managedIdentity(clientId: string | undefined): TokenCredential {
  const identity = require('@azure/identity') as typeof import('@azure/identity');
  return clientId ? new identity.ManagedIdentityCredential({ clientId }) : new identity.ManagedIdentityCredential();
}

/** A bearer token for Azure OpenAI; the credential caches it and renews it before it expires. */
const tokenFor = (credential: TokenCredential) => async (): Promise<string> => {
  const token = await credential.getToken(COGNITIVE_SERVICES_SCOPE);
  if (!token) throw new Error('no token for Azure OpenAI');
  return token.token;
};
