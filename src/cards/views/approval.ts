import { z } from 'zod';
import { CommandSchema } from '../../chat/command-schema';
import { BannerView, Fact } from './parts';

/** What cards/approval.json reads. */
export const ApprovalView = z.strictObject({
  banner: BannerView,
  heading: z.string(),
  title: z.string(),
  statusLine: z.string(),
  statusColor: z.string(),
  facts: z.array(Fact),
  reasonsHeading: z.string(),
  reasons: z.array(z.strictObject({
    text: z.string(),
  })),
  levelsHeading: z.string(),
  levels: z.array(z.strictObject({
    label: z.string(),
    weight: z.string(),
    decisions: z.array(z.strictObject({
      text: z.string(),
    })),
  })),
  note: z.string(),
  pending: z.boolean(),
  commentLabel: z.string(),
  commentPlaceholder: z.string(),
  dealId: z.string(),
  round: z.number(),
  levelId: z.string(),
  trailCommand: CommandSchema,
  buttons: z.strictObject({
    approve: z.string(),
    reject: z.string(),
    changes: z.string(),
    trail: z.string(),
  }),
  speak: z.string().optional(),
});

export type ApprovalView = z.input<typeof ApprovalView>;
