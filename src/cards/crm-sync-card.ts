import type { CrmLogEntry, PendingCrmEvent } from '../domain/crm-outbox';
import type { Deal } from '../domain/deal';
import { formatInstant } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { messageCard } from './message-card';
import { renderCard } from './render-card';
import { mdInline } from './safe-text';
import { dealHeading } from './deal-heading';

const kindsText = (t: Translate, kinds: readonly string[]) => kinds.map((k) => t(`sync.kind.${k}` as MessageKey)).join(', ');

function pendingFact(t: Translate, locale: Locale, e: PendingCrmEvent) {
  const next = formatInstant(locale, e.nextAttemptAt);
  const value = e.state === 'retrying'
    ? t('sync.retrying', { count: e.attempts, next, error: mdInline(e.lastError ?? '', 120) })
    : t('sync.queued', { next });
  return { title: `${e.eventId} · ${kindsText(t, [...new Set(e.changes.map((c) => c.kind))])}`, value };
}

function finishedFact(t: Translate, locale: Locale, e: CrmLogEntry) {
  const at = formatInstant(locale, e.at);
  const value = e.state === 'sent' ? t('sync.sent', { at, count: e.attempts }) : t('sync.failed', { at, count: e.attempts, reason: mdInline(e.reason ?? '', 200) });
  return { title: `${e.eventId} · ${kindsText(t, e.kinds)}`, value };
}

/**
 * `sync <deal>`: where the deal's changes stand with the CRM: its record there, the events waiting (queued, or
 * retrying with the last error and the next attempt, in sequence order) and the latest finished (sent, or failed
 * with the reason), newest first. Without a CRM configured it says so instead.
 */
export function crmSyncCard(t: Translate, locale: Locale, deal: Deal, configured: boolean) {
  if (!configured) return messageCard(t, t('sync.notConfigured'), { heading: dealHeading(t, 'sync.heading', deal) });
  return renderCard('crm-sync', {
    heading: dealHeading(t, 'sync.heading', deal),
    link: deal.crmLink ? t('sync.link', { recordId: mdInline(deal.crmLink.recordId, 80) }) : t('sync.noLink'),
    pending: {
      heading: t('sync.pendingHeading'),
      empty: t('sync.pendingEmpty'),
      events: [...deal.crmOutbox].sort((a, b) => a.sequence - b.sequence).map((e) => pendingFact(t, locale, e)),
    },
    finished: {
      heading: t('sync.finishedHeading'),
      empty: t('sync.finishedEmpty'),
      events: [...deal.crmLog].reverse().map((e) => finishedFact(t, locale, e)),
    },
    dealId: deal.id,
    refreshCommand: { name: 'sync', ref: deal.id },
    buttons: { refresh: t('button.refresh'), deal: t('button.openDeal') },
  });
}
