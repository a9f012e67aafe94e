// Shows Google Consent Mode v2 at work. The ConsentKit bridge pushes `gtag('consent', …)` commands
// to `window.dataLayer`: `default` at load (R51, R52), then an `update` whenever a choice on this
// page changes a mapped type. This script runs before the drop-in (module scripts run in document
// order), so it sees the very first push, and it shows:
// - the value each of Google's seven consent types has now, and the policy purposes that decide
//   it (the policy's `consentMode` field; a type no purpose names keeps its default);
// - every command pushed, in order.
window.dataLayer = window.dataLayer || [];
const dataLayer = window.dataLayer;

/** Consent Mode's own settings in a `default` command that are not consent types. */
const NOT_TYPES = new Set(['wait_for_update', 'region']);

/** type → titles of the purposes mapped to it, from the ledger's policy. */
let decidedBy = new Map();

/** gtag pushes its `arguments` object; GTM reads it that way, we list it as an array. */
const asArray = (entry) => (Array.isArray(entry) ? entry : typeof entry === 'object' ? Array.from(entry) : [entry]);

const consentCommands = () => dataLayer.map(asArray).filter(([command]) => command === 'consent');

function cell(tag, text) {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

function render() {
  const commands = consentCommands();
  // The `default` command names every type (R51), in the bridge's order: the rows follow it.
  const types = Object.keys(commands[0]?.[2] ?? {}).filter((key) => !NOT_TYPES.has(key));
  const now = {};
  for (const [, , settings] of commands) for (const type of types) if (settings?.[type]) now[type] = settings[type];

  const body = document.querySelector('#consent-mode-now tbody');
  body?.replaceChildren(
    ...types.map((type) => {
      const row = document.createElement('tr');
      row.dataset.type = type;
      row.dataset.value = now[type] ?? '';
      // Break opportunities after each underscore: long names wrap on a 375 px screen, words do not.
      const header = document.createElement('th');
      header.scope = 'row';
      type.split('_').forEach((part, i, parts) => {
        header.append(i < parts.length - 1 ? `${part}_` : part);
        if (i < parts.length - 1) header.append(document.createElement('wbr'));
      });
      const purposes = decidedBy.get(type);
      row.append(
        header,
        cell('td', now[type] ?? '—'),
        cell('td', purposes?.length ? purposes.join(', ') : 'none (its default)'),
      );
      return row;
    }),
  );

  const updates = commands.filter(([, action]) => action === 'update').length;
  const count = document.querySelector('#consent-mode-count');
  if (count) {
    count.textContent =
      commands.length === 0
        ? 'No Consent Mode command yet.'
        : `${commands.length} ${commands.length === 1 ? 'command' : 'commands'} pushed: default, then ${updates} ${updates === 1 ? 'update' : 'updates'}.`;
  }

  const log = document.querySelector('#datalayer');
  log?.replaceChildren(
    ...commands.map(([command, action, settings]) => {
      const item = document.createElement('li');
      item.dataset.action = String(action);
      item.append(cell('code', `${command} ${action}`), cell('pre', JSON.stringify(settings)));
      return item;
    }),
  );
}

const push = dataLayer.push.bind(dataLayer);
dataLayer.push = (...entries) => {
  const length = push(...entries);
  render();
  return length;
};
render();

// Which purposes decide each type: the policy the ledger serves (the page's own origin here).
fetch('/v1/policy', { headers: { accept: 'application/json' } })
  .then((response) => (response.ok ? response.json() : undefined))
  .then((body) => {
    const policy = body?.policy ?? body;
    if (!Array.isArray(policy?.purposes)) return;
    const language = document.documentElement.lang || 'en';
    decidedBy = new Map();
    for (const purpose of policy.purposes) {
      const title = purpose.title?.[language] ?? purpose.title?.[policy.defaultLocale] ?? purpose.id;
      for (const type of purpose.consentMode ?? []) decidedBy.set(type, [...(decidedBy.get(type) ?? []), title]);
    }
    render();
  })
  .catch(() => undefined); // the values still show; only the "decided by" column stays generic
