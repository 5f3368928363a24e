/**
 * Just enough reading of Bicep text for structural tests (Bicep cannot be compiled on this machine):
 * comments and strings are told apart, blocks are found by matching brackets, and an object literal's
 * top-level entries are listed. It reads the conventional layout infra/ uses, not every Bicep file.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const INFRA = path.join(__dirname, '..', '..', 'infra');

export const readInfra = (relative: string): string => readFileSync(path.join(INFRA, relative), 'utf8');

/** Replaces comments with spaces (same length, so offsets stay valid); strings are kept. */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    if (text[i] === "'") {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (two === '//') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (two === '/*') {
      const stop = text.indexOf('*/', i + 2) + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

/** Index just past the string literal starting at `start` (a quote; `\'` escapes one). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** The text of the bracketed block opening at `open` (inclusive), skipping strings; throws when unbalanced. */
export function blockAt(text: string, open: number): string {
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      i = stringEnd(text, i) - 1;
    } else if (OPEN[ch]) {
      stack.push(OPEN[ch]);
    } else if (ch === '}' || ch === ']' || ch === ')') {
      if (stack.pop() !== ch) throw new Error(`unbalanced ${ch} at ${i}`);
      if (stack.length === 0) return text.slice(open, i + 1);
    }
  }
  throw new Error(`block at ${open} never closes`);
}

/** Brackets balance over the whole file (strings and comments aside): the cheapest syntax check there is. */
export function bracketsBalance(text: string): boolean {
  const body = withoutComments(text);
  try {
    let i = 0;
    while (i < body.length) {
      const ch = body[i];
      if (ch === "'") i = stringEnd(body, i);
      else if (OPEN[ch]) i += blockAt(body, i).length;
      else if (ch === '}' || ch === ']' || ch === ')') return false;
      else i += 1;
    }
    return true;
  } catch {
    return false;
  }
}

/** The object literal assigned by `var <name> = {`. */
export function varObject(text: string, name: string): string {
  const body = withoutComments(text);
  const m = new RegExp(`^var ${name} = \\{`, 'm').exec(body);
  if (!m) throw new Error(`no "var ${name} = {"`);
  return blockAt(body, m.index + m[0].length - 1);
}

/** Top-level entries of an object literal `{ key: value … }` (one per line, as infra/ writes them). */
export function entriesOf(objectLiteral: string): Map<string, string> {
  const entries = new Map<string, string>();
  const inner = objectLiteral.slice(1, -1);
  let depth = 0;
  let i = 0;
  let lineStart = 0;
  while (i <= inner.length) {
    const ch = inner[i];
    if (ch === "'") {
      i = stringEnd(inner, i);
      continue;
    }
    if (ch === '{' || ch === '[' || ch === '(') depth += 1;
    if (ch === '}' || ch === ']' || ch === ')') depth -= 1;
    if ((ch === '\n' || i === inner.length) && depth === 0) {
      const line = inner.slice(lineStart, i).trim();
      const m = /^'?([A-Za-z_][A-Za-z0-9_]*)'?\s*:\s*([\s\S]*)$/.exec(line);
      if (m) entries.set(m[1], m[2].trim());
      lineStart = i + 1;
    }
    i += 1;
  }
  return entries;
}

/** A Bicep string literal's value, or undefined for any other expression. */
export function literal(expression: string): string | undefined {
  const m = /^'((?:[^'\\]|\\.)*)'$/.exec(expression);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

export interface ParamDeclaration {
  name: string;
  type: string;
  hasDefault: boolean;
  /** The decorators right above it, e.g. `@allowed(['a', 'b'])`. */
  decorators: string;
}

/** The `param` declarations of a .bicep file. */
export function paramsOf(text: string): ParamDeclaration[] {
  const body = withoutComments(text);
  const found: ParamDeclaration[] = [];
  const re = /^param (\w+) (\w+)(\s*=)?/gm;
  let previousEnd = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const before = body.slice(previousEnd, m.index);
    const decorators = before.slice(Math.max(before.lastIndexOf('\n\n'), 0));
    found.push({ name: m[1], type: m[2], hasDefault: Boolean(m[3]), decorators });
    previousEnd = m.index + m[0].length;
  }
  return found;
}

/** The string values of an `@allowed([...])` decorator. */
export function allowedValues(decorators: string): string[] | undefined {
  const m = /@allowed\(\[([^\]]*)\]\)/.exec(decorators);
  return m ? [...m[1].matchAll(/'([^']*)'/g)].map((v) => v[1]) : undefined;
}

/** Resource declarations: symbolic name → type (without the API version). */
export function resourcesOf(text: string): Map<string, string> {
  const body = withoutComments(text);
  const found = new Map<string, string>();
  for (const m of body.matchAll(/^resource (\w+) '([^'@]+)@[^']+'/gm)) found.set(m[1], m[2]);
  return found;
}

/** The body `{ … }` of `resource <name> '…' = [if (…)] {`, or of a `[for …: {` loop. */
export function resourceBody(text: string, symbolicName: string): string {
  const body = withoutComments(text);
  const m = new RegExp(`^resource ${symbolicName} '[^']+'[^{]*\\{`, 'm').exec(body);
  if (!m) throw new Error(`no resource ${symbolicName}`);
  return blockAt(body, m.index + m[0].length - 1);
}

/** The array literal assigned by `var <name> = [`. */
export function varArray(text: string, name: string): string {
  const body = withoutComments(text);
  const m = new RegExp(`^var ${name} = \\[`, 'm').exec(body);
  if (!m) throw new Error(`no "var ${name} = ["`);
  return blockAt(body, m.index + m[0].length - 1);
}

/** The object literals `{ … }` that are the elements of an array literal `[ … ]`. */
export function objectsOf(arrayLiteral: string): string[] {
  const found: string[] = [];
  for (let i = 1; i < arrayLiteral.length - 1; i++) {
    if (arrayLiteral[i] === "'") i = stringEnd(arrayLiteral, i) - 1;
    else if (arrayLiteral[i] === '{') {
      const block = blockAt(arrayLiteral, i);
      found.push(block);
      i += block.length - 1;
    }
  }
  return found;
}

/** A Bicep multi-line string's value ('''…'''), or undefined for any other expression. */
export const multiline = (expression: string): string | undefined => /^'''\n?([\s\S]*?)'''$/.exec(expression)?.[1];
