import { checkModelProposal } from '../../domain/understand/check-model-proposal';
import { extractUpdate, UPDATE_TEXT_MAX } from '../../domain/understand/extract-update';
import { todayOf } from '../../domain/understand/find-dates';
import type { UpdateContext, UpdateProposal } from '../../domain/understand/update-proposal';
import type { Logger } from '../../ports/logger.port';
import type { UpdateReader } from '../../ports/update-reader.port';
import { recordAssistantModel } from '../../metrics/metrics';
import type { Completion } from './azure-chat-model';

/** What the reader asks a model: the prompt's name, its variables, and the call's budget. Nothing else is reachable. */
export interface ChatModel {
  complete(prompt: string, variables: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Completion>;
}

/** A deal as the model sees it: what reading a message needs, nothing about anyone else. */
const dealLine = (d: UpdateContext['deals'][number]): string =>
  JSON.stringify({ id: d.id, title: d.title, account: d.account, stage: d.stage, value: d.value, closeDate: d.closeDate });

/**
 * Reads an update through a language model: the model is given the message, the user's today and zone, and the
 * user's own deals from the context, and answers a proposal as JSON, which checkModelProposal holds to the commands'
 * rules. It can only propose: it holds a model and nothing that changes a deal. Any failure (an error, a 429 whose
 * Retry-After does not fit, the deadline, an answer that is not JSON) is the offline extractor's proposal instead,
 * with one log line and dealdesk_assistant_model_total{outcome} counting it.
 */
export class ModelUpdateReader implements UpdateReader {
  readonly kind = 'model' as const;

  constructor(private readonly model: ChatModel, private readonly log: Logger) {}

  async read(text: string, context: UpdateContext, signal: AbortSignal): Promise<UpdateProposal> {
    const message = text.slice(0, UPDATE_TEXT_MAX);
    const variables = {
      input: message,
      today: `${todayOf(context.now, context.timeZone)} (${new Intl.DateTimeFormat('en-US', { timeZone: context.timeZone, weekday: 'long' }).format(context.now)})`,
      timeZone: context.timeZone,
      locale: context.locale,
      deals: context.deals.map(dealLine).join('\n'),
    };
    const offline = (outcome: string, reason: string): UpdateProposal => {
      recordAssistantModel('update', outcome);
      this.log.warn({ prompt: 'update', outcome, reason }, 'assistant model: the offline reader answered instead');
      return extractUpdate(text, context);
    };
    let completion: Completion;
    try {
      completion = await this.model.complete('update', variables, signal);
    } catch (e) {
      return offline('error', (e as Error).message.slice(0, 300));
    }
    if (completion.outcome !== 'ok') return offline(completion.outcome, completion.reason);
    let answer: unknown;
    try {
      answer = JSON.parse(completion.text);
    } catch {
      return offline('invalidJson', `the answer is not JSON (${completion.text.length} characters)`);
    }
    recordAssistantModel('update', 'ok');
    return checkModelProposal(answer, message, context);
  }
}
