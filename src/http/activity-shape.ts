/**
 * Whether a request body has the shape of a Bot Framework activity in the fields every handler relies on. Teams
 * always sends them; anything else is refused at the edge (400) instead of failing inside a turn, where it would
 * be logged as an error (so a stranger could fill the error log) or, for some fields, crash the SDK (a 500).
 */
export function isActivityShaped(body: unknown): boolean {
  if (!isObject(body)) return false;
  const { type, channelId, serviceUrl, conversation, from, recipient, entities, channelData, membersAdded, membersRemoved } = body;
  if (typeof type !== 'string' || !type || type.length > 64) return false;
  if (typeof channelId !== 'string' || !channelId) return false;
  if (!replyAddress(serviceUrl)) return false;
  if (!optionalStrings(body, ['id', 'name', 'locale', 'text', 'textFormat', 'replyToId'])) return false;
  if (!account(conversation) || !account(from) || !account(recipient)) return false;
  if (!optionalStrings(conversation, ['conversationType']) || !optionalIds(conversation, ['tenantId']) || !optionalIds(from, ['aadObjectId']) || !optionalIds(recipient, ['aadObjectId'])) return false;
  if (conversation.isGroup !== undefined && typeof conversation.isGroup !== 'boolean') return false;
  if (entities !== undefined && !(Array.isArray(entities) && entities.every(entity))) return false;
  if (Array.isArray(entities) && entities.some((e) => String(e.type).toLowerCase() === 'mention') && typeof body.text !== 'string') return false;
  if (!optionalAccounts(membersAdded) || !optionalAccounts(membersRemoved)) return false;
  if (channelData !== undefined && !(isObject(channelData) && (channelData.tenant === undefined || (isObject(channelData.tenant) && optionalIds(channelData.tenant, ['id']))))) return false;
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const optionalStrings = (o: Record<string, unknown>, keys: readonly string[]): boolean => keys.every((k) => o[k] === undefined || typeof o[k] === 'string');

/** Teams ids are printable ASCII; anything else would be refused in the HTTP headers the SDK puts them in. */
const ID = /^[\x21-\x7e]{1,1024}$/;

/**
 * Tenant and Entra object ids (GUIDs in Teams) are ids too; they end up in store URLs, where a lone surrogate made
 * the SDK's encodeURIComponent throw inside the turn ("URI malformed", found by the fuzzer).
 */
const optionalIds = (o: Record<string, unknown>, keys: readonly string[]): boolean => keys.every((k) => o[k] === undefined || (typeof o[k] === 'string' && ID.test(o[k] as string)));

/** `{ id: string, name?: string }`: a conversation, a sender or a recipient. */
const account = (v: unknown): v is Record<string, unknown> => isObject(v) && typeof v.id === 'string' && ID.test(v.id) && (v.name === undefined || typeof v.name === 'string');

const optionalAccounts = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every(account));

/** An entity has a type; a mention also says who and how it reads (the SDK strips `text` from the message). */
const entity = (e: unknown): boolean =>
  isObject(e) && typeof e.type === 'string' && (e.type.toLowerCase() !== 'mention' || (typeof e.text === 'string' && account(e.mentioned)));

/**
 * Where replies go: an http(s) URL. Teams always sends one. Without it the SDK would fall back to the public
 * Bot Framework endpoint, so an activity without one would make DealDesk call the internet with a reply for nobody.
 */
function replyAddress(v: unknown): boolean {
  if (typeof v !== 'string' || v.length > 2048) return false;
  try {
    const { protocol } = new URL(v);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
