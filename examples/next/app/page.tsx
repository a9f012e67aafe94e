// The application page, rendered on the server for every request (it reads where the ledger is
// at request time). The form itself is a client component: the elements are registered there.
import { ApplicationForm } from './application-form';

export const dynamic = 'force-dynamic';

export default function Page() {
  const ledgerUrl = process.env.CONSENTKIT_LEDGER_URL;
  if (!ledgerUrl) throw new Error('Set CONSENTKIT_LEDGER_URL to the ledger this form records into.');
  return (
    <main>
      <h1>Apply for AllStream service</h1>
      <ApplicationForm ledgerUrl={ledgerUrl} />
    </main>
  );
}
