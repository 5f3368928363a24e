/** Someone DealDesk knows in a tenant: from their own messages, or from the roster of a team it is installed in. */
export interface PersonRecord {
  tenantId: string;
  /** Azure AD object id. */
  id: string;
  name: string;
  email?: string;
  /** The Teams user id (`29:…`) and the service URL, needed to open a 1:1 chat with them. */
  userId?: string;
  serviceUrl?: string;
  locale?: string;
  /** `alerts off`: no alert reaches this person. */
  alertsOff?: boolean;
  /** IANA time zone from their Teams client (`localTimezone`), for digests and nudges. */
  timeZone?: string;
  /** The person's manager (AAD object id), when known. */
  managerId?: string;
  /** Where managerId came from: Entra ID (refreshed from it) or an admin's `set manager` (which Entra ID never replaces). */
  managerSource?: 'entra' | 'admin';
  updatedAt: string;
}

export interface PeopleRepository {
  /** Creates or updates what is known; fields not given are kept. */
  upsert(person: Partial<PersonRecord> & Pick<PersonRecord, 'tenantId' | 'id' | 'name'>): Promise<void>;
  get(tenantId: string, id: string): Promise<PersonRecord | undefined>;
  /** People whose name contains the query or whose e-mail equals it (case-insensitive), at most `limit`. */
  search(tenantId: string, query: string, limit: number): Promise<PersonRecord[]>;
  setAlertsOff(tenantId: string, id: string, off: boolean): Promise<void>;
  /** Records (or, with undefined, clears) a person's manager; the person must be known. */
  setManager(tenantId: string, id: string, managerId: string | undefined): Promise<void>;
  /** The people whose manager is `managerId`, by name. */
  listReports(tenantId: string, managerId: string): Promise<PersonRecord[]>;
  /**
   * Keeps a person's choice about one deal's alerts (true muted, false unmuted), or with undefined forgets it: one
   * conditional write of a small document of its own, beside the person's record. The deal is never written.
   */
  setMuteChoice(tenantId: string, personId: string, dealId: string, choice: boolean | undefined, at: string): Promise<void>;
  /** The choices these people made about one deal, by person id (one query). */
  muteChoices(tenantId: string, dealId: string, personIds: readonly string[]): Promise<Map<string, boolean>>;
  /** The ids of the people whose manager is any of `managerIds` (one query for one level of a reporting tree). */
  reportIdsOf(tenantId: string, managerIds: readonly string[]): Promise<string[]>;
}
