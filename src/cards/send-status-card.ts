import type { Deal } from '../domain/deal';
import { DEFAULT_MESSAGE_RETENTION_DAYS, type AlertMessage } from '../domain/outgoing-message';
import { formatDays, formatInstant } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { alertChangeFact } from './alert-card';
import { renderCard } from './render-card';
import { md, mdInline } from './safe-text';
import { dealHeading } from './deal-heading';

function stateText(t: Translate, locale: Locale, d: AlertMessage): string {
  const state = t(`delivery.${d.state}` as MessageKey);
  const reason = d.lastError && d.state !== 'sent' ? ` (${mdInline(d.lastError.code ?? String(d.lastError.status ?? ''), 40) || mdInline(d.lastError.message, 80)})` : '';
  const when = d.sentAt ? ` · ${formatInstant(locale, d.sentAt)}` : '';
  return `${state}${reason}${when}`;
}

/**
 * `alerts <ref>`: each recent alert of the deal, and where each delivery stands; and how far back that goes: a
 * finished delivery is kept `retentionDays` (DELIVERY_RETENTION_DAYS) after it ended, then expires.
 */
export function sendStatusCard(t: Translate, locale: Locale, deal: Deal, alerts: ReadonlyArray<{ alertId: string; deliveries: readonly AlertMessage[] }>, retentionDays = DEFAULT_MESSAGE_RETENTION_DAYS) {
  const days = formatDays(locale, retentionDays);
  return renderCard('delivery-status', {
    heading: dealHeading(t, 'delivery.heading', deal),
    kept: t('delivery.kept', { days }),
    empty: t('delivery.empty', { days }),
    dealId: deal.id,
    refreshCommand: { name: 'alertStatus', ref: deal.id },
    alerts: alerts.map(({ alertId, deliveries }) => {
      const alert = deliveries[0].alert;
      return {
        heading: `${alertId} · ${formatInstant(locale, alert.at)}`,
        summary: alert.changes.map((c) => { const f = alertChangeFact(t, locale, c); return `${f.title}: ${f.value}`; }).join(' · '),
        recipients: deliveries.map((d) => ({
          title: d.recipient.kind === 'channel' ? t('delivery.channel') : md(d.recipient.name, 60),
          value: stateText(t, locale, d),
        })),
      };
    }),
    buttons: { refresh: t('button.refresh'), deal: t('button.openDeal') },
  });
}
