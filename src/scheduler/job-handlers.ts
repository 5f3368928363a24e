import { sendDigest } from '../app/send-digest';
import { sendNudge } from '../app/send-nudge';
import { digestCard } from '../cards/digest-card';
import { nudgeCard } from '../cards/nudge-card';
import { translator } from '../i18n/locale';
import type { JobHandlers } from './job-handler';

/** Each kind of job's use case, given the card it draws in the person's language. */
export const JOB_HANDLERS: JobHandlers = {
  digest: (deps, job, now) => sendDigest(deps, job, now, (locale, digest) => digestCard(translator(locale), locale, digest)),
  nudge: (deps, job, now) => sendNudge(deps, job, now, (locale, rows, options) => nudgeCard(translator(locale), locale, rows, options)),
};
