import * as net from 'node:net';
import type { LocalUserKey } from '../local-user-keys';
import { PLAYGROUND_USERS, startPlayground, type RunningPlayground } from './playground';

export interface UserPlayground extends RunningPlayground {
  user: LocalUserKey;
}

/** A port a playground needs is taken: one line for the start banner, no stack trace. */
export class PlaygroundPortBusy extends Error {
  override name = 'PlaygroundPortBusy';
}

/**
 * One Agents Playground per local user, side by side: `users[0]` on `port`, the next on `port + 1`, … (a playground
 * shows only its own user). Every port is checked before any playground starts; if one cannot start, those already
 * started are stopped again.
 */
export async function startPlaygrounds(options: { botEndpoint: string; port: number; users: readonly LocalUserKey[]; log?: (user: LocalUserKey, line: string) => void }): Promise<UserPlayground[]> {
  const { botEndpoint, port, users } = options;
  await assertPortsFree(port, users);
  const started = await Promise.allSettled(
    users.map(async (user, i) => ({ user, ...(await startPlayground({ botEndpoint, port: port + i, currentUser: user, log: (line) => options.log?.(user, line) })) })),
  );
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  return started.map((s) => (s as PromiseFulfilledResult<UserPlayground>).value);
}

/** Throws PlaygroundPortBusy for the first of the ports `port`, `port + 1`, … that is taken. */
export async function assertPortsFree(port: number, users: readonly LocalUserKey[]): Promise<void> {
  for (const [i, user] of users.entries()) await assertFree(port + i, user);
}

function assertFree(port: number, user: LocalUserKey): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new PlaygroundPortBusy(`port ${port} for ${PLAYGROUND_USERS[user].name}'s Agents Playground is in use (${err.code ?? err.message}): stop what uses it, or set PLAYGROUND_PORT to a free range (each user takes the next port), or PLAYGROUND=off`)),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
