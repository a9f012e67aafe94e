/**
 * custom-elements.json, as scripts/manifest.mjs builds it from the components' JSDoc: each field
 * and attribute carries its own one-line doc, never the class header or source code around it
 * (a greedy doc match once made the first field's description the whole class), and the file on
 * disk is what the sources produce now.
 */
import { expect } from 'chai';

type Described = { name: string; description?: string };
type Manifest = {
  modules: Array<{
    declarations: Array<{ tagName: string; attributes: Described[]; members: Described[] }>;
  }>;
};
type ManifestScript = { buildManifest(): Manifest; readManifest(): Manifest };

const scriptUrl = new URL('../scripts/manifest.mjs', import.meta.url).href;

describe('custom-elements.json', () => {
  it('describes every field and attribute with its own doc only', async () => {
    const { buildManifest } = (await import(scriptUrl)) as ManifestScript;
    const manifest = buildManifest();
    const declarations = manifest.modules.flatMap((m) => m.declarations);
    expect(declarations.map((d) => d.tagName)).to.include.members([
      'consent-checkbox',
      'consent-optout',
      'consent-notice',
    ]);
    const described = declarations.flatMap((d) =>
      [...d.attributes, ...d.members].map((item) => ({ where: `${d.tagName} ${item.name}`, text: item.description })),
    );
    expect(described.length).to.be.greaterThan(10);
    for (const { where, text } of described) {
      if (text === undefined) continue;
      expect(text, where).to.not.match(/\*\/|@summary|export (class|type)|\n/);
      expect(text.length, where).to.be.below(300);
    }
    const purpose = declarations
      .find((d) => d.tagName === 'consent-checkbox')
      ?.attributes.find((a) => a.name === 'purpose');
    expect(purpose?.description).to.equal('The policy purpose id this box is about (`marketing`).');
  });

  it('lists consent-error (ConsentErrorEvent) on every element that fires it', async () => {
    const { buildManifest } = (await import(scriptUrl)) as ManifestScript;
    const declarations = buildManifest().modules.flatMap((m) => m.declarations) as Array<{
      tagName: string;
      events?: Array<{ name: string; type?: { text: string } }>;
    }>;
    const firing = declarations
      .filter((d) => d.events?.some((e) => e.name === 'consent-error' && e.type?.text === 'ConsentErrorEvent'))
      .map((d) => d.tagName);
    expect(firing).to.have.members(['consent-checkbox', 'consent-optout', 'consent-preferences']);
  });

  it('is up to date with the sources (rebuilt by the widget build)', async () => {
    const { buildManifest, readManifest } = (await import(scriptUrl)) as ManifestScript;
    expect(
      readManifest(),
      'custom-elements.json is stale: rebuild the widget (pnpm build) to regenerate it',
    ).to.deep.equal(buildManifest());
  });
});
