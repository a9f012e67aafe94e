'use client';
// The application form as a client component. It is rendered on the server like any other
// component (the elements' tags and label text are in the HTML), and the elements are registered
// after hydration, in an effect: registering them earlier would let them change the server's
// markup before React hydrates it. The widget is only ever imported here, in the browser (its
// entry defines custom elements, which the server cannot evaluate). The submit goes to a server
// action with the record id.
import type { ConsentChangeEvent } from '@consentkit/widget';
import { type FormEvent, startTransition, useActionState, useEffect, useRef, useState } from 'react';
import { type ApplicationResult, submitApplication } from './actions';

type CapturedRecordId = (form: HTMLFormElement) => Promise<string | undefined>;

export function ApplicationForm({ ledgerUrl }: { readonly ledgerUrl: string }) {
  const [noMarketing, setNoMarketing] = useState(false);
  const [shareWithPartners, setShareWithPartners] = useState(false);
  const [lastChange, setLastChange] = useState('');
  const [result, dispatch, pending] = useActionState<ApplicationResult | undefined, FormData>(
    submitApplication,
    undefined,
  );

  const capturedRecordId = useRef<CapturedRecordId>(async () => undefined);

  useEffect(() => {
    void (async () => {
      const { configure } = await import('@consentkit/widget');
      configure({ endpoint: ledgerUrl });
      await import('@consentkit/widget/define');
      capturedRecordId.current = (await import('@consentkit/example-shared/send-application')).capturedRecordId;
    })();
  }, [ledgerUrl]);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    // The widget started capturing in the submit's capture phase; the server action is called
    // once the record id is in the form (React would otherwise read the form data too early).
    event.preventDefault();
    const form = event.currentTarget;
    await capturedRecordId.current(form);
    const data = new FormData(form);
    startTransition(() => dispatch(data));
  }

  function onReset(): void {
    setNoMarketing(false);
    setShareWithPartners(false);
    setLastChange('');
  }

  return (
    <>
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
            onconsent-change={(event: ConsentChangeEvent) =>
              setLastChange(`${event.detail.purpose}: ${event.detail.granted ? 'granted' : 'not granted'}`)
            }
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
        <button type="submit" disabled={pending}>
          Send application
        </button>
        <button type="reset">Start over</button>
      </form>
      {result && (
        <p
          role="status"
          id="received-by"
          data-record-id={result.recordId}
          data-no-marketing={String(result.noMarketing)}
          data-share-with-partners={String(result.shareWithPartners)}
        >
          The server received your application with consent record <code id="sent-with">{result.recordId}</code>.
        </p>
      )}
      <consent-notice heading-level={2} />
    </>
  );
}
