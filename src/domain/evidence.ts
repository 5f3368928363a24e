/** The evidence a stage gate asks for before a deal may leave a stage. */
export const EVIDENCE_KEYS = ['bdm', 'tdm', 'budget', 'solutionOutline', 'proposalRef'] as const;
export type EvidenceKey = (typeof EVIDENCE_KEYS)[number];
export type Evidence = Partial<Record<EvidenceKey, string>>;

export const EVIDENCE_MAX_LENGTH = 500;
