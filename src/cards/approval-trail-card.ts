import { type EntryPage, newestPage } from '../domain/entry-page';
import type { AuditEntry } from '../domain/approval';
import type { Deal } from '../domain/deal';
import { formatInstant } from '../i18n/format';
import type { Locale, MessageKey, Translate } from '../i18n/locale';
import { pageButtons, pageRangeText } from './page-view';
import { renderCard } from './render-card';
import { mdInline } from './safe-text';
import { dealHeading } from './deal-heading';

/** Audit entries an `approval <deal>` page shows, each with its whole comment. */
export const TRAIL_PAGE = 10;

function entryText(t: Translate, locale: Locale, deal: Deal, e: AuditEntry): string {
  const level = e.levelName ?? (e.levelId ? deal.approval?.levels.find((l) => l.id === e.levelId)?.name ?? e.levelId : '');
  const what = t(`approval.event.${e.event}` as MessageKey, { level: mdInline(level, 60), decision: e.decision ? t(`approval.decision.${e.decision}` as MessageKey) : '' });
  const comment = e.comment ? ` · “${mdInline(e.comment, 500)}”` : '';
  return `${formatInstant(locale, e.at)} · ${t('approval.roundShort', { round: e.round })} · ${mdInline(e.by.name, 60)}: ${what}${comment}`;
}

/**
 * `approval <ref>`: the append-only audit trail of every round, newest first like `history <deal>` (the first page,
 * what happened last, comes from the deal alone), a page at a time; Newer and Older page in place.
 */
export function approvalTrailCard(t: Translate, locale: Locale, deal: Deal, page: EntryPage<AuditEntry> = newestPage(deal, 'approvalTrail', TRAIL_PAGE)) {
  return renderCard('approval-trail', {
    heading: dealHeading(t, 'approval.trailHeading', deal),
    empty: t('approval.trailEmpty'),
    range: pageRangeText(t, locale, page),
    entries: page.entries.map(({ entry }) => ({ text: entryText(t, locale, deal, entry) })),
    buttons: pageButtons(t, page, 'approval.page', deal.id),
  });
}
