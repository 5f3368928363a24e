import type { DomainError } from '../domain/errors';
import { SIGNATURE_TOLERANCE_SECONDS } from './verify-signature';

/** What the webhook answers when it refuses: a stable code, the request field at fault, and English text. */
export interface WebhookError {
  code: string;
  message: string;
  field?: string;
  missing?: string[];
}

/** Why approval is missing (DEAL.STAGE_GATE_UNMET's `approval`), for the integrator. */
const APPROVAL_HINT: Record<string, string> = {
  none: ' The approval policy calls the deal complex with these terms: its owner requests approval in DealDesk first.',
  pending: ' Its approval is under way in DealDesk.',
  pendingOtherTerms: ' The approval under way in DealDesk is for other terms than these.',
  otherTerms: ' Its approval was for other terms than these (value, currency, discount, terms or service lines): its owner requests approval of these in DealDesk.',
  unrecorded: ' Its approval on record does not say which terms it was for: its owner requests approval of these in DealDesk.',
  moreLevels: ' The approval policy now asks for more levels than were approved: its owner requests approval again in DealDesk.',
};

/** English text for a domain refusal, written for the CRM integrator (not the chat user). */
function messageOf(e: DomainError, field: string | undefined): string {
  const p = e.params;
  const v = typeof p.value === 'string' ? JSON.stringify(p.value) : 'the value';
  switch (e.code) {
    case 'DEAL.NOT_FOUND': return `No deal ${String(p.ref ?? '')} in this tenant.`;
    case 'DEAL.VALUE_INVALID': return `value: ${v} is not a valid amount; send a number of 0 or more (at most 1e12).`;
    case 'DEAL.CURRENCY_INVALID': return `currency: ${v} is not supported; use an ISO 4217 code DealDesk knows.`;
    case 'DEAL.CLOSE_DATE_INVALID': return `closeDate: ${v} is not a real date; use YYYY-MM-DD.`;
    case 'DEAL.PROBABILITY_INVALID': return `probability: ${v} must be a number from 0 to 100.`;
    case 'DEAL.NEXT_STEP_INVALID': return `nextStep: must be text of at most ${p.max ?? 500} characters.`;
    case 'DEAL.TITLE_INVALID': return `title: is required and can be at most ${p.max ?? 200} characters.`;
    case 'DEAL.EVIDENCE_INVALID': return `${field ?? 'evidence'}: must be text of at most ${p.max ?? 500} characters.`;
    case 'DEAL.FIELD_UNKNOWN': return `${field ?? 'field'}: is not a field the webhook can change (stage, value, currency, closeDate, probability, nextStep, title, evidence.{bdm,tdm,budget,solutionOutline,proposalRef}, note).`;
    case 'DEAL.STAGE_UNKNOWN': return `stage: ${typeof p.stage === 'string' ? JSON.stringify(p.stage) : 'the value'} is not a stage; use Prospect, Qualify, Solution, Proof, Won or Lost.`;
    case 'DEAL.CLOSE_NEEDS_OUTCOME': return 'stage: closing needs an outcome; send "Won" or "Lost".';
    case 'DEAL.STAGE_GATE_UNMET': return `stage: moving ${String(p.id)} to ${String(p.stage)} still needs ${missingOf(e).join(', ')}.${APPROVAL_HINT[String(p.approval)] ?? ''}`;
    case 'DEAL.REASON_REQUIRED': return `note: moving ${String(p.id)} to ${String(p.stage)} needs a reason in changes.note.`;
    case 'DEAL.REASON_TOO_LONG': return `note: can be at most ${String(p.max)} characters.`;
    case 'DEAL.CLOSED': return `${field ?? 'field'}: ${String(p.id)} is closed; reopen it with a stage change (and a note) first.`;
    case 'DEAL.NUMBERS_BUSY': return 'Other deals were being created at the same moment; nothing was applied. Retry the same event.';
    case 'DEAL.BUSY': return `${String(p.id)} is being changed by others right now; nothing was applied. Retry the same event.`;
    case 'DEAL.MESSAGES_WAITING': return `${String(p.id)} has messages waiting to be delivered that this change would add to; nothing was applied. Retry the same event later.`;
    case 'DEAL.TOO_LARGE': return `${String(p.id)} has grown larger than the store can keep; nothing was applied.`;
    case 'DEAL.PARTITION_FULL': return `${String(p.id)} has reached the store's 20 GB limit for one deal (with its archived history); nothing was applied.`;
    case 'REQUEST.INVALID': return requestInvalidMessage(field);
    default: return `${e.code}${field ? ` (${field})` : ''}`;
  }
}

export function requestInvalidMessage(field: string | undefined): string {
  switch (field) {
    case 'eventId': return 'eventId: a non-empty string of at most 128 characters is required.';
    case 'deal': return 'deal: a DealDesk deal id such as "D-1042" is required.';
    case 'tenantId': return 'tenantId: must be a non-empty string of at most 128 characters.';
    case 'actor': return 'actor: an object with a name and/or an email is required.';
    case 'actor.name': return 'actor.name: can be at most 100 characters.';
    case 'actor.email': return 'actor.email: is not an e-mail address.';
    case 'changes': return 'changes: an object with at least one change is required.';
    default: return 'The request is not valid.';
  }
}

/** Gate items as request paths: `evidence.bdm`…, the final value as `value`, and `approval` (a complex deal not yet approved). */
const missingOf = (e: DomainError): string[] =>
  Array.isArray(e.params.missing) ? e.params.missing.map((k: string) => (k === 'finalValue' ? 'value' : k === 'approval' ? 'approval' : `evidence.${k}`)) : [];

export function domainRefusal(e: DomainError): { status: number; error: WebhookError } {
  const field = typeof e.params.field === 'string' ? e.params.field : undefined;
  const status = e.code === 'DEAL.NOT_FOUND' ? 404 : e.code === 'DEAL.BUSY' || e.code === 'DEAL.NUMBERS_BUSY' || e.code === 'DEAL.MESSAGES_WAITING' ? 503 : e.code === 'DEAL.NOT_OWNER' ? 403 : e.code === 'DEAL.TOO_LARGE' || e.code === 'DEAL.PARTITION_FULL' ? 409 : 400;
  const error: WebhookError = { code: e.code, message: messageOf(e, field) };
  if (field) error.field = field;
  else if (e.code === 'DEAL.NOT_FOUND') error.field = 'deal';
  if (e.code === 'DEAL.STAGE_GATE_UNMET') error.missing = missingOf(e);
  return { status, error };
}

export const SIGNATURE_REFUSALS: Record<string, WebhookError> = {
  missing: { code: 'WEBHOOK.SIGNATURE_MISSING', message: 'The X-DealDesk-Timestamp and X-DealDesk-Signature headers are required.' },
  malformed: { code: 'WEBHOOK.SIGNATURE_INVALID', message: 'X-DealDesk-Timestamp must be unix seconds and X-DealDesk-Signature must be sha256=<64 hex digits>.' },
  stale: {
    code: 'WEBHOOK.TIMESTAMP_OUT_OF_RANGE',
    message: `X-DealDesk-Timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes away from DealDesk's clock; sign every delivery (retries too) with the current time.`,
  },
  mismatch: { code: 'WEBHOOK.SIGNATURE_INVALID', message: 'The signature does not match the timestamp and body.' },
};
