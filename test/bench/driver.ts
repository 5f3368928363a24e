import { cardPress, channelText, personalText, type UserKey } from '../support/activities';
import type { DealDeskHarness } from '../support/dealdesk-harness';
import type { FakeTeams } from '../support/fake-teams';
import { searchInvoke } from '../bot/compose-extension-invokes';

const CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * Talks to a bot as Teams does: real activity payloads POSTed to /api/messages (keep-alive fetch), replies
 * checked on the fake connector. Used for DealDesk and for the floor bot alike, so both pay the same client cost.
 */
export class Driver {
  constructor(
    readonly url: string,
    private readonly connector: FakeTeams,
  ) {}

  private async post(activity: object): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** A 1:1 message from the measured user; resolves with the card DealDesk replied with (through the connector). */
  async say(text: string, options: { as?: UserKey; inChannel?: boolean } = {}): Promise<Record<string, any>> {
    const activity = (options.inChannel ? channelText : personalText)(text, { serviceUrl: this.connector.url, as: options.as });
    const { status } = await this.post(activity);
    if (status !== 200) throw new Error(`"${text}": HTTP ${status}`);
    const reply = this.replyTo(activity.id as string);
    if (!reply) throw new Error(`"${text}": no reply reached the connector`);
    this.trim();
    return reply;
  }

  /** An Action.Execute press; resolves with the card of the invoke response (it replaces the pressed card). */
  async press(verb: string, data: Record<string, unknown>, options: { as?: UserKey } = {}): Promise<Record<string, any>> {
    const { status, body } = await this.post(cardPress(verb, data, { serviceUrl: this.connector.url, as: options.as }));
    if (status !== 200 || body?.statusCode !== 200 || body?.type !== CARD) throw new Error(`${verb}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
    return body.value as Record<string, any>;
  }

  /**
   * A compose-box search (`searchDeals`, composeExtension/query) as Teams sends it; resolves with the result list's
   * attachments (each a deal card with its preview).
   */
  async search(text: string, options: { as?: UserKey } = {}): Promise<Array<Record<string, any>>> {
    const { status, body } = await this.post(searchInvoke({ connector: this.connector } as DealDeskHarness, text, options));
    const result = body?.composeExtension;
    if (status !== 200 || result?.type !== 'result') throw new Error(`search "${text}": HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
    return result.attachments as Array<Record<string, any>>;
  }

  /** The reply to one activity: looked up from the newest end (turns are sequential or few at once). */
  private replyTo(activityId: string): Record<string, any> | undefined {
    const sent = this.connector.sent;
    for (let i = sent.length - 1; i >= 0 && i >= sent.length - 200; i--) {
      const s = sent[i]!;
      if (s.replyToId === activityId && s.body.type === 'message') return s.body.attachments?.[0]?.content ?? { text: s.body.text };
    }
    return undefined;
  }

  /** Keeps the connector's records (each holds a whole card) from growing through a long run. */
  private trim(): void {
    if (this.connector.sent.length > 2000) this.connector.sent.splice(0, 1000);
    if (this.connector.requests.length > 2000) this.connector.requests.splice(0, 1000);
  }
}

/** The revision a deal card carries in its buttons' data (what the next press sends back). */
export function revOf(card: unknown, dealId: string): number | undefined {
  let found: number | undefined;
  const walk = (node: unknown): void => {
    if (found !== undefined || node === null || typeof node !== 'object') return;
    const data = (node as { data?: { dealId?: unknown; rev?: unknown } }).data;
    if (data && data.dealId === dealId && data.rev !== undefined && data.rev !== '') {
      found = Number(data.rev);
      return;
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(card);
  return found;
}
