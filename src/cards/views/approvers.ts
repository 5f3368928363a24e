import { z } from 'zod';
import { BannerView, Fact } from './parts';

/** What cards/approvers.json reads. */
export const ApproversView = z.strictObject({
  banner: BannerView,
  heading: z.string(),
  channel: z.string(),
  levels: z.array(Fact),
  rules: z.string(),
  usage: z.string(),
  buttons: z.strictObject({
    help: z.string(),
  }),
  speak: z.string().optional(),
});

export type ApproversView = z.input<typeof ApproversView>;
