import { z } from 'zod';
import { CommandSchema } from '../../chat/command-schema';
import { Fact } from './parts';

/** What cards/delivery-status.json reads. */
export const DeliveryStatusView = z.strictObject({
  heading: z.string(),
  kept: z.string(),
  empty: z.string(),
  dealId: z.string(),
  refreshCommand: CommandSchema,
  alerts: z.array(z.strictObject({
    heading: z.string(),
    summary: z.string(),
    recipients: z.array(Fact),
  })),
  buttons: z.strictObject({
    refresh: z.string(),
    deal: z.string(),
  }),
  speak: z.string().optional(),
});

export type DeliveryStatusView = z.input<typeof DeliveryStatusView>;
