import { loopsAlive, type WatchedLoop } from './liveness';

export interface ReadinessDeps {
  /** Reaches the store (one cheap read); throws or hangs when it is down. */
  ping(): Promise<void>;
  loops: readonly WatchedLoop[];
  /** True once shutdown began: the load balancer should send nothing more. */
  stopping(): boolean;
  /** How long a ping may take before the store counts as down. */
  pingTimeoutMs?: number;
}

/**
 * /readyz's check: not stopping, the store reachable, and the scheduler and delivery loops alive. Concurrent
 * probes share one ping, and a ping that hangs counts as down after pingTimeoutMs. Only a boolean leaves
 * here: no error text reaches the probe.
 */
export function readinessCheck(deps: ReadinessDeps): () => Promise<boolean> {
  let pinging: Promise<boolean> | undefined;
  const storeUp = (): Promise<boolean> => {
    pinging ??= new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), deps.pingTimeoutMs ?? 3000);
      timer.unref();
      deps.ping().then(
        () => resolve(true),
        () => resolve(false),
      ).finally(() => clearTimeout(timer));
    }).finally(() => {
      pinging = undefined;
    });
    return pinging;
  };
  return async () => !deps.stopping() && loopsAlive(deps.loops) && (await storeUp()) && !deps.stopping();
}
