/**
 * Muting is a person's own choice about one deal's alerts. It is kept with the person (one small document per
 * choice, beside their person record), never in the deal, so muting never changes a deal's revision, history or
 * alerts, whoever mutes it.
 *
 * Deals written before that still carry `mutedBy`, the list their mutes were kept in. Those lists are only ever
 * read now: a person in one stays muted until they choose again, and their own choice wins over the list.
 */

/** People's own choices about one deal, by person id: true muted, false unmuted (overriding a legacy list). */
export type MuteChoices = ReadonlyMap<string, boolean>;

/** Whether a person hears nothing of a deal: their own choice if they made one, else the deal's legacy list. */
export const isMuted = (personId: string, legacyMutedBy: readonly string[], choices: MuteChoices): boolean =>
  choices.get(personId) ?? legacyMutedBy.includes(personId);

/**
 * What to keep of a person's mute or unmute: `true` (muted), `false` (unmuted, needed only to override their entry
 * in the deal's legacy list) or `undefined` (nothing: alerts are on by default, so an unmute keeps no document).
 * So a person has at most one document per deal, and only while it says something the defaults do not.
 */
export const muteChoiceToKeep = (personId: string, legacyMutedBy: readonly string[], muted: boolean): boolean | undefined =>
  muted ? true : legacyMutedBy.includes(personId) ? false : undefined;
