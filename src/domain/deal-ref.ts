import { DEAL_ID_PREFIX } from './deal';
import { cutToFit } from './shorten-text';

/** How a user referred to a deal: its id (`D-1042`, `d-1042`, `1042`) or a fragment of its title. */
export type DealRef = { kind: 'id'; id: string } | { kind: 'title'; fragment: string };

export const REF_FRAGMENT_MAX = 200;

export function parseDealRef(input: string): DealRef {
  const text = input.trim().replace(/\s+/g, ' ');
  const id = /^(?:d\s*-?\s*)?(\d{1,9})$/i.exec(text);
  if (id) return { kind: 'id', id: `${DEAL_ID_PREFIX}${Number(id[1])}` };
  return { kind: 'title', fragment: cutToFit(text, REF_FRAGMENT_MAX).toLowerCase() };
}
