/** The longest URL looked at; Teams sends the pasted link as is. */
const URL_MAX = 2048;
const DEAL_PATH = /^\/deals\/d-(\d{1,9})\/?$/i;

/**
 * The deal a DealDesk link names: `<base>/deals/D-1042` in any case, with or without a trailing slash, a query
 * string or a fragment → "D-1042"; anything else → undefined. Any http(s) host is accepted: Teams sends
 * composeExtension/queryLink only for the manifest's link domains (DEALDESK_PUBLIC_URL's host), local mode's
 * links are the bot's own URL (http://127.0.0.1:<port>), and what a link shows depends only on who asks.
 */
export function dealIdOfLink(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length > URL_MAX) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const m = DEAL_PATH.exec(parsed.pathname);
  return m ? `D-${Number(m[1])}` : undefined;
}
