// The AllStream application form as a React 19 component that uses the ConsentKit elements
// directly (no wrappers). Each box is controlled, as React developers write it: `checked={state}`
// down, `onChange` up. React 19 sets `checked` as a property on every render where it changed;
// the element fires `change` only for a person's act, so the state only ever follows the person.
// The app posts with fetch, so it sends the record id from the form's `consent-captured` event
// (examples/shared/send-application.ts).
import '@consentkit/widget/define';
import { sendApplication } from '@consentkit/example-shared/send-application';
import type { ConsentChangeEvent } from '@consentkit/widget';
import { type FormEvent, useState } from 'react';

export function App() {
  const [noMarketing, setNoMarketing] = useState(false);
  const [shareWithPartners, setShareWithPartners] = useState(false);
  const [lastChange, setLastChange] = useState('');
  const [sentWith, setSentWith] = useState<string | undefined>();

  function onConsentChange(event: ConsentChangeEvent): void {
    const { purpose, granted } = event.detail;
    setLastChange(`${purpose}: ${granted ? 'granted' : 'not granted'}`);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSentWith(await sendApplication(event.currentTarget));
  }

  // A native reset returns the elements to their defaults silently: the state follows it here.
  function onReset(): void {
    setNoMarketing(false);
    setShareWithPartners(false);
    setLastChange('');
  }

  return (
    <main>
      <h1>Apply for AllStream service</h1>
      <form
        onSubmit={onSubmit}
        onReset={onReset}
        data-consent-purpose="application-processing"
        data-consent-identifier="email"
      >
        <label htmlFor="name">Full name</label>
        <input id="name" name="name" type="text" autoComplete="name" required />
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
        <fieldset>
          <legend>Your privacy choices (optional)</legend>
          <consent-checkbox
            id="no-marketing"
            name="no-marketing"
            purpose="marketing"
            checked={noMarketing}
            onChange={(event) => setNoMarketing(event.currentTarget.checked)}
          >
            Do not send me marketing emails
          </consent-checkbox>
          <consent-checkbox
            id="share-with-partners"
            name="share-with-partners"
            purpose="partner-sharing"
            checked={shareWithPartners}
            onChange={(event) => setShareWithPartners(event.currentTarget.checked)}
            onconsent-change={onConsentChange}
          >
            Yes, share my contact information with AllStream’s authorized partners
          </consent-checkbox>
          <p
            id="form-state"
            data-no-marketing={String(noMarketing)}
            data-share-with-partners={String(shareWithPartners)}
            data-last-change={lastChange}
          >
            Marketing emails: {noMarketing ? 'you opted out' : 'on'}. Sharing with partners:{' '}
            {shareWithPartners ? 'yes' : 'no'}.
          </p>
        </fieldset>
        <button type="submit">Send application</button>
        <button type="reset">Start over</button>
      </form>
      {sentWith && (
        <p role="status">
          Application sent with consent record <code id="sent-with">{sentWith}</code>.
        </p>
      )}
      <consent-notice heading-level={2} />
    </main>
  );
}
