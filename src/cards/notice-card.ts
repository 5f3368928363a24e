import type { Notice } from '../domain/approval';
import type { Deal } from '../domain/deal';
import type { Locale, Translate } from '../i18n/locale';
import { approvalNoticeCard } from './approval-notice-card';
import { followUpNoticeCard } from './follow-up-notice-card';
import { crmFailedCard } from './crm-failed-card';

/** The card any deal notice becomes when it is sent: approval notices and follow-up notices. */
export function noticeCard(t: Translate, locale: Locale, deal: Deal, notice: Notice): object | undefined {
  switch (notice.kind) {
    case 'deliveryPlanRequest':
    case 'csatRequest':
    case 'lowCsat':
      return followUpNoticeCard(t, locale, deal, notice);
    case 'crmFailed':
      return crmFailedCard(t, deal, notice);
    default:
      return approvalNoticeCard(t, locale, deal, notice);
  }
}
