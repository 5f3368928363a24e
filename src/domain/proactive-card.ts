import type { AlertChange } from './alert';
import type { Notice } from './approval';
import type { WeeklyDigest } from './digest';
import type { Person } from './person';
import type { NudgeRow } from './stale-deal';

/** What the alert card shows, frozen when the alert is fanned out. */
export interface AlertSnapshot {
  id: string;
  tenantId: string;
  dealId: string;
  title: string;
  account: string;
  changes: AlertChange[];
  actors: Person[];
  at: string;
}

/**
 * A card DealDesk means to send on its own (not as an answer): what the use cases and dispatchers queue, as data, and
 * what an outgoing message stores. One renderer (cards/render-proactive.ts), given to the send worker by the
 * composition root, draws each in its recipient's language when it is sent. `type` is the stored discriminator.
 *
 * - alert: a deal's changes, frozen at fan-out (stored in the message's `alert`, as it always was).
 * - notice: an approval or follow-up notice of a deal; drawn from the deal as it is when sent.
 * - digest: a person's weekly digest, composed when the job ran (digestToSend).
 * - nudge: a person's stale deals, listed when the job ran; `rev` is what each row's buttons act on.
 * - appNotInstalled: DealDesk may not install itself for a deal team member (`member`, lacking `permission`; `catalog`:
 *   it is not finding itself in the app catalog); the deal's owner is told, with the link to share.
 * - card: a card rendered before it was queued. Nothing queues one any more: messages stored before intents existed
 *   (digests, nudges, install notices) still are sent as they were stored.
 */
export type ProactiveCard =
  | { type: 'alert'; alert: AlertSnapshot }
  | { type: 'notice'; dealId: string; notice: Notice }
  | { type: 'digest'; digest: WeeklyDigest }
  | { type: 'nudge'; rows: NudgeRow[]; staleAfterDays: number }
  | { type: 'appNotInstalled'; dealId: string; dealTitle: string; member: string; permission: string; catalog: boolean; installLink: string }
  | { type: 'card'; card: object; dealId?: string };

export type ProactiveCardType = ProactiveCard['type'];
