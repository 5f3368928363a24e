import { type EqualityFilter, type IndexedValue, isIndexedValue } from './equality-index';

/**
 * The equality filters an index can serve, read off a query's syntax tree (@zeit/cosmosdb-query's parser):
 * the `<document path> = <constant or @parameter>` and `ARRAY_CONTAINS(<document path>, <constant or @parameter>)`
 * terms joined by AND at the top of the WHERE, for a query over
 * one plain collection (`FROM c`, `FROM root r`; no JOIN, no `FROM x IN c.y`). Terms under OR or NOT are ignored
 * (they do not restrict every answer). Undefined when the query has none, so the caller scans everything.
 */
export function equalityFilters(ast: unknown, parameters: ReadonlyArray<{ name: string; value: unknown }> = []): EqualityFilter[] | undefined {
  const query = (ast as Node | undefined)?.body;
  if (!query || query.type !== 'select_query' || !query.where) return undefined;
  const from = query.from;
  if (!from || (from.joins && from.joins.length) || from.source?.iteration) return undefined;
  const source = from.source?.expression;
  if (source?.type !== 'collection_expression' || source.expression?.type !== 'identifier') return undefined;
  const alias = from.source?.alias ? from.source.alias.name : source.expression.name;
  if (typeof alias !== 'string') return undefined;

  // As the engine: the last parameter of a name wins.
  const params = new Map<string, unknown>();
  for (const { name, value } of parameters) params.set(name, value);

  const filters: EqualityFilter[] = [];
  const visit = (node: Node | undefined): void => {
    if (node?.type === 'scalar_function_expression' && !node.udf && String((node.name as Node | undefined)?.name).toUpperCase() === 'IS_DEFINED' && node.arguments?.length === 1) {
      const path = pathOf(node.arguments[0], alias);
      if (path) filters.push({ path, defined: true });
      return;
    }
    if (node?.type === 'scalar_function_expression' && !node.udf && String((node.name as Node | undefined)?.name).toUpperCase() === 'ARRAY_CONTAINS') {
      // ARRAY_CONTAINS(<path>, <scalar>): the array at the path has that element. A third argument (partial match
      // of objects) only matters for an object sought; a scalar is matched by equality either way.
      const [array, sought] = node.arguments ?? [];
      const path = pathOf(array, alias);
      const value = valueOf(sought, params);
      if (path && value.found && node.arguments!.length <= 3) filters.push({ path, element: value.value });
      return;
    }
    if (node?.type !== 'scalar_binary_expression') return;
    if (node.operator === 'AND') {
      visit(node.left);
      visit(node.right);
      return;
    }
    if (node.operator !== '=') return;
    for (const [side, other] of [
      [node.left, node.right],
      [node.right, node.left],
    ] as const) {
      const path = pathOf(side, alias);
      const value = valueOf(other, params);
      if (path && value.found) {
        filters.push({ path, value: value.value });
        return;
      }
    }
  };
  visit(query.where.condition);
  return filters.length ? filters : undefined;
}

interface Node {
  type?: string;
  body?: Node;
  from?: Node;
  where?: Node;
  condition?: Node;
  source?: Node;
  joins?: Node[];
  expression?: Node;
  alias?: Node | null;
  iteration?: boolean;
  name?: string | Node;
  left?: Node;
  right?: Node;
  operator?: string;
  object?: Node;
  property?: Node;
  computed?: boolean;
  value?: unknown;
  arguments?: Node[];
  udf?: boolean;
}

/** `c.owner.id` or `c["owner"]["id"]` rooted at the collection's alias, as its keys. */
function pathOf(node: Node | undefined, alias: string): string[] | undefined {
  const keys: string[] = [];
  let at = node;
  while (at?.type === 'scalar_member_expression') {
    const property = at.property;
    if (!at.computed && property?.type === 'identifier' && typeof property.name === 'string') keys.unshift(property.name);
    else if (at.computed && property?.type === 'string_constant' && typeof property.value === 'string') keys.unshift(property.value);
    else return undefined;
    at = at.object;
  }
  return at?.type === 'identifier' && at.name === alias && keys.length ? keys : undefined;
}

function valueOf(node: Node | undefined, params: Map<string, unknown>): { found: true; value: IndexedValue } | { found: false } {
  let value: unknown;
  switch (node?.type) {
    case 'string_constant':
    case 'number_constant':
    case 'boolean_constant':
      value = node.value;
      break;
    case 'null_constant':
      value = null;
      break;
    case 'parameter_name':
      if (typeof node.name !== 'string' || !params.has(node.name)) return { found: false };
      value = params.get(node.name);
      break;
    default:
      return { found: false };
  }
  return isIndexedValue(value) ? { found: true, value } : { found: false };
}
