import { z } from 'zod';
import { CommandSchema } from '../../chat/command-schema';
import { BannerView } from './parts';

/** What cards/following.json reads. */
export const FollowingView = z.strictObject({
  banner: BannerView,
  heading: z.string(),
  empty: z.string(),
  follows: z.array(z.strictObject({
    label: z.string(),
    command: CommandSchema,
    unfollowTitle: z.string(),
  })),
  speak: z.string().optional(),
});

export type FollowingView = z.input<typeof FollowingView>;
