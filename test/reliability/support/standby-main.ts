/**
 * A DealDesk process that has loaded its code but not started: it opens nothing, listens nowhere and runs no
 * loop until a line arrives on stdin; then it runs src/main.ts, exactly as `node dist/main.js` does. The kill
 * tests keep one ready, so a restart is a new process that starts at once instead of after ~2 s of module
 * loading on these cores (the process it replaces is dead by then: nothing is shared but the code).
 */
import '../../../src/config';
import '../../../src/logger';
import '../../../src/start-dealdesk';

process.stdin.once('data', () => {
  process.stdin.pause();
  require('../../../src/main');
});
