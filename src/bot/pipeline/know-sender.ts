import { textReply } from '../../chat/reply';
import { localeTurn, turnOf } from '../turn-of';
import { setCurrentTurn } from './current-turn';
import type { TurnStep } from './turn-step';
import { note } from './turn-note';

/**
 * The tenant and the person acting come from the activity (never from its text or card data); an activity that
 * does not say both is answered, never acted on. (Which tenants may talk to DealDesk at all is the HTTP edge's
 * check, ALLOWED_TENANTS, before any turn runs.)
 */
export const knowSender: TurnStep = async (context, next) => {
  const turn = turnOf(context);
  if (!turn) {
    note(context, { outcome: 'UNKNOWN_SENDER' });
    return textReply(localeTurn(context)('error.unknownSender'));
  }
  setCurrentTurn(context, turn);
  return next();
};
