import type { Evidence, EvidenceKey } from './evidence';
import { STAGES, stageIndex, type MoveTarget, type Stage } from './stage';

/** What leaving each stage forward needs (product.md, "Stages"). */
const LEAVING: Record<Stage, readonly EvidenceKey[]> = {
  Prospect: [],
  Qualify: ['bdm', 'tdm', 'budget'],
  Solution: ['solutionOutline'],
  Proof: ['proposalRef'],
  Close: [],
};

/** A requirement of a gate: an evidence item, or the final NWS value when closing Won. */
export type GateItem = EvidenceKey | 'finalValue' | 'approval';

/**
 * The items a forward move still lacks. Skipping stages passes every gate on the way;
 * closing Won also needs the final NWS value, confirmed at the moment of closing.
 * Closing Lost passes no gate: a deal can be lost at any stage (it needs a reason instead).
 */
export function missingForMove(
  from: Stage,
  to: MoveTarget,
  evidence: Evidence,
  finalValueGiven: boolean,
): GateItem[] {
  const missing: GateItem[] = [];
  if (to.stage === 'Close' && to.outcome === 'Lost') return missing;
  const target = to.stage;
  if (stageIndex(target) > stageIndex(from)) {
    for (const stage of STAGES.slice(stageIndex(from), stageIndex(target))) {
      for (const key of LEAVING[stage]) if (!evidence[key]?.trim()) missing.push(key);
    }
  }
  if (to.stage === 'Close' && to.outcome === 'Won' && !finalValueGiven) missing.push('finalValue');
  return missing;
}
