import { z } from 'zod';
import { Fact } from './parts';

/** What cards/quota.json reads. */
export const QuotaView = z.strictObject({
  heading: z.string(),
  summary: z.string(),
  hasTarget: z.boolean(),
  gauge: z.strictObject({
    title: z.string(),
    value: z.number(),
    max: z.number(),
    subLabel: z.string(),
    text: z.string(),
    segments: z.array(z.strictObject({
      size: z.number(),
      color: z.string(),
      legend: z.string(),
    })),
  }),
  facts: z.array(Fact),
  note: z.string(),
  buttons: z.strictObject({
    pipeline: z.string(),
    help: z.string(),
  }),
  speak: z.string().optional(),
});

export type QuotaView = z.input<typeof QuotaView>;
