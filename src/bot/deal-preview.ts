import type { MessagingExtensionAttachment, MessagingExtensionResult } from 'botbuilder';
import { dealStageLabel } from '../cards/labels';
import type { AdaptiveCardJson } from '../cards/render-card';
import type { Deal } from '../domain/deal';
import { formatMoney } from '../i18n/format';
import type { Locale, Translate } from '../i18n/locale';
import { shorten } from '../domain/shorten-text';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * User text for a thumbnail card (a result's preview): Teams reads its title and text as HTML and some markdown,
 * so control characters become spaces, it is clipped, and every character that could form markup is an entity.
 */
export function previewText(text: string, max = 120): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return shorten(flat, max).replace(/\$\{|[&<>\\`*_[\]~|#]/g, (c) => (c === '${' ? '$&#123;' : (ENTITIES[c] ?? `&#${c.charCodeAt(0)};`)));
}

const thumbnail = (title: string, text: string) => ({ contentType: 'application/vnd.microsoft.card.thumbnail', content: { title, text } });

/** A deal as a result: the deal card goes into the message; the list shows title, id, account, stage and value. */
export function dealAttachment(t: Translate, locale: Locale, deal: Deal, card: AdaptiveCardJson): MessagingExtensionAttachment {
  return {
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: card,
    preview: thumbnail(
      previewText(deal.title),
      t('extension.preview.text', { id: deal.id, account: previewText(deal.account, 80), stage: previewText(dealStageLabel(t, deal)), value: previewText(formatMoney(locale, deal.value)) }),
    ),
  };
}

/** A short card that says only what the text says (no access, not found): it carries no field of any deal. */
export function noticeAttachment(title: string, text: string): MessagingExtensionAttachment {
  const card = thumbnail(previewText(title), previewText(text, 300));
  return { ...card, preview: card };
}

/** A result list Teams shows under the compose box (or as the unfurled link). */
export const resultList = (attachments: MessagingExtensionAttachment[]): MessagingExtensionResult => ({ type: 'result', attachmentLayout: 'list', attachments });
