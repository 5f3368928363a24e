import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { buildAppPackage, type AppPackage } from '../../manifest/build-app-package';
import { bundledSchemaVersions, checkAppPackage } from '../../manifest/check-app-package';
import { BRAND, drawColorIcon, drawOutlineIcon } from '../../manifest/draw-icons';
import { LOCAL_DEFAULTS, PackageError, resolvePackageValues } from '../../manifest/package-env';

const ROOT = join(__dirname, '..', '..');
const REAL = { TEAMS_APP_ID: '6f1c1a6e-2b0e-4c55-9d7a-3b1e8f0c2d41', MicrosoftAppId: 'a3d0c9b2-7e41-4f0a-8b6c-5d2e1f9a7c30', DEALDESK_PUBLIC_URL: 'https://dealdesk-prod.azurewebsites.net' };

/** A fresh copy of the real package (local defaults), for a test to break. */
const localPackage = (): AppPackage => buildAppPackage('local', LOCAL_DEFAULTS);

async function problems(pkg: AppPackage): Promise<string[]> {
  const report = await checkAppPackage(pkg);
  return [...report.errors, ...report.warnings];
}

const png = (width: number, height: number, rgba: [number, number, number, number]): Buffer => {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set(rgba, i * 4);
  return PNG.sync.write(image);
};

const pixelsOf = (file: string) => PNG.sync.read(readFileSync(join(ROOT, 'manifest', file))).data;

describe('the Teams app package (manifest/)', function () {
  this.timeout(30_000);

  describe('as committed', () => {
    it('is valid: the bundled schemas, icons, commands and zh-CN strings give zero errors and zero warnings', async () => {
      assert.deepEqual(await checkAppPackage(localPackage()), { errors: [], warnings: [] });
    });

    it('is on the newest manifest schema @microsoft/app-manifest bundles, 1.30 or later', () => {
      const newest = bundledSchemaVersions().at(-1)!;
      assert.ok(Number(newest.split('.')[1]) >= 30, `the library bundles up to ${newest}`);
      assert.equal(localPackage().manifest.manifestVersion, newest);
    });

    it('puts the bot in personal, team and group chat, each scope with its own list of at most 12 commands', () => {
      const bot = localPackage().manifest.bots[0];
      assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
      assert.deepEqual(bot.commandLists.map((l: { scopes: string[] }) => l.scopes).flat().sort(), ['groupChat', 'personal', 'team']);
      for (const list of bot.commandLists) assert.ok(list.commands.length <= 12);
    });

    it('declares the compose extension on the bot: deal search, the two actions on a message, and links on DealDesk\'s host', () => {
      const { manifest } = buildAppPackage('prod', REAL);
      const [extension] = manifest.composeExtensions;
      assert.equal(extension.botId, REAL.MicrosoftAppId);
      assert.deepEqual(extension.commands.map((c: { id: string; type: string }) => `${c.id}:${c.type}`), ['searchDeals:query', 'addNextStep:action', 'logOnDeal:action']);
      assert.equal(extension.commands[0].parameters[0].name, 'query');
      for (const action of extension.commands.slice(1)) assert.deepEqual([action.context, action.fetchTask], [['message'], true]);
      assert.deepEqual(extension.messageHandlers, [{ type: 'link', value: { domains: ['dealdesk-prod.azurewebsites.net'] } }]);
    });

    it('has zh-CN titles and descriptions for every compose extension command and the search parameter', () => {
      const strings = JSON.parse(localPackage().files.get('zh-CN.json')!.toString('utf8'));
      for (const key of ['commands[0].title', 'commands[0].description', 'commands[0].parameters[0].title', 'commands[0].parameters[0].description', 'commands[1].title', 'commands[1].description', 'commands[2].title', 'commands[2].description']) {
        assert.match(strings[`composeExtensions[0].${key}`] ?? '', /\p{Script=Han}/u, key);
      }
    });

    it('has icons that are exactly what manifest/draw-icons.ts draws (regenerate them with it)', () => {
      assert.ok(pixelsOf('color.png').equals(drawColorIcon().data), 'color.png differs from draw-icons.ts');
      assert.ok(pixelsOf('outline.png').equals(drawOutlineIcon().data), 'outline.png differs from draw-icons.ts');
    });

    it('uses the colour icon\'s blue as its accent colour', () => {
      assert.equal(localPackage().manifest.accentColor, `#${BRAND.map((c) => c.toString(16).padStart(2, '0')).join('').toUpperCase()}`);
    });
  });

  describe('fills its placeholders from the environment DealDesk reads', () => {
    it('takes the bot id, the app id and the public URL\'s host name', () => {
      const { manifest } = buildAppPackage('prod', REAL);
      assert.equal(manifest.id, REAL.TEAMS_APP_ID);
      assert.equal(manifest.bots[0].botId, REAL.MicrosoftAppId);
      assert.deepEqual(manifest.validDomains, ['dealdesk-prod.azurewebsites.net']);
      assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
    });

    it('reads .env.<env>, lets an exported variable win, and treats an empty value as unset', () => {
      const dir = mkdtempSync(join(tmpdir(), 'dealdesk-env-'));
      try {
        writeFileSync(join(dir, '.env.dev'), `TEAMS_APP_ID=${REAL.TEAMS_APP_ID}\nMicrosoftAppId=${REAL.MicrosoftAppId}\nDEALDESK_PUBLIC_URL=https://from-file.contoso.com\n`);
        const values = resolvePackageValues('dev', { DEALDESK_PUBLIC_URL: 'https://exported.contoso.com', MicrosoftAppId: '' }, dir);
        assert.deepEqual(values, { ...REAL, DEALDESK_PUBLIC_URL: 'https://exported.contoso.com' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('has defaults for local only; anywhere else a missing value is one line naming it', () => {
      const empty = mkdtempSync(join(tmpdir(), 'dealdesk-env-'));
      try {
        assert.deepEqual(resolvePackageValues('local', {}, empty), LOCAL_DEFAULTS);
        assert.throws(() => resolvePackageValues('prod', { TEAMS_APP_ID: REAL.TEAMS_APP_ID, DEALDESK_PUBLIC_URL: REAL.DEALDESK_PUBLIC_URL }, empty), (e: Error) =>
          e instanceof PackageError && e.message === 'MicrosoftAppId is not set for env "prod": export it or add it to .env.prod');
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    const wrong: Array<[string, Record<string, string>, RegExp]> = [
      ['a bot id that is not a GUID', { MicrosoftAppId: 'dealdesk-bot' }, /^MicrosoftAppId: "dealdesk-bot" is not a GUID/],
      ['an http URL outside local', { DEALDESK_PUBLIC_URL: 'http://dealdesk.contoso.com' }, /^DEALDESK_PUBLIC_URL: .* is not an https:\/\/ URL/],
      ['a public URL that is no URL', { DEALDESK_PUBLIC_URL: 'dealdesk.contoso.com' }, /^DEALDESK_PUBLIC_URL: /],
    ];
    for (const [what, change, message] of wrong) {
      it(`refuses ${what}`, () => {
        assert.throws(() => resolvePackageValues('prod', { ...REAL, ...change }, tmpdir()), (e: Error) => e instanceof PackageError && message.test(e.message));
      });
    }
  });

  describe('fails a broken package', () => {
    const commands = (pkg: AppPackage, list = 0) => pkg.manifest.bots[0].commandLists[list].commands as Array<{ title: string; description: string }>;
    const zhCN = (pkg: AppPackage, edit: (strings: Record<string, string>) => void) => {
      const strings = JSON.parse(pkg.files.get('zh-CN.json')!.toString('utf8'));
      edit(strings);
      pkg.files.set('zh-CN.json', Buffer.from(JSON.stringify(strings)));
    };
    const breakages: Array<[string, (pkg: AppPackage) => void, RegExp]> = [
      ['13 commands in a list', (p) => commands(p).push({ title: 'following', description: 'one too many' }), /command list 0 \(personal\) has 13 commands/],
      ['a command the parser does not know', (p) => (commands(p, 1)[0].title = 'forecast'), /command "forecast" \(team\) is not a command DealDesk understands/],
      ['a command listed twice', (p) => (commands(p, 2)[1].title = 'help'), /command list 2 \(groupChat\) repeats help/],
      ['a scope without a command list', (p) => p.manifest.bots[0].commandLists.pop(), /the groupChat scope needs exactly one command list, it has 0/],
      ['a colour icon of the wrong size', (p) => p.files.set('color.png', png(191, 192, [18, 92, 214, 255])), /color\.png: the colour icon must be 192×192 pixels, not 191×192/],
      ['a see-through colour icon', (p) => p.files.set('color.png', png(192, 192, [18, 92, 214, 128])), /color\.png: the colour icon must be opaque/],
      ['an outline icon of the wrong size', (p) => p.files.set('outline.png', png(48, 48, [0, 0, 0, 0])), /outline\.png: the outline icon must be 32×32 pixels, not 48×48/],
      ['an outline icon with an opaque background', (p) => p.files.set('outline.png', png(32, 32, [255, 255, 255, 255])), /outline\.png: the outline icon needs a transparent background/],
      ['an outline icon in colour', (p) => {
        const icon = drawOutlineIcon();
        icon.data.set([18, 92, 214, 255], (16 * 32 + 8) * 4);
        p.files.set('outline.png', PNG.sync.write(icon));
      }, /outline\.png: the outline icon may only use white and transparency, 1 pixels are another colour/],
      ['an icon that is not a PNG', (p) => p.files.set('outline.png', Buffer.from('GIF89a')), /outline\.png: not a readable PNG/],
      ['a field the schema forbids', (p) => (p.manifest.name.short = 'DealDesk for enterprise services sales'), /manifest\.json: \/name\/short must NOT have more than 30 characters/],
      ['an older schema than the one named', (p) => (p.manifest.$schema = p.manifest.$schema.replace('v1.30', 'v1.19')), /\$schema should be .*v1\.30/],
      ['a placeholder left unfilled', (p) => (p.manifest.validDomains = ['${{DEALDESK_PUBLIC_HOST}}']), /placeholders left unfilled: \$\{\{DEALDESK_PUBLIC_HOST\}\}/],
      ['a zh-CN string too long for the schema', (p) => zhCN(p, (s) => (s['description.short'] = '很'.repeat(81))), /zh-CN\.json: \/description\.short must NOT have more than 80 characters/],
      ['a zh-CN title that runs another command', (p) => zhCN(p, (s) => (s['bots[0].commandLists[0].commands[0].title'] = '我的商机')), /zh-CN\.json: .*commands\[0\]\.title "我的商机" does not run "help"/],
      ['a zh-CN description on the wrong command', (p) => zhCN(p, (s) => (s['bots[0].commandLists[0].commands[4].description'] = s['bots[0].commandLists[0].commands[5].description'])), /commands\[4\]\.description should start with "move "/],
      ['no compose extension', (p) => delete p.manifest.composeExtensions, /composeExtensions\[0\] is missing/],
      ['a compose extension on another bot', (p) => (p.manifest.composeExtensions[0].botId = '00000000-0000-0000-0000-0000000000ff'), /composeExtensions\[0\]\.botId must be the bot's id/],
      ['the search command missing', (p) => p.manifest.composeExtensions[0].commands.shift(), /command "searchDeals" is missing/],
      ['a compose command DealDesk does not answer', (p) => (p.manifest.composeExtensions[0].commands[2].id = 'logOnAccount'), /command "logOnAccount" is not one DealDesk answers/],
      ['the search without its query parameter', (p) => (p.manifest.composeExtensions[0].commands[0].parameters[0].name = 'text'), /search command "searchDeals" needs a parameter named "query"/],
      ['an action that is a search', (p) => (p.manifest.composeExtensions[0].commands[1].type = 'query'), /command "addNextStep" must be type action/],
      ['an action without its dialog', (p) => delete p.manifest.composeExtensions[0].commands[2].fetchTask, /action command "logOnDeal" needs context \["message"\] and fetchTask true/],
      ['an action on the compose box instead of a message', (p) => (p.manifest.composeExtensions[0].commands[1].context = ['compose']), /action command "addNextStep" needs context/],
      ['no link handler', (p) => (p.manifest.composeExtensions[0].messageHandlers = []), /needs a link handler/],
      ['a link domain that is not DealDesk\'s', (p) => (p.manifest.composeExtensions[0].messageHandlers[0].value.domains = ['evil.example']), /link domain evil\.example is not DealDesk's own/],
      ['a zh-CN string for a compose command that is gone', (p) => p.manifest.composeExtensions[0].commands.pop(), /composeExtensions\[0\]\.commands\[2\]\.title translates a compose extension command manifest\.json does not have/],
      ['a zh-CN compose title too long for the schema', (p) => zhCN(p, (s) => (s['composeExtensions[0].commands[0].title'] = '很'.repeat(33))), /zh-CN\.json: .*composeExtensions.*must NOT have more than 32 characters/],
      ['a zh-CN string for a command that is gone', (p) => commands(p, 1).pop(), /commands\[11\]\.description translates a command manifest\.json does not have/],
    ];
    for (const [what, breakIt, message] of breakages) {
      it(what, async () => {
        const pkg = localPackage();
        breakIt(pkg);
        const found = await problems(pkg);
        assert.ok(found.some((p) => message.test(p)), `expected ${message} among:\n${found.join('\n')}`);
      });
    }

    it('the publisher pages are DealDesk\'s own, at its public URL (it serves them: src/http/publisher-pages.ts)', async () => {
      const { manifest } = buildAppPackage('prod', REAL);
      assert.deepEqual(manifest.developer, {
        name: 'DealDesk',
        websiteUrl: 'https://dealdesk-prod.azurewebsites.net',
        privacyUrl: 'https://dealdesk-prod.azurewebsites.net/privacy',
        termsOfUseUrl: 'https://dealdesk-prod.azurewebsites.net/terms',
      });
      assert.deepEqual(await problems(buildAppPackage('prod', REAL)), []);
    });

    it('example.com developer pages outside local', async () => {
      const found = await problems(buildAppPackage('prod', { ...REAL, DEALDESK_PUBLIC_URL: 'https://dealdesk.example.com' }));
      assert.deepEqual(found.map((p) => /developer\.(\w+) is still/.exec(p)?.[1]), ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']);
    });
  });

  describe('npm run package', () => {
    const run = (args: string[], env: NodeJS.ProcessEnv, cwd: string) => {
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['TEAMS_APP_ID', 'MicrosoftAppId', 'DEALDESK_PUBLIC_URL'].includes(k)));
      return spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'manifest/package-app.ts'), ...args], { cwd, env: { ...clean, ...env }, encoding: 'utf8', timeout: 25_000 });
    };

    it('writes build/appPackage.local.zip on a fresh clone: the filled manifest, both icons and zh-CN.json at the root', () => {
      const dir = mkdtempSync(join(tmpdir(), 'dealdesk-package-'));
      try {
        const result = run([], {}, dir);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^Wrote build\/appPackage\.local\.zip .*\nValid: manifest v1\.30 .*0 errors, 0 warnings/);
        const zip = unzipSync(readFileSync(join(dir, 'build', 'appPackage.local.zip')));
        assert.deepEqual(Object.keys(zip).sort(), ['color.png', 'manifest.json', 'outline.png', 'zh-CN.json']);
        assert.equal(JSON.parse(Buffer.from(zip['manifest.json']).toString('utf8')).id, LOCAL_DEFAULTS.TEAMS_APP_ID);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('stops with one line naming what is missing, and writes nothing', () => {
      const dir = mkdtempSync(join(tmpdir(), 'dealdesk-package-'));
      try {
        const result = run(['prod'], { TEAMS_APP_ID: REAL.TEAMS_APP_ID }, dir);
        assert.equal(result.status, 1);
        assert.equal(result.stdout, '');
        assert.equal(result.stderr, 'Cannot package DealDesk: MicrosoftAppId, DEALDESK_PUBLIC_URL are not set for env "prod": export them or add them to .env.prod\n');
        assert.throws(() => readFileSync(join(dir, 'build', 'appPackage.prod.zip')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
