/** In-memory ports for the delivery engine's tests: stores that honour etags like Cosmos, and a connector whose answers the test scripts. */
import type { Deal } from '../../src/domain/deal';
import { type OutgoingMessage, type AlertMessage, dealIdOfMessage, FINAL_STATES, isNoticeMessage } from '../../src/domain/outgoing-message';
import type { ConversationRecord, ConversationRepository } from '../../src/ports/conversation-repository.port';
import type { CrmPollRepository, CrmPollState, StoredCrmPoll } from '../../src/ports/crm-poll-repository.port';
import { ConcurrentUpdateError, type DealRepository, DuplicateIdError, type StoredDeal } from '../../src/ports/deal-repository.port';
import type { OutgoingMessageRepository, StoredOutgoingMessage } from '../../src/ports/outgoing-message-repository.port';
import type { FollowRepository } from '../../src/ports/follow-repository.port';
import type { ConversationReference, Messenger } from '../../src/ports/messenger.port';
import type { PeopleRepository, PersonRecord } from '../../src/ports/people-repository.port';
import type { ApprovalsChannel, SettingsRepository } from '../../src/ports/settings-repository.port';
import type { Store } from '../../src/ports/store.port';

export const later = () => Promise.resolve(); // every store call yields, so racing workers interleave

export class MemoryDeliveries implements OutgoingMessageRepository {
  readonly rows = new Map<string, StoredOutgoingMessage>();
  /** Every createIfAbsent that created a row, by id, in order. */
  readonly created: string[] = [];
  private version = 0;
  private put(delivery: OutgoingMessage): StoredOutgoingMessage {
    const stored = { delivery: structuredClone(delivery), etag: `"${++this.version}"` };
    this.rows.set(delivery.id, stored);
    return structuredClone(stored);
  }
  async createIfAbsent(delivery: OutgoingMessage) {
    await later();
    if (this.rows.has(delivery.id)) return false;
    this.put(delivery);
    this.created.push(delivery.id);
    return true;
  }
  /** As Cosmos finds it: in its tenant and deal's partition only (the deal's, or none for a delivery about no deal). */
  async get(tenantId: string, dealId: string | undefined, id: string) {
    await later();
    const stored = this.rows.get(id);
    const found = stored?.delivery.tenantId === tenantId && (dealIdOfMessage(stored.delivery) || undefined) === (dealId || undefined);
    return found ? structuredClone(stored) : undefined;
  }
  async findClaimable(now: string, limit: number) {
    await later();
    return [...this.rows.values()]
      .filter(({ delivery: d }) => !FINAL_STATES.includes(d.state) && d.nextAttemptAt <= now && (!d.lease || d.lease.until <= now))
      .sort((a, b) => (a.delivery.nextAttemptAt < b.delivery.nextAttemptAt ? -1 : 1))
      .slice(0, limit)
      .map((s) => structuredClone(s));
  }
  async replace(delivery: OutgoingMessage, etag: string) {
    await later();
    if (this.rows.get(delivery.id)?.etag !== etag) throw new ConcurrentUpdateError();
    return this.put(delivery);
  }
  async listForDeal(tenantId: string, dealId: string, limit: number) {
    return [...this.rows.values()]
      .map((s) => s.delivery)
      .filter((d): d is AlertMessage => !isNoticeMessage(d) && d.tenantId === tenantId && d.alert?.dealId === dealId)
      .slice(0, limit);
  }
  async listLeasedBy(owner: string) {
    return [...this.rows.values()].filter((s) => s.delivery.lease?.owner === owner).map((s) => structuredClone(s));
  }
  /** The stored delivery (throws when there is none). */
  row(id: string): OutgoingMessage {
    const stored = this.rows.get(id);
    if (!stored) throw new Error(`no delivery ${id}; have ${[...this.rows.keys()].join(', ')}`);
    return stored.delivery;
  }
  /** Changes a stored delivery behind the worker's back (a new etag, as any write). */
  patch(id: string, patch: Partial<OutgoingMessage>): void {
    this.put({ ...this.row(id), ...patch } as OutgoingMessage);
  }
}

export class MemoryConversations implements ConversationRepository {
  readonly records = new Map<string, ConversationRecord>();
  async save(record: ConversationRecord) { this.records.set(record.conversationId, structuredClone(record)); }
  async get(tenantId: string, conversationId: string) {
    const record = this.records.get(conversationId);
    return record?.tenantId === tenantId ? structuredClone(record) : undefined;
  }
  async findPersonalChat(tenantId: string, personId: string) {
    return [...this.records.values()].find((r) => r.tenantId === tenantId && r.conversationType === 'personal' && r.userId === personId);
  }
  async setStatus(_tenantId: string, conversationId: string, status: { installed?: boolean; blocked?: boolean }) {
    Object.assign(this.records.get(conversationId)!, status);
  }
  async claimGreeting() { return false; }
}

export class MemoryPeople implements PeopleRepository {
  readonly people = new Map<string, PersonRecord>();
  async upsert(person: Partial<PersonRecord> & Pick<PersonRecord, 'tenantId' | 'id' | 'name'>) {
    this.people.set(person.id, { ...this.people.get(person.id), updatedAt: new Date().toISOString(), ...person });
  }
  async get(_tenantId: string, id: string) { return this.people.get(id); }
  async search() { return []; }
  async setAlertsOff(_tenantId: string, id: string, off: boolean) { this.people.get(id)!.alertsOff = off; }
  async setLanguage(_tenantId: string, id: string, language: PersonRecord['language']) { this.people.get(id)!.language = language; }
  async setManager(_tenantId: string, id: string, managerId: string | undefined) { const p = this.people.get(id); if (p) p.managerId = managerId; }
  async listReports(_tenantId: string, managerId: string) { return [...this.people.values()].filter((p) => p.managerId === managerId); }
  /** Mute choices by `<person>|<deal>`. */
  readonly mutes = new Map<string, boolean>();
  async setMuteChoice(_tenantId: string, personId: string, dealId: string, choice: boolean | undefined) {
    if (choice === undefined) this.mutes.delete(`${personId}|${dealId}`);
    else this.mutes.set(`${personId}|${dealId}`, choice);
  }
  async muteChoices(_tenantId: string, dealId: string, personIds: readonly string[]) {
    return new Map(personIds.flatMap((id) => (this.mutes.has(`${id}|${dealId}`) ? [[id, this.mutes.get(`${id}|${dealId}`)!] as const] : [])));
  }
  async reportIdsOf(_tenantId: string, managerIds: readonly string[]) { return [...this.people.values()].filter((p) => p.managerId !== undefined && managerIds.includes(p.managerId)).map((p) => p.id); }
  async setTeamMembership() {}
  async teamMemberIds() { return []; }
}

export class MemoryDeals implements DealRepository {
  readonly rows = new Map<string, StoredDeal>();
  /** Fails the next replace with this error (then works again): a crash between fan-out and the write. */
  failNextReplace: Error | undefined;
  private version = 0;
  private put(deal: Deal): StoredDeal {
    const stored = { deal: structuredClone(deal), etag: `"d${++this.version}"` };
    this.rows.set(deal.id, stored);
    return structuredClone(stored);
  }
  async get(tenantId: string, id: string) {
    await later();
    const stored = this.rows.get(id);
    return stored?.deal.tenantId === tenantId ? structuredClone(stored) : undefined;
  }
  async create(deal: Deal) {
    if (this.rows.has(deal.id)) throw new DuplicateIdError();
    return this.put(deal);
  }
  async replace(deal: Deal, etag: string) {
    await later();
    const failure = this.failNextReplace;
    this.failNextReplace = undefined;
    if (failure) throw failure;
    if (this.rows.get(deal.id)?.etag !== etag) throw new ConcurrentUpdateError();
    return this.put(deal);
  }
  async findByCrmRecord(tenantId: string, recordId: string) {
    await later();
    const found = [...this.rows.values()].filter(({ deal }) => deal.tenantId === tenantId && deal.crmLink?.recordId === recordId).sort((a, b) => a.deal.number - b.deal.number)[0];
    return found ? structuredClone(found) : undefined;
  }
  async highestNumber() { return undefined; }
  /** Keeps whole deals: nothing is ever archived here. */
  async readArchive() { return undefined; }
  async listByOwner() { return []; }
  async findByTitle() { return []; }
  async findByAccount() { return []; }
  async searchSummaries() { return []; }
  async recentByOwner() { return []; }
  async listPipeline() { return []; }
  async findWithDueAlerts(now: string, limit: number) {
    return [...this.rows.values()]
      .filter(({ deal }) => (deal.outboxDueAt !== undefined && deal.outboxDueAt <= now) || deal.notices.length > 0)
      .slice(0, limit)
      .map(({ deal }) => ({ tenantId: deal.tenantId, id: deal.id }));
  }
  async findWithDueTimers(now: string, limit: number) {
    return [...this.rows.values()]
      .filter(({ deal }) => deal.approvalDueAt !== undefined && deal.approvalDueAt <= now)
      .slice(0, limit)
      .map(({ deal }) => ({ tenantId: deal.tenantId, id: deal.id }));
  }
  async findWithDueCrmEvents(now: string, limit: number) {
    return [...this.rows.values()]
      .filter(({ deal }) => deal.crmDueAt !== undefined && deal.crmDueAt <= now)
      .slice(0, limit)
      .map(({ deal }) => ({ tenantId: deal.tenantId, id: deal.id }));
  }
  deal(id: string): Deal {
    return this.rows.get(id)!.deal;
  }
}

/** The Dataverse poll state, with an etag per write as Cosmos keeps it: a stale save fails. */
export class MemoryCrmPolls implements CrmPollRepository {
  readonly rows = new Map<string, StoredCrmPoll>();
  private version = 0;
  async get(tenantId: string) {
    await later();
    return structuredClone(this.rows.get(tenantId) ?? { state: {} });
  }
  async save(tenantId: string, state: CrmPollState, etag?: string) {
    await later();
    if (this.rows.get(tenantId)?.etag !== etag) throw new ConcurrentUpdateError();
    const stored = { state: JSON.parse(JSON.stringify(state)) as CrmPollState, etag: `"p${++this.version}"` };
    this.rows.set(tenantId, stored);
    return structuredClone(stored);
  }
}

export class MemorySettings implements SettingsRepository {
  readonly channels = new Map<string, ApprovalsChannel>();
  async getPolicy(): Promise<never> { throw new Error('not in these tests'); }
  async savePolicy(): Promise<never> { throw new Error('not in these tests'); }
  async getApprovalsChannel(tenantId: string) { return this.channels.get(tenantId); }
  async setApprovalsChannel(tenantId: string, channel: ApprovalsChannel) { this.channels.set(tenantId, channel); }
}

const noFollows: FollowRepository = {
  follow: async () => true,
  unfollow: async () => false,
  listByConversation: async () => [],
  followersOf: async () => [],
};

/** A repository these tests never reach: any use fails loudly. */
const notHere = <T extends object>(name: string): T =>
  new Proxy({} as T, { get: (_t, method) => () => Promise.reject(new Error(`${name}.${String(method)} is not in these tests`)) });

export interface MemoryStore extends Store {
  deals: MemoryDeals;
  conversations: MemoryConversations;
  people: MemoryPeople;
  deliveries: MemoryDeliveries;
  settings: MemorySettings;
  crmPolls: MemoryCrmPolls;
}

export function memoryStore(): MemoryStore {
  return {
    deals: new MemoryDeals(),
    conversations: new MemoryConversations(),
    people: new MemoryPeople(),
    follows: noFollows,
    deliveries: new MemoryDeliveries(),
    settings: new MemorySettings(),
    crmPolls: new MemoryCrmPolls(),
    jobs: notHere('jobs'),
    quotas: notHere('quotas'),
    ping: async () => undefined,
    close: async () => undefined,
  };
}

export interface Sent { deliveryId: string; conversationId: string; at: number; activityId: string; card: Record<string, unknown> }

/** The connector: records sends (POST) and updates (PUT); `answers` script the next calls of either, then `always`. */
export class FakeMessenger implements Messenger {
  readonly sent: Sent[] = [];
  readonly updated: Sent[] = [];
  readonly opened: string[] = [];
  /** What the next sends and updates answer, in turn: an error to throw, or undefined to accept. Then `always`. */
  readonly answers: Array<Error | undefined> = [];
  always: Error | undefined;
  private next() {
    const answer = this.answers.length ? this.answers.shift() : this.always;
    if (answer) throw answer;
  }
  async sendCard(reference: ConversationReference, card: object) {
    await later();
    this.next();
    const conversationId = (reference.conversation as { id: string }).id;
    const activityId = `activity-${this.sent.length + 1}`;
    this.sent.push({ deliveryId: (card as { deliveryId: string }).deliveryId, conversationId, at: Date.now(), activityId, card: card as Record<string, unknown> });
    return { activityId };
  }
  async updateCard(reference: ConversationReference, activityId: string, card: object) {
    await later();
    this.next();
    const conversationId = (reference.conversation as { id: string }).id;
    this.updated.push({ deliveryId: (card as { deliveryId: string }).deliveryId, conversationId, at: Date.now(), activityId, card: card as Record<string, unknown> });
  }
  async openPersonalChat({ userId, serviceUrl }: { tenantId: string; serviceUrl: string; userId: string }) {
    this.opened.push(userId);
    return { serviceUrl, conversation: { id: `a:1:1-chat-with-${userId}` }, user: { id: userId } };
  }
}
