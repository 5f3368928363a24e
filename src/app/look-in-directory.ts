import { isDirectoryError, type DirectoryPerson, type SignInRefusal } from '../ports/directory.port';
import type { AppDeps } from './context';

/**
 * Why a lookup may have missed someone: Entra ID refused (`forbidden`, the permission an admin must grant), refused
 * DealDesk's own credentials (`signIn`, what an admin must fix) or did not answer in time (`unavailable`). Said once
 * in the reply.
 */
export type DirectoryNote = { failure: 'forbidden'; permission: string } | ({ failure: 'signIn' } & SignInRefusal) | { failure: 'unavailable' };

export type Looked<T> = { value: T; note?: undefined } | { value: undefined; note: DirectoryNote };

/**
 * Asks the directory (when DealDesk has one for this tenant) within the Graph client's deadline. A failure is
 * logged (a refusal as a warning naming the permission) and becomes a note; the caller falls back to the people
 * DealDesk knows. Undefined: no directory for this tenant.
 */
export async function lookInDirectory<T>(deps: Pick<AppDeps, 'directory' | 'logger'>, tenantId: string, what: string, ask: (directory: NonNullable<AppDeps['directory']>) => Promise<T>): Promise<Looked<T> | undefined> {
  const directory = deps.directory;
  if (!directory || !directory.serves(tenantId)) return undefined;
  try {
    return { value: await ask(directory) };
  } catch (e) {
    if (!isDirectoryError(e)) throw e;
    if (e.failure === 'forbidden') {
      deps.logger.warn({ what, permission: e.permission, err: e.message }, `Entra ID refused ${what}: grant DealDesk the ${e.permission} application permission (admin consent)`);
      return { value: undefined, note: { failure: 'forbidden', permission: e.permission ?? 'unknown' } };
    }
    if (e.failure === 'signIn' && e.signIn) {
      deps.logger.warn({ what, reason: e.signIn.reason, err: e.message }, `Entra ID refused DealDesk's credentials (${e.signIn.reason}) for ${what}: ${e.signIn.credential === 'secret' ? 'check the client secret (MicrosoftAppPassword), which may be wrong or expired' : 'check that the managed identity is assigned to the web app'}`);
      return { value: undefined, note: { failure: 'signIn', ...e.signIn } };
    }
    deps.logger.warn({ what, failure: e.failure, err: e.message }, `Entra ID did not answer ${what}; using the people DealDesk knows`);
    return { value: undefined, note: { failure: 'unavailable' } };
  }
}

/** A directory person as DealDesk would record them. */
export const directoryRecord = (tenantId: string, person: DirectoryPerson, at: string) => ({ tenantId, id: person.id, name: person.name, ...(person.email ? { email: person.email } : {}), updatedAt: at });
