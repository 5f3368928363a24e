import cardAction from '../fixtures/card-action-invoke.json';
import { USERS, type UserKey } from '../support/activities';
import type { DealDeskHarness } from '../support/dealdesk-harness';

export interface InvokeOptions {
  as?: UserKey;
  locale?: string;
}

/**
 * An invoke from the compose box, shaped as Teams sends it (Microsoft's "Respond to search command" and "Link
 * unfurling" pages): `name` composeExtension/query or composeExtension/queryLink, `channelData.source.name`
 * "compose", in the chat the person is typing in.
 */
function composeInvoke(h: DealDeskHarness, name: string, value: unknown, options: InvokeOptions): any {
  const user = USERS[options.as ?? 'alex'];
  const activity = JSON.parse(JSON.stringify(cardAction));
  delete activity.replyToId;
  delete activity.channelData.legacy;
  return {
    ...activity,
    name,
    id: `f:compose-${Math.random().toString(36).slice(2)}`,
    serviceUrl: h.connector.url,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: { ...activity.conversation, id: `a:personal-${options.as ?? 'alex'}` },
    channelData: { ...activity.channelData, source: { name: 'compose' } },
    locale: options.locale ?? 'en-US',
    value,
  };
}

/** composeExtension/query for a search command: the typed text as the `query` parameter, and the page asked for. */
export const searchInvoke = (h: DealDeskHarness, text: string | undefined, options: InvokeOptions & { skip?: unknown; count?: unknown; commandId?: string } = {}) =>
  composeInvoke(
    h,
    'composeExtension/query',
    {
      commandId: options.commandId ?? 'searchDeals',
      // Opening the command with initialRun: Teams sends `initialRun` instead of the query text.
      parameters: text === undefined ? [{ name: 'initialRun', value: 'true' }] : [{ name: 'query', value: text }],
      queryOptions: { skip: options.skip ?? 0, count: options.count ?? 25 },
    },
    options,
  );

/** composeExtension/queryLink: a link pasted into the compose box, on one of the manifest's link domains. */
export const queryLinkInvoke = (h: DealDeskHarness, url: string, options: InvokeOptions = {}) => composeInvoke(h, 'composeExtension/queryLink', { url }, options);

/** Posts a compose-box invoke; returns the HTTP status and the invoke response body ({ composeExtension, … }). */
export async function invoke(h: DealDeskHarness, activity: unknown): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const { status, body } = await h.post(activity);
  return { status, body, ms: performance.now() - started };
}
