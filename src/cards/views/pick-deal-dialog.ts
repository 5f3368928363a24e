import { z } from 'zod';

/** What cards/pick-deal-dialog.json reads. */
export const PickDealDialogView = z.strictObject({
  heading: z.string(),
  error: z.string(),
  text: z.string(),
  maxLength: z.number(),
  labels: z.strictObject({
    text: z.string(),
    deal: z.string(),
    ref: z.string(),
  }),
  placeholders: z.strictObject({
    deal: z.string(),
    ref: z.string(),
  }),
  deals: z.array(z.strictObject({
    id: z.string(),
    title: z.string(),
  })),
  dealId: z.string(),
  dealRef: z.string(),
  noDeals: z.string(),
  submit: z.string(),
  speak: z.string().optional(),
});

export type PickDealDialogView = z.input<typeof PickDealDialogView>;
