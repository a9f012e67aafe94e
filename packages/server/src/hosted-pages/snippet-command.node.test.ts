import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { DropInNotBuiltError, dropInSnippet } from './snippet-command.js';
import { resolveWidgetDist } from './widget-assets.js';

// `consentkit snippet`: the tags a site on another origin pastes, with the SRI value of the drop-in
// this ledger serves. The browsers' own check of that value is the cross-origin journey
// (examples/e2e/drop-in-cross-origin-*.test.ts); here, what is printed and when it refuses.

describe('consentkit snippet', () => {
  before(async () => {
    // The drop-in is a build product; the widget's bundle-size test and `pnpm build` make it.
    const dist = resolveWidgetDist();
    if (!dist) throw new Error('@consentkit/widget does not resolve');
    try {
      readFileSync(join(dist, 'consentkit.js'));
    } catch {
      const { buildDropIn } = (await import(
        new URL('../../../widget/scripts/build-drop-in.mjs', import.meta.url).href
      )) as { buildDropIn(): Promise<string[]> };
      await buildDropIn();
    }
  });

  const expectedIntegrity = () =>
    `sha384-${createHash('sha384')
      .update(readFileSync(join(resolveWidgetDist() ?? '', 'consentkit.js')))
      .digest('base64')}`;

  it('prints the script tag with integrity and crossorigin, and the config tag, for the configured ledger', async () => {
    const run = await cli(['snippet', '--public-url', 'https://consent.shop.example']);
    expect(run.code, run.err).to.equal(0);
    expect(run.out).to.equal(
      [
        `<script type="module" src="https://consent.shop.example/assets/consentkit.js" integrity="${expectedIntegrity()}" crossorigin="anonymous"></script>`,
        '<consent-config endpoint="https://consent.shop.example"></consent-config>',
      ].join('\n'),
    );
    // What the hash covers and what it does not, and the CORS list the site must be in.
    expect(run.err).to.include('changes with every');
    expect(run.err).to.include(
      'the chunks it imports lazily (the record path, <consent-notice>, <consent-preferences>, other languages, the diagnosis of a failed fetch) are not checked by it',
    );
    expect(run.err).to.include("must be listed in the ledger's CONSENTKIT_CORS_ORIGINS (now empty)");
  });

  it('--json gives the parts; the listed CORS origins are named', async () => {
    const run = await cli(['snippet', '--json', '--port', '9911', '--cors-origins', 'https://shop.example']);
    expect(run.code, run.err).to.equal(0);
    const parsed = JSON.parse(run.out) as Record<string, string>;
    expect(parsed).to.include({
      ledger: 'http://127.0.0.1:9911',
      src: 'http://127.0.0.1:9911/assets/consentkit.js',
      integrity: expectedIntegrity(),
    });
    const text = await cli(['snippet', '--cors-origins', 'https://shop.example,https://www.shop.example']);
    expect(text.err).to.include('(now: https://shop.example, https://www.shop.example)');
  });

  it('is listed in consentkit --help and explains itself in snippet --help', async () => {
    expect((await cli(['--help'])).out).to.match(/^ {2}snippet +print the drop-in tags/m);
    const help = await cli(['snippet', '--help']);
    expect(help.code).to.equal(0);
    expect(help.out).to.include('Usage: consentkit snippet [--json]').and.to.include('--json');
  });

  it('refuses with drop-in-not-built and the command that builds it when there is no build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ck-snippet-'));
    try {
      expect(() => dropInSnippet('https://consent.shop.example', empty))
        .to.throw(DropInNotBuiltError)
        .with.property('message')
        .that.includes('has not been built')
        .and.includes('pnpm build')
        .and.includes('docs/errors.md#drop-in-not-built');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const usage = await cli(['snippet', 'extra']);
    expect(usage.code).to.equal(2);
    expect(usage.err).to.include('takes no arguments');
  });
});
