import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

/**
 * DealDesk's mark: a bold "D" (the deal) holding a stage chevron (moving it forward).
 * Drawn from geometry, anti-aliased by supersampling, so the PNGs in this folder are reproducible:
 * `npx tsx manifest/draw-icons.ts` rewrites color.png (192×192) and outline.png (32×32).
 */

type Rgb = readonly [number, number, number];
/** A shape is a point test in canvas pixels (y downwards). */
type Shape = (x: number, y: number) => boolean;

export const BRAND: Rgb = [0x12, 0x5c, 0xd6];
const BRAND_DEEP: Rgb = [0x0b, 0x3f, 0xa8];
const WHITE: Rgb = [255, 255, 255];

/** Where the mark sits on a canvas, in pixels: edges snap to the pixel grid so the small icon stays crisp. */
interface MarkGeometry {
  left: number; right: number; top: number; bottom: number; weight: number;
  chevron: { tip: number; halfHeight: number; thickness: number };
}

/** The "D": a stem with a round bowl, as a stroke `weight` wide. */
function letterD({ left, right, top, bottom, weight }: MarkGeometry): Shape {
  const radius = (bottom - top) / 2;
  const bowlX = right - radius;
  const centreY = (top + bottom) / 2;
  const inside = (x: number, y: number, inset: number) =>
    (x >= left + inset && x <= bowlX && y >= top + inset && y <= bottom - inset) ||
    (x >= bowlX && (x - bowlX) ** 2 + (y - centreY) ** 2 <= (radius - inset) ** 2);
  return (x, y) => inside(x, y, 0) && !inside(x, y, weight);
}

/** A right-pointing chevron with square-cut ends (the "next stage" arrow of a pipeline), 45° arms. */
function chevron({ top, bottom, chevron: { tip, halfHeight, thickness } }: MarkGeometry): Shape {
  const y0 = (top + bottom) / 2;
  const back = tip - halfHeight;
  const polygon: Array<[number, number]> = [
    [back, y0 - halfHeight], [back + thickness, y0 - halfHeight], [tip + thickness, y0],
    [back + thickness, y0 + halfHeight], [back, y0 + halfHeight], [tip, y0],
  ];
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      const [xi, yi] = polygon[i];
      const [xj, yj] = polygon[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

/** DealDesk's mark on a canvas: the D and the chevron in its counter. */
function dealDeskMark(g: MarkGeometry): Shape {
  const [d, arrow] = [letterD(g), chevron(g)];
  return (x, y) => d(x, y) || arrow(x, y);
}

/** 192×192: the mark fills Teams's central 96×96 safe area (a little more for the round bowl). */
const LARGE: MarkGeometry = { left: 54, right: 140, top: 50, bottom: 142, weight: 17, chevron: { tip: 101, halfHeight: 20, thickness: 16 } };
/** 32×32: 4 px strokes on whole pixels. */
const SMALL: MarkGeometry = { left: 6, right: 27, top: 5, bottom: 27, weight: 4, chevron: { tip: 16.5, halfHeight: 4, thickness: 4 } };

/** Coverage (0..1) of `shape` over each pixel of a `size`² canvas, `samples`² points per pixel. */
function coverage(shape: Shape, size: number, samples = 8): Float64Array {
  const out = new Float64Array(size * size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) if (shape(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples)) hits++;
      }
      out[py * size + px] = hits / (samples * samples);
    }
  }
  return out;
}

const mix = (a: number, b: number, t: number) => Math.round(a + (b - a) * t);

/** 192×192, full bleed: a diagonal brand-blue gradient with the white mark in Teams's central safe area. */
export function drawColorIcon(): PNG {
  const size = 192;
  const png = new PNG({ width: size, height: size });
  const mark = coverage(dealDeskMark(LARGE), size);
  for (let i = 0; i < size * size; i++) {
    const [x, y] = [i % size, Math.floor(i / size)];
    const g = (x + y) / (2 * (size - 1));
    const background = BRAND.map((c, k) => mix(c, BRAND_DEEP[k], g));
    for (let k = 0; k < 3; k++) png.data[i * 4 + k] = mix(background[k], WHITE[k], mark[i]);
    png.data[i * 4 + 3] = 255;
  }
  return png;
}

/** 32×32: the mark in pure white on a transparent background (Teams tints it). */
export function drawOutlineIcon(): PNG {
  const size = 32;
  const png = new PNG({ width: size, height: size });
  const mark = coverage(dealDeskMark(SMALL), size);
  for (let i = 0; i < size * size; i++) {
    const alpha = Math.round(mark[i] * 255);
    png.data.set(alpha === 0 ? [0, 0, 0, 0] : [255, 255, 255, alpha], i * 4);
  }
  return png;
}

if (require.main === module) {
  writeFileSync(join(__dirname, 'color.png'), PNG.sync.write(drawColorIcon()));
  writeFileSync(join(__dirname, 'outline.png'), PNG.sync.write(drawOutlineIcon()));
  console.log('Wrote manifest/color.png (192×192) and manifest/outline.png (32×32).');
}
