import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface RunningMain {
  child: ChildProcess;
  output: () => string;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
}

/**
 * Runs `src/main.ts` (what `npm start` runs) in its own process and waits until it says where it listens.
 * `args`: what node runs instead (e.g. a bundle of src/main.ts, as `npm run start:dist` does), cwd the repository.
 */
export function startMain(env: NodeJS.ProcessEnv, timeoutMs = 30_000, args: string[] = ['--import', 'tsx', 'src/main.ts'], until = SERVING): Promise<RunningMain> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return whenListening(child, timeoutMs, until);
}

/** What main prints once it serves (the last line of its start). */
export const SERVING = /Press Ctrl-C/;
/** What main prints when it listens but moves data first (startMain's `until`, to reach it meanwhile). */
export const LISTENING_WHILE_MOVING = /serves once its data has moved/;

/** A process of a standby entry (test/reliability/support/standby-main.ts): loaded, waiting for `go`. */
export interface Standby {
  child: ChildProcess;
  /** Starts DealDesk in it; resolves once it listens. */
  go(timeoutMs?: number): Promise<RunningMain>;
}

export function startStandby(env: NodeJS.ProcessEnv, args: string[]): Standby {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const listening = whenListening(child, 0);
  listening.catch(() => undefined); // a spare that is never used may be killed unstarted
  return {
    child,
    go: (timeoutMs = 30_000) => {
      child.stdin!.end('go\n');
      return Promise.race([
        listening,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the standby DealDesk did not start')), timeoutMs).unref()),
      ]);
    },
  };
}

function whenListening(child: ChildProcess, timeoutMs: number, until = SERVING): Promise<RunningMain> {
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    // 0: no limit of its own (a standby waits for `go` as long as it takes).
    const timer = timeoutMs > 0 ? setTimeout(() => reject(new Error(`DealDesk did not start:\n${out}`)), timeoutMs) : undefined;
    const exitedEarly = (code: number | null) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited ${code}:\n${out}`), { output: out, code }));
    };
    child.once('exit', exitedEarly);
    const ready = () => {
      const m = /listening on (http:\/\/[^/\s]+)\/api\/messages/.exec(out);
      if (!m || !until.test(out)) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      child.stdout!.off('data', ready);
      resolve({ child, output: () => out, url: m[1] });
    };
    child.stdout!.on('data', ready);
  });
}

/** Sends the signal and resolves with the exit code; fails with the output if it does not stop within 15 s. */
export const stopWith = (running: RunningMain, signal: NodeJS.Signals) =>
  new Promise<number | null>((resolve, reject) => {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return resolve(running.child.exitCode);
    const timer = setTimeout(() => {
      running.child.kill('SIGKILL');
      reject(new Error(`DealDesk did not stop on ${signal}:\n${running.output()}`));
    }, 15_000);
    running.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    running.child.kill(signal);
  });
