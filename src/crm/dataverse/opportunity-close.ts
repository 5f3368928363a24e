import type { CrmDealView } from '../../ports/crm-target.port';
import { CLOSE_ACTIONS, CLOSE_STATUS, OPPORTUNITIES, OPPORTUNITY_CLOSE, OPPORTUNITY_COLUMNS, OPPORTUNITY_STATE, REOPEN_STATUS } from './opportunity-mapping';

/** The opportunity close's subject is at most this long in Dataverse. */
const SUBJECT_MAX = 200;

/** What reopens a closed opportunity: the one PATCH Dataverse accepts on a closed record. */
export const REOPEN_BODY = Object.freeze({ [OPPORTUNITY_COLUMNS.state]: OPPORTUNITY_STATE.open, [OPPORTUNITY_COLUMNS.status]: REOPEN_STATUS });

/**
 * The action that closes a deal's opportunity as the deal closed: WinOpportunity (Status 3, the actual revenue is
 * the deal's value) or LoseOpportunity (Status 4, canceled), ending on the deal's close date, with the close reason
 * as the opportunity close's subject.
 */
export function closeActionOf(deal: CrmDealView, recordId: string): { name: string; body: Record<string, unknown> } {
  const won = deal.outcome === 'Won';
  const subject = (deal.closeReason?.trim() || (won ? 'Won in DealDesk' : 'Lost in DealDesk')).slice(0, SUBJECT_MAX);
  return {
    name: won ? CLOSE_ACTIONS.won : CLOSE_ACTIONS.lost,
    body: {
      [OPPORTUNITY_CLOSE.status]: won ? CLOSE_STATUS.won : CLOSE_STATUS.lost,
      [OPPORTUNITY_CLOSE.entity]: {
        [`${OPPORTUNITY_CLOSE.opportunity}@odata.bind`]: `/${OPPORTUNITIES}(${recordId})`,
        [OPPORTUNITY_CLOSE.subject]: subject,
        ...(won ? { [OPPORTUNITY_CLOSE.revenue]: deal.value.amount } : {}),
        [OPPORTUNITY_CLOSE.end]: deal.closeDate,
      },
    },
  };
}
