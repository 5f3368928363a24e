/**
 * Proactive messages to Teams, behind a port so the delivery engine knows nothing of botbuilder.
 * The bot layer implements it with the Bot Framework connector.
 */
export type ConversationReference = Record<string, unknown>;

/** A failed send, as the connector answered it. */
export class SendError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly code: string | undefined,
    message: string,
    readonly retryAfterMs?: number,
    readonly subCode?: string,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export interface Messenger {
  /**
   * Sends an Adaptive Card into the referenced conversation; throws SendError. `summary` is the line Teams shows
   * for it in the notification and the chat list (the activity's `summary`), in the recipient's language.
   */
  sendCard(reference: ConversationReference, card: object, summary?: string): Promise<{ activityId?: string }>;
  /**
   * Replaces a message the bot sent earlier (`activityId`, as sendCard returned it) with a new card, in
   * place (PUT …/activities/<id>); throws SendError.
   */
  updateCard(reference: ConversationReference, activityId: string, card: object, summary?: string): Promise<void>;
  /** Opens (or finds) the 1:1 chat between the bot and a member of a team it is installed in; throws SendError. */
  openPersonalChat(options: { tenantId: string; serviceUrl: string; userId: string }): Promise<ConversationReference>;
}
