import type { Deal } from '../domain/deal';
import type { FollowUpNotice } from '../domain/delivery-plan';
import type { Locale, Translate } from '../i18n/locale';

/** The card a follow-up notice becomes (delivery plan request, CSAT request, low-CSAT alert), from the deal as it is now. */
export function followUpNoticeCard(_t: Translate, _locale: Locale, _deal: Deal, _notice: FollowUpNotice): object | undefined {
  return undefined;
}
