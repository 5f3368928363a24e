import { localeOfPerson } from '../domain/locale';
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
 * card saying so, with the install link to share (cards/app-not-installed-card.ts draws it when it is sent). Queued
 * like any other card (the same retries and rate limits), in the deal's partition.
 */
export function installNotice(deps: { store: Store; clock: Clock; logger: Logger; teamsAppId: string; queued: () => void }): AppNotInstalled {
  return async (tenantId: string, member: Recipient, dealId: string, permission: string) => {
    const stored = await deps.store.deals.get(tenantId, dealId);
    if (!stored || stored.deal.owner.id === member.key) return;
    const owner = stored.deal.owner;
    const ownerRecord = await deps.store.people.get(tenantId, owner.id);
    const recipient: Recipient = { kind: 'person', key: owner.id, name: ownerRecord?.name ?? owner.name, locale: localeOfPerson(ownerRecord) };
    const at = deps.clock.now().toISOString();
    const notice = {
      type: 'appNotInstalled' as const,
      dealId,
      dealTitle: stored.deal.title,
      member: member.name,
      permission,
      catalog: permission === PERMISSIONS.readCatalog,
      installLink: installLink(deps.teamsAppId),
    };
    if (await deps.store.deliveries.createIfAbsent(cardMessage(tenantId, installNoticeId(dealId, member.key), recipient, notice, at))) {
      deps.logger.info({ dealId }, 'DealDesk may not install itself for a deal team member: the owner is told, with an install link');
      deps.queued();
    }
  };
}
