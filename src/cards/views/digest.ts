import { z } from 'zod';
import { Fact } from './parts';

/** What cards/digest.json reads. */
export const DigestView = z.strictObject({
  heading: z.string(),
  summary: z.string(),
  chart: z.strictObject({
    title: z.string(),
    bars: z.array(z.strictObject({
      x: z.string(),
      y: z.number(),
      text: z.string(),
    })),
  }),
  stages: z.array(Fact),
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
  sections: z.array(z.strictObject({
    heading: z.string(),
    lines: z.array(z.strictObject({
      text: z.string(),
    })),
    empty: z.string(),
  })),
  buttons: z.strictObject({
    pipeline: z.string(),
    quota: z.string(),
  }),
  speak: z.string().optional(),
});

export type DigestView = z.input<typeof DigestView>;
