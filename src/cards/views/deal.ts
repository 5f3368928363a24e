import { z } from 'zod';
import { BannerView, Fact } from './parts';

/** What cards/deal.json reads. */
export const DealView = z.strictObject({
  id: z.string(),
  rev: z.number(),
  badge: z.string(),
  title: z.string(),
  banner: BannerView,
  facts: z.array(Fact),
  evidence: z.strictObject({
    toggle: z.string(),
    facts: z.array(Fact),
  }),
  historyHeading: z.string(),
  history: z.array(z.strictObject({
    text: z.string(),
  })),
  buttons: z.strictObject({
    advance: z.string(),
    edit: z.string(),
    closeWon: z.string(),
    closeLost: z.string(),
    pipeline: z.string(),
    refresh: z.string(),
  }),
  speak: z.string().optional(),
});

export type DealView = z.input<typeof DealView>;
