import { type Directory, DirectoryError, type DirectoryPerson, PERMISSIONS } from '../ports/directory.port';
import type { Logger } from '../ports/logger.port';
import type { GraphClient } from './graph-client';

interface GraphUser {
  id?: unknown;
  displayName?: unknown;
  mail?: unknown;
  userPrincipalName?: unknown;
}

interface GraphPage {
  value?: GraphUser[];
  '@odata.nextLink'?: unknown;
}

/** A search reads at most this many pages (`@odata.nextLink`) before it stops. */
const MAX_PAGES = 5;

const personOf = (user: GraphUser): DirectoryPerson | undefined => {
  if (typeof user.id !== 'string' || !user.id) return undefined;
  const email = typeof user.mail === 'string' && user.mail ? user.mail : typeof user.userPrincipalName === 'string' ? user.userPrincipalName : undefined;
  const name = typeof user.displayName === 'string' && user.displayName.trim() ? user.displayName.trim() : (email ?? user.id);
  return { id: user.id, name: name.slice(0, 200), ...(email ? { email: email.slice(0, 320) } : {}) };
};

/** "ab\"c" → a $search term Graph accepts: quotes and backslashes are not allowed inside one. */
const searchTerm = (text: string): string => text.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();

/** The Teams app DealDesk installs for people: its manifest id, and its catalog id when that is set. */
export interface TeamsAppIds {
  /** TEAMS_APP_ID: the manifest's id (the catalog's `externalId`). */
  manifestId?: string;
  /** TEAMS_CATALOG_APP_ID: the id the organisation's catalog gave the app; none: looked up once. */
  catalogId?: string;
}

/** Entra ID through Microsoft Graph, for the bot's own tenant. */
export class GraphDirectory implements Directory {
  /** The app's catalog id once known: given, or found once (a failed lookup is not kept). */
  private catalogId: Promise<string> | undefined;

  constructor(
    private readonly graph: GraphClient,
    private readonly tenantId: string,
    /** The Teams app installed for people who never installed it; no manifest id: installs are not tried. */
    private readonly app: TeamsAppIds,
    private readonly logger?: Logger,
  ) {
    if (app.catalogId) this.catalogId = Promise.resolve(app.catalogId);
  }

  serves(tenantId: string): boolean {
    return tenantId.toLowerCase() === this.tenantId.toLowerCase();
  }

  /** `/users?$search="displayName:…" OR "mail:…"` (ConsistencyLevel: eventual), following next links up to `limit`. */
  async search(query: string, limit: number): Promise<DirectoryPerson[]> {
    const term = searchTerm(query);
    if (!term || limit < 1) return [];
    const params = new URLSearchParams({
      $search: `"displayName:${term}" OR "mail:${term}" OR "userPrincipalName:${term}"`,
      $select: 'id,displayName,mail,userPrincipalName',
      $top: String(Math.min(limit, 100)),
      $count: 'true',
    });
    const found: DirectoryPerson[] = [];
    let next: string | undefined = `/users?${params}`;
    for (let page = 0; next && page < MAX_PAGES && found.length < limit; page++) {
      const answer: { body?: GraphPage } = await this.graph.call<GraphPage>('GET', next, PERMISSIONS.readPeople, { headers: { ConsistencyLevel: 'eventual' } });
      for (const user of answer.body?.value ?? []) {
        const person = personOf(user);
        if (person && found.length < limit) found.push(person);
      }
      const link: unknown = answer.body?.['@odata.nextLink'];
      next = typeof link === 'string' ? link : undefined;
    }
    return found;
  }

  async person(personId: string): Promise<DirectoryPerson | undefined> {
    const answer = await this.graph.call<GraphUser>('GET', `/users/${encodeURIComponent(personId)}?$select=id,displayName,mail,userPrincipalName`, PERMISSIONS.readPeople);
    return answer.status === 404 || !answer.body ? undefined : personOf(answer.body);
  }

  async managerOf(personId: string): Promise<DirectoryPerson | undefined> {
    const answer = await this.graph.call<GraphUser>('GET', `/users/${encodeURIComponent(personId)}/manager?$select=id,displayName,mail,userPrincipalName`, PERMISSIONS.readManagers);
    return answer.status === 404 || !answer.body ? undefined : personOf(answer.body);
  }

  async installFor(personId: string): Promise<'installed' | 'already'> {
    if (!this.app.manifestId) throw new DirectoryError('forbidden', 'TEAMS_APP_ID is not set, so DealDesk does not know which Teams app to install', PERMISSIONS.install);
    const appId = await this.catalogAppId(this.app.manifestId);
    const answer = await this.graph.call('POST', `/users/${encodeURIComponent(personId)}/teamwork/installedApps`, PERMISSIONS.install, {
      body: { 'teamsApp@odata.bind': `${this.appCatalogUrl()}/appCatalogs/teamsApps/${encodeURIComponent(appId)}` },
    });
    if (answer.status === 409) return 'already';
    if (answer.status === 404) throw new DirectoryError('unavailable', `Microsoft Graph does not know the user ${personId} or the Teams app ${appId}`, undefined, 404);
    return 'installed';
  }

  /**
   * The id an install binds (`appCatalogs/teamsApps/{id}`): for an app published to the organisation's catalog it is
   * not the manifest's id but one the catalog generated, found by `externalId` (the manifest's id) once and kept.
   * TEAMS_CATALOG_APP_ID skips the lookup. A catalog with no such app (an app from the Teams store, whose catalog id
   * is the manifest's) leaves the manifest id. Refused (403: AppCatalog.Read.All not granted): a `forbidden` naming
   * that permission and the setting that avoids it.
   */
  private catalogAppId(manifestId: string): Promise<string> {
    const found = (this.catalogId ??= this.lookUpCatalogId(manifestId));
    found.catch(() => {
      if (this.catalogId === found) this.catalogId = undefined;
    });
    return found;
  }

  private async lookUpCatalogId(manifestId: string): Promise<string> {
    const filter = new URLSearchParams({ $filter: `externalId eq '${manifestId.replace(/'/g, "''")}'`, $select: 'id,externalId,distributionMethod' });
    let answer;
    try {
      answer = await this.graph.call<{ value?: Array<{ id?: unknown }> }>('GET', `/appCatalogs/teamsApps?${filter}`, PERMISSIONS.readCatalog);
    } catch (e) {
      if (e instanceof DirectoryError && e.failure === 'forbidden') {
        const why = `DealDesk cannot look up its Teams app in the organisation's app catalog (the ${PERMISSIONS.readCatalog} application permission is not granted): grant it, or set TEAMS_CATALOG_APP_ID to the app's id in the catalog (Teams admin center → Manage apps → DealDesk → App ID)`;
        this.logger?.warn({ manifestId }, why);
        throw new DirectoryError('forbidden', why, PERMISSIONS.readCatalog, 403);
      }
      throw e;
    }
    const id = answer.body?.value?.find((app) => typeof app.id === 'string' && app.id)?.id as string | undefined;
    if (id) {
      this.logger?.info({ manifestId, catalogId: id }, "DealDesk's Teams app found in the organisation's app catalog");
      return id;
    }
    this.logger?.warn({ manifestId }, "DealDesk's Teams app is not in the organisation's app catalog: installing it by its manifest id (right for an app from the Teams store); publish it to the catalog, or set TEAMS_CATALOG_APP_ID");
    return manifestId;
  }

  async isMemberOf(personId: string, groupId: string): Promise<boolean> {
    const answer = await this.graph.call<{ value?: unknown[] }>('POST', `/users/${encodeURIComponent(personId)}/checkMemberGroups`, PERMISSIONS.readGroups, { body: { groupIds: [groupId] } });
    return (answer.body?.value ?? []).some((id) => typeof id === 'string' && id.toLowerCase() === groupId.toLowerCase());
  }

  /** The odata.bind URL names Graph's public host whatever GRAPH_URL is (Graph resolves it itself). */
  private appCatalogUrl(): string {
    return 'https://graph.microsoft.com/v1.0';
  }
}
