/**
 * The people the /admin dashboard suites read back (the server's admin API test and the end-to-end
 * dashboard journey), each signing on a device of their own, every record posted through `post`:
 * - Alice grants application processing and marketing at the form, then opts out of marketing
 *   from the newsletter page (whose URL carries a query string and a fragment, which the figures drop);
 * - Bob opts out of marketing at the form;
 * - Carol grants marketing and partner sharing (express, by her own click) at the form, then
 *   withdraws partner sharing from the preference page.
 */
import type { CreateRecordInput, Policy } from '@consentkit/core';
import { createPerson } from '../people.js';

/** Where the application form is (the collection point of every first record). */
export const APPLICATION_FORM = { url: 'https://allstream.example/apply', form: 'application' } as const;

type Decisions = CreateRecordInput['decisions'];
const apply = { purpose: 'application-processing', granted: true, basis: 'implied' } as const;
const marketing = (granted: boolean) => ({ purpose: 'marketing', granted, basis: 'opt-out' }) as const;
const sharing = (granted: boolean) => ({ purpose: 'partner-sharing', granted, basis: 'express' }) as const;

const HISTORIES: ReadonlyArray<{ email: string; records: ReadonlyArray<[Decisions, Record<string, string>?]> }> = [
  {
    email: 'alice@example.com',
    records: [
      [[apply, marketing(true)]],
      [[marketing(false)], { url: 'https://allstream.example/news?utm_source=mail#top', form: 'newsletter' }],
    ],
  },
  { email: 'bob@example.com', records: [[[apply, marketing(false)]]] },
  {
    email: 'carol@example.com',
    records: [
      [[apply, marketing(true), sharing(true)]],
      [[sharing(false)], { url: 'https://allstream.example/account', flow: 'preference-page' }],
    ],
  },
];

/** Signs and posts the dashboard's people's records, in order; `post` must see each accepted. */
export async function postDashboardPeople(options: {
  policy: Policy;
  post(record: { jws: string; opening?: unknown }): Promise<void>;
}): Promise<void> {
  for (const { email, records } of HISTORIES) {
    const person = await createPerson({ policy: options.policy, email });
    for (const [decisions, collectionPoint = APPLICATION_FORM] of records) {
      const signed = await person.sign({ decisions, collectionPoint: { ...collectionPoint }, jurisdiction: 'CA' });
      await options.post({ jws: signed.jws, opening: signed.opening });
    }
  }
}
