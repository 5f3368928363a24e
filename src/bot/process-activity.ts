import type { InvokeResponse, TurnContext } from 'botbuilder';
import type { Activity } from 'botframework-schema';
import { AuthenticationError } from 'botframework-connector';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Logger } from '../ports/logger.port';
import { quietLibraryConsole } from './library-console';
import { shorten } from '../domain/shorten-text';

/** What the HTTP edge sends back to the channel: the turn's answer, or a refusal for the edge to record and send. */
export type Answer =
  | { status: number; body?: unknown }
  /** 401: the token did not authenticate; `detail` is the library's words (shortened), for the log line. */
  | { status: 401; refused: { detail: string } };

/**
 * One inbound activity, already parsed and shape-checked by the edge: authenticated (when an app id is set) and
 * run as a turn. This is botbuilder's `CloudAdapter.process` without its request plumbing: it would print every
 * failed authentication to stderr as a stack trace (a stranger could fill the log), where here a refused token is
 * a 401 that the edge records as one JSON log line (src/http/refusals.ts).
 */
export async function processActivity(adapter: TeamsAdapter, logger: Logger, body: Record<string, unknown>, authorization: string, logic: (context: TurnContext) => Promise<void>): Promise<Answer> {
  const activity = withDates(body);
  try {
    const invokeResponse = await quietLibraryConsole(logger, () => (adapter as unknown as Processor).processActivity(authorization, activity, logic));
    return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
  } catch (e) {
    if (e instanceof AuthenticationError) return { status: 401, refused: { detail: shorten(e.message, 120) } };
    throw e;
  }
}

/**
 * CloudAdapterBase.processActivity: protected in botbuilder's types, and what its own `process` calls after reading
 * the request (botbuilder 4.23.3 is pinned; its public `processActivityDirect` hides the AuthenticationError).
 */
interface Processor {
  processActivity(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined>;
}

/** As botbuilder's validateAndFixActivity: timestamps arrive as strings, the SDK works with Dates. */
function withDates(body: Record<string, unknown>): Activity {
  const activity = body as unknown as Activity & Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value) as never;
    }
  }
  return activity;
}
