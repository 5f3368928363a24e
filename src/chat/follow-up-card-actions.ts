import type { CardHandler } from './card-data';

/** The card verbs of the followUp cards. */
export const FOLLOW_UP_CARD_ACTIONS: Record<string, CardHandler> = {};
