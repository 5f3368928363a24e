/**
 * Node reads a CommonJS file into one JavaScript string, and V8 stores a string with any character above U+00FF in
 * two bytes per character: one such character anywhere doubles the heap the bundle's source takes (~20 MB → ~40 MB,
 * measured in docs/benchmarks.md). esbuild escapes non-ASCII characters in strings and identifiers but prints regular
 * expression literals as written (evanw/esbuild#4205), so a few `/[，、]/` in dependencies make the whole bundle
 * two-byte. This rewrites each such UTF-16 unit as `\uXXXX` (the same character to a regular expression, with or
 * without the `u` flag, to a string and to a comment; only a pattern's `.source` text differs) and moves the source
 * map's generated columns on those lines by the characters added, so stack traces still map back to src/.
 */
export function escapeWideCharacters(code: string, map: { mappings: string }): { code: string; map: { mappings: string }; escaped: number } {
  const lines = code.split('\n');
  const shifts = new Map<number, Array<[at: number, chars: number]>>();
  let escaped = 0;
  const out = lines.map((line, index) => {
    if (!/[^\x00-\xff]/.test(line)) return line;
    const added: Array<[at: number, chars: number]> = [];
    // `\、` in a regular expression is an identity escape of the character: it becomes `\u3001`, not `\\u3001`.
    const text = line.replace(/(\\*)([^\x00-\xff])/g, (_, slashes: string, c: string, at: number) => {
      const identityEscape = slashes.length % 2 === 1;
      added.push([at + slashes.length, identityEscape ? 4 : 5]);
      return `${identityEscape ? slashes.slice(1) : slashes}\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
    escaped += added.length;
    shifts.set(index, added);
    return text;
  });
  if (!shifts.size) return { code, map, escaped };
  const mappingLines = map.mappings.split(';');
  for (const [index, added] of shifts) {
    if (mappingLines[index] === undefined) continue;
    mappingLines[index] = shiftColumns(mappingLines[index], (column) => column + added.reduce((sum, [at, chars]) => sum + (at < column ? chars : 0), 0));
  }
  return { code: out.join('\n'), map: { ...map, mappings: mappingLines.join(';') }, escaped };
}

/** Rewrites the generated column (the first field, relative within the line) of each segment of one mappings line. */
function shiftColumns(line: string, move: (column: number) => number): string {
  let previousOld = 0;
  let previousNew = 0;
  return line
    .split(',')
    .map((segment) => {
      if (!segment) return segment;
      const fields = decodeVlq(segment);
      const column = previousOld + fields[0]!;
      previousOld = column;
      const moved = move(column);
      fields[0] = moved - previousNew;
      previousNew = moved;
      return fields.map(encodeVlq).join('');
    })
    .join(',');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeVlq(n: number): string {
  let value = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = value & 31;
    value >>>= 5;
    if (value) digit |= 32;
    out += BASE64[digit];
  } while (value);
  return out;
}
