import { type Directory, DirectoryError, type DirectoryPerson, PERMISSIONS } from '../ports/directory.port';
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

/** Entra ID through Microsoft Graph, for the bot's own tenant. */
export class GraphDirectory implements Directory {
  constructor(
    private readonly graph: GraphClient,
    private readonly tenantId: string,
    /** The Teams app (TEAMS_APP_ID) installed for people who never installed it; none: installs are not tried. */
    private readonly teamsAppId: string | undefined,
  ) {}

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
    if (!this.teamsAppId) throw new DirectoryError('forbidden', 'TEAMS_APP_ID is not set, so DealDesk does not know which Teams app to install', PERMISSIONS.install);
    const answer = await this.graph.call('POST', `/users/${encodeURIComponent(personId)}/teamwork/installedApps`, PERMISSIONS.install, {
      body: { 'teamsApp@odata.bind': `${this.appCatalogUrl()}/appCatalogs/teamsApps/${encodeURIComponent(this.teamsAppId)}` },
    });
    if (answer.status === 409) return 'already';
    if (answer.status === 404) throw new DirectoryError('unavailable', `Microsoft Graph does not know the user ${personId} or the Teams app ${this.teamsAppId}`, undefined, 404);
    return 'installed';
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
