import type { Locale } from '../domain/locale';

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
  /** Their Teams client's locale, as the last activity said. */
  locale?: string;
  /** The language they chose (`language zh-CN` / `语言 中文`): every answer and message to them uses it before `locale`. */
  language?: Locale;
  /** `alerts off`: no alert reaches this person. */
  alertsOff?: boolean;
  /** IANA time zone from their Teams client (`localTimezone`), for digests and nudges. */
  timeZone?: string;
  /** The person's manager (AAD object id), when known. */
  managerId?: string;
  /** Where managerId came from: Entra ID (refreshed from it) or an admin's `set manager` (which Entra ID never replaces). */
  managerSource?: 'entra' | 'admin';
  /** Teams (their ids) whose roster listed them when DealDesk last read it (domain/team-membership.ts). */
  teamIds?: string[];
  /** They wrote to DealDesk or installed it themselves. */
  met?: boolean;
  /** Known only from rosters and on none any more: `search` leaves them out (they stay on deals that name them). */
  unlisted?: boolean;
  /** When Entra ID was last asked for this person's manager (ISO, DealDesk's clock): it is asked again a day later. */
  managerReadAt?: string;
  updatedAt: string;
}

export interface PeopleRepository {
  /** Creates or updates what is known; fields not given are kept. Given `met: true`, the person is listed again. */
  upsert(person: Partial<PersonRecord> & Pick<PersonRecord, 'tenantId' | 'id' | 'name'>): Promise<void>;
  get(tenantId: string, id: string): Promise<PersonRecord | undefined>;
  /** People whose name contains the query or whose e-mail equals it (case-insensitive), at most `limit`; never the unlisted. */
  search(tenantId: string, query: string, limit: number): Promise<PersonRecord[]>;
  setAlertsOff(tenantId: string, id: string, off: boolean): Promise<void>;
  /** Records (or, with undefined, forgets: their Teams locale decides again) the language a person chose; one conditional write. */
  setLanguage(tenantId: string, id: string, language: Locale | undefined): Promise<void>;
  /** Records (or, with undefined, clears) a person's manager; the person must be known. */
  setManager(tenantId: string, id: string, managerId: string | undefined): Promise<void>;
  /**
   * Records that a team's roster lists (`member`) or no longer lists a known person: one conditional write when it
   * changes anything (domain/team-membership.ts), none otherwise or for someone DealDesk does not know.
   */
  setTeamMembership(tenantId: string, id: string, teamId: string, member: boolean, at: string): Promise<void>;
  /** The ids of the people the team's roster listed when last read (one query). */
  teamMemberIds(tenantId: string, teamId: string): Promise<string[]>;
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
