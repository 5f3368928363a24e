import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildArtifact } from '../../deploy/build-artifact';
import { round, sleep } from './stats';

const ROOT = join(__dirname, '..', '..');

/** A free TCP port on loopback (listen on 0, read it, close). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Resident memory of a process, in MB, from /proc (VmRSS now, VmHWM the peak). */
export function rssOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
    return { rss: round(kb('VmRSS') / 1024, 0), peak: round(kb('VmHWM') / 1024, 0) };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, ms (/proc/<pid>/stat, 100 ticks a second). */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export interface RunningDealDesk {
  child: ChildProcess;
  url: string;
  /** Spawn to /readyz answering 200, ms; and the CPU time the process had used by then (ms). */
  readyMs: number;
  readyCpuMs: number;
  stop(): Promise<void>;
}

/**
 * Starts DealDesk as `npm start` does (src/main.ts through tsx, or the compiled dist/main.js), PLAYGROUND=off, on
 * a free port, and polls GET /readyz (which pings the store) every 10 ms until it answers 200.
 */
export async function spawnDealDesk(options: { command: string[]; env: Record<string, string>; cwd?: string; timeoutMs?: number }): Promise<RunningDealDesk> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, options.command, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, PLAYGROUND: 'off', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 30_000);
  let readyMs: number | undefined;
  while (readyMs === undefined) {
    if (child.exitCode !== null) throw new Error(`DealDesk exited (${child.exitCode}) before it was ready:\n${output}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DealDesk was not ready within ${options.timeoutMs ?? 30_000} ms:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) readyMs = performance.now() - started;
      else await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    if (readyMs === undefined) await sleep(10);
  }
  return {
    child,
    url,
    readyMs,
    readyCpuMs: cpuMsOf(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface ColdStart {
  mode: string;
  readyMs: number[];
  readyCpuMs: number[];
  rssAfterStartMb: number;
}

/** Cold start to ready, local mode (embedded store, empty data directory), `runs` times; RSS 1 s after ready. */
export async function coldStarts(mode: 'tsx' | 'compiled' | 'bundled', runs: number, build?: string): Promise<ColdStart> {
  const command = mode === 'tsx' ? ['--import', 'tsx', 'src/main.ts'] : [join(build!, 'dist', 'main.js')];
  const readyMs: number[] = [];
  const readyCpuMs: number[] = [];
  let rssAfterStartMb = Number.NaN;
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-bench-data-'));
    const running = await spawnDealDesk({ command, env: { DATA_DIR: dataDir }, cwd: mode === 'tsx' ? ROOT : build });
    readyMs.push(round(running.readyMs, 0));
    readyCpuMs.push(running.readyCpuMs);
    if (i === runs - 1) {
      await sleep(1000);
      rssAfterStartMb = rssOf(running.child.pid!)?.rss ?? Number.NaN;
    }
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { mode, readyMs, readyCpuMs, rssAfterStartMb };
}

/**
 * What `npm run build` ships (deploy/build-artifact.ts: the bundle with everything it loads, the card templates),
 * built into a temporary directory (the benchmark writes only under test/bench/): `<dir>/dist/main.js`, runnable
 * with nothing else around it.
 */
export async function bundleToTemp(): Promise<{ dir?: string; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-bench-bundle-'));
  try {
    await buildArtifact({ root: ROOT, outDir: join(dir, 'dist') });
    return { dir };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { error: String((e as Error).message).slice(0, 300) };
  }
}

/**
 * Compiles src/ with the project's tsconfig into a temporary directory (not dist/: the benchmark writes only under
 * test/bench/) laid out as the repository is (cards/ and node_modules/ linked), for a production-like start.
 * Returns undefined (and why) when the build fails.
 */
export function buildToTemp(): { dir?: string; error?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-bench-build-'));
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', join(dir, 'dist')], { cwd: ROOT, stdio: 'pipe' });
    for (const name of ['cards', 'node_modules', 'package.json']) symlinkSync(join(ROOT, name), join(dir, name));
    if (!existsSync(join(dir, 'dist', 'main.js'))) throw new Error('no dist/main.js');
    mkdirSync(join(dir, '.data'), { recursive: true });
    return { dir };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { error: String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).slice(0, 300) };
  }
}
