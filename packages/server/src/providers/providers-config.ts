import type { ServerConfig } from '../runtime/config.js';
import type { ProvidersOptions } from './providers-routes.js';

/** The providers' webhook options from the server's configuration; a provider without secrets is off. */
export function providersOf(config: ServerConfig): ProvidersOptions {
  const postmarkBasic =
    config.postmarkWebhookUser !== undefined && config.postmarkWebhookPassword !== undefined
      ? { username: config.postmarkWebhookUser, password: config.postmarkWebhookPassword }
      : {};
  const postmarkToken = config.postmarkWebhookToken === undefined ? {} : { token: config.postmarkWebhookToken };
  return {
    ...(config.sendgridVerificationKey ? { sendgrid: { verificationKey: config.sendgridVerificationKey } } : {}),
    ...(config.mailgunSigningKey ? { mailgun: { signingKey: config.mailgunSigningKey } } : {}),
    ...(Object.keys(postmarkBasic).length + Object.keys(postmarkToken).length > 0
      ? { postmark: { ...postmarkBasic, ...postmarkToken } }
      : {}),
    ...(config.sesTopicArns.length > 0 ? { ses: { topicArns: config.sesTopicArns } } : {}),
    ...(config.providerPurposes.length > 0 ? { purposes: config.providerPurposes } : {}),
  };
}
