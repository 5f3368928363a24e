import { z } from 'zod';
import { Fact, FormHead } from './parts';

/** What cards/csat.json reads. */
export const CsatView = z.strictObject({
  ...FormHead,
  labels: z.strictObject({
    score: z.string(),
    conditionsMet: z.string(),
    comment: z.string(),
    required: z.string(),
  }),
  placeholders: z.strictObject({
    comment: z.string(),
  }),
  values: z.strictObject({
    score: z.string(),
    conditionsMet: z.string(),
    comment: z.string(),
  }),
  scoreChoices: z.array(Fact),
  conditionChoices: z.array(Fact),
  dealId: z.string(),
  followUpId: z.string(),
  rev: z.number(),
  buttons: z.strictObject({
    record: z.string(),
    snooze: z.string(),
    deal: z.string(),
  }),
  speak: z.string().optional(),
});

export type CsatView = z.input<typeof CsatView>;
