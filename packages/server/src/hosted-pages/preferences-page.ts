// The preference centre (GET|POST /p/{token}). Each purpose is its own small form with one
// button, so turning a purpose off takes exactly the one action that turning it on takes
// (R19, R27). Works without JavaScript; the widget may enhance it.
import { messagesFor } from '../platform/i18n/messages.js';
import { html, type SafeHtml } from '../platform/pages/html.js';
import {
  gpcNotice,
  type PageChrome,
  policyLanguageNote,
  policyTextAttributes,
  renderTokenPage,
  sentenceQuoting,
} from './page-parts.js';
import type { ForeignText } from './policy-text.js';

export type PreferenceItem = {
  id: string;
  title: string;
  description?: string | undefined;
  on: boolean;
  /** Implied purposes (the service the person asked for) are shown but not toggled here. */
  required: boolean;
  /** Set when the policy has no translation of this purpose into the page's language. */
  foreign?: ForeignText | undefined;
};

export type PreferencesView = PageChrome & {
  purposes: readonly PreferenceItem[];
  csrfToken: string;
  formAction: string;
  gpcHonored: boolean;
  /** Id of the purpose just saved: the status message says its title and where it now stands. */
  saved?: string | undefined;
  /** The change was refused because the form had expired or was forged. */
  expired?: boolean | undefined;
  /** Where the person downloads their signed export (GET: reads, never changes a choice). */
  exportHref?: string | undefined;
};

function purposeItem(view: PreferencesView, item: PreferenceItem, index: number): SafeHtml {
  const m = messagesFor(view.locale);
  const headingId = `purpose-${index}`;
  const stateText = item.on ? m.statusOn : m.statusOff;
  const attributes = policyTextAttributes(item.foreign);
  const description = item.description ? html`<p class="purpose-description"${attributes}>${item.description}</p>` : '';
  const control = item.required
    ? html`<p class="muted">${m.requiredPurpose}</p>`
    : html`<form method="post" action="${view.formAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<input type="hidden" name="purpose" value="${item.id}">
<input type="hidden" name="granted" value="${item.on ? 'false' : 'true'}">
<button type="submit" class="primary" aria-label="${item.on ? m.turnOff(item.title) : m.turnOn(item.title)}">${item.on ? m.turnOffShort : m.turnOnShort}</button>
</form>`;
  return html`<li class="purpose" data-purpose="${item.id}">
<div class="purpose-head">
<h3 id="${headingId}"${attributes}>${item.title}</h3>
<span class="state ${item.on ? 'on' : 'off'}">${stateText}</span>
</div>
${description}
${control}
</li>`;
}

export function renderPreferencesPage(view: PreferencesView): string {
  const m = messagesFor(view.locale);
  const choices = view.purposes.map((p, i) => ({ p, i })).filter(({ p }) => !p.required);
  const required = view.purposes.map((p, i) => ({ p, i })).filter(({ p }) => p.required);
  const saved = view.purposes.find((p) => p.id === view.saved);
  const status = view.expired
    ? html`<div class="notice warn" role="alert"><p>${m.formExpired}</p></div>`
    : saved
      ? html`<div class="notice" role="status"><p>${sentenceQuoting(m.saved(saved.title, saved.on), [saved.title], saved.foreign)}</p></div>`
      : '';
  const body = html`<h1>${m.preferencesTitle}</h1>
${status}
${view.gpcHonored ? gpcNotice(m, view.locale) : ''}
<p>${m.preferencesIntro(view.organisation)}</p>
<p class="muted">${m.withdrawNotice}</p>
${policyLanguageNote(view, m)}
${
  choices.length > 0
    ? html`<section aria-labelledby="choices-heading"><h2 id="choices-heading">${m.choicesHeading}</h2>
<ul class="purposes">${choices.map(({ p, i }) => purposeItem(view, p, i))}</ul></section>`
    : ''
}
${
  required.length > 0
    ? html`<section aria-labelledby="required-heading"><h2 id="required-heading">${m.requiredPurposesHeading}</h2>
<ul class="purposes">${required.map(({ p, i }) => purposeItem(view, p, i))}</ul></section>`
    : ''
}
${
  view.exportHref
    ? html`<section aria-labelledby="data-heading"><h2 id="data-heading">${m.yourDataHeading}</h2>
<p>${m.downloadDataIntro}</p>
<p><a href="${view.exportHref}" download>${m.downloadData}</a></p></section>`
    : ''
}`;
  return renderTokenPage(view, m.preferencesTitle, body);
}
