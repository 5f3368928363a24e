import { z } from 'zod';
import { Fact, QuotaGauge, StageChart, TextLine } from './parts';

/** What cards/digest.json reads. */
export const DigestView = z.strictObject({
  heading: z.string(),
  summary: z.string(),
  chart: StageChart,
  stages: z.array(Fact),
  hasTarget: z.boolean(),
  gauge: QuotaGauge,
  sections: z.array(z.strictObject({
    heading: z.string(),
    lines: z.array(TextLine),
    empty: z.string(),
  })),
  buttons: z.strictObject({
    pipeline: z.string(),
    quota: z.string(),
  }),
  speak: z.string().optional(),
});

export type DigestView = z.input<typeof DigestView>;
