import type { DealField, Deal } from '../domain/deal';
import type { GateItem } from '../domain/stage-gate';
import type { ServiceLine } from '../domain/service-line';
import type { Outcome, Stage } from '../domain/stage';
import type { MessageKey, Translate } from '../i18n/locale';

/** Translated names of the domain's words, in one place. */
export const stageLabel = (t: Translate, stage: Stage, outcome?: Outcome): string =>
  outcome ? t(`outcome.${outcome}` as MessageKey) : t(`stage.${stage}` as MessageKey);

export const dealStageLabel = (t: Translate, deal: Pick<Deal, 'stage' | 'outcome'>): string => stageLabel(t, deal.stage, deal.outcome);

export const fieldLabel = (t: Translate, field: DealField | GateItem): string => t(`field.${field}` as MessageKey);

export const serviceLineLabel = (t: Translate, line: ServiceLine): string => t(`serviceLine.${line.replace(/ /g, '')}` as MessageKey);
