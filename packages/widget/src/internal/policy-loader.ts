// The policy's loader (the SDK's fetchPolicy: request, retry-after, remembered copy, failure
// diagnosis), imported when a page first names a policy URL: a chunk of its own in the drop-in,
// off the controls' critical path (they render their slotted text until the policy arrives).
export { fetchPolicy } from '@consentkit/sdk';
