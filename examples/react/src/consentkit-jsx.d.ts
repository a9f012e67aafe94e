// JSX typings for the ConsentKit elements in React 19. React 19 passes props to custom elements
// as properties when the element has such a property (else as attributes) and binds `on<event>`
// props to events of that exact name, so the elements need no wrapper components — only types.
import type {
  ConsentChangeEvent,
  ConsentCheckbox,
  ConsentNotice,
  ConsentOptOut,
  ConsentPreferences,
} from '@consentkit/widget';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

/** Standard HTML props for element E, plus the element's own writable properties. */
type ElementProps<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E> &
  Partial<Omit<E, keyof HTMLElement | 'render' | 'requestUpdate'>> & {
    'onconsent-change'?: (event: ConsentChangeEvent) => void;
  };

declare module 'react' {
  // biome-ignore lint/style/noNamespace: React's types declare JSX as a namespace; augmenting it is the only way.
  namespace JSX {
    interface IntrinsicElements {
      'consent-checkbox': ElementProps<ConsentCheckbox> & {
        name?: string;
        value?: string;
        purpose?: string;
        mode?: 'express' | 'opt-out' | '';
        required?: boolean;
        disabled?: boolean;
      };
      'consent-optout': ElementProps<ConsentOptOut> & { purpose?: string };
      'consent-notice': ElementProps<ConsentNotice> & { 'heading-level'?: number; 'hide-practices'?: boolean };
      'consent-preferences': ElementProps<ConsentPreferences> & { purposes?: string };
      'consent-config': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        endpoint?: string;
        policy?: string;
        jurisdiction?: string;
      };
    }
  }
}
