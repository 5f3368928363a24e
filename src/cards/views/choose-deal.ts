import { z } from 'zod';
import { CommandSchema } from '../../chat/command-schema';

/** What cards/choose-deal.json reads. */
export const ChooseDealView = z.strictObject({
  heading: z.string(),
  intro: z.string(),
  matches: z.array(z.strictObject({
    label: z.string(),
    command: CommandSchema,
  })),
  speak: z.string().optional(),
});

export type ChooseDealView = z.input<typeof ChooseDealView>;
