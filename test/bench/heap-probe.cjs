// Preloaded (node --require) into a DealDesk process by the benchmark (heap-limits.ts), never shipped: records the V8
// heap every 100 ms and after every major garbage collection, into HEAP_PROBE_FILE (rewritten each time, so the
// figures survive a process that dies of an exhausted heap).
'use strict';
const { getHeapStatistics } = require('node:v8');
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');

const file = process.env.HEAP_PROBE_FILE;
const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
const seen = { peakUsedMb: 0, peakTotalMb: 0, peakLiveMb: 0, majorGcs: 0, majorGcMs: 0, limitMb: mb(getHeapStatistics().heap_size_limit) };
const write = () => {
  try {
    writeFileSync(file, JSON.stringify(seen));
  } catch {
    // the benchmark reads what is there
  }
};
const sample = () => {
  const h = getHeapStatistics();
  seen.peakUsedMb = Math.max(seen.peakUsedMb, mb(h.used_heap_size));
  seen.peakTotalMb = Math.max(seen.peakTotalMb, mb(h.total_heap_size));
};
if (file) {
  setInterval(() => {
    sample();
    write();
  }, 100).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      seen.majorGcs += 1;
      seen.majorGcMs = Math.round((seen.majorGcMs + entry.duration) * 10) / 10;
      // Right after a major collection what is used is (nearly) all live.
      seen.peakLiveMb = Math.max(seen.peakLiveMb, mb(getHeapStatistics().used_heap_size));
    }
  }).observe({ entryTypes: ['gc'] });
}
