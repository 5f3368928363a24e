import { z } from 'zod';
import { BannerView, Fact } from './parts';

/** What cards/low-csat.json reads. */
export const LowCsatView = z.strictObject({
  banner: BannerView,
  heading: z.string(),
  intro: z.string(),
  facts: z.array(Fact),
  comment: z.string(),
  recovery: z.string(),
  dealId: z.string(),
  csatId: z.string(),
  buttons: z.strictObject({
    recover: z.string(),
    deal: z.string(),
  }),
  speak: z.string().optional(),
});

export type LowCsatView = z.input<typeof LowCsatView>;
