import type { UpdateContext, UpdateProposal } from '../domain/understand/update-proposal';

/**
 * Reads a message the user wrote in their own words into a proposal (never a change): the offline extractor
 * (domain/understand) by default, a language model through teams-ai when the tenant configures one, which falls
 * back to the offline extractor on any error, timeout or throttling within `signal`'s budget.
 * `context.deals` holds only deals the user may change: a reader never sees anyone else's.
 */
export interface UpdateReader {
  readonly kind: 'offline' | 'model';
  read(text: string, context: UpdateContext, signal: AbortSignal): Promise<UpdateProposal>;
}

/** The facts `summary <deal>` is written from, gathered and judged deterministically by DealDesk. */
export interface DealSummaryFacts {
  dealId: string;
  title: string;
  account: string;
  /** What changed in the last 7 days, oldest first, as display-neutral lines. */
  changes: string[];
  /** What is at risk: stale, close date passed, missing evidence for the next gate, approval waiting. */
  risks: Array<{ kind: 'stale' | 'closeDatePassed' | 'missingEvidence' | 'approvalWaiting'; detail: string }>;
  /** The deterministic suggestion (e.g. the evidence the next gate needs, or "confirm the close date"). */
  suggestedNextStep: string;
}

/**
 * Writes the summary's text from the facts, in the user's language: deterministic offline (a template); the model
 * when configured, which may only rephrase the facts it is given and falls back to the template on any failure.
 */
export interface SummaryWriter {
  readonly kind: 'offline' | 'model';
  write(facts: DealSummaryFacts, locale: string, signal: AbortSignal): Promise<string>;
}
