// "Opt-Out Request Honored" (R48, R50) reads the same on a site's pages (the widget's
// <consent-optout> and <consent-preferences>) and on the ledger's hosted pages, in every language
// both speak: a person who sees the notice in both places must not read two different claims.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';

const root = resolve(import.meta.dirname, '..');
const widgetLocales = join(root, 'packages/widget/src/i18n/locales');
const serverMessages = join(root, 'packages/server/src/platform/i18n/messages');

const load = async (dir, file) => import(pathToFileURL(join(dir, file)).href);

describe('the GPC notice wording', () => {
  it('is the same in the widget and on the hosted pages, in every language', async () => {
    const files = readdirSync(widgetLocales).filter((f) => f.endsWith('.ts'));
    expect(files.length).to.be.greaterThan(10);
    for (const file of files) {
      const widget = Object.values(await load(widgetLocales, file)).find((v) => v && typeof v === 'object');
      const server = Object.values(await load(serverMessages, file)).find((v) => v && typeof v === 'object');
      expect(server?.gpcHonored, `${file}: the hosted pages' wording`).to.be.a('string');
      expect(server.gpcHonored, file).to.equal(widget?.gpcHonored);
    }
  });
});
