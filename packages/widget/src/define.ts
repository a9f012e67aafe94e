// Registers every ConsentKit element. The only module with side effects (package.json
// "sideEffects"); it is also the entry of the drop-in bundle dist/consentkit.js.
import { ConsentCheckbox } from './consent-checkbox/consent-checkbox.js';
import { ConsentConfig } from './consent-config/consent-config.js';
import { ConsentOptOut } from './consent-optout/consent-optout.js';
import { lazyDefine } from './internal/lazy-define.js';

ConsentConfig.define();
ConsentCheckbox.define();
ConsentOptOut.define();
// The notice (a table, not a control) and the preference centre (larger, rarely on the same page
// as a form) are off the critical path of the controls: each loads when the page first uses it.
lazyDefine('consent-notice', () => import('./consent-notice/consent-notice.js').then((m) => m.ConsentNotice));
lazyDefine('consent-preferences', () =>
  import('./consent-preferences/consent-preferences.js').then((m) => m.ConsentPreferences),
);

// Drop-in pages that need JavaScript configuration (a custom backend, Consent Mode options)
// import these from the same file instead of loading the SDK twice: `loadSdk()` gives the SDK's
// factories from the record path's chunk, which the elements load after they are usable.
export { configure } from './config.js';
export { loadSdk } from './internal/record-path-loader.js';
