import { DEAL_ID_PREFIX } from './deal';
import { cutToFit } from './shorten-text';

/** How a user referred to a deal: its id (`D-1042`, `d-1042`, `1042`) or a fragment of its title. */
export type DealRef = { kind: 'id'; id: string } | { kind: 'title'; fragment: string };

export const REF_FRAGMENT_MAX = 200;

/**
 * A deal id exactly as DealDesk writes it (`D-1042`): what card buttons, dialogs and webhooks carry.
 * The one definition: card-action schemas, use cases and the HTTP edge all test ids with it.
 */
export const DEAL_ID_PATTERN = new RegExp(`^${DEAL_ID_PREFIX}\\d{1,9}$`);

export const isDealId = (text: string): boolean => DEAL_ID_PATTERN.test(text);

export function parseDealRef(input: string): DealRef {
  const text = input.trim().replace(/\s+/g, ' ');
  const id = /^(?:d\s*-?\s*)?(\d{1,9})$/i.exec(text);
  if (id) return { kind: 'id', id: `${DEAL_ID_PREFIX}${Number(id[1])}` };
  return { kind: 'title', fragment: cutToFit(text, REF_FRAGMENT_MAX).toLowerCase() };
}
