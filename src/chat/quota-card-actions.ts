import type { CardHandler } from './card-data';

/** The card verbs of the quota cards. */
export const QUOTA_CARD_ACTIONS: Record<string, CardHandler> = {};
