const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * An ISO-8601 duration of weeks, days, hours, minutes and seconds ("P1D", "PT36H", "P1W", "P2DT3H") in
 * ms, or undefined when the text is not one. Years and months are refused: their length depends on the
 * date they start from. A day is 24 hours here.
 */
export function isoDurationMs(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  return Math.round((((w * 7 + d) * 24 + h) * 60 + min) * 60_000 + s * 1000);
}
