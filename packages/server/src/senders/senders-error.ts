import { ServerError } from '../platform/server-error.js';

/**
 * Why a sender's request was refused (bulk "may we?", the suppression feed, the export command).
 * The API answers each as a 400 problem with this code; the CLI prints the sentence.
 */
export type SendersErrorCode = 'invalid-cursor' | 'too-many-subjects' | 'invalid-subject' | 'unknown-purpose';

export class SendersError extends ServerError<SendersErrorCode> {
  override readonly name = 'SendersError';
}
