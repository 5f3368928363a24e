import type { CardVerb } from '../chat/card-verbs';
import type { EntryPage } from '../domain/entry-page';
import type { Locale, Translate } from '../i18n/locale';

/** A page button's action: the verb, the deal, and where the page ends (0: the newest page, whatever arrived since). */
export interface PageButton {
  title: string;
  verb: CardVerb;
  dealId: string;
  end: number;
}

const count = (locale: Locale, n: number) => new Intl.NumberFormat(locale).format(n);

/** "10 of 2,200, newest first: 2,191–2,200" in the user's words and digits. */
export const pageRangeText = (t: Translate, locale: Locale, page: EntryPage<unknown>): string =>
  t('page.range', { from: count(locale, page.start + 1), to: count(locale, page.end), total: count(locale, page.total) });

/** Newer and Older (when there are such pages), then Open deal: each one Action.Execute with the page it opens. */
export function pageButtons(t: Translate, page: EntryPage<unknown>, verb: CardVerb, dealId: string): PageButton[] {
  return [
    ...(page.newer ? [{ title: t('button.newer'), verb, dealId, end: page.newer.end ?? 0 }] : []),
    ...(page.older ? [{ title: t('button.older'), verb, dealId, end: page.older.end }] : []),
    { title: t('button.openDeal'), verb: 'deal.show', dealId, end: 0 },
  ];
}
