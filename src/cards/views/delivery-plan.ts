import { z } from 'zod';
import { FormHead } from './parts';

/** What cards/delivery-plan.json reads. */
export const DeliveryPlanView = z.strictObject({
  ...FormHead,
  labels: z.strictObject({
    kickoff: z.string(),
    plannedEnd: z.string(),
    milestones: z.string(),
    required: z.string(),
  }),
  placeholders: z.strictObject({
    milestones: z.string(),
  }),
  values: z.strictObject({
    kickoff: z.string(),
    plannedEnd: z.string(),
    milestones: z.string(),
  }),
  followUpsHeading: z.string(),
  followUps: z.array(z.strictObject({
    line: z.string(),
  })),
  dealId: z.string(),
  rev: z.number(),
  buttons: z.strictObject({
    save: z.string(),
    deal: z.string(),
  }),
  speak: z.string().optional(),
});

export type DeliveryPlanView = z.input<typeof DeliveryPlanView>;
