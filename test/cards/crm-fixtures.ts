import { recordCrmEvent, recordCrmOutcomes } from '../../src/domain/crm-outbox';
import type { Deal } from '../../src/domain/deal';
import { movedDeal } from '../../src/domain/move-deal';
import { setDealField } from '../../src/domain/set-deal-field';
import { ALEX, aDeal } from '../domain/deal-fixture';

/** A deal whose CRM sync saw a send, a final failure, a retry and a queued event. */
export function syncedDeal(): Deal {
  const T = (m: number) => `2026-11-20T10:0${m}:00.000Z`;
  let deal = recordCrmEvent(undefined, aDeal({ title: 'Azure migration assessment' }), ALEX, T(0));
  deal = recordCrmEvent(deal, movedDeal(deal, { stage: 'Qualify' }, {}, ALEX, T(1)), ALEX, T(1));
  deal = recordCrmEvent(deal, setDealField(deal, 'closeDate', '2027-06-30', ALEX, T(2)), ALEX, T(2));
  deal = recordCrmEvent(deal, setDealField(deal, 'probability', '40', ALEX, T(3)), ALEX, T(3));
  return recordCrmOutcomes(deal, [
    { eventId: 'D-1042.S1', state: 'sent', attempts: 1, at: T(1), link: { recordId: 'OPP-0042' } },
    { eventId: 'D-1042.S2', state: 'failed', attempts: 1, at: T(2), reason: 'HTTP 400: the CRM webhook answered 400' },
    { eventId: 'D-1042.S3', state: 'retrying', attempts: 2, at: T(3), nextAttemptAt: T(5), lastError: 'HTTP 503: the CRM webhook answered 503' },
  ]);
}

