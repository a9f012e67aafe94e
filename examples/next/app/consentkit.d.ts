// JSX typings for the ConsentKit elements, generated from the widget's custom-elements.json.
import type {} from '@consentkit/widget/react';
