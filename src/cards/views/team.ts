import { z } from 'zod';
import { BannerView } from './parts';

/** What cards/team.json reads. */
export const TeamView = z.strictObject({
  banner: BannerView,
  heading: z.string(),
  empty: z.string(),
  dealId: z.string(),
  members: z.array(z.strictObject({
    label: z.string(),
    personId: z.string(),
    removeTitle: z.string(),
  })),
  addHeading: z.string(),
  labels: z.strictObject({
    person: z.string(),
    role: z.string(),
    required: z.string(),
  }),
  placeholders: z.strictObject({
    person: z.string(),
    role: z.string(),
  }),
  buttons: z.strictObject({
    add: z.string(),
    deal: z.string(),
  }),
  speak: z.string().optional(),
});

export type TeamView = z.input<typeof TeamView>;
