import type { CardHandler } from './card-data';

/** The card verbs of the nudge cards. */
export const NUDGE_CARD_ACTIONS: Record<string, CardHandler> = {};
