/**
 * Cosmos ids may not contain '/ \ ? #' (and ids with control characters or surrounding spaces are
 * trouble in URLs and some SDKs). A key without any of those is its own document id, which keeps
 * documents readable (AAD object ids, delivery ids); any other key becomes '~' + base64url(key).
 * No readable id starts with '~' (such a key is encoded too), so the mapping is reversible and two
 * keys never share a document id.
 */
const UNSAFE = /[/\\?#\u0000-\u001f\u007f]/;
const ENCODED = '~';

export function documentIdOf(key: string): string {
  const readable = key.length > 0 && !UNSAFE.test(key) && !key.startsWith(ENCODED) && key === key.trim();
  return readable ? key : `${ENCODED}${Buffer.from(key, 'utf8').toString('base64url')}`;
}

export function keyOfDocumentId(id: string): string {
  return id.startsWith(ENCODED) ? Buffer.from(id.slice(ENCODED.length), 'base64url').toString('utf8') : id;
}
