// Where outbox messages go: GOV.UK Notify when configured, otherwise they stay in the outbox as recorded.
import { NotifyClient } from 'notifications-node-client';
import type { NotifyConfig } from '../../config.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  body: string;
  /** Our outbox id, so Notify's records can be matched to ours. */
  reference: string;
}

export interface SendResult {
  status: 'sent' | 'recorded';
  providerReference: string | null;
}

export interface MessageSender {
  sendEmail(email: OutgoingEmail): Promise<SendResult>;
}

/** Used when GOV.UK Notify is not configured: the outbox itself is the record. */
export const outboxOnlySender: MessageSender = {
  async sendEmail() {
    return { status: 'recorded', providerReference: null };
  },
};

/**
 * Sends through GOV.UK Notify using one general email template whose subject is ((subject)) and body ((body)),
 * so wording stays in Pathway's locale files and is the same in the outbox and the inbox.
 */
export function notifySender(config: NotifyConfig): MessageSender {
  const client = config.baseUrl ? new NotifyClient(config.baseUrl, config.apiKey) : new NotifyClient(config.apiKey);
  return {
    async sendEmail(email) {
      const response = await client.sendEmail(config.emailTemplateId, email.to, {
        personalisation: { subject: email.subject, body: email.body },
        reference: email.reference,
      });
      return { status: 'sent', providerReference: response.data.id };
    },
  };
}
