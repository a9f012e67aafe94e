/**
 * Attribute types of every ConsentKit element, for frameworks' JSX/template type checking.
 * Framework-neutral (no React or Vue types needed here): merge it into your framework's
 * intrinsic elements, e.g. for React 19:
 *
 * @example
 * import type { ConsentKitElementAttributes } from '@consentkit/widget';
 * type Base = React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement>;
 * declare module 'react' {
 *   namespace JSX {
 *     interface IntrinsicElements {
 *       'consent-checkbox': Base & ConsentKitElementAttributes['consent-checkbox'];
 *     }
 *   }
 * }
 */
import type { ConsentCheckboxMode } from './consent-checkbox/consent-checkbox.js';
import type { ConsentChangeEvent } from './events/consent-change-event.js';

type ChangeHandlers = {
  /** React 19 / Preact property-style listener for `consent-change`. */
  'onconsent-change'?: (event: ConsentChangeEvent) => void;
};

export type ConsentKitElementAttributes = {
  'consent-checkbox': ChangeHandlers & {
    name?: string;
    value?: string;
    purpose?: string;
    mode?: ConsentCheckboxMode | '';
    /** Honoured in opt-out mode only; refused in express mode (R23). */
    checked?: boolean;
    required?: boolean;
    disabled?: boolean;
    'no-hint'?: boolean;
    lang?: string;
  };
  'consent-optout': ChangeHandlers & { purpose?: string; 'opted-out'?: boolean; gpc?: boolean; lang?: string };
  'consent-notice': { 'hide-practices'?: boolean; 'heading-level'?: number; lang?: string };
  'consent-preferences': ChangeHandlers & { purposes?: string; lang?: string };
  'consent-config': { endpoint?: string; policy?: string; lang?: string; jurisdiction?: string };
};
