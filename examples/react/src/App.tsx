// The AllStream application form as a React 19 component that uses the ConsentKit elements
// directly (no wrappers). The app posts with fetch, so it cancels the native submission; the
// widget still captures one signed record per submission and hands its id over in the form's
// `consent-captured` event, which the app sends along with the application.
import '@consentkit/widget/define';
import { type ConsentChangeEvent, HOLD_LIMIT_MS } from '@consentkit/widget';
import { type FormEvent, useState } from 'react';

/** Where the example application handler listens (examples/application-form/handler.ts). */
const APPLY_URL = '/examples/application-form/apply';

/**
 * The id of the record the widget is capturing for this submission. The widget starts capturing
 * in the submit event's capture phase, before React's handler, and fires `consent-captured` once
 * the record is signed; if that fails, the application goes on without an id (declining or a
 * broken ledger must never block the form).
 */
function capturedRecordId(form: HTMLFormElement): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), HOLD_LIMIT_MS);
    form.addEventListener(
      'consent-captured',
      (event) => {
        clearTimeout(timer);
        resolve(event.detail.recordId);
      },
      { once: true },
    );
  });
}

export function App() {
  const [sharing, setSharing] = useState(false);
  const [sentWith, setSentWith] = useState<string | undefined>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const recordId = await capturedRecordId(form);
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string') body.append(name, value);
    if (recordId) body.set('consentkit-record', recordId);
    await fetch(APPLY_URL, { method: 'POST', body });
    setSentWith(recordId ?? 'none');
  }

  return (
    <main>
      <h1>Apply for AllStream service</h1>
      <form onSubmit={onSubmit} data-consent-purpose="application-processing" data-consent-identifier="email">
        <label htmlFor="name">Full name</label>
        <input id="name" name="name" type="text" autoComplete="name" required />
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
        <fieldset>
          <legend>Your privacy choices (optional)</legend>
          <consent-checkbox name="no-marketing" purpose="marketing">
            Do not send me marketing emails
          </consent-checkbox>
          <consent-checkbox
            name="share-with-partners"
            purpose="partner-sharing"
            onconsent-change={(event: ConsentChangeEvent) => setSharing(event.detail.granted)}
          >
            Yes, share my contact information with AllStream’s authorized partners
          </consent-checkbox>
          <p>{sharing ? 'We will share your contact information with our audited partners.' : 'Nothing is shared.'}</p>
        </fieldset>
        <button type="submit">Send application</button>
      </form>
      {sentWith && (
        <p role="status">
          Application sent with consent record <code>{sentWith}</code>.
        </p>
      )}
      <consent-notice heading-level={2} />
    </main>
  );
}
