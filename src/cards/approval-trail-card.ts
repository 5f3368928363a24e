import type { AuditEntry } from '../domain/approval';
import type { Deal } from '../domain/deal';
import { formatInstant } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { renderCard } from './render-card';
import { mdInline } from './safe-text';

function entryText(t: Translate, locale: Locale, deal: Deal, e: AuditEntry): string {
  const level = e.levelName ?? (e.levelId ? deal.approval?.levels.find((l) => l.id === e.levelId)?.name ?? e.levelId : '');
  const what = t(`approval.event.${e.event}` as MessageKey, { level: mdInline(level, 60), decision: e.decision ? t(`approval.decision.${e.decision}` as MessageKey) : '' });
  const comment = e.comment ? ` · “${mdInline(e.comment, 300)}”` : '';
  return `${formatInstant(locale, e.at)} · ${t('approval.roundShort', { round: e.round })} · ${mdInline(e.by.name, 60)}: ${what}${comment}`;
}

/** `approval <ref>`: the append-only audit trail of every round, oldest first. */
export function approvalTrailCard(t: Translate, locale: Locale, deal: Deal) {
  return renderCard('approval-trail', {
    heading: t('approval.trailHeading', { id: deal.id, title: mdInline(deal.title, 80) }),
    empty: t('approval.trailEmpty'),
    entries: deal.approvalTrail.map((e) => ({ text: entryText(t, locale, deal, e) })),
    dealId: deal.id,
    buttons: { deal: t('button.openDeal') },
  });
}
