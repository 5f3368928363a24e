import { errorReply } from '../../chat/error-reply';
import { isDomainError } from '../../domain/errors';
import type { Logger } from '../../ports/logger.port';
import { currentTurn } from './current-turn';
import type { TurnStep } from './turn-step';
import { note } from './turn-note';

/**
 * The rest of the turn never throws: a domain error becomes its message, anything else an apology (logged), in
 * the language the turn had reached. The log line's outcome says which.
 */
export const answerErrors = (logger: Logger): TurnStep => async (context, next) => {
  try {
    return await next();
  } catch (e) {
    note(context, isDomainError(e) ? { outcome: e.code } : { outcome: 'failed', error: e });
    return errorReply(currentTurn(context)!, e, logger);
  }
};
