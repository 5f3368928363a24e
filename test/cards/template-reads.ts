import type { z } from 'zod';

/**
 * The view-model paths an Adaptive Card template reads, e.g. `heading`, `banner.text`, `stages[].deals[].id`:
 * every identifier in every `${…}` (functions such as `count(…)` and string literals left out), resolved
 * against the `$data` scope it sits in (`$data` binds an array: its items' fields are `<array>[].<field>`;
 * `$root.x` is the root's `x`).
 */
export function templateReads(template: unknown): Set<string> {
  const reads = new Set<string>();
  const readAll = (text: string, scope: string) => {
    for (const [, expression] of text.matchAll(/\$\{([^{}]*)\}/g)) {
      const code = expression.replace(/'[^']*'/g, "''");
      for (const [, id, call] of code.matchAll(/(\$?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(\()?/g)) {
        if (call || ['true', 'false', 'null'].includes(id)) continue;
        reads.add(resolve(id, scope));
      }
    }
  };
  const visit = (node: unknown, scope: string): void => {
    if (Array.isArray(node)) for (const item of node) visit(item, scope);
    else if (typeof node === 'object' && node !== null) {
      let inner = scope;
      const data = (node as Record<string, unknown>).$data;
      if (typeof data === 'string') {
        readAll(data, scope);
        const bound = /^\$\{\s*(\$?[A-Za-z_][\w.]*)\s*\}$/.exec(data);
        if (!bound) throw new Error(`$data must name one array: ${data}`);
        inner = `${resolve(bound[1], scope)}[]`;
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === '$data') continue;
        if (typeof value === 'string') readAll(value, inner);
        else visit(value, inner);
      }
    }
  };
  visit(template, '');
  return reads;
}

function resolve(id: string, scope: string): string {
  if (id === '$root') return '';
  if (id.startsWith('$root.')) return id.slice('$root.'.length);
  if (id.startsWith('$')) throw new Error(`unsupported template variable ${id}`);
  return scope ? `${scope}.${id}` : id;
}

/** Every path a view schema declares (objects and arrays too), and which of them are leaves (strings, numbers, booleans, enums). */
export function schemaPaths(schema: z.ZodTypeAny, path = '', into = { all: new Set<string>(), leaves: new Set<string>() }) {
  const def = schema._def as { typeName: string; shape?: () => Record<string, z.ZodTypeAny>; type?: z.ZodTypeAny; innerType?: z.ZodTypeAny };
  if (path) into.all.add(path);
  switch (def.typeName) {
    case 'ZodOptional':
    case 'ZodNullable':
    case 'ZodDefault':
      return schemaPaths(def.innerType!, path, into);
    case 'ZodObject':
      for (const [key, value] of Object.entries(def.shape!())) schemaPaths(value, path ? `${path}.${key}` : key, into);
      return into;
    case 'ZodArray':
      return schemaPaths(def.type!, `${path}[]`, into);
    default:
      into.leaves.add(path);
      return into;
  }
}

/** What a template reads that its schema does not declare, and the schema's leaves the template never reads. */
export function readsAgainstSchema(template: unknown, schema: z.ZodTypeAny): { undeclared: string[]; unread: string[] } {
  const reads = templateReads(template);
  const { all, leaves } = schemaPaths(schema);
  return {
    undeclared: [...reads].filter((path) => !all.has(path)).sort(),
    unread: [...leaves].filter((path) => !reads.has(path)).sort(),
  };
}
