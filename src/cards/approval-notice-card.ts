import type { Notice } from '../domain/approval';
import { approvedForOtherTerms } from '../domain/approval-rule';
import type { Deal } from '../domain/deal';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { approvalCard } from './approval-card';
import { messageCard } from './message-card';
import { md, mdInline } from './safe-text';
import { dealHeading } from './deal-heading';

/**
 * The card a notice becomes, from the deal as it is now: the approval card itself (channel, and approvers
 * asked or reminded in their chat) or a short message to the owner.
 */
export function approvalNoticeCard(t: Translate, locale: Locale, deal: Deal, notice: Notice) {
  if (!deal.approval) return undefined;
  switch (notice.kind) {
    case 'approvalCard':
      return approvalCard(t, locale, deal);
    case 'toApprovers': {
      const level = deal.approval.levels.find((l) => l.id === notice.levelId)?.name ?? notice.levelId;
      return approvalCard(t, locale, deal, t(`approval.ask.${notice.reason}` as MessageKey, { level: mdInline(level, 60) }));
    }
    case 'toOwner': {
      const last = [...deal.approvalTrail].reverse().find((e) => e.event === 'decided');
      // Approved, but the deal's terms changed while it was under way: that approval does not let it close Won.
      const event = notice.event === 'approved' && approvedForOtherTerms(deal) ? 'approvedOtherTerms' : notice.event;
      const text = t(`approval.owner.${event}` as MessageKey, {
        id: deal.id,
        name: md(last?.by.name ?? '', 60),
        comment: mdInline(last?.comment ?? '', 300),
        level: mdInline(deal.approval.levels.find((l) => l.status === 'active')?.name ?? '', 60),
      });
      const resubmit = event === 'rejected' || event === 'changesRequested' || event === 'approvedOtherTerms';
      return messageCard(t, text, {
        heading: dealHeading(t, 'approval.owner.heading', deal),
        buttons: [
          ...(resubmit ? [{ title: t('button.resubmit'), command: { name: 'requestApproval', ref: deal.id, note: '' } } as const] : []),
          { title: t('button.openDeal'), command: { name: 'showDeal', ref: deal.id } },
        ],
      });
    }
  }
}
