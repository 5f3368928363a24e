import { z } from 'zod';

/** What cards/help.json reads. */
export const HelpView = z.strictObject({
  greeting: z.string(),
  title: z.string(),
  intro: z.string(),
  commands: z.array(z.strictObject({
    syntax: z.string(),
    description: z.string(),
  })),
  buttons: z.strictObject({
    newDeal: z.string(),
    myDeals: z.string(),
  }),
  speak: z.string().optional(),
});

export type HelpView = z.input<typeof HelpView>;
