import { DomainError } from './errors';

export const SERVICE_LINES = ['Enterprise Strategy', 'Consulting', 'Premier Support'] as const;
export type ServiceLine = (typeof SERVICE_LINES)[number];

const ALIASES: Record<string, ServiceLine> = {
  'enterprise strategy': 'Enterprise Strategy',
  strategy: 'Enterprise Strategy',
  es: 'Enterprise Strategy',
  consulting: 'Consulting',
  mcs: 'Consulting',
  pg1: 'Consulting',
  'premier support': 'Premier Support',
  premier: 'Premier Support',
  support: 'Premier Support',
  pg2: 'Premier Support',
};

/** Reads one or more service lines from a card's comma-separated choice set or typed text. */
export function parseServiceLines(input: string | readonly string[] | undefined): ServiceLine[] {
  const parts = (Array.isArray(input) ? input : String(input ?? '').split(/[,;，]/))
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  const lines = parts.map((p) => ALIASES[p]);
  if (lines.length === 0 || lines.some((l) => !l)) {
    throw new DomainError('DEAL.SERVICE_LINES_INVALID', { allowed: SERVICE_LINES.join(', ') });
  }
  return SERVICE_LINES.filter((l) => lines.includes(l));
}
