// Type tests for the generated JSX typings (@consentkit/widget/react): `pnpm typecheck` fails if
// a line marked @ts-expect-error type-checks, i.e. if the typings stopped catching the mistake.
// Never rendered or bundled.
import type { ConsentChangeEvent } from '@consentkit/widget';

export const accepted = (
  <>
    <consent-checkbox
      name="partners"
      purpose="partner-sharing"
      mode="express"
      checked={false}
      required
      no-hint
      onconsent-change={(event: ConsentChangeEvent) => event.detail.granted}
      onChange={(event) => event.currentTarget.checked}
    />
    <consent-optout purpose="marketing" />
    <consent-notice heading-level={3} hide-practices />
    <consent-preferences purposes="marketing loyalty-programme" />
    <consent-config endpoint="/" consent-mode />
  </>
);

export const refused = (
  <>
    {/* @ts-expect-error purpose is a string */}
    <consent-checkbox purpose={1} />
    {/* @ts-expect-error mode is 'express' | 'opt-out' */}
    <consent-checkbox mode="sometimes" />
    {/* @ts-expect-error consent-change hands over a ConsentChangeEvent, not a MouseEvent */}
    <consent-checkbox onconsent-change={(event: MouseEvent) => event.button} />
    {/* @ts-expect-error heading-level is a number */}
    <consent-notice heading-level="two" />
  </>
);
