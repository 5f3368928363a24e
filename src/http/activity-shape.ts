/**
 * Whether a request body has the shape of a Bot Framework activity in the fields every handler relies on. Teams
 * always sends them; anything else is refused at the edge (400) instead of failing inside a turn, where it would
 * be logged as an error (so a stranger could fill the error log) or, for some fields, crash the SDK (a 500).
 */
export function isActivityShaped(body: unknown): boolean {
  if (!isObject(body)) return false;
  const { type, channelId, serviceUrl, conversation, from, recipient, replyToId, entities } = body;
  if (typeof type !== 'string' || !type || type.length > 64) return false;
  if (typeof channelId !== 'string' || !channelId) return false;
  if (serviceUrl !== undefined && typeof serviceUrl !== 'string') return false;
  if (replyToId !== undefined && typeof replyToId !== 'string') return false;
  if (!account(conversation) || !account(from) || !account(recipient)) return false;
  if (conversation.isGroup !== undefined && typeof conversation.isGroup !== 'boolean') return false;
  if (entities !== undefined && !(Array.isArray(entities) && entities.every((e) => isObject(e) && typeof e.type === 'string'))) return false;
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ id: string, name?: string }`: a conversation, a sender or a recipient. */
const account = (v: unknown): v is Record<string, unknown> => isObject(v) && typeof v.id === 'string' && v.id !== '' && (v.name === undefined || typeof v.name === 'string');
