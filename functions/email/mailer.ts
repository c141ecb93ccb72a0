/**
 * Sending one email through SES (v2). From and Reply-To come from configuration, never from
 * the complaint: a customer's address is only ever a recipient.
 */
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { sesClient } from '#functions/shared/aws/ses.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { environmentNames } from '#functions/wiring.ts';
import type { RenderedEmail } from './templates.ts';

export interface OutgoingEmail extends RenderedEmail {
  to: string;
}

/** Sends the email with its tags (SES `EmailTags`, echoed in SES's events) and answers SES's message id. */
export async function sendEmail(
  email: OutgoingEmail,
  tags: Record<string, string> = {},
): Promise<string> {
  const configurationSet = configurationSetFor(email.stream);
  const result = await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: encodedMailbox(requiredSetting(environmentNames.mailFrom)),
      ReplyToAddresses: [requiredSetting(environmentNames.mailReplyTo)],
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: email.text, Charset: 'UTF-8' },
            Html: { Data: email.html, Charset: 'UTF-8' },
          },
          ...(email.headers?.length
            ? { Headers: email.headers.map(({ name, value }) => ({ Name: name, Value: value })) }
            : {}),
        },
      },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      EmailTags: Object.entries(tags).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  return result.MessageId ?? '';
}

/** Survey mail goes out with the survey's configuration set, everything else with the other. */
export function configurationSetFor(stream: 'survey' | undefined): string | undefined {
  const survey =
    stream === 'survey' ? process.env[environmentNames.sesSurveyConfigurationSet] : undefined;
  return survey ?? process.env[environmentNames.sesConfigurationSet];
}

/**
 * RFC 8058 one-click unsubscribe: the HTTPS link (with a token, never the address) in
 * `List-Unsubscribe`, and `List-Unsubscribe-Post` saying a POST to it is enough. CR and LF
 * are refused, so nothing can add a header.
 */
export function unsubscribeHeaders(link: string): { name: string; value: string }[] {
  if (!/^https?:\/\/[^\s<>]+$/.test(link)) throw new Error('An unsubscribe link must be one URL');
  return [
    { name: 'List-Unsubscribe', value: `<${link}>` },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ];
}

/**
 * SES errors that retrying cannot cure for this message: SES refused it (an unverified or
 * suppressed address, in the sandbox any address not verified) or the request itself is
 * invalid (e.g. an address SES cannot parse). Everything else (throttling, quotas, SES or
 * the network down, sending paused, a missing configuration set) is worth retrying, and
 * what never recovers reaches the dead-letter queue, where an operator can redrive it.
 */
const permanentErrorNames = new Set(['MessageRejected', 'BadRequestException']);
// Our side, not the recipient's: an identity still awaiting verification (right after a
// deploy) or the SES sandbox. Retried, so it ends in the dead-letter queue and its alarm.
const unverified = /not verified|verif/i;

export type SendFailure = 'permanent' | 'transient';

export function classifySendFailure(error: unknown): SendFailure {
  if (!(error instanceof Error) || !permanentErrorNames.has(error.name)) return 'transient';
  return unverified.test(error.message) ? 'transient' : 'permanent';
}

/**
 * `售后服务 <aftercare@maker.example>` as SES takes it: a display name that is not plain
 * ASCII is sent as a MIME encoded-word (RFC 2047); SES refuses it raw.
 */
export function encodedMailbox(mailbox: string): string {
  const match = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(mailbox);
  if (!match) return mailbox.trim();
  const [, name = '', address = ''] = match;
  const quoted = /^"(.*)"$/.exec(name);
  const display = quoted ? (quoted[1] ?? '').replace(/\\(.)/g, '$1') : name;
  if (display === '') return address;
  if (/^[\w!#$%&'*+\-/=?^`{|}~ ]*$/.test(display)) return `${display} <${address}>`;
  if (/^[\x20-\x7e]*$/.test(display)) return `"${display.replace(/["\\]/g, '\\$&')}" <${address}>`;
  return `=?UTF-8?B?${Buffer.from(display, 'utf8').toString('base64')}?= <${address}>`;
}
