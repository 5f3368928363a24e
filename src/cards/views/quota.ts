import { z } from 'zod';
import { Fact, QuotaGauge } from './parts';

/** What cards/quota.json reads. */
export const QuotaView = z.strictObject({
  heading: z.string(),
  summary: z.string(),
  hasTarget: z.boolean(),
  gauge: QuotaGauge,
  facts: z.array(Fact),
  note: z.string(),
  buttons: z.strictObject({
    pipeline: z.string(),
    help: z.string(),
  }),
  speak: z.string().optional(),
});

export type QuotaView = z.input<typeof QuotaView>;
