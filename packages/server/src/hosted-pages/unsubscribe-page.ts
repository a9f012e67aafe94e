// The unsubscribe page (GET /u/{token}) and its answer after the POST. The button posts the
// same body a mailbox provider sends for RFC 8058 one-click, so there is one code path.
import { messagesFor } from '../platform/i18n/messages.js';
import { html } from '../platform/pages/html.js';
import {
  gpcNotice,
  type PageChrome,
  policyLanguageNote,
  policyTextAttributes,
  renderTokenPage,
  sentenceQuoting,
} from './page-parts.js';

export type UnsubscribeView = PageChrome & {
  /** Titles of the purposes this link unsubscribes from, already localised. */
  purposes: readonly string[];
  /** Titles of the purposes the person receives now (the 'ask' stage says so). */
  subscribedTo: readonly string[];
  /** 'ask' before the POST; 'done' after it; 'already' when GET finds nothing left to do. */
  stage: 'ask' | 'done' | 'already';
  gpcHonored: boolean;
  /** Relative URL of the form (the page's own path). */
  formAction: string;
  preferencesHref?: string | undefined;
};

export function renderUnsubscribePage(view: UnsubscribeView): string {
  const m = messagesFor(view.locale);
  const attributes = policyTextAttributes(view.policyText);
  const list = html`<ul class="unsubscribe-list">${view.purposes.map((p) => html`<li${attributes}>${p}</li>`)}</ul>`;
  const prefs = view.preferencesHref ? html`<p><a href="${view.preferencesHref}">${m.managePreferences}</a></p>` : '';
  const gpc = view.gpcHonored ? gpcNotice(m, view.locale) : '';
  const title = view.stage === 'ask' ? m.unsubscribeTitle : m.unsubscribedTitle;
  const body =
    view.stage === 'ask'
      ? html`<h1>${title}</h1>
${gpc}
<p>${m.unsubscribeIntro(view.organisation)}</p>
<p>${sentenceQuoting(m.subscribedTo(view.subscribedTo.join(', ')), view.subscribedTo, view.policyText)}</p>
<p>${m.unsubscribeFrom}</p>
${list}
${policyLanguageNote(view, m)}
<form method="post" action="${view.formAction}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<input type="hidden" name="via" value="page">
<button type="submit" class="primary">${m.unsubscribeButton}</button>
</form>
<p class="muted">${m.unsubscribeNoJs}</p>
${prefs}`
      : html`<h1>${title}</h1>
<div class="notice" role="status">
<p>${view.stage === 'already' ? m.alreadyUnsubscribed : m.unsubscribedBody}</p>
</div>
${gpc}
${list}
${prefs}`;
  return renderTokenPage(view, title, body);
}
