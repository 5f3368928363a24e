import { type DomainError, isDomainError } from '../domain/errors';
import type { Logger } from '../ports/logger.port';
import { fieldLabel, stageLabel } from '../cards/labels';
import { STAGES, type Stage } from '../domain/stage';
import { mdInline } from '../cards/safe-text';
import type { MessageKey } from '../i18n/locale';
import { textReply, type Reply, type Turn } from './reply';

/** A domain error in the user's words; values the user typed are escaped before they are shown. */
export function errorText(turn: Turn, error: DomainError): string {
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error.params)) {
    params[key] = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? mdInline(value, 80) : (value as number);
  }
  // Field and evidence names travel as keys; show them in the user's language.
  if (typeof error.params.item === 'string') params.item = fieldLabel(turn.t, error.params.item as never);
  const stage = error.params.stage;
  if (stage === 'Won' || stage === 'Lost') params.stage = stageLabel(turn.t, 'Close', stage);
  else if (typeof stage === 'string' && (STAGES as readonly string[]).includes(stage)) params.stage = stageLabel(turn.t, stage as Stage);
  if (Array.isArray(error.params.missing)) params.missing = error.params.missing.map((k) => fieldLabel(turn.t, k as never)).join(', ');
  return turn.t(`error.${error.code}` as MessageKey, params);
}

/**
 * The last line of defence: a domain error becomes its message; anything else is logged with its
 * stack and the user gets a short apology, never the stack.
 */
export function errorReply(turn: Turn, error: unknown, logger: Logger): Reply {
  if (isDomainError(error)) return textReply(errorText(turn, error));
  logger.error({ err: error }, 'unexpected error while handling a turn');
  return textReply(turn.t('error.internal'));
}
