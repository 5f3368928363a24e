import type { Server } from 'restify';

/**
 * The three pages a Teams app package must link to (developer.websiteUrl, privacyUrl, termsOfUseUrl),
 * served by DealDesk itself at its public URL, so the package never points at a placeholder. Static text,
 * no user data; an organisation with its own pages points the manifest there instead.
 */
const PAGES: Record<string, { title: string; body: string }> = {
  '/': {
    title: 'DealDesk for Teams',
    body: `<p>DealDesk is a Microsoft Teams bot for enterprise services sales: Services Executives create and move their deals
      from chat through stage gates, keep their deal teams informed with alerts, get complex deals approved in a channel,
      and follow up on customer satisfaction after delivery.</p>
      <p>It runs in your organisation's own Azure subscription. Add it to Teams from your organisation's app catalogue, then
      type <code>help</code> in a chat with DealDesk.</p>
      <p><a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a></p>`,
  },
  '/privacy': {
    title: 'DealDesk privacy statement',
    body: `<p>DealDesk runs in your organisation's Azure subscription and keeps its data in your organisation's Azure Cosmos DB
      account: deals and their history, deal teams, approvals and their audit trail, CSAT scores and comments, quotas,
      and, for the people who use it, their Microsoft Entra object id, display name, e-mail address, Teams user id,
      language and time zone as Teams provides them, and the conversation references needed to message them.</p>
      <p>DealDesk reads only what Teams sends it (the messages addressed to it, card actions, and team rosters where it is
      installed). It asks for no Microsoft Graph permissions, sends no data to third parties, and does not use message
      content for anything but answering it. Operational logs record the kind of each request and its outcome, never
      message text. Application Insights, when your administrator turns it on, receives counters and timings only.</p>
      <p>Your organisation's administrators control retention and deletion of this data in Cosmos DB. Questions go to
      your organisation's DealDesk administrator.</p>`,
  },
  '/terms': {
    title: 'DealDesk terms of use',
    body: `<p>DealDesk is provided by your organisation for its sales and delivery staff, under your organisation's
      acceptable-use and data-handling policies. Record deal information accurately and only for customers you work
      with; do not enter personal data beyond what a deal needs.</p>
      <p>DealDesk is provided as is; your organisation's administrators operate it and answer questions about it.</p>`,
  },
};

const html = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#242424}h1{color:#1f4fb4}</style>
</head><body><h1>${title}</h1>${body}</body></html>
`;

export function mountPublisherPages(server: Server): void {
  for (const [path, page] of Object.entries(PAGES)) {
    const text = html(page.title, page.body);
    server.get(path, (_req, res, next) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'public, max-age=3600');
      res.sendRaw(200, text);
      next();
    });
  }
}
