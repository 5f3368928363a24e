import { DomainError } from '../domain/errors';

/** The longest message DealDesk reads, counted as every other text limit is (UTF-16 code units). */
export const MESSAGE_MAX = 2000;

/**
 * A message's text, when DealDesk reads messages that long. A longer one is refused with its length and the
 * limit, never cut: a cut message would be acted on as something the user did not say (a next step cut
 * short, a note missing its end).
 */
export function readableText(text: string): string {
  if (text.length > MESSAGE_MAX) throw new DomainError('MESSAGE.TOO_LONG', { max: MESSAGE_MAX, length: text.length });
  return text;
}
