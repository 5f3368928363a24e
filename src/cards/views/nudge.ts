import { z } from 'zod';
import { BannerView } from './parts';

/** What cards/nudge.json reads. */
export const NudgeView = z.strictObject({
  banner: BannerView,
  heading: z.string(),
  summary: z.string(),
  rows: z.array(z.strictObject({
    id: z.string(),
    rev: z.number(),
    deals: z.string(),
    title: z.string(),
    detail: z.string(),
    status: z.string(),
    statusColor: z.string(),
    fixable: z.boolean(),
    buttons: z.strictObject({
      push: z.string(),
      snooze: z.string(),
      stage: z.string(),
      closeLost: z.string(),
    }),
  })),
  buttons: z.strictObject({
    pipeline: z.string(),
    help: z.string(),
  }),
  speak: z.string().optional(),
});

export type NudgeView = z.input<typeof NudgeView>;
