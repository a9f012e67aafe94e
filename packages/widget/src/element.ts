// @consentkit/widget/element — what every ConsentKit element is built on, for packages that
// build their own elements on it (the /admin dashboard): version-aware registration behind each
// element's `static define()`.
export { defineElement } from './define-element.js';
