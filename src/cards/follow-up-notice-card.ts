import type { Deal } from '../domain/deal';
import type { FollowUpNotice } from '../domain/delivery-plan';
import { planOf } from '../domain/delivery-plan-rules';
import type { Locale, Translate } from '../i18n/locale';
import { csatCard } from './csat-card';
import { deliveryPlanCard } from './delivery-plan-card';
import { lowCsatCard } from './low-csat-card';

/** The card a follow-up notice becomes (delivery plan request, CSAT request, low-CSAT alert), from the deal as it is now. */
export function followUpNoticeCard(t: Translate, locale: Locale, deal: Deal, notice: FollowUpNotice): object | undefined {
  switch (notice.kind) {
    case 'deliveryPlanRequest':
      return deal.delivery ? deliveryPlanCard(t, locale, deal, planOf(deal, deal.updatedAt)) : undefined;
    case 'csatRequest': {
      const followUp = deal.delivery?.followUps.find((f) => f.id === notice.followUpId);
      // Recorded (or snoozed) since it was asked: nothing to send.
      return followUp?.status === 'asked' ? csatCard(t, locale, deal, followUp) : undefined;
    }
    case 'lowCsat': {
      const entry = deal.csat.find((c) => c.id === notice.csatId);
      return entry ? lowCsatCard(t, locale, deal, entry) : undefined;
    }
  }
}
