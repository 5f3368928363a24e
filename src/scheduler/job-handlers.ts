import { sendDigest } from '../app/send-digest';
import { sendNudge } from '../app/send-nudge';
import type { JobHandlers } from './job-handler';

export const JOB_HANDLERS: JobHandlers = {
  digest: sendDigest,
  nudge: sendNudge,
};
