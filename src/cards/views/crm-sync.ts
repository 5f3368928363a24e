import { z } from 'zod';
import { CommandSchema } from '../../chat/command-schema';
import { Fact } from './parts';

/** What cards/crm-sync.json reads. */
export const CrmSyncView = z.strictObject({
  heading: z.string(),
  link: z.string(),
  pending: z.strictObject({
    heading: z.string(),
    empty: z.string(),
    events: z.array(Fact),
  }),
  finished: z.strictObject({
    heading: z.string(),
    empty: z.string(),
    events: z.array(Fact),
  }),
  dealId: z.string(),
  refreshCommand: CommandSchema,
  buttons: z.strictObject({
    refresh: z.string(),
    deal: z.string(),
  }),
  speak: z.string().optional(),
});

export type CrmSyncView = z.input<typeof CrmSyncView>;
