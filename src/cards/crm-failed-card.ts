import type { CrmNotice } from '../domain/crm-outbox';
import type { Deal } from '../domain/deal';
import type { MessageKey, Translate } from '../i18n/locale';
import { messageCard } from './message-card';
import { mdInline } from './safe-text';

/** The owner's one message when a change of their deal finally could not reach the CRM: which, why, and `sync <deal>`. */
export function crmFailedCard(t: Translate, deal: Deal, notice: CrmNotice) {
  const changes = notice.kinds.map((k) => t(`sync.kind.${k}` as MessageKey)).join(', ');
  return messageCard(t, t('sync.failedNotice.text', { id: deal.id, title: mdInline(deal.title, 80), eventId: notice.eventId, changes, reason: mdInline(notice.reason, 200) }), {
    heading: t('sync.failedNotice.heading', { id: deal.id }),
    buttons: [{ title: t('button.sync'), command: { name: 'sync', ref: deal.id } }],
  });
}
