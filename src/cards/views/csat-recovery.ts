import { z } from 'zod';
import { Fact } from './parts';

/** What cards/csat-recovery.json reads. */
export const CsatRecoveryView = z.strictObject({
  error: z.string(),
  heading: z.string(),
  facts: z.array(Fact),
  labels: z.strictObject({
    nextStep: z.string(),
    owner: z.string(),
    required: z.string(),
  }),
  placeholders: z.strictObject({
    nextStep: z.string(),
    owner: z.string(),
  }),
  values: z.strictObject({
    nextStep: z.string(),
    owner: z.string(),
  }),
  dealId: z.string(),
  csatId: z.string(),
  buttons: z.strictObject({
    save: z.string(),
    deal: z.string(),
  }),
  speak: z.string().optional(),
});

export type CsatRecoveryView = z.input<typeof CsatRecoveryView>;
