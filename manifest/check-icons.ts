import { PNG } from 'pngjs';

/** Teams's rules for the two icons, as problems (empty when the icon is right). */

function readPng(name: string, data: Buffer | undefined): PNG | string {
  if (!data) return `${name}: missing from the package`;
  try {
    return PNG.sync.read(data);
  } catch {
    return `${name}: not a readable PNG`;
  }
}

const pixels = (png: PNG) => Array.from({ length: png.width * png.height }, (_, i) => png.data.subarray(i * 4, i * 4 + 4));

/** The colour icon: 192×192, full bleed (every pixel opaque, Teams rounds the corners itself). */
export function checkColorIcon(name: string, data: Buffer | undefined): string[] {
  const png = readPng(name, data);
  if (typeof png === 'string') return [png];
  if (png.width !== 192 || png.height !== 192) return [`${name}: the colour icon must be 192×192 pixels, not ${png.width}×${png.height}`];
  const see = pixels(png).filter(([, , , a]) => a < 255).length;
  return see > 0 ? [`${name}: the colour icon must be opaque (full-bleed background), ${see} pixels are see-through`] : [];
}

/** The outline icon: 32×32, white on a transparent background; nothing but white (at any opacity) and transparency. */
export function checkOutlineIcon(name: string, data: Buffer | undefined): string[] {
  const png = readPng(name, data);
  if (typeof png === 'string') return [png];
  if (png.width !== 32 || png.height !== 32) return [`${name}: the outline icon must be 32×32 pixels, not ${png.width}×${png.height}`];
  const problems: string[] = [];
  const all = pixels(png);
  const coloured = all.filter(([r, g, b, a]) => a > 0 && (r !== 255 || g !== 255 || b !== 255)).length;
  if (coloured > 0) problems.push(`${name}: the outline icon may only use white and transparency, ${coloured} pixels are another colour`);
  const corners = [0, 31, 32 * 31, 32 * 32 - 1].map((i) => all[i][3]);
  if (corners.some((a) => a !== 0)) problems.push(`${name}: the outline icon needs a transparent background (its corners are not transparent)`);
  const ink = all.filter(([, , , a]) => a > 0).length;
  if (ink === 0) problems.push(`${name}: the outline icon is empty`);
  else if (ink > all.length * 0.6) problems.push(`${name}: the outline icon covers ${Math.round((100 * ink) / all.length)} % of its square; draw the mark on a transparent background`);
  return problems;
}
