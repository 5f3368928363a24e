import { pickLocale, translator } from '../i18n/locale';
import type { DealSummaryFacts, SummaryWriter } from '../ports/update-reader.port';

/**
 * The default writer: the facts laid out by a fixed template in the reader's language (en-US, zh-CN). Plain text,
 * one item a line; the card escapes it like any user text.
 */
export class OfflineSummaryWriter implements SummaryWriter {
  readonly kind = 'offline' as const;

  async write(facts: DealSummaryFacts, locale: string): Promise<string> {
    const t = translator(pickLocale(locale));
    const changes = facts.changes.length > 0 ? [t('summary.changes'), ...facts.changes.map((c) => `• ${c}`)] : [t('summary.noChanges')];
    const risks = facts.risks.length > 0 ? [t('summary.risks'), ...facts.risks.map((r) => `• ${r.detail}`)] : [t('summary.noRisks')];
    return [changes.join('\n'), risks.join('\n'), t('summary.next', { step: facts.suggestedNextStep })].join('\n\n');
  }
}
