/** Reads an Adaptive Card the way a person looks at it: its text, its buttons, its inputs. */
type Node = Record<string, any>;

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Node);
    Object.values(node).forEach((v) => walk(v, visit));
  }
}

/** Markdown as a person sees it: backslash escapes are not shown. */
export const rendered = (markdown: string): string => markdown.replace(/\\(.)/g, '$1');

/** Every visible string of the card (TextBlocks, facts) as rendered, joined by newlines. */
export function cardText(card: Node): string {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock' && typeof n.text === 'string') out.push(rendered(n.text));
    if (n.type === 'FactSet') for (const f of n.facts) out.push(`${rendered(f.title)}: ${rendered(f.value)}`);
  });
  return out.join('\n');
}

export interface Button {
  title: string;
  verb: string;
  data: Record<string, any>;
}

/** Every Action.Execute of the card (actions, action sets, select actions). */
export function buttons(card: Node): Button[] {
  const out: Button[] = [];
  walk(card, (n) => {
    if (n.type === 'Action.Execute') out.push({ title: n.title, verb: n.verb, data: n.data ?? {} });
  });
  return out;
}

export function button(card: Node, title: string | RegExp): Button {
  const found = buttons(card).find((b) => (typeof title === 'string' ? b.title === title : title.test(b.title)));
  if (!found) throw new Error(`no button ${title} on the card; buttons: ${buttons(card).map((b) => b.title).join(', ')}`);
  return found;
}

/** Inputs by id, with their prefilled values. */
export function inputs(card: Node): Record<string, any> {
  const out: Record<string, any> = {};
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) out[n.id] = n.value;
  });
  return out;
}

/** The fact value shown for a label ("Stage" → "Qualify"). */
export function fact(card: Node, title: string): string | undefined {
  let value: string | undefined;
  walk(card, (n) => {
    if (n.type === 'FactSet') for (const f of n.facts) if (f.title === title) value = rendered(f.value);
  });
  return value;
}
