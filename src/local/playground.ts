// Starts the Microsoft 365 Agents Playground (a local, offline Teams-like client) pointed at the bot.
// Used by `npm start` and by the end-to-end tests. See test/e2e/PLAYGROUND-NOTES.md.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { LocalUserKey } from '../local-user-keys';

export interface PlaygroundOptions {
  /** e.g. http://127.0.0.1:3978/api/messages (the bot must run with authentication off). */
  botEndpoint: string;
  port: number;
  /** Where to write the .m365agentsplayground.yml; default: a fresh temp dir, removed on stop(). */
  configPath?: string;
  log?: (line: string) => void;
  /**
   * Whom the playground acts as (its config's `currentUser`; it shows only that user): default 'alex'.
   * The other five go into `users`. Each user has their own personal-chat id (see `playgroundIdentityOf`).
   */
  currentUser?: PlaygroundUserKey;
}

export interface RunningPlayground {
  url: string;
  /** The user this playground acts as, and that user's personal-chat id. */
  currentUser: PlaygroundUser;
  personalChatId: string;
  stop(): Promise<void>;
}

const users = [
  ['user-id-0', 'Alex Wilber', 'alexw', '20'],
  ['user-id-1', 'Megan Bowen', 'meganb', '21'],
  ['user-id-2', 'Adele Vance', 'adelev', '22'],
  ['user-id-3', 'Isaiah Langer', 'isaiahl', '23'],
  ['user-id-4', 'Patti Fernandez', 'pattif', '24'],
  ['user-id-5', 'Lynne Robbins', 'lynner', '25'],
].map(([id, name, alias, n]) => ({
  id,
  name,
  userPrincipleName: `${alias}@example.com`, // sic: the playground's schema spells it this way
  // The playground's own default ids: 13 digits in the last group, so NOT valid GUIDs.
  aadObjectId: `00000000-0000-0000-0000-00000000000${n}`,
  givenName: name.split(' ')[0],
  surname: name.split(' ')[1],
  email: `${alias}@example.com`,
}));

export type PlaygroundUser = (typeof users)[number];
/** The six playground users by lower-case first name. */
export const PLAYGROUND_USERS = { alex: users[0], megan: users[1], adele: users[2], isaiah: users[3], patti: users[4], lynne: users[5] } as const satisfies Record<LocalUserKey, PlaygroundUser>;
export type PlaygroundUserKey = keyof typeof PLAYGROUND_USERS;

/** The identities the playground puts into activities (its defaults, plus fixed chat ids and our bot name). */
export const PLAYGROUND_IDENTITY = {
  tenantId: '00000000-0000-0000-0000-0000000000001',
  bot: { id: '00000000-0000-0000-0000-00000000000011', name: 'DealDesk' },
  currentUser: users[0],
  otherUsers: users.slice(1),
  personalChatId: 'a:personal-chat-alex-wilber',
  groupChat: { id: 'group-chat-id', name: 'Group Chat' },
  /** The General channel's conversation id equals the team id. */
  team: { id: 'team-id', name: 'My Team', aadGroupId: '00000000-0000-0000-0000-000000000031' },
  channels: [{ id: 'channel-announcements-id', name: 'Announcements' }],
} as const;

/**
 * PLAYGROUND_IDENTITY as seen by another current user: the same tenant, bot, team and aadObjectIds, but that
 * user as `currentUser`, the other five as `otherUsers`, and a personal-chat id of their own (Alex keeps
 * 'a:personal-chat-alex-wilber'), so two playgrounds on one bot never share a 1:1 conversation id.
 */
export function playgroundIdentityOf(key: PlaygroundUserKey = 'alex') {
  const currentUser = PLAYGROUND_USERS[key];
  return {
    ...PLAYGROUND_IDENTITY,
    currentUser,
    otherUsers: users.filter((u) => u !== currentUser),
    personalChatId: `a:personal-chat-${currentUser.name.toLowerCase().replace(/\s+/g, '-')}`,
  };
}

function configFileContent(key: PlaygroundUserKey): string {
  const p = playgroundIdentityOf(key);
  const config = {
    version: '0.1.1',
    tenantId: p.tenantId,
    bot: p.bot,
    currentUser: p.currentUser,
    users: p.otherUsers, // the schema wants exactly five
    personalChat: { id: p.personalChatId },
    groupChat: p.groupChat,
    team: { ...p.team, channels: p.channels }, // General is implicit; at most one more channel
  };
  // JSON is valid YAML.
  return `# Written by src/local/playground.ts; edits are overwritten.\n${JSON.stringify(config, null, 2)}\n`;
}

function playgroundCli(): string {
  const pkgJson = require.resolve('@microsoft/m365agentsplayground/package.json');
  const bin = (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { bin: Record<string, string> }).bin;
  return path.join(path.dirname(pkgJson), bin.agentsplayground);
}

function assertPortFree(port: number): Promise<void> {
  // The playground silently falls back to a random port when its port is taken: refuse instead.
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`Agents Playground: port ${port} is not available (${err.code ?? err.message})`)),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const log = options.log ?? (() => {});
  const { port, botEndpoint } = options;
  const userKey = options.currentUser ?? 'alex';
  if (!Object.hasOwn(PLAYGROUND_USERS, userKey)) throw new Error(`Agents Playground: unknown user "${userKey}" (one of ${Object.keys(PLAYGROUND_USERS).join(', ')})`);
  await assertPortFree(port);
  const ownDir = options.configPath ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'agents-playground-'));
  const configPath = path.resolve(options.configPath ?? path.join(ownDir!, '.m365agentsplayground.yml'));
  const workDir = path.dirname(configPath);
  const logFile = path.join(workDir, 'playground.log');
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(configPath, configFileContent(userKey));
  fs.rmSync(logFile, { force: true });

  const child = spawn(process.execPath, [playgroundCli(), '-e', botEndpoint, '-c', 'msteams', '-p', String(port), '--dt'], {
    cwd: workDir, // it writes ./devTools/ relative to its working directory
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none', // never try to open a browser
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile, // its console output goes here; stdout only says "Listening on <port>"
    },
    detached: true, // own process group, so stop() can kill it and anything it spawns
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  const recent: string[] = [];
  const emit = (line: string): void => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    log(line);
  };
  child.on('error', (err) => emit(`could not run the playground: ${err.message}`));
  readline.createInterface({ input: child.stdout! }).on('line', emit);
  readline.createInterface({ input: child.stderr! }).on('line', emit);
  const tail = tailFile(logFile, (line) => {
    if (!line.startsWith('debug ')) emit(line);
  });

  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : 0);
      resolve();
    }),
  );
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const removeOwnDir = (): void => {
    if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
  };
  const killOnExit = (): void => {
    // last resort if the parent exits without stop()
    killGroup('SIGKILL');
    removeOwnDir();
  };
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (exitCode === undefined) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      tail.stop();
      removeOwnDir();
    })());

  const url = `http://localhost:${port}`;
  try {
    await waitUntilReady(port, () => exitCode, 30_000);
  } catch (err) {
    tail.flush();
    await stop();
    const output = recent.length ? `\nLast output:\n${recent.join('\n')}` : '';
    throw new Error(`Agents Playground (${botEndpoint} on port ${port}) did not start: ${(err as Error).message}${output}`);
  }
  const { currentUser, personalChatId } = playgroundIdentityOf(userKey);
  return { url, currentUser, personalChatId, stop };
}

/** Ready = /_debug/ping answers (it is mounted after the config file is read; the port opens before that). */
async function waitUntilReady(port: number, exitCode: () => number | null | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode() !== undefined) throw new Error(`it exited with code ${exitCode()}`);
    try {
      // Not /_internal/v1/config: that one blocks until the bot endpoint is reachable.
      const res = await fetch(`http://127.0.0.1:${port}/_debug/ping`, { signal: AbortSignal.timeout(2000) });
      if (res.ok && (await res.text()) === 'pong') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}

/** Follows a growing text file, line by line (the playground writes its log there, not to stdout). */
function tailFile(file: string, onLine: (line: string) => void): { flush(): void; stop(): void } {
  let offset = 0;
  let partial = '';
  const flush = (): void => {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return; // not created yet
    }
    try {
      const buf = Buffer.alloc(64 * 1024);
      let n: number;
      while ((n = fs.readSync(fd, buf, 0, buf.length, offset)) > 0) {
        offset += n;
        const lines = (partial + buf.toString('utf8', 0, n)).split('\n');
        partial = lines.pop() ?? '';
        lines.filter((l) => l.trim()).forEach(onLine);
      }
    } finally {
      fs.closeSync(fd);
    }
  };
  const timer = setInterval(flush, 250);
  timer.unref();
  return {
    flush,
    stop: () => {
      clearInterval(timer);
      flush();
    },
  };
}
