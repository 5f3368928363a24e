// Drives the Microsoft 365 Agents Playground web UI in headless Chromium (playwright-core).
// Findings behind the selectors: test/e2e/PLAYGROUND-NOTES.md.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { PLAYGROUND_IDENTITY } from '../../../src/local/playground';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const EDITOR = '[data-lexical-editor=true]';
const CARD = '.ac-adaptiveCard'; // root (and Action.ShowCard) element of the Adaptive Cards renderer
const DEFAULT_TIMEOUT = 15_000;

export type InputValue = string | string[] | boolean;

/** One row of a search message extension's result list: the preview's title and the rest of its text. */
export interface SearchResult {
  title: string;
  text: string;
}

export interface Driver {
  readonly page: Page;
  /** Types into the open conversation's compose box (in a channel: the "Start a new post" box) and presses Enter. */
  send(text: string): Promise<void>;
  /** In a channel: starts a new post that @mentions the bot (the bot only hears mentions there). */
  sendInChannel(text: string): Promise<void>;
  openPersonalChat(): Promise<void>;
  openChannel(name: string): Promise<void>;
  /** Waits until the text is visible in the open conversation (cards included; the chat list and log panel are not). */
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** The text shown by the most recent card in the open conversation that contains `text` (as the page renders it). */
  cardText(text: string): Promise<string>;
  /** Clicks the card button with this accessible name in the most recent card that has it. */
  clickButton(name: string, options?: { last?: boolean }): Promise<void>;
  /**
   * Sets an Adaptive Card input (found by its label, or else its placeholder) in the most recent card that has it.
   * Input.Text/Number: string. Input.Date: 'YYYY-MM-DD'. Input.Time: 'HH:mm'. Input.Toggle: boolean.
   * Input.ChoiceSet: the choice title; a string[] of titles for isMultiSelect (exactly these end up selected).
   */
  fillInput(labelOrPlaceholder: string, value: InputValue): Promise<void>;
  /**
   * Compose box → "Trigger Message Extension App" → "Search Command": fills "Command ID" and "Parameter name" (the
   * playground does not read the manifest), types the term, waits for the app's answer to be listed, and returns
   * the listed results (an empty list shows "We didn't find any matches."). Calling it again with another term
   * searches anew in the open popover (the same term again sends no query, so it would time out).
   */
  searchExtension(commandId: string, parameterName: string, term: string): Promise<SearchResult[]>;
  /** Clicks the listed search result with this title: its card goes into the compose box (not sent yet). */
  pickSearchResult(title: string): Promise<void>;
  /** Sends what is in the compose box as it is (e.g. a card a message extension put there): "Send Message" / "Post". */
  sendComposed(): Promise<void>;
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPlayground(url: string, options: { botName?: string } = {}): Promise<Driver> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  try {
    // Offline machine: fail the CDN font requests at once instead of waiting on DNS.
    await context.route((u) => u.hostname !== 'localhost' && u.hostname !== '127.0.0.1', (route) => route.abort());
    const page = context.pages()[0] ?? (await context.newPage());
    const driver = new PlaygroundDriver(context, page, userDataDir, options.botName ?? PLAYGROUND_IDENTITY.bot.name);
    await driver.load(url);
    return driver;
  } catch (err) {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

class PlaygroundDriver implements Driver {
  private current: { kind: 'personal' } | { kind: 'channel'; name: string } = { kind: 'personal' };

  constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly userDataDir: string,
    private readonly botName: string,
  ) {}

  async load(url: string): Promise<void> {
    await this.page.goto(url, { timeout: 60_000 }); // ~6 s: a 9 MB bundle
    // Loading the page makes the playground send installationUpdate + conversationUpdate for the personal chat.
    const connected = this.page.getByText('Connected.', { exact: true });
    const failed = this.page.getByText('Cannot connect to your app').first();
    await connected.or(failed).first().waitFor({ timeout: 30_000 });
    if (await failed.isVisible()) throw new Error(`Agents Playground at ${url} cannot reach the bot`);
    await this.editor().waitFor();
  }

  /** The open conversation: the outermost element with a compose box that is not the whole app (no chat list). */
  private pane(): Locator {
    return this.page
      .locator('div')
      .filter({ has: this.page.locator(EDITOR) })
      .filter({ hasNot: this.page.getByRole('region', { name: 'Chat and Teams Channel' }) })
      .first();
  }

  private editor(): Locator {
    return this.pane().locator(EDITOR).first();
  }

  async send(text: string): Promise<void> {
    await this.compose(text);
    await this.page.keyboard.press('Enter');
    await this.editorCleared();
  }

  async sendInChannel(text: string): Promise<void> {
    if (this.current.kind !== 'channel') throw new Error('sendInChannel: open a channel first (openChannel)');
    await this.compose(`@${this.botName}`);
    await this.page.getByRole('menuitem', { name: this.botName }).first().click();
    await this.page.keyboard.type(` ${text}`);
    await this.pane().getByRole('button', { name: 'Post', exact: true }).click();
    await this.editorCleared();
  }

  async openPersonalChat(): Promise<void> {
    await this.page.getByRole('treeitem', { name: 'Personal Chat', exact: true }).click();
    await this.page.getByRole('button', { name: 'Post', exact: true }).waitFor({ state: 'hidden' });
    await this.editor().waitFor();
    this.current = { kind: 'personal' };
  }

  async openChannel(name: string): Promise<void> {
    if (this.current.kind === 'channel' && this.current.name === name) return;
    // Switching channel to channel reuses the DOM, so nothing marks the switch as done: go via the personal chat.
    if (this.current.kind === 'channel') await this.openPersonalChat();
    const channels = this.page.getByRole('tree', { name: 'Teams Channel' });
    await channels.getByRole('treeitem', { name: new RegExp(` - ${escapeRegExp(name)}$`) }).click();
    await this.pane().getByRole('button', { name: 'Post', exact: true }).waitFor();
    this.current = { kind: 'channel', name };
  }

  async waitForText(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const pattern = typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text;
    try {
      await this.pane().getByText(pattern).filter({ visible: true }).first().waitFor({ timeout: timeoutMs });
    } catch {
      const shown = (await this.pane().innerText().catch(() => '')).replace(/\s+/g, ' ').slice(-600);
      throw new Error(`waitForText(${pattern}) timed out after ${timeoutMs} ms. Conversation ends with: ${shown}`);
    }
  }

  async cardText(text: string): Promise<string> {
    return (await this.latestCard(this.page.getByText(text, { exact: false }), `the text "${text}"`)).innerText();
  }

  async clickButton(name: string, options: { last?: boolean } = {}): Promise<void> {
    const button = (scope: Locator | Page) => scope.getByRole('button', { name, exact: true });
    if (options.last === false) return button(this.pane()).click(); // strict: exactly one such button
    await button(await this.latestCard(button(this.page), `button "${name}"`)).click();
  }

  async fillInput(labelOrPlaceholder: string, value: InputValue): Promise<void> {
    const labelText = new RegExp(`^\\s*${escapeRegExp(labelOrPlaceholder)}(\\s*\\*)?\\s*$`); // "*" marks isRequired
    const label = (scope: Locator | Page) => scope.locator('label').filter({ hasText: labelText });
    const placeholder = (scope: Locator | Page) => scope.getByPlaceholder(labelOrPlaceholder, { exact: true });
    const card = await this.latestCard(label(this.page).or(placeholder(this.page)), `input "${labelOrPlaceholder}"`);
    // A message the bot sent on its own (proactive) is rendered anew on the first click anywhere in it: new
    // input elements, and whatever had been typed is lost (the invoke lacks it). So click the card's corner first.
    await card.click({ position: { x: 2, y: 2 } });
    const cardLabel = label(card).first();
    const forId = (await cardLabel.count()) ? await cardLabel.getAttribute('for') : null;
    const input = forId ? card.locator(`[id="${forId}"]`) : placeholder(card).first();
    await setInput(this.page, input, value, labelOrPlaceholder);
  }

  async searchExtension(commandId: string, parameterName: string, term: string): Promise<SearchResult[]> {
    const popover = this.searchPopover();
    const box = popover.getByPlaceholder('Enter a search term', { exact: true });
    if (!(await box.isVisible())) {
      // In a channel, every thread's reply box has one too: the first is the "Start a new post" box (or the chat's).
      await this.pane().getByRole('button', { name: 'Trigger Message Extension App', exact: true }).first().click();
      await this.page.getByRole('menuitem', { name: 'Search Command', exact: true }).click();
      await box.waitFor();
    }
    const options = popover.getByRole('button', { name: 'Specify Command ID or Parameter', exact: true });
    if ((await options.getAttribute('aria-expanded')) !== 'true') await options.click();
    await popover.getByRole('textbox', { name: 'Command ID', exact: true }).fill(commandId);
    await popover.getByRole('textbox', { name: 'Parameter name', exact: true }).fill(parameterName);
    // Typing sends composeExtension/query (debounced; an empty box sends nothing) to /_conversation/v1/invoke.
    const answered = this.page.waitForResponse(
      (res) => res.url().endsWith('/_conversation/v1/invoke') && isQueryFor(res.request().postData(), commandId, term),
      { timeout: DEFAULT_TIMEOUT },
    );
    await box.fill(term);
    const res = await answered;
    if (res.status() !== 200) throw new Error(`searchExtension: the query answered ${res.status()}: ${await res.text()}`);
    type Attachment = { preview?: { content?: { title?: string } }; content?: { title?: string } };
    const body = (await res.json()) as { composeExtension?: { type?: string; attachments?: Attachment[] } };
    if (body.composeExtension?.type !== 'result') throw new Error(`searchExtension: not a result list: ${JSON.stringify(body)}`);
    // The playground lists at most 25; wait until the list shows this answer (not the previous term's).
    const expected = (body.composeExtension.attachments ?? []).slice(0, 25).map((a) => decodeEntities(a.preview?.content?.title ?? a.content?.title ?? '').trim());
    const titles = popover.getByRole('heading', { level: 1 });
    const noMatches = popover.getByText("We didn't find any matches.", { exact: true });
    const deadline = Date.now() + DEFAULT_TIMEOUT;
    for (;;) {
      const shown = expected.length ? (await titles.allInnerTexts()).map((t) => t.trim()) : (await noMatches.isVisible()) ? [] : ['?'];
      if (JSON.stringify(shown) === JSON.stringify(expected)) break;
      if (Date.now() > deadline) throw new Error(`searchExtension("${term}"): the list shows ${JSON.stringify(shown)}, the app answered ${JSON.stringify(expected)}`);
      await this.page.waitForTimeout(50);
    }
    const rows = await titles.all();
    return Promise.all(
      rows.map(async (h) => {
        const title = (await h.innerText()).trim();
        const all = (await h.locator('xpath=..').innerText()).trim();
        return { title, text: all.slice(all.indexOf(title) + title.length).replace(/\s+/g, ' ').trim() };
      }),
    );
  }

  async pickSearchResult(title: string): Promise<void> {
    const popover = this.searchPopover();
    await popover.getByRole('heading', { level: 1, name: title, exact: true }).first().click();
    await popover.waitFor({ state: 'hidden' });
    await this.editor().locator(CARD).first().waitFor();
  }

  async sendComposed(): Promise<void> {
    const send =
      this.current.kind === 'channel'
        ? this.pane().getByRole('button', { name: 'Post', exact: true })
        : this.pane().getByRole('button', { name: 'Send Message', exact: true });
    await send.click();
    await this.editorCleared();
  }

  async screenshot(file: string): Promise<void> {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await this.page.screenshot({ path: file });
  }

  async close(): Promise<void> {
    await this.context.close();
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }

  /**
   * The most recent card in the open conversation that contains `what`. A chat lists messages oldest first;
   * a channel lists threads newest first (right under the post box), each thread's replies oldest first.
   */
  private async latestCard(what: Locator, description: string): Promise<Locator> {
    const cards = this.page.locator(CARD).filter({ has: what });
    const card =
      this.current.kind === 'channel'
        ? this.pane().getByRole('group').filter({ has: cards }).first().locator(cards).last()
        : this.pane().locator(cards).last();
    try {
      await card.waitFor({ timeout: DEFAULT_TIMEOUT });
    } catch {
      throw new Error(`No card with ${description} in the open conversation`);
    }
    return card;
  }

  /** The search message extension's popover (anchored to the compose box). */
  private searchPopover(): Locator {
    return this.page
      .locator('div')
      .filter({ has: this.page.getByText('Search-Based Message Extension', { exact: true }) })
      .filter({ has: this.page.getByPlaceholder('Enter a search term', { exact: true }) })
      .last();
  }

  private async compose(text: string): Promise<void> {
    // Shift+Enter makes a new paragraph, but the playground sends the paragraphs glued together.
    if (/[\r\n]/.test(text)) throw new Error('The playground cannot send multi-line messages');
    await this.editor().click();
    await this.page.keyboard.type(text);
  }

  private async editorCleared(): Promise<void> {
    await this.editor().filter({ hasText: /\S/ }).waitFor({ state: 'detached', timeout: DEFAULT_TIMEOUT });
  }
}

async function setInput(page: Page, input: Locator, value: InputValue, name: string): Promise<void> {
  const info = await input.evaluate((el) => ({
    tag: el.tagName,
    role: el.getAttribute('role'),
    type: el.getAttribute('type'),
    popup: el.getAttribute('aria-haspopup'),
  }));
  const values = Array.isArray(value) ? value : [String(value)];
  if (info.type === 'checkbox') return input.setChecked(value === true || value === 'true'); // Input.Toggle
  if (info.role === 'radiogroup') return input.getByRole('radio', { name: values[0], exact: true }).check();
  if (info.tag === 'DIV') return setCheckboxes(input, values, name); // ChoiceSet expanded + isMultiSelect
  if (info.role === 'combobox' && info.popup !== 'dialog' && !/^\d{1,2}:\d{2}$/.test(values[0] ?? '')) {
    return pickChoices(page, input, values, name); // ChoiceSet compact/filtered
  }
  // Input.Text (also multiline), Input.Number (spinbutton), Input.Date ('YYYY-MM-DD'), Input.Time ('HH:mm'):
  // typed text is committed on blur, so leave the field with Tab.
  await input.fill(values.join(','));
  await input.press('Tab');
}

async function setCheckboxes(group: Locator, values: string[], name: string): Promise<void> {
  const boxes = await group.getByRole('checkbox').all();
  const titles = await Promise.all(
    boxes.map((b) => b.evaluate((el) => (el as unknown as CheckboxInput).labels?.[0]?.textContent?.trim() ?? '')),
  );
  const unknown = values.filter((v) => !titles.includes(v));
  if (unknown.length) throw new Error(`fillInput("${name}"): no choice ${unknown.join(', ')} (has ${titles.join(', ')})`);
  for (const [i, box] of boxes.entries()) await box.setChecked(values.includes(titles[i]));
}

async function pickChoices(page: Page, combobox: Locator, values: string[], name: string): Promise<void> {
  await combobox.click();
  const listbox = page.getByRole('listbox').last(); // single select
  const menu = page.getByRole('menu').last(); // multi select: menuitemcheckbox items
  await listbox.or(menu).first().waitFor();
  if (await menu.isVisible()) {
    const items = await menu.getByRole('menuitemcheckbox').all();
    const titles = await Promise.all(items.map((i) => i.innerText().then((t) => t.trim())));
    const unknown = values.filter((v) => !titles.includes(v));
    if (unknown.length) throw new Error(`fillInput("${name}"): no choice ${unknown.join(', ')} (has ${titles.join(', ')})`);
    for (const [i, item] of items.entries()) {
      if ((values.includes(titles[i])) !== ((await item.getAttribute('aria-checked')) === 'true')) await item.click();
    }
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
  } else {
    await listbox.getByRole('option', { name: values[0], exact: true }).click();
    await listbox.waitFor({ state: 'hidden' });
  }
}

type CheckboxInput = { labels?: ArrayLike<{ textContent: string | null }> }; // no DOM lib in tsconfig

/** Thumbnail titles may carry HTML entities (Teams reads them as HTML); the list shows them decoded. */
function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#\d+|[a-z]+);/gi, (m, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : (named[e.toLowerCase()] ?? m)));
}

function isQueryFor(postData: string | null, commandId: string, term: string): boolean {
  try {
    const body = JSON.parse(postData ?? '') as { name?: string; value?: { commandId?: string; parameters?: { value?: unknown }[] } };
    return body.name === 'composeExtension/query' && body.value?.commandId === commandId && body.value.parameters?.[0]?.value === term;
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
