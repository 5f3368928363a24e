import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { CommandSchema } from '../../src/chat/command-schema';
import { chooseDealCard } from '../../src/cards/choose-deal-card';
import { messageCard } from '../../src/cards/message-card';
import { CARDS_DIR, type CardName, renderCard } from '../../src/cards/render-card';
import { translator } from '../../src/i18n/locale';
import { actionsOf } from './card-check';
import { aDeal } from '../domain/deal-fixture';
import { sampleOf } from './samples';

const t = translator('en-US');
const templateNames = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort() as CardName[];

/**
 * A button that runs a command carries the typed command (chat/command.ts), so a press never goes back through the
 * text parser: the builders hand the template the command object and the template binds it whole.
 */
describe('a command button carries the typed command, not text', () => {
  it('adaptivecards-templating puts a value in whole where a property is exactly "${expr}" (an object stays an object)', () => {
    const command = { name: 'quota', command: { kind: 'setManager', person: 'id:aad-megan', manager: 'Adele Vance' } };
    const card = new ACData.Template({ type: 'AdaptiveCard', actions: [{ type: 'Action.Execute', $data: '${buttons}', data: { command: '${command}', said: 'run ${command.name}' } }] })
      .expand({ $root: { buttons: [{ command }] } }) as { actions: Array<{ data: unknown }> };
    // Inside a longer string the same expression is only text.
    assert.deepEqual(card.actions[0].data, { command, said: 'run quota' });
  });

  it('a message card\'s buttons and a choice card\'s matches carry their commands whole, nested ones too', () => {
    const nested = { name: 'reassign', command: { kind: 'all', from: 'id:aad-alex', to: 'id:aad-megan' } } as const;
    const message = messageCard(t, 'text', { buttons: [{ title: 'Reassign', command: nested }] });
    assert.deepEqual(actionsOf(message).map((a) => a.data), [{ command: nested }, { command: { name: 'help' } }]);
    const choice = chooseDealCard(t, 'azure', [aDeal()], (id) => ({ name: 'move', ref: id, target: 'proof', note: 'as agreed' }));
    assert.deepEqual(actionsOf(choice).map((a) => a.data), [{ command: { name: 'move', ref: 'D-1042', target: 'proof', note: 'as agreed' } }]);
  });

  for (const name of templateNames) {
    it(`${name}: every command.run button (rendered with its sample) carries one command of the schema`, () => {
      for (const action of actionsOf(renderCard(name, sampleOf(name))).filter((a) => a.verb === 'command.run')) {
        const { command, ...rest } = action.data as { command: unknown };
        assert.deepEqual(rest, {}, JSON.stringify(action.data));
        assert.equal(typeof command, 'object', `${name}: ${JSON.stringify(command)} is text`);
        assert.ok(CommandSchema.safeParse(command).success, `${name}: ${JSON.stringify(command)}`);
      }
    });
  }
});
