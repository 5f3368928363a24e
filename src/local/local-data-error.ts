/**
 * A local data file (the snapshot or a journal) that cannot be read. Start-up stops with this one line, and the file
 * is left exactly as it is: never deleted, moved or overwritten, so nothing it still holds is lost.
 */
export class LocalDataError extends Error {
  override name = 'LocalDataError';

  constructor(
    readonly file: string,
    readonly reason: string,
    recovery: string,
  ) {
    super(`local data file ${file} cannot be read (${reason}). Nothing was changed. ${recovery}`);
  }
}
