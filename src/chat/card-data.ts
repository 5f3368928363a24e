import type { z } from 'zod';
import { DomainError } from '../domain/errors';
import type { Reply, Turn } from './reply';
import type { ChatDeps } from './chat-deps';

/** A card verb's handler: card data is untrusted input, validated by the handler; identity comes from the turn. */
export type CardHandler = (turn: Turn, deps: ChatDeps, data: Record<string, unknown>) => Promise<Reply>;

/** A text or number field of card data as a string ('' when absent or of another type). */
export const cardText = (data: Record<string, unknown>, key: string): string =>
  typeof data[key] === 'string' || typeof data[key] === 'number' ? String(data[key]) : '';

/** Card data of the expected shape, or REQUEST.INVALID. */
export function parseCardData<T>(schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data);
  if (!result.success) throw new DomainError('REQUEST.INVALID');
  return result.data;
}
