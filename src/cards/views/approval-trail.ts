import { z } from 'zod';

/** What cards/approval-trail.json reads. */
export const ApprovalTrailView = z.strictObject({
  heading: z.string(),
  empty: z.string(),
  range: z.string(),
  entries: z.array(z.strictObject({
    text: z.string(),
  })),
  buttons: z.array(z.strictObject({
    title: z.string(),
    verb: z.string(),
    dealId: z.string(),
    end: z.number(),
  })),
  speak: z.string().optional(),
});

export type ApprovalTrailView = z.input<typeof ApprovalTrailView>;
