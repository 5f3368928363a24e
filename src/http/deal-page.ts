import type { Request, Response, Server } from 'restify';

const DEAL_ID = /^d-(\d{1,9})$/i;
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#242424}h1{color:#1f4fb4}code{background:#f0f0f0;padding:0 .2em}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>
`;

export interface DealPageDeps {
  /** The bot's Microsoft App ID, for the "Open in Teams" link (a chat with the bot); absent in local mode. */
  botAppId?: string;
}

/** The page for one deal id: its id, and where to see it. Never a field of the deal: this page has no sign-in. */
export function dealPage(id: string, botAppId?: string): string {
  const chat = botAppId && GUID.test(botAppId) ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(`28:${botAppId}`)}` : undefined;
  const open = chat
    ? `<p><a href="${escapeHtml(chat)}">Open DealDesk in Teams</a> and type <code>deal ${escapeHtml(id)}</code>.</p>`
    : `<p>Open your chat with DealDesk in Teams and type <code>deal ${escapeHtml(id)}</code>.</p>`;
  return page(`Deal ${id}`, `<p>Deals are shown only in Microsoft Teams, to the people of your organisation DealDesk allows to see them
    (depending on its settings, everyone in your organisation, or the deal's owner, deal team, managers and approvers).</p>${open}
    <p>Pasted into a Teams message, this link unfolds into the deal's card for them.</p>`);
}

const NOT_FOUND = page('Not a deal link', '<p>This address does not name a DealDesk deal. Deal links look like <code>/deals/D-1042</code>.</p>');

/**
 * GET /deals/:id, the target of the links DealDesk deals are shared with, for whoever opens one outside Teams.
 * It has no sign-in (and no tenant), so it reveals nothing about the deal, not even whether it exists: a
 * well-formed id (D-1042, any case) gets the same page either way; anything else is 404.
 */
export function mountDealPage(server: Server, deps: DealPageDeps = {}): void {
  const serve = (req: Request, res: Response, next: () => void) => {
    const m = DEAL_ID.exec(String(req.params?.id ?? ''));
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.sendRaw(m ? 200 : 404, m ? dealPage(`D-${Number(m[1])}`, deps.botAppId) : NOT_FOUND);
    next();
  };
  server.get('/deals/:id', serve);
  server.get('/deals/:id/', serve);
}
