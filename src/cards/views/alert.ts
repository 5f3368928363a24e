import { z } from 'zod';
import { Fact } from './parts';

/** What cards/alert.json reads. */
export const AlertView = z.strictObject({
  heading: z.string(),
  title: z.string(),
  changes: z.array(Fact),
  byline: z.string(),
  dealId: z.string(),
  buttons: z.strictObject({
    deal: z.string(),
    mute: z.string(),
  }),
  speak: z.string().optional(),
});

export type AlertView = z.input<typeof AlertView>;
