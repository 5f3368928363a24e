import type { z } from 'zod';
import { DomainError } from '../domain/errors';
import type { CardData, CardVerb } from './card-verbs';
import type { Reply, Turn } from './reply';
import type { ChatDeps } from './chat-deps';

/**
 * A card verb's handler: its data already checked against the verb's schema (chat/card-verbs.ts); identity comes
 * from the turn.
 */
export type CardHandler<V extends CardVerb> = (turn: Turn, deps: ChatDeps, data: CardData<V>) => Promise<Reply>;

/** A handler table: one handler for each of its verbs. */
export type CardHandlers<V extends CardVerb> = { [K in V]: CardHandler<K> };

/** A text or number field of card data as a string ('' when absent or of another type). */
export const cardText = (data: Record<string, unknown>, key: string): string =>
  typeof data[key] === 'string' || typeof data[key] === 'number' ? String(data[key]) : '';

/** Card data of the expected shape, or REQUEST.INVALID. */
export function parseCardData<T>(schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data);
  if (!result.success) throw new DomainError('REQUEST.INVALID');
  return result.data;
}
