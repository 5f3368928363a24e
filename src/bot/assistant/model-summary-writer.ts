import { cleanSummary } from './clean-summary';
import { recordAssistantModel } from '../../metrics/metrics';
import type { Logger } from '../../ports/logger.port';
import type { DealSummaryFacts, SummaryWriter } from '../../ports/update-reader.port';
import type { ChatModel } from './model-update-reader';

/**
 * Writes `summary <deal>` through a language model: it is given the facts DealDesk gathered and judged (nothing
 * else) and the user's locale, and rephrases them. Any failure, or an answer that is empty or too long, is the
 * `fallback` writer's text (the offline template), with one log line and the metric counting it.
 */
export class ModelSummaryWriter implements SummaryWriter {
  readonly kind = 'model' as const;

  constructor(private readonly model: ChatModel, private readonly fallback: SummaryWriter, private readonly log: Logger) {}

  async write(facts: DealSummaryFacts, locale: string, signal: AbortSignal): Promise<string> {
    const offline = (outcome: string, reason: string): Promise<string> => {
      recordAssistantModel('summary', outcome);
      this.log.warn({ prompt: 'summary', outcome, reason }, 'assistant model: the offline summary answered instead');
      return this.fallback.write(facts, locale, signal);
    };
    try {
      const completion = await this.model.complete('summary', { facts: JSON.stringify(facts), locale }, signal);
      if (completion.outcome !== 'ok') return offline(completion.outcome, completion.reason);
      const text = cleanSummary(completion.text);
      if (!text) return offline('invalidAnswer', `an answer of ${completion.text.length} characters is no summary`);
      recordAssistantModel('summary', 'ok');
      return text;
    } catch (e) {
      return offline('error', (e as Error).message.slice(0, 300));
    }
  }
}
