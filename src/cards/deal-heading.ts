import type { Deal } from '../domain/deal';
import type { MessageKey, Translate } from '../i18n/locale';
import { mdInline } from './safe-text';

/** How much of a deal's title (or account) a card's heading shows. */
export const HEADING_TITLE_MAX = 80;

/**
 * A card's heading about one deal, "<what> · D-1042 Azure migration": the message `key` with the deal's `id`
 * and its `title` (escaped, cut to HEADING_TITLE_MAX). The template draws it with the heading partial.
 */
export const dealHeading = (t: Translate, key: MessageKey, deal: Pick<Deal, 'id' | 'title'>): string =>
  t(key, { id: deal.id, title: mdInline(deal.title, HEADING_TITLE_MAX) });
