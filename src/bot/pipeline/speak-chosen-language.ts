import type { AppDeps } from '../../app/context';
import { chosenLanguage } from '../../app/choose-language';
import { inChosenLanguage } from '../turn-of';
import { currentTurn, setCurrentTurn } from './current-turn';
import type { TurnStep } from './turn-step';

/** The Teams locale is remembered as such; the language the person chose (`language …`), if any, is the one the turn speaks. */
export const speakChosenLanguage = (deps: AppDeps): TurnStep => async (context, next) => {
  const turn = currentTurn(context)!;
  setCurrentTurn(context, inChosenLanguage(turn, await chosenLanguage(deps, turn.actor)));
  return next();
};
