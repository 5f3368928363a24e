import { z } from 'zod';
import { CommandSchema } from '../../chat/command-schema';

/** What cards/message.json reads. */
export const MessageView = z.strictObject({
  heading: z.string(),
  text: z.string(),
  buttons: z.array(z.strictObject({
    title: z.string(),
    command: CommandSchema,
    verb: z.string(),
  })),
  speak: z.string().optional(),
});

export type MessageView = z.input<typeof MessageView>;
