import type { z } from 'zod';
import { AccountView } from './views/account';
import { AlertView } from './views/alert';
import { ApprovalView } from './views/approval';
import { ApprovalTrailView } from './views/approval-trail';
import { ApproversView } from './views/approvers';
import { ChooseDealView } from './views/choose-deal';
import { CrmSyncView } from './views/crm-sync';
import { CsatView } from './views/csat';
import { CsatRecoveryView } from './views/csat-recovery';
import { DealView } from './views/deal';
import { DealFormView } from './views/deal-form';
import { DeliveryPlanView } from './views/delivery-plan';
import { DeliveryStatusView } from './views/delivery-status';
import { DigestView } from './views/digest';
import { FollowingView } from './views/following';
import { HelpView } from './views/help';
import { HistoryView } from './views/history';
import { LowCsatView } from './views/low-csat';
import { MessageView } from './views/message';
import { MyTeamView } from './views/my-team';
import { NudgeView } from './views/nudge';
import { PickDealDialogView } from './views/pick-deal-dialog';
import { PipelineView } from './views/pipeline';
import { ProposalView } from './views/proposal';
import { QuotaView } from './views/quota';
import { StageGateView } from './views/stage-gate';
import { TeamView } from './views/team';

/**
 * Each template under ../cards by file name, with the view model it reads: one strict zod schema per
 * template (src/cards/views/), so a builder's view is checked by the compiler (renderCard's `view`) and a
 * sample (cards/samples/) by the schema in test/cards/card-views.spec.ts, which also checks that each
 * template reads exactly the fields its schema declares.
 */
export const CARD_VIEWS = {
  account: AccountView,
  alert: AlertView,
  approval: ApprovalView,
  'approval-trail': ApprovalTrailView,
  approvers: ApproversView,
  'choose-deal': ChooseDealView,
  'crm-sync': CrmSyncView,
  csat: CsatView,
  'csat-recovery': CsatRecoveryView,
  deal: DealView,
  'deal-form': DealFormView,
  'delivery-plan': DeliveryPlanView,
  'delivery-status': DeliveryStatusView,
  digest: DigestView,
  following: FollowingView,
  help: HelpView,
  history: HistoryView,
  'low-csat': LowCsatView,
  message: MessageView,
  'my-team': MyTeamView,
  nudge: NudgeView,
  'pick-deal-dialog': PickDealDialogView,
  pipeline: PipelineView,
  proposal: ProposalView,
  quota: QuotaView,
  'stage-gate': StageGateView,
  team: TeamView,
} as const;

/** The card templates under ../cards, by file name. */
export type CardName = keyof typeof CARD_VIEWS;

/** What `renderCard(name, view)` takes for each template. */
export type CardViews = { [N in CardName]: z.input<(typeof CARD_VIEWS)[N]> };
