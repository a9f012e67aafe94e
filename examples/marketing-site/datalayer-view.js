// Shows Google Consent Mode v2 at work: every `gtag('consent', …)` command the ConsentKit
// bridge pushes to `window.dataLayer` is listed in the page's table, in order. It runs before
// the drop-in (module scripts run in document order), so it sees the very first push — which
// must be `default`, before any `update` (R51, R52).
window.dataLayer = window.dataLayer || [];
const dataLayer = window.dataLayer;
const body = document.querySelector('#datalayer tbody');

/** gtag pushes its `arguments` object; GTM reads it that way, we list it as an array. */
const asArray = (entry) => (Array.isArray(entry) ? entry : typeof entry === 'object' ? Array.from(entry) : [entry]);

function render() {
  if (!body) return;
  const rows = dataLayer.map((entry, index) => {
    const [command, action, settings] = asArray(entry);
    const row = document.createElement('tr');
    for (const text of [
      String(index),
      String(command),
      String(action),
      settings ? JSON.stringify(settings, null, 1) : '',
    ]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    row.dataset.action = String(action);
    return row;
  });
  body.replaceChildren(...rows);
}

const push = dataLayer.push.bind(dataLayer);
dataLayer.push = (...entries) => {
  const length = push(...entries);
  render();
  return length;
};
render();
