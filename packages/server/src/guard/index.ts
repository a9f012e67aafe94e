/**
 * @consentkit/server/guard — the sender's guard, for the systems that send the mail (Node only:
 * it holds an API key). `createSendGuard` splits a list into who may be mailed for a purpose and
 * who is skipped, with the ledger's reason; `guardPlugin` refuses a nodemailer message to anyone
 * who may not be mailed.
 */
export { GuardError, type GuardErrorCode } from './guard-error.js';
export {
  addressesOf,
  type CompileMail,
  type CompilePlugin,
  type GuardPluginOptions,
  guardPlugin,
  RecipientRefused,
} from './nodemailer-guard.js';
export {
  createSendGuard,
  type GuardLinks,
  type GuardVerdict,
  type SendGuard,
  type SendGuardOptions,
  type Skipped,
} from './send-guard.js';
