import { type AdaptiveCardJson, type CardName, renderCard } from './render-card';

/** The follow-up cards' templates (cards/<name>.json). */
export type FollowUpCardName = 'delivery-plan' | 'csat' | 'low-csat' | 'csat-recovery' | 'account';

/** Renders a follow-up card (render-card.ts's CardName does not list these names yet). */
export const renderFollowUpCard = (name: FollowUpCardName, view: object): AdaptiveCardJson => renderCard(name as unknown as CardName, view);
