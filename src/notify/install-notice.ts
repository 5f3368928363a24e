import { messageCard } from '../cards/message-card';
import { md } from '../cards/safe-text';
import { localeOfPerson, translator } from '../i18n/locale';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { PERMISSIONS } from '../ports/directory.port';
import { cardMessage, type Recipient } from '../domain/outgoing-message';
import type { AppNotInstalled } from './send-target';

/** The Teams deep link that opens DealDesk's install page (the Teams app id, TEAMS_APP_ID). */
export const installLink = (teamsAppId: string): string => `https://teams.microsoft.com/l/app/${encodeURIComponent(teamsAppId)}`;

/** One per deal and member, ever: the delivery's id is its idempotency key, so a retried attempt queues nothing more. */
export const installNoticeId = (dealId: string, personId: string): string => `install|${dealId}|${Buffer.from(personId, 'utf8').toString('base64url')}`;

/**
 * When DealDesk may not install itself for a deal team member (send-target.ts), the deal's owner gets one 1:1
 * card saying so, with the install link to share. Queued as a card delivery (the same retries and rate limits).
 */
export function installNotice(deps: { store: Store; clock: Clock; logger: Logger; teamsAppId: string; queued: () => void }): AppNotInstalled {
  return async (tenantId: string, member: Recipient, dealId: string, permission: string) => {
    const stored = await deps.store.deals.get(tenantId, dealId);
    if (!stored || stored.deal.owner.id === member.key) return;
    const owner = stored.deal.owner;
    const ownerRecord = await deps.store.people.get(tenantId, owner.id);
    const locale = localeOfPerson(ownerRecord);
    const t = translator(locale);
    const name = md(member.name, 80);
    // Not finding itself in the app catalog has its own way out: the setting that names the catalog id.
    const body = permission === PERMISSIONS.readCatalog ? 'install.bodyCatalog' : 'install.body';
    const text = `${t(body, { name, deal: `${dealId} ${md(stored.deal.title, 80)}`, permission })}\n\n[${t('install.link')}](${installLink(deps.teamsAppId)})`;
    const card = messageCard(t, text, { heading: t('install.heading', { name }) });
    const recipient: Recipient = { kind: 'person', key: owner.id, name: ownerRecord?.name ?? owner.name, locale };
    const at = deps.clock.now().toISOString();
    if (await deps.store.deliveries.createIfAbsent({ ...cardMessage(tenantId, installNoticeId(dealId, member.key), recipient, card, at), payload: { type: 'card', card, dealId } })) {
      deps.logger.info({ dealId }, 'DealDesk may not install itself for a deal team member: the owner is told, with an install link');
      deps.queued();
    }
  };
}
