import { sendDigest } from '../app/send-digest';
import { sendNudge } from '../app/send-nudge';
import type { JobHandlers } from './job-handler';

/** Each kind of job's use case; what it queues is data, drawn by the send worker's renderer when it is sent. */
export const JOB_HANDLERS: JobHandlers = {
  digest: sendDigest,
  nudge: sendNudge,
};
