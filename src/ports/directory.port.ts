/**
 * The organisation's directory (Entra ID), behind a port: the use cases search it, read managers from it, install
 * DealDesk for someone and check group membership, without knowing it is Microsoft Graph (src/graph/ implements it).
 */

/** Someone in the directory: their Entra object id (the id DealDesk knows people by), name and e-mail. */
export interface DirectoryPerson {
  id: string;
  name: string;
  email?: string;
}

/**
 * Why the directory did not answer: `forbidden` (the app lacks `permission`: consent missing), `signIn` (Entra ID
 * refused the bot's own credentials: a wrong or expired client secret, an identity not assigned; see `signIn`),
 * `throttled` (429s whose Retry-After did not fit in the time left), `unavailable` (5xx, network) or `timeout`.
 */
export type DirectoryFailure = 'forbidden' | 'signIn' | 'throttled' | 'unavailable' | 'timeout';

/** For `signIn`: Entra ID's OAuth error code (`invalid_client`) and which credential it refused. */
export interface SignInRefusal {
  reason: string;
  credential: 'secret' | 'managedIdentity';
}

export class DirectoryError extends Error {
  override name = 'DirectoryError';
  constructor(
    readonly failure: DirectoryFailure,
    message: string,
    /** For `forbidden`: the Graph application permission that was missing. */
    readonly permission?: string,
    readonly status?: number,
    readonly signIn?: SignInRefusal,
  ) {
    super(message);
  }
}

export const isDirectoryError = (e: unknown): e is DirectoryError => e instanceof DirectoryError;

/** The Graph application permissions DealDesk asks for, by what they are for. */
export const PERMISSIONS = {
  readPeople: 'User.ReadBasic.All',
  readManagers: 'User.Read.All',
  install: 'TeamsAppInstallation.ReadWriteSelfForUser.All',
  /** Finding DealDesk's id in the organisation's Teams app catalog (unless TEAMS_CATALOG_APP_ID gives it). */
  readCatalog: 'AppCatalog.Read.All',
  readGroups: 'GroupMember.Read.All',
} as const;

export interface Directory {
  /** Whether this directory holds the tenant's people (the bot's identity reads its own tenant only). */
  serves(tenantId: string): boolean;
  /** People whose name or e-mail starts with the words of `query` (the directory's own search), at most `limit`. */
  search(query: string, limit: number): Promise<DirectoryPerson[]>;
  /** One person by object id, or undefined when the directory has no such user. */
  person(personId: string): Promise<DirectoryPerson | undefined>;
  /** The person's manager in the directory, or undefined when they have none. */
  managerOf(personId: string): Promise<DirectoryPerson | undefined>;
  /** Installs DealDesk for the person (personal scope); `already` when it was installed. */
  installFor(personId: string): Promise<'installed' | 'already'>;
  /** Whether the person is a member (directly or through nested groups) of the group. */
  isMemberOf(personId: string, groupId: string): Promise<boolean>;
}
