// The consent libraries people use today, as the start-up bench loads them beside the drop-in:
// each from its npm package (devDependencies of the repository, pinned), with the smallest
// configuration that shows its banner, as its README sets it up. Their UI counts as visible when
// the banner's root element is rendered with a box (its opening animation is not waited for).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The folder of an installed package (its package.json's folder). */
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
const versionOf = (name) => JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version;
const fileOf = (name, path) => readFileSync(join(packageDir(name), path));

/** A JS expression: the element `selector` is in the page and rendered with a box. */
const visible = (selector) =>
  `(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el) return false; const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true }); })()`;

const PURPOSE = { id: 'analytics', title: 'Analytics', description: 'Counts visits to improve the site.' };

/**
 * @typedef {{ id: string, label: string, head: string, files: Map<string, Buffer | string>,
 *   ready: string }} AnchorPage
 * @returns {AnchorPage[]}
 */
export function anchorPages() {
  return [
    {
      id: 'osano',
      label: `cookieconsent (Osano) ${versionOf('cookieconsent')}`,
      head: `<link rel="stylesheet" href="/a/osano.css">
<script src="/a/osano.js"></script>
<script>window.addEventListener('DOMContentLoaded', () => window.cookieconsent.initialise({ type: 'opt-out', content: { message: 'This site uses cookies.', href: '/privacy' } }));</script>`,
      files: new Map([
        ['/a/osano.css', fileOf('cookieconsent', 'build/cookieconsent.min.css')],
        ['/a/osano.js', fileOf('cookieconsent', 'build/cookieconsent.min.js')],
      ]),
      ready: visible('.cc-window'),
    },
    {
      id: 'orejime',
      label: `orejime ${versionOf('orejime')}`,
      head: `<link rel="stylesheet" href="/a/orejime.css">
<script>window.orejimeConfig = { privacyPolicyUrl: '/privacy', purposes: [${JSON.stringify(PURPOSE)}] };</script>
<script src="/a/orejime.js"></script>`,
      files: new Map([
        ['/a/orejime.css', fileOf('orejime', 'dist/orejime-standard.css')],
        ['/a/orejime.js', fileOf('orejime', 'dist/orejime-standard-en.js')],
      ]),
      ready: visible('.orejime-Banner'),
    },
    {
      id: 'vanilla',
      label: `vanilla-cookieconsent ${versionOf('vanilla-cookieconsent')}`,
      head: `<link rel="stylesheet" href="/a/vanilla.css">
<script src="/a/vanilla.js"></script>
<script>window.addEventListener('DOMContentLoaded', () => CookieConsent.run({
  hideFromBots: false, // it hides itself from automated browsers, which this bench is
  categories: { necessary: { enabled: true, readOnly: true }, analytics: {} },
  language: { default: 'en', translations: { en: {
    consentModal: { title: 'We use cookies', description: 'This site uses cookies.', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', showPreferencesBtn: 'Manage preferences' },
    preferencesModal: { title: 'Preferences', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', savePreferencesBtn: 'Save', sections: [{ title: 'Analytics', description: 'Counts visits.', linkedCategory: 'analytics' }] }
  } } }
}));</script>`,
      files: new Map([
        ['/a/vanilla.css', fileOf('vanilla-cookieconsent', 'dist/cookieconsent.css')],
        ['/a/vanilla.js', fileOf('vanilla-cookieconsent', 'dist/cookieconsent.umd.js')],
      ]),
      ready: visible('#cc-main .cm'),
    },
    {
      // It loads its own CSS, English strings and services list from beside its script.
      id: 'tarteaucitron',
      label: `tarteaucitron ${versionOf('tarteaucitronjs')}`,
      head: `<script src="/a/tarteaucitron/tarteaucitron.min.js"></script>
<script>tarteaucitron.init({ privacyUrl: '/privacy', orientation: 'bottom', highPrivacy: true, DenyAllCta: true, AcceptAllCta: true, showAlertSmall: false });
(tarteaucitron.job = tarteaucitron.job || []).push('youtube');</script>`,
      files: new Map([
        ['/a/tarteaucitron/tarteaucitron.min.js', fileOf('tarteaucitronjs', 'tarteaucitron.min.js')],
        ['/a/tarteaucitron/tarteaucitron.services.min.js', fileOf('tarteaucitronjs', 'tarteaucitron.services.min.js')],
        ['/a/tarteaucitron/lang/tarteaucitron.en.min.js', fileOf('tarteaucitronjs', 'lang/tarteaucitron.en.min.js')],
        ['/a/tarteaucitron/css/tarteaucitron.min.css', fileOf('tarteaucitronjs', 'css/tarteaucitron.min.css')],
        ['/a/tarteaucitron/css/tarteaucitron.css', fileOf('tarteaucitronjs', 'css/tarteaucitron.css')],
      ]),
      ready: visible('#tarteaucitronAlertBig'),
    },
    {
      id: 'klaro',
      label: `klaro ${versionOf('klaro')}`,
      head: `<script>window.klaroConfig = { privacyPolicy: '/privacy', services: [{ name: 'analytics', title: 'Analytics', purposes: ['analytics'] }] };</script>
<script src="/a/klaro.js"></script>`,
      files: new Map([['/a/klaro.js', fileOf('klaro', 'dist/klaro.js')]]),
      ready: visible('.klaro .cookie-notice'),
    },
  ];
}
