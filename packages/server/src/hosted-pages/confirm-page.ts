// The confirmation page (GET|POST /c/{token}): confirmed opt-in for a grant made on a form. It says
// what was agreed and when, and offers one button; doing nothing changes nothing. Works without
// JavaScript; the widget may enhance it.
import { messagesFor } from '../platform/i18n/messages.js';
import { html } from '../platform/pages/html.js';
import {
  type PageChrome,
  policyLanguageNote,
  policyTextAttributes,
  renderTokenPage,
  sentenceQuoting,
} from './page-parts.js';

export type ConfirmView = PageChrome & {
  /** The purpose's title and description, already localised. */
  purpose: { title: string; description?: string | undefined };
  /** When the grant was made, already formatted for the locale. */
  requestedOn: string;
  /** 'ask': the grant is pending; 'done': it is confirmed; 'nothing': the person changed it since. */
  stage: 'ask' | 'done' | 'nothing';
  csrfToken: string;
  formAction: string;
  /** The form had expired or was forged: nothing was confirmed. */
  expired?: boolean | undefined;
  preferencesHref: string;
};

export function renderConfirmPage(view: ConfirmView): string {
  const m = messagesFor(view.locale);
  const prefs = html`<p><a href="${view.preferencesHref}">${m.managePreferences}</a></p>`;
  const attributes = policyTextAttributes(view.policyText);
  const description = view.purpose.description
    ? html`<p class="purpose-description"${attributes}>${view.purpose.description}</p>`
    : '';
  const title =
    view.stage === 'ask' ? m.confirmTitle : view.stage === 'done' ? m.confirmedTitle : m.confirmNothingTitle;
  const body =
    view.stage === 'ask'
      ? html`<h1>${title}</h1>
${view.expired ? html`<div class="notice warn" role="alert"><p>${m.formExpired}</p></div>` : ''}
<p>${m.confirmIntro(view.organisation, view.requestedOn)}</p>
<section class="purpose" aria-labelledby="purpose-heading">
<h2 id="purpose-heading"${attributes}>${view.purpose.title}</h2>
${description}
</section>
${policyLanguageNote(view, m)}
<p>${m.confirmWhat}</p>
<form method="post" action="${view.formAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="primary">${sentenceQuoting(m.confirmButton(view.purpose.title), [view.purpose.title], view.policyText)}</button>
</form>
<p class="muted">${m.confirmIgnore}</p>
${prefs}`
      : html`<h1>${title}</h1>
<div class="notice" role="status">
<p>${view.stage === 'done' ? sentenceQuoting(m.confirmedBody(view.purpose.title), [view.purpose.title], view.policyText) : m.confirmNothingBody}</p>
</div>
${prefs}`;
  return renderTokenPage(view, title, body);
}
