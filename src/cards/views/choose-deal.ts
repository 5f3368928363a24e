import { z } from 'zod';

/** What cards/choose-deal.json reads. */
export const ChooseDealView = z.strictObject({
  heading: z.string(),
  intro: z.string(),
  matches: z.array(z.strictObject({
    label: z.string(),
    command: z.string(),
  })),
  speak: z.string().optional(),
});

export type ChooseDealView = z.input<typeof ChooseDealView>;
