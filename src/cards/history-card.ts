import { type EntryPage, newestPage } from '../domain/entry-page';
import type { Deal, HistoryEntry } from '../domain/deal';
import type { Locale, Translate } from '../i18n/locale';
import { historyLine, WHOLE } from './history-text';
import { pageButtons, pageRangeText } from './page-view';
import { renderCard } from './render-card';
import { dealHeading } from './deal-heading';

/** Changes a `history <deal>` page shows: every one whole, and the card stays far below Teams's 80 KB. */
export const HISTORY_PAGE = 10;

/** `history <deal>`: every change to the deal, newest first, a page at a time; Newer and Older page in place. */
export function historyCard(t: Translate, locale: Locale, deal: Deal, page: EntryPage<HistoryEntry> = newestPage(deal, 'history', HISTORY_PAGE)) {
  return renderCard('history', {
    heading: dealHeading(t, 'history.heading', deal),
    range: pageRangeText(t, locale, page),
    entries: page.entries.map(({ entry }) => ({ text: historyLine(t, locale, entry, deal.value.currency, WHOLE) })),
    buttons: pageButtons(t, page, 'history.page', deal.id),
  });
}
