// Pieces shared by the token pages.
import type { Messages } from '../platform/i18n/messages.js';
import { html, type SafeHtml } from '../platform/pages/html.js';

/** R48 (c)(6) / R50: the page says that the GPC signal was processed. */
export function gpcNotice(m: Messages): SafeHtml {
  return html`<div class="notice" role="status" data-gpc="honored">
<strong>${m.gpcHonored}</strong>
<p>${m.gpcHonoredBody}</p>
</div>`;
}

export type PageChrome = {
  /** The organisation name from the policy (untrusted text: escaped like everything else). */
  organisation: string;
  nonce: string;
  scriptSrc?: string | undefined;
};
